#!/usr/bin/env python
"""Cold start of this tree against another (e.g. the commit before a change), alternating, with python-docx.

    python bench/cold_ab.py --base /tmp/base [--runs 10] [FILE]

`git archive BASE | tar -x -C /tmp/base` makes the other tree. Each round runs, as fresh processes and in turn,
`checker check FILE --format json` of this tree, the same command with PYTHONPATH=BASE (the venv's `checker`
script then imports that tree), and `python -c "import docx; docx.Document(FILE)"`; wall time with
`time.perf_counter()` around the subprocess, after one unmeasured run of each. Alternating makes the machine's
load hit all three alike; the medians and the ratios to python-docx's open are printed. FILE defaults to the
realistic set's first file (bench/realistic.py). The two trees' JSON reports must be identical, else exit 1.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import realistic  # noqa: E402
from ratios import OPEN_SNIPPETS  # noqa: E402
from run import checker_cmd  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="the other tree (its root, holding checker/)")
    parser.add_argument("--runs", type=int, default=10, help="rounds (default 10)")
    parser.add_argument("file", nargs="?", type=Path)
    args = parser.parse_args()
    path = args.file or realistic.realistic(lambda m: print(m, file=sys.stderr))[0][0]
    check = [*checker_cmd(), "check", str(path), "--format", "json"]
    env = dict(os.environ)
    base_env = {**env, "PYTHONPATH": str(args.base.resolve())}
    runs = {"this tree": (check, env), "base": (check, base_env),
            "python-docx open": ([sys.executable, "-c", OPEN_SNIPPETS["python-docx"], str(path)], env)}
    outputs = {name: subprocess.run(cmd, capture_output=True, env=e).stdout for name, (cmd, e) in runs.items()}
    if outputs["this tree"] != outputs["base"]:
        print("the two trees' JSON reports differ", file=sys.stderr)
        return 1
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.runs):
        for name, (cmd, e) in runs.items():
            t0 = time.perf_counter()
            subprocess.run(cmd, capture_output=True, env=e)
            times[name].append(time.perf_counter() - t0)
    docx_ms = statistics.median(times["python-docx open"]) * 1000
    print(f"{path.name}, {args.runs} alternating rounds, load average {os.getloadavg()[0]:.2f} at the end")
    for name, ts in times.items():
        ms = statistics.median(ts) * 1000
        print(f"  {name:18s} median {ms:7.0f} ms  (min {min(ts) * 1000:.0f}, max {max(ts) * 1000:.0f})  "
              f"{ms / docx_ms:5.2f}x python-docx's open")
    return 0


if __name__ == "__main__":
    sys.exit(main())
