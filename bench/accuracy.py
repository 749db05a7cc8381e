"""Agreement between the checker and the assessor labels of the labelled sets, in balanced figures.

    python bench/accuracy.py [--set NAME ...] [--verbose] [--json OUT.json] [--pack ID=PATH ...]

A labelled set is a folder of fixtures/ whose sources carry `expect` labels per criterion: `status` (met / gap /
missing), the `kind` of gap (few, shallow, hypothetical, copied, short, partial, missing; older sets give
`codes` instead, mapped below), and for criteria with a quantity the `items` an assessor counts. A source is a
YAML file with a `body` (built into .docx here) or a `NAME.expect.yaml` beside a ready-made `NAME.docx` (pandoc,
LibreOffice); its `pack` key names the unit's pack (ml25 where absent). Per set it reports:

- gap recall per kind: the share of labelled gaps of that kind the checker reports as not met;
- false alarms: the share of criteria labelled met that the checker reports as gap or missing;
- balanced accuracy: the mean of overall gap recall and (1 - false-alarm rate), as in blind-sets.md;
- item counts: criteria with labelled items whose count the checker matches exactly / within one;
- agreement per layout (the `layout` key of each source).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from corpus import load_builder  # bench/ is on sys.path when a bench script runs

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
# Sets in the order the README reports them; a folder appears once it exists.
SETS = ("submissions", "holdout", "holdout2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8", "blind9",
        "blind10", "blind11", "blind12", "blind13", "blind14", "blind15", "blind16", "blind17", "blind18", "blind19",
        "blind20", "blind21", "blind22", "blind23", "blind24", "blind25", "blind26", "blind27", "blind28", "blind29",
        "blind30", "blind31", "blind32", "blind33", "blind34", "blind35", "blind36", "blind37", "blind38",
        "blind39", "blind40", "blind41", "blind42", "blind43", "blind44", "blind45", "blind46", "blind47", "blind48",
        "blind49",
        "othm-u3-blind", "btec-u7-blind", "othm-u3-blind2", "btec-u7-blind2", "othm-u3-blind3", "btec-u7-blind3",
        "othm-u3-blind4", "btec-u7-blind4", "othm-u3-blind5", "btec-u7-blind5", "othm-u3-blind6", "btec-u7-blind6",
        "othm-u3-blind7", "btec-u7-blind7", "othm-u3-blind8", "btec-u7-blind8", "othm-u3-blind9",
        "othm-u2-blind", "cg-311-blind")
KINDS = ("missing", "few", "shallow", "hypothetical", "copied", "short", "partial")
CODE_KIND = {"missing-section": "missing", "too-few-items": "few", "verb-not-met": "shallow",
             "no-practice-evidence": "hypothetical", "copied-guidance": "copied", "too-short": "short",
             "part-not-covered": "partial"}


def label_kind(label: dict) -> str:
    if label.get("kind"):
        return label["kind"]
    if label["status"] == "met":
        return "met"
    if label["status"] == "missing":
        return "missing"
    codes = label.get("codes") or []
    return CODE_KIND.get(codes[0], "shallow") if codes else "shallow"


@dataclass
class Tally:
    submissions: int = 0
    criteria: int = 0
    agree: int = 0
    met: int = 0
    false_alarms: int = 0
    gaps: Counter = field(default_factory=Counter)  # kind -> labelled
    caught: Counter = field(default_factory=Counter)  # kind -> reported not met
    items: int = 0
    items_exact: int = 0
    items_near: int = 0
    layouts: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0]))  # layout -> [agree, n]
    notes: list = field(default_factory=list)

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.met if self.met else 0.0

    @property
    def recall(self) -> float:
        n = sum(self.gaps.values())
        return sum(self.caught.values()) / n if n else 1.0

    @property
    def balanced(self) -> float:
        return (self.recall + 1 - self.false_alarm_rate) / 2

    def to_json(self) -> dict:
        return {"submissions": self.submissions, "criteria": self.criteria, "agree": self.agree,
                "met": self.met, "false_alarms": self.false_alarms, "false_alarm_rate": self.false_alarm_rate,
                "gap_recall": self.recall, "balanced_accuracy": self.balanced,
                "recall_by_kind": {k: [self.caught[k], self.gaps[k]] for k in KINDS if self.gaps[k]},
                "items": {"n": self.items, "exact": self.items_exact, "within_one": self.items_near},
                "layouts": {k: {"agree": a, "n": n} for k, (a, n) in sorted(self.layouts.items())}}


def sources(folder: Path) -> list[tuple[Path, Path | None]]:
    """(label file, ready-made .docx or None to build) for each submission of a set."""
    out = []
    for src in sorted(folder.glob("*.yaml")):
        if src.name.endswith(".expect.yaml"):
            out.append((src, src.with_name(src.name[: -len(".expect.yaml")] + ".docx")))
        else:
            out.append((src, None))
    return out


def score(name: str, tmp: Path, swap: dict[str, str] | None = None) -> Tally:
    from checker.engine import check
    from checker.packs import load_pack

    build = load_builder().build
    tally = Tally()
    packs: dict[str, object] = {}
    for src, docx in sources(FIXTURES / name):
        data = yaml.safe_load(src.read_text(encoding="utf-8"))
        labels, layout = data["expect"], data.get("layout", "-")
        path = docx or build(src, tmp / name / f"{src.stem}.docx")
        pack_id = data.get("pack", "ml25")  # a source names its unit's pack; ML25's sets predate the key
        if pack_id not in packs:
            packs[pack_id] = load_pack((swap or {}).get(pack_id, pack_id))
        result = check(path, packs[pack_id])
        tally.submissions += 1
        stem = src.name.split(".")[0]
        for c in result.criteria:
            label = labels.get(c.id)
            if not isinstance(label, dict) or "status" not in label:
                continue
            kind = label_kind(label)
            got_met = c.status == "met"
            agree = c.status == label["status"]
            tally.criteria += 1
            tally.agree += agree
            tally.layouts[layout][0] += agree
            tally.layouts[layout][1] += 1
            if kind == "met":
                tally.met += 1
                tally.false_alarms += not got_met
            else:
                tally.gaps[kind] += 1
                tally.caught[kind] += not got_met
            codes = ", ".join(f.code for f in c.findings if f.severity == "gap") or "-"
            if not agree:
                tally.notes.append(f"  {stem} {c.id}: labelled {label['status']}/{kind}, checker {c.status} "
                                   f"({codes})")
            want = label.get("items")
            if want is not None and c.items is not None and c.status != "missing":
                tally.items += 1
                diff = len(c.items) - len(want)
                tally.items_exact += diff == 0
                tally.items_near += abs(diff) <= 1
                if diff:
                    tally.notes.append(f"  {stem} {c.id}: items {len(c.items)} (want {len(want)}): "
                                       f"{c.items} vs {want}")
    return tally


def pct(a: int, n: int) -> str:
    return f"{a}/{n} ({a / n:.0%})" if n else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", dest="sets", help="a set (folder of fixtures/); default all")
    parser.add_argument("--verbose", action="store_true", help="list every disagreement")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--pack", action="append", default=[], metavar="ID=PATH",
                        help="score the sources naming pack ID against the pack at PATH (a drafted pack, say)")
    args = parser.parse_args(argv)
    names = args.sets or [s for s in SETS if (FIXTURES / s).is_dir()]
    tallies: dict[str, Tally] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            tallies[name] = score(name, Path(tmp), dict(x.split("=", 1) for x in args.pack))
    print("| set | subm. | criteria | agree | false alarms (met) | gap recall | balanced | items exact | "
          "items ±1 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, t in tallies.items():
        print(f"| {name} | {t.submissions} | {t.criteria} | {pct(t.agree, t.criteria)} | "
              f"{pct(t.false_alarms, t.met)} | {pct(sum(t.caught.values()), sum(t.gaps.values()))} | "
              f"{t.balanced:.1%} | {pct(t.items_exact, t.items)} | {pct(t.items_near, t.items)} |")
    print("\nGap recall per kind (caught / labelled):\n")
    print("| set | " + " | ".join(KINDS) + " |")
    print("|---|" + "---|" * len(KINDS))
    for name, t in tallies.items():
        print(f"| {name} | " + " | ".join(pct(t.caught[k], t.gaps[k]) for k in KINDS) + " |")
    layouts = sorted({lay for t in tallies.values() for lay in t.layouts if lay != "-"})
    if layouts:
        print("\nAgreement per layout:\n")
        print("| layout | " + " | ".join(n for n, t in tallies.items() if len(t.layouts) > 1) + " |")
        print("|---|" + "---|" * sum(len(t.layouts) > 1 for t in tallies.values()))
        for lay in layouts:
            cells = [pct(*t.layouts[lay]) if lay in t.layouts else "-" for t in tallies.values()
                     if len(t.layouts) > 1]
            print(f"| {lay} | " + " | ".join(cells) + " |")
    if args.verbose:
        for name, t in tallies.items():
            print(f"\n{name}:", file=sys.stderr)
            print("\n".join(t.notes), file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps({n: t.to_json() for n, t in tallies.items()}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
