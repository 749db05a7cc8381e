"""Run every file of the shared hostile/real-world corpora through `check` and measure each one's peak memory.

    python bench/corpus_run.py [DIR ...] [--limit-mb 200] [--timeout 60] [--json bench/out/corpus_run.json]

Defaults to ../shared/corpus/external and ../shared/corpus/realworld. The pack and pipeline are loaded once;
then each file is checked in a child forked from that warmed process, so the child's max RSS
(`os.wait4` rusage) is what one `checker check FILE` process peaks at, start-up included, without paying
the start-up per file. A file passes when it gives a result or one clean error (CheckerError line) and its
child stays under --limit-mb; a traceback, a signal, a timeout or more memory is a failure. Prints a table
of failures and the largest peaks, and writes every row to --json.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULTS = [ROOT.parent / "shared" / "corpus" / "external", ROOT.parent / "shared" / "corpus" / "realworld"]


def _child(path: Path, pack: object, wfd: int) -> None:
    from checker.engine import check
    from checker.report import render

    try:
        result = check(path, pack)  # type: ignore[arg-type]
        render([result], "json")
        outcome = {"outcome": "error" if result.errors else "result",
                   "detail": result.errors[0].message if result.errors else f"{len(result.criteria)} criteria"}
    except BaseException as e:  # the failure we are looking for: anything that is not a clean error
        outcome = {"outcome": "crash", "detail": f"{type(e).__name__}: {e}"[:300]}
    os.write(wfd, json.dumps(outcome).encode())
    os._exit(0)


def run_one(path: Path, pack: object, timeout: float) -> dict:
    r, w = os.pipe()
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        _child(path, pack, w)
    os.close(w)
    deadline = start + timeout
    status, usage = 0, None
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.perf_counter() > deadline:
            os.kill(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
            break
        time.sleep(0.01)
    seconds = time.perf_counter() - start
    with os.fdopen(r, "rb") as f:
        raw = f.read()
    row = {"file": str(path), "seconds": round(seconds, 2), "peak_mb": round(usage.ru_maxrss / 1024, 1)}
    if raw:
        row.update(json.loads(raw))
    elif seconds >= timeout:
        row.update(outcome="timeout", detail=f"over {timeout:.0f} s")
    else:
        row.update(outcome="crash", detail=f"child ended with status {status}")
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dirs", nargs="*", type=Path, default=DEFAULTS)
    ap.add_argument("--limit-mb", type=float, default=200)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "corpus_run.json")
    args = ap.parse_args()

    from checker.nlp import pipeline
    from checker.packs import load_pack

    pack = load_pack("ml25")
    pipeline(pack)
    files = sorted(p for d in args.dirs for p in d.rglob("*") if p.is_file() and not p.name.endswith(".md"))
    rows = []
    for i, path in enumerate(files, 1):
        row = run_one(path, pack, args.timeout)
        row["ok"] = row["outcome"] in ("result", "error") and row["peak_mb"] <= args.limit_mb
        rows.append(row)
        if not row["ok"]:
            print(f"FAIL {row['outcome']} {row['peak_mb']} MB {row['seconds']} s {path}: {row['detail']}",
                  file=sys.stderr, flush=True)
        if i % 100 == 0:
            print(f"{i}/{len(files)}", file=sys.stderr, flush=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(rows, indent=1))
    counts = {k: sum(r["outcome"] == k for r in rows) for k in ("result", "error", "crash", "timeout")}
    over = [r for r in rows if r["peak_mb"] > args.limit_mb]
    print(f"{len(rows)} files: {counts['result']} results, {counts['error']} clean errors, "
          f"{counts['crash']} crashes, {counts['timeout']} timeouts, {len(over)} over {args.limit_mb:.0f} MB")
    print("largest peaks:")
    for r in sorted(rows, key=lambda r: -r["peak_mb"])[:8]:
        where = Path(r["file"]).relative_to(ROOT.parent)
        print(f"  {r['peak_mb']:7.1f} MB {r['seconds']:6.2f} s {r['outcome']:7} {where}")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
