"""Assessors' decisions beside the checker's verdicts: how far they agree, per criterion and per assessor.

The decisions file is a CSV an assessor or a centre's system writes (`submission,criterion,decision,assessor`,
optional `date,note`). It is read once, before the batch runs, so a malformed file costs nothing; it is never
written to. Everything below works on plain data (the summary dict of a batch), so it can be tested, and
re-run from a summary.json, without checking a document.

Agreement is on two classes: the checker's `met` against `gap` or `missing` (both "not met"), and the
assessor's `met` against `not-met`. Cohen's kappa is computed with fractions, so a table's kappa is exact;
see `kappa` for the cases where it is undefined.
"""

from __future__ import annotations

import csv
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from .errors import CheckerError
from .result import CriterionResult

REQUIRED = ("submission", "criterion", "decision", "assessor")
OPTIONAL = ("date", "note")
# What a person types for "not met" in a spreadsheet; the contract's spelling is `not-met`.
DECISIONS = {"met": "met", "not-met": "not-met", "not met": "not-met", "not_met": "not-met", "notmet": "not-met"}
EVIDENCE_CHARS = 300  # per criterion, kept in a batch row: a few KB per submission at most
QUOTE_CHARS = 100  # of the learner's words per finding, so that a second finding still shows


@dataclass(frozen=True, slots=True)
class Decision:
    """One row of the decisions file, as written (the submission not yet matched to the batch)."""

    line: int
    submission: str
    criterion: str
    decision: str  # met | not-met
    assessor: str
    date: str = ""
    note: str = ""


# --- reading the file -------------------------------------------------------------------------------


def read_decisions(path: str | os.PathLike[str]) -> list[Decision]:
    """Parse a decisions CSV; any problem is one CheckerError naming the file and the line."""
    p = Path(path)
    try:
        raw = p.read_bytes()  # read only; the file is never opened for writing
    except OSError as e:
        raise CheckerError(p, f"cannot read the decisions file: {e.strerror or e}") from None
    try:
        text = raw.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte-order mark
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise CheckerError(p, "not UTF-8 text: save the decisions as CSV UTF-8", line) from None
    return parse_decisions(text, str(p))


def _delimiter(first_line: str) -> str:
    """Commas, unless the header plainly uses semicolons or tabs (spreadsheets in some locales do)."""
    if "," not in first_line:
        for d in (";", "\t"):
            if d in first_line:
                return d
    return ","


def parse_decisions(text: str, name: str = "decisions.csv") -> list[Decision]:
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise CheckerError(name, "not a CSV file (it contains NUL bytes)", text[: text.index("\x00")].count("\n") + 1)
    lines = text.splitlines(keepends=True)
    if not any(line.strip() for line in lines):
        raise CheckerError(name, f"empty: expected a header row {','.join(REQUIRED)}", 1)
    reader = csv.reader(lines, delimiter=_delimiter(lines[0]), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
        _check_header(header, name)
        out: list[Decision] = []
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue  # a blank line, or a spreadsheet's empty row of commas
            out.append(_decision(header, row, name, line))
    except csv.Error as e:
        raise CheckerError(name, f"not valid CSV: {e}", reader.line_num or 1) from None
    if not out:
        raise CheckerError(name, "has a header but no decisions", 1)
    return out


def _check_header(header: list[str], name: str) -> None:
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise CheckerError(name, f"missing column(s) {', '.join(missing)}: the header must name "
                                 f"{','.join(REQUIRED)} (optional: {','.join(OPTIONAL)})", 1)
    known = set(REQUIRED) | set(OPTIONAL)
    for h in header:
        if h and h not in known:
            raise CheckerError(name, f"unknown column {h!r}: the columns are {','.join(REQUIRED)} "
                                     f"and optionally {','.join(OPTIONAL)}", 1)
    twice = sorted({h for h in header if h and header.count(h) > 1})
    if twice:
        raise CheckerError(name, f"column {twice[0]!r} appears twice", 1)


def _decision(header: list[str], row: list[str], name: str, line: int) -> Decision:
    if len(row) > len(header) and any(cell.strip() for cell in row[len(header):]):
        raise CheckerError(name, f"{len(row)} fields where the header has {len(header)} "
                                 "(a comma inside a note needs the note in double quotes)", line)
    cells = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header) if h}
    for col in REQUIRED:
        if not cells[col]:
            raise CheckerError(name, f"empty {col}", line)
    decision = DECISIONS.get(" ".join(cells["decision"].lower().split()))
    if decision is None:
        raise CheckerError(name, f"decision {cells['decision']!r} is not met or not-met", line)
    return Decision(line, cells["submission"], cells["criterion"], decision, cells["assessor"],
                    cells.get("date", ""), cells.get("note", ""))


