"""Agreement between the checker and the assessor labels of the labelled fixtures.

    python bench/accuracy.py [--verbose]

For each labelled set (fixtures/submissions, fixtures/holdout, fixtures/holdout2) it builds the sources,
checks every submission and compares each criterion's status (met / gap / missing) with the label:
agreement, false alarms (labelled met, reported gap or missing) and misses (labelled gap or missing,
reported met), and the gap codes that disagree.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml
from corpus import load_builder  # bench/ is on sys.path when a bench script runs

ROOT = Path(__file__).resolve().parents[1]
SETS = ("submissions", "holdout", "holdout2")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every disagreement")
    args = parser.parse_args(argv)
    from checker.engine import check
    from checker.packs import load_pack

    pack = load_pack("ml25")
    build = load_builder().build
    print("| set | submissions | criteria | agree | false alarms | misses |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name in SETS:
            sources = sorted((ROOT / "fixtures" / name).glob("*.yaml"))
            tally: Counter = Counter()
            notes = []
            for source in sources:
                labels = yaml.safe_load(source.read_text(encoding="utf-8"))["expect"]
                result = check(build(source, Path(tmp) / f"{source.stem}.docx"), pack)
                for c in result.criteria:
                    want = labels.get(c.id, {}).get("status")
                    if want is None:
                        continue
                    tally["criteria"] += 1
                    if want == c.status:
                        tally["agree"] += 1
                        continue
                    tally["false alarm" if want == "met" else "miss"] += 1
                    notes.append(f"  {source.stem} {c.id}: labelled {want}, checker {c.status} "
                                 f"({', '.join(f.code for f in c.findings if f.severity == 'gap') or '-'})")
            n = tally["criteria"] or 1
            print(f"| {name} | {len(sources)} | {tally['criteria']} | {tally['agree']} ({tally['agree'] / n:.1%}) "
                  f"| {tally['false alarm']} | {tally['miss']} |")
            if args.verbose:
                print("\n".join(notes), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
