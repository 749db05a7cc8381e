#!/usr/bin/env python
"""Files per second of `checker batch` on the local pool and on a 2-worker Dask cluster, side by side.

    python bench/cluster.py [--files 10000] [--jobs 2] [--seed 2025]

Needs the dask extra. Builds (or reuses) the bench corpus of --files realistic ~3,000-word submissions
(bench/corpus.py), then times, as whole `checker batch` commands (start-up included, wall clock):
  1. the local pool, `--jobs N`;
  2. an existing cluster, `--scheduler tcp://127.0.0.1:PORT`: a `dask scheduler` and N single-threaded
     `dask worker` processes started here on loopback before timing (their start-up is not timed);
  3. `--scheduler local`, a LocalCluster of N workers started by the batch itself (its start-up is timed).
Each run writes JSON reports to its own folder; the summaries must be identical (else it exits 1).
Prints a Markdown table; writes bench/out/cluster.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import corpus  # noqa: E402 - bench/ is not a package

BIN = Path(sys.executable).parent


def _checker() -> str:
    local = BIN / "checker"
    return str(local) if local.exists() else "checker"


def _timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return seconds


def _cluster(folder: Path, workers: int) -> tuple[str, list[subprocess.Popen]]:
    sched_file = folder / "scheduler.json"
    env = {**os.environ, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"}
    quiet = {"env": env, "cwd": folder, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                               "--no-dashboard", "--scheduler-file", str(sched_file)], **quiet)]
    for _ in range(workers):
        procs.append(subprocess.Popen([str(BIN / "dask"), "worker", "--scheduler-file", str(sched_file),
                                       "--host", "127.0.0.1", "--nthreads", "1", "--no-dashboard"], **quiet))
    from distributed import Client

    deadline = time.monotonic() + 60
    while not sched_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    with Client(scheduler_file=str(sched_file), timeout="30s") as client:
        client.wait_for_workers(workers, timeout=120)
        return client.scheduler.address, procs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    args = ap.parse_args(argv)
    files, _manifest = corpus.ensure_corpus(args.files, args.seed, log=lambda m: print(m, file=sys.stderr))
    src = files[0].parent
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp:
        base = [_checker(), "batch", str(src), "--format", "json", "--no-progress", "--unreadable-ok"]
        address, procs = _cluster(Path(tmp), args.jobs)
        try:
            runs = [("local pool", ["--jobs", str(args.jobs)]),
                    (f"cluster, {args.jobs} dask workers (started beforehand)", ["--scheduler", address]),
                    (f"--scheduler local, {args.jobs} workers (start-up timed)",
                     ["--scheduler", "local", "--jobs", str(args.jobs)])]
            summaries = []
            for label, extra in runs:
                out = Path(tmp, f"out{len(rows)}")
                print(f"{label} ...", file=sys.stderr)
                seconds = _timed([*base, "--out", str(out), *extra])
                summaries.append((out / "summary.json").read_bytes())
                rows.append({"run": label, "files": len(files), "seconds": round(seconds, 1),
                             "files_per_s": round(len(files) / seconds, 1)})
                shutil.rmtree(out)
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(timeout=30)
    same = all(s == summaries[0] for s in summaries)
    print("| run | files | seconds | files/s |\n|---|---:|---:|---:|")
    for r in rows:
        print(f"| {r['run']} | {r['files']} | {r['seconds']} | {r['files_per_s']} |")
    print(f"\nsummaries identical: {same}; {os.cpu_count()} cores")
    corpus.OUT_DIR.mkdir(exist_ok=True)
    (corpus.OUT_DIR / "cluster.json").write_text(json.dumps({"rows": rows, "identical": same}, indent=1))
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
