#!/usr/bin/env python
"""Same results before and after a speed change: a digest of every JSON report, compared with a saved one.

    python bench/identical.py --save bench/out/before.json      # before the change
    python bench/identical.py --against bench/out/before.json   # after: exit 1 and the files that differ

Covers the realistic and scaled submissions (bench/realistic.py) and the generated bench corpus (100 files),
checked in this one process in a fixed order, as a library caller would (a per-file cache must not leak).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import corpus  # noqa: E402
import realistic  # noqa: E402


def digests(log=lambda _: None) -> dict[str, str]:  # noqa: ANN001
    from checker.engine import check
    from checker.packs import load_pack
    from checker.report import to_json

    pack = load_pack("ml25")
    files = [*realistic.realistic(log)[0], *realistic.scaled(log=log)[0],
             *corpus.ensure_corpus(100, corpus.DEFAULT_SEED, log)[0]]
    return {f"{p.parent.name}/{p.name}": hashlib.sha256(to_json([check(p, pack)]).encode()).hexdigest()
            for p in files}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path)
    group.add_argument("--against", type=Path)
    args = parser.parse_args()
    now = digests(lambda m: print(m, file=sys.stderr))
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        args.save.write_text(json.dumps(now, indent=1), encoding="utf-8")
        print(f"{len(now)} reports saved to {args.save}")
        return 0
    before = json.loads(args.against.read_text(encoding="utf-8"))
    differ = sorted(k for k in before.keys() | now.keys() if before.get(k) != now.get(k))
    for k in differ:
        print(f"differs: {k}")
    print(f"{len(now) - len(differ)}/{len(now)} reports identical")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
