"""The internal quality assurance (IQA) sample, drawn from a batch's summary.json and its assessors' decisions.

A sample row is one submission as one assessor decided it. The draw, for `size` rows:
1. every assessor gets one row (their highest-priority submission), so no one goes unsampled;
2. then decisions the checker disagrees with, most disagreements first, taking assessors in turn;
3. then submissions where the checker flags the criteria it flags most often for that assessor, in turn;
4. then a seeded random remainder.
Ties are broken by a key drawn from `random.Random(seed)` over the pairs in sorted order: the same summary
and seed give the same sample, on any machine.
"""

from __future__ import annotations

import csv
import json
import random
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, TextIO

from .errors import CheckerError

TIERS = ("disagreement", "most-flagged", "random")
SHOW = 3  # criteria named per most-flagged row: enough to direct the IQA, few enough to read


def load_summary(out: str | Path) -> dict[str, Any]:
    """summary.json of a batch (OUT may be the folder or the file itself), with assessors' decisions."""
    p = Path(out)
    path = p / "summary.json" if p.is_dir() else p
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CheckerError(path, "no batch summary here: run checker batch ... --out OUT first") from None
    except (OSError, UnicodeDecodeError) as e:
        raise CheckerError(path, f"cannot read the batch summary: {getattr(e, 'strerror', None) or e}") from None
    except json.JSONDecodeError as e:
        raise CheckerError(path, f"not a batch summary (invalid JSON: {e.msg})", e.lineno) from None
    if not isinstance(data, dict) or data.get("schema") != "checker.batch/1":
        raise CheckerError(path, "not a batch summary (schema checker.batch/1)")
    if not data.get("agreement", {}).get("decisions"):
        raise CheckerError(path, "no assessors' decisions in this batch: run checker batch with --decisions FILE.csv")
    return data


def _describe(rows: list[dict[str, Any]], flags: Counter, decided: Counter, seed: int) -> dict[str, Any]:
    """Tier, priority and reason for one (submission, assessor) pair."""
    assessor = rows[0]["assessor"]
    against = [r for r in rows if not r["agree"]]
    if against:
        why = "; ".join(f"{r['criterion']}: assessor {r['decision']}, checker {r['checker']}" for r in against)
        return {"tier": 0, "score": (-len(against),), "criteria": [r["criterion"] for r in against],
                "why": f"the checker disagrees with {len(against)} decision(s): {why}"}
    flagged = sorted((r["criterion"] for r in rows if r["checker"] != "met"), key=lambda c: (-flags[c], c))
    if flagged:
        top = flagged[:SHOW]
        why = "; ".join(f"{c} flagged in {flags[c]} of {decided[c]} of {assessor}'s decisions" for c in top)
        return {"tier": 1, "score": (-flags[top[0]], -sum(flags[c] for c in top)), "criteria": top,
                "why": f"criteria the checker flags most often for this assessor: {why}"}
    return {"tier": 2, "score": (), "criteria": [r["criterion"] for r in rows],
            "why": f"random (seed {seed}): the checker agrees with every decision here"}


def draw(data: dict[str, Any], size: int, seed: int = 0) -> list[dict[str, Any]]:
    """The sample: rows of submission, assessor, criteria, chosen (the tier) and why, in priority order."""
    if size < 1:
        raise CheckerError("--size", f"must be at least 1, not {size}")
    pairs: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in data["agreement"]["decisions"]:
        pairs[(r["submission"], r["assessor"])].append(r)
    assessors = sorted({a for _, a in pairs})
    if size < len(assessors):
        raise CheckerError("--size", f"{size} is fewer than the {len(assessors)} assessors: every assessor "
                                     "must be sampled at least once")
    rng = random.Random(seed)
    keys = sorted(pairs)
    tiebreak = {k: rng.random() for k in keys}
    flags: dict[str, Counter] = defaultdict(Counter)
    decided: dict[str, Counter] = defaultdict(Counter)
    for (_, a), rows in pairs.items():
        for r in rows:
            decided[a][r["criterion"]] += 1
            flags[a][r["criterion"]] += r["checker"] != "met"
    info = {k: _describe(pairs[k], flags[k[1]], decided[k[1]], seed) for k in keys}
    queues = {a: sorted((k for k in keys if k[1] == a), key=lambda k: (info[k]["tier"], info[k]["score"], tiebreak[k]))
              for a in assessors}

    chosen: list[tuple[str, str]] = []
    taken: set[tuple[str, str]] = set()

    def take(k: tuple[str, str]) -> None:
        chosen.append(k)
        taken.add(k)

    for a in assessors:  # 1. everyone is represented
        take(queues[a][0])
    for tier in (0, 1):  # 2, 3. assessors in turn, each one's best remaining pair of this tier
        while len(chosen) < size:
            progress = False
            for a in assessors:
                nxt = next((k for k in queues[a] if k not in taken and info[k]["tier"] == tier), None)
                if nxt is not None and len(chosen) < size:
                    take(nxt)
                    progress = True
            if not progress:
                break
    rest = sorted((k for k in keys if k not in taken), key=lambda k: tiebreak[k])  # 4. seeded random remainder
    for k in rest[: max(0, size - len(chosen))]:
        take(k)

    first = {a: queues[a][0] for a in assessors}
    order = {k: i for i, k in enumerate(chosen)}
    out = []
    for k in sorted(chosen, key=lambda k: (info[k]["tier"], order[k])):
        why = info[k]["why"]
        if info[k]["tier"] == 2 and first[k[1]] == k:
            why = f"random among {k[1]}'s submissions (seed {seed}), so that every assessor is sampled"
        out.append({"submission": k[0], "assessor": k[1], "criteria": " ".join(info[k]["criteria"]),
                    "chosen": TIERS[info[k]["tier"]], "why": why})
    return out


def _cell(value: str) -> str:
    """A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is quoted (OWASP CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def write_sample(rows: list[dict[str, Any]], f: TextIO) -> None:
    w = csv.DictWriter(f, fieldnames=["submission", "assessor", "criteria", "chosen", "why"], lineterminator="\n")
    w.writeheader()
    w.writerows({k: _cell(v) for k, v in r.items()} for r in rows)


def pairs_available(data: dict[str, Any]) -> int:
    return len({(r["submission"], r["assessor"]) for r in data["agreement"]["decisions"]})


def run_sample(out: str, size: int, seed: int, output: str | None) -> int:
    """`checker sample`: the sample as CSV on standard output or in a file; a one-line account on stderr."""
    import io
    import sys

    data = load_summary(out)
    rows = draw(data, size, seed)
    buf = io.StringIO()
    write_sample(rows, buf)
    if output and output != "-":
        try:
            Path(output).write_text(buf.getvalue(), encoding="utf-8", newline="")
        except OSError as e:
            raise CheckerError(output, f"cannot write the sample: {e.strerror or e}") from None
    else:
        sys.stdout.write(buf.getvalue())
    tiers = Counter(r["chosen"] for r in rows)
    available = pairs_available(data)
    short = f" (only {available} submission-assessor pairs exist)" if size > available else ""
    print(f"sampled {len(rows)} of {available}{short}: " + ", ".join(f"{tiers[t]} {t}" for t in TIERS)
          + f"; {len({r['assessor'] for r in rows})} assessor(s); seed {seed}"
          + (f"; written to {output}" if output and output != "-" else ""), file=sys.stderr)
    return 0