# --- matching decisions to the batch -----------------------------------------------------------------


def _index(submissions: list[dict[str, Any]]) -> dict[str, list[int]]:
    """Every name a decision may use for a submission: its path as listed, its file name, its sha256."""
    keys: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(submissions):
        path = s["path"]
        names = {path, os.path.normpath(path), Path(path).name}
        if s.get("sha256"):
            names.add(s["sha256"].lower())
        for k in names:
            keys[k].append(i)
    return keys


def _lookup(keys: dict[str, list[int]], name: str) -> list[int]:
    for k in (name, os.path.normpath(name), name.lower()):
        if k in keys:
            return keys[k]
    return []


def match(decisions: Iterable[Decision], data: dict[str, Any], source: str = "decisions.csv",
          ) -> tuple[list[dict[str, Any]], list[str]]:
    """Join each decision to the checker's verdict. Returns (joined decisions, warnings): every decision
    not used is a warning naming its line, never dropped silently."""
    subs = data["submissions"]
    keys = _index(subs)
    criteria = set(data["criteria"])
    warnings: list[str] = []
    joined: dict[tuple[str, str, str], dict[str, Any]] = {}
    for d in decisions:
        where = f"{source}:{d.line}"
        found = _lookup(keys, d.submission)
        if not found:
            warnings.append(f"{where}: no submission {d.submission!r} in this batch (give its path, file name "
                            "or sha256); decision not counted")
            continue
        if len(found) > 1:
            warnings.append(f"{where}: {d.submission!r} names {len(found)} submissions; give the path or sha256; "
                            "decision not counted")
            continue
        s = subs[found[0]]
        if d.criterion not in criteria:
            warnings.append(f"{where}: criterion {d.criterion!r} is not in pack {data['pack']['id']}; "
                            "decision not counted")
            continue
        if s["status"] == "unreadable":
            warnings.append(f"{where}: {s['path']} could not be read, so the checker has no verdict to compare; "
                            "decision not counted")
            continue
        key = (s["path"], d.criterion, d.assessor)
        if key in joined:
            warnings.append(f"{where}: replaces line {joined[key]['line']} (same submission, criterion and "
                            "assessor): the later decision counts")
        checker = s["criteria"][d.criterion]
        joined[key] = {"submission": s["path"], "criterion": d.criterion, "assessor": d.assessor,
                       "decision": d.decision, "checker": checker,
                       "agree": (checker == "met") == (d.decision == "met"),
                       "date": d.date, "note": d.note, "line": d.line}
    order = {cid: i for i, cid in enumerate(data["criteria"])}
    paths = {s["path"]: i for i, s in enumerate(subs)}
    rows = sorted(joined.values(), key=lambda r: (paths[r["submission"]], order[r["criterion"]], r["assessor"]))
    return rows, warnings


# --- agreement ---------------------------------------------------------------------------------------


def kappa(table: tuple[int, int, int, int]) -> tuple[Fraction | None, str]:
    """Cohen's kappa of a 2x2 table (both met, checker met / assessor not, checker not / assessor met,
    both not met), exactly, with a note when it is undefined.

    kappa = (p_o - p_e) / (1 - p_e): p_o the share of agreements, p_e the share expected by chance from
    each side's own rate of "met". It is undefined (0/0) only when p_e = 1, that is when the checker and
    the assessors gave one and the same class to every decision: they agree, but nothing says it is more
    than chance. We report null then, not 1; n and agree still show the agreement. When one side alone
    used one class, kappa is defined (0 if the other side's decisions fall evenly, see the tests).
    """
    mm, mn, nm, nn = table
    n = mm + mn + nm + nn
    if n == 0:
        return None, "no decisions"
    p_o = Fraction(mm + nn, n)
    checker_met, assessor_met = Fraction(mm + mn, n), Fraction(mm + nm, n)
    p_e = checker_met * assessor_met + (1 - checker_met) * (1 - assessor_met)
    if p_e == 1:
        said = "met" if mm else "not met"
        return None, f"undefined: the checker and the assessor(s) said {said} for every decision"
    return (p_o - p_e) / (1 - p_e), ""


