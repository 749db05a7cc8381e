#!/usr/bin/env python
"""Where a check's time goes: each stage of `engine.check` timed over the realistic set, in this process.

    python bench/stages.py [--repeat 3] [--cpu]

Wraps the stages `checker.engine` calls (read, locate, the sections' analyses, quantity counting, each
criterion check, the supports, the document checks) with `time.perf_counter()` and prints milliseconds per
file, largest first, after one unmeasured pass (the pipeline, its caches and spaCy's vocabulary warm). The
collector is paused as `check` pauses it. The wrappers cost a little: the stages sum to slightly more than
the checks' own total, which is printed first, with python-docx's read of each file (bench/run.py's
baseline, timed right after the file's check in the same pass) and the ratio of the two. `--cpu` times with
`time.process_time()` instead: on a machine shared with other work, the CPU time this process spent moves
less with the load than wall time does (it still feels caches and cores shared with the other work).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import realistic  # noqa: E402
from run import baseline_read  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="passes over the set (default 3)")
    parser.add_argument("--cpu", action="store_true", help="this process's CPU time rather than wall time")
    args = parser.parse_args()
    clock = time.process_time if args.cpu else time.perf_counter

    from checker import engine
    from checker.packs import load_pack
    from checker.report import to_json

    pack = load_pack("ml25")
    files = realistic.realistic(lambda m: print(m, file=sys.stderr))[0]
    for p in files:
        to_json([engine.check(p, pack)])
    spent: dict[str, float] = defaultdict(float)

    def timed(name: str, f: Callable[..., Any]) -> Callable[..., Any]:
        def run(*a: Any, **k: Any) -> Any:
            t = clock()
            try:
                return f(*a, **k)
            finally:
                spent[name] += clock() - t
        return run

    engine.read = timed("read the file", engine.read)
    engine.locate = timed("locate the sections", engine.locate)
    engine.OneAtATime.take = timed("analyse the sections (spaCy)", engine.OneAtATime.take)
    engine.quantity.count = timed("count items (checker/items.py)", engine.quantity.count)
    engine.Known.of = timed("names known from the document", engine.Known.of)
    engine.CRITERION_CHECKS = tuple(timed(f"check: {c.__module__.rsplit('.', 1)[-1]}", c)
                                    for c in engine.CRITERION_CHECKS)
    engine.SUPPORTS = tuple(timed("evidence (supports)", s) for s in engine.SUPPORTS)
    engine.document_checks.check = timed("document checks", engine.document_checks.check)
    total = docx_total = 0.0
    for p in files:
        baseline_read(p)
    for _ in range(args.repeat):
        for p in files:
            t = clock()
            result = engine.check(p, pack)
            total += clock() - t
            t = clock()
            baseline_read(p)
            docx_total += clock() - t
            t = clock()
            to_json([result])
            spent["JSON report"] += clock() - t
    n = len(files) * args.repeat
    print(f"{len(files)} realistic files x {args.repeat}: check {total / n * 1000:.2f} ms per file (JSON apart); "
          f"python-docx read {docx_total / n * 1000:.2f} ms; check / python-docx {total / docx_total:.2f}x")
    for name, s in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"  {name:34s} {s / n * 1000:6.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