def _stats(rows: list[dict[str, Any]]) -> dict[str, Any]:
    mm = sum(r["checker"] == "met" and r["decision"] == "met" for r in rows)
    mn = sum(r["checker"] == "met" and r["decision"] != "met" for r in rows)
    nm = sum(r["checker"] != "met" and r["decision"] == "met" for r in rows)
    nn = len(rows) - mm - mn - nm
    k, note = kappa((mm, mn, nm, nn))
    out: dict[str, Any] = {
        "n": len(rows), "agree": mm + nn,
        "kappa": None if k is None else round(float(k), 4),
        "kappa_exact": None if k is None else str(k),  # "2/5", "-1", "0"
        # rows: the checker met / not met; columns: the assessor met / not met
        "table": {"checker_met": {"assessor_met": mm, "assessor_not_met": mn},
                  "checker_not_met": {"assessor_met": nm, "assessor_not_met": nn}},
    }
    if note:
        out["kappa_note"] = note
    return out


def agreement(rows: list[dict[str, Any]], criteria: list[str]) -> dict[str, Any]:
    """Agreement overall, per criterion (pack order) and per assessor (by name)."""
    by_c: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_a: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_c[r["criterion"]].append(r)
        by_a[r["assessor"]].append(r)
    return {"overall": _stats(rows),
            "by_criterion": {cid: _stats(by_c[cid]) for cid in criteria if cid in by_c},
            "by_assessor": {name: _stats(by_a[name]) for name in sorted(by_a)}}


def disagreements(rows: list[dict[str, Any]], evidence: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """Each decision the checker differs on, with what the checker found (its evidence)."""
    out = []
    for r in rows:
        if r["agree"]:
            continue
        kind = "assessor met, checker found a gap" if r["decision"] == "met" else \
            "assessor not met, checker found it met"
        out.append({"submission": r["submission"], "criterion": r["criterion"], "assessor": r["assessor"],
                    "decision": r["decision"], "checker": r["checker"], "kind": kind,
                    "evidence": evidence.get(r["submission"], {}).get(r["criterion"], ""), "note": r["note"]})
    return out


def add_agreement(data: dict[str, Any], decisions: list[Decision], evidence: list[dict[str, str]],
                  source: str = "decisions.csv") -> list[str]:
    """Add `agreement` to a batch summary (in place); returns the warnings, which it also records.
    `evidence` is the checker's reason per criterion, one dict per submission in the summary's order."""
    rows, warnings = match(decisions, data, source)
    result = agreement(rows, data["criteria"])
    result["source"] = source
    by_path = {s["path"]: ev for s, ev in zip(data["submissions"], evidence, strict=True)}
    result["disagreements"] = disagreements(rows, by_path)
    result["decisions"] = [{k: v for k, v in r.items() if k != "line"} for r in rows]
    result["warnings"] = warnings
    data["agreement"] = result
    return warnings


# --- what a batch row keeps --------------------------------------------------------------------------


def brief(c: CriterionResult) -> str:
    """The checker's reason for a criterion's status in a line, for a disagreement's evidence."""
    if c.status == "met":
        if c.section is None:
            return "met"
        text = f"met: answer found under {c.section.heading!r} ({c.section.located_by}, {c.section.words} words)"
        if c.items:
            text += "; items: " + ", ".join(c.items)
    else:
        parts = []
        for f in c.findings:
            if f.severity == "gap":
                quote = f' "{_clip(f.evidence[0], QUOTE_CHARS)}"' if f.evidence else ""
                parts.append(f"{f.code}: {f.message}{quote}")
        text = "; ".join(parts) or c.status
    return _clip(text, EVIDENCE_CHARS)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
