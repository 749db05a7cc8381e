"""What a cohort summary adds to the per-file rows: which files count as submissions, the names shown
(paths relative to the folder given, learners), totals per criterion, similar answers grouped by learner
pair with passages as written, and one JUnit file for the cohort."""

from __future__ import annotations

import csv
import glob
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from .errors import CheckerError

READABLE = (".docx", ".docm", ".dotx")
# Files a learner may hand in that the checker cannot read: each is a row saying why and what to do.
NOT_READABLE = {
    ".doc": "a Word 97-2003 document (.doc), which cannot be checked: open it in Word and save it as .docx "
            "(File > Save As > Word Document)",
    ".odt": "an OpenDocument text (.odt), which cannot be checked: save it as .docx (in LibreOffice: File > "
            "Save As > Word 2007-365)",
    ".pdf": "a PDF, which cannot be checked: open the original in Word and save it as .docx",
    ".rtf": "a Rich Text file (.rtf), which cannot be checked: open it in Word and save it as .docx",
    ".pages": "an Apple Pages file, which cannot be checked: in Pages use File > Export To > Word to save it "
              "as .docx",
    ".txt": "a plain text file, which cannot be checked: paste it into Word and save it as .docx",
}
SUBMISSION_SUFFIXES = READABLE + tuple(NOT_READABLE)
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?", re.IGNORECASE)  # the tokens of checker.text, with positions
_MOODLE = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission", re.IGNORECASE)
PASSAGE_WORDS = 60


def not_readable_reason(path: Path) -> str | None:
    return NOT_READABLE.get(path.suffix.lower())


def _base(raw: str) -> Path:
    """The folder a path argument names: itself for a folder, the part before any wildcard for a glob."""
    if glob.has_magic(raw):
        parts = Path(raw).parts
        fixed = [p for p in parts[: next(i for i, p in enumerate(parts) if glob.has_magic(p))]]
        return Path(*fixed) if fixed else Path(".")
    p = Path(raw)
    return p if p.is_dir() else p.parent


def display_names(args: Iterable[str], files: list[Path]) -> dict[str, str]:
    """Each file's path relative to the folder (or glob) it was found through, as the summary shows it;
    the full path when two would read the same."""
    bases = [_base(a).resolve() for a in args]
    names: dict[str, str] = {}
    for f in files:
        resolved = f.resolve()
        shown = f.name
        for base in bases:
            if resolved.is_relative_to(base):
                shown = resolved.relative_to(base).as_posix()
                break
        names[str(f)] = shown
    seen: dict[str, int] = defaultdict(int)
    for shown in names.values():
        seen[shown] += 1
    return {k: (v if seen[v] == 1 else k) for k, v in names.items()}


def learner_from_name(shown: str) -> dict[str, str]:
    """A learner's name from the file's path: a Moodle download folder ("Jane Smith_123_assignsubmission_
    file_/") gives name and id; otherwise the file name, its separators read as spaces."""
    parts = Path(shown).parts
    for part in parts[:-1]:
        m = _MOODLE.match(part)
        if m:
            return {"name": m["name"].strip(), "id": m["id"]}
    return {"name": " ".join(re.split(r"[_\s]+", Path(shown).stem)).strip(), "id": ""}


def load_learners(path: str) -> dict[str, dict[str, str]]:
    """--learners CSV: a header with `file` and `name` (and optionally `id`); file is the submission's file
    name or its path as the summary shows it. Keys are lower-cased file names and paths."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
            header = [h.strip().lower() for h in (rows[0].keys() if rows else [])]
    except OSError as e:
        raise CheckerError(path, f"cannot read learners file: {e.strerror or e}") from None
    except (UnicodeDecodeError, csv.Error) as e:
        raise CheckerError(path, f"not a UTF-8 CSV file: {e}") from None
    if not rows:
        raise CheckerError(path, "no rows: expected a header line 'file,name,id' and a row per submission")
    if "file" not in header or "name" not in header:
        raise CheckerError(path, f"the header needs columns 'file' and 'name' (found: {', '.join(header)})")
    out = {}
    for row in rows:
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if row.get("file"):
            out[row["file"].replace("\\", "/").lower()] = {"name": row.get("name", ""), "id": row.get("id", "")}
    return out


def learner_for(shown: str, learners: dict[str, dict[str, str]] | None) -> dict[str, str]:
    if learners:
        for key in (shown.lower(), Path(shown).name.lower()):
            if key in learners:
                return learners[key]
    return learner_from_name(shown)


def criterion_totals(submissions: list[dict[str, Any]], ids: list[str]) -> dict[str, dict[str, int]]:
    """For each criterion, how many readable submissions met it, have a gap, or miss it."""
    totals = {cid: {"met": 0, "gap": 0, "missing": 0} for cid in ids}
    for s in submissions:
        for cid, status in s["criteria"].items():
            totals[cid][status] += 1
    return totals


def by_pair(similar: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Similar answers grouped by the two learners, with every criterion they share: one entry a pair."""
    pairs: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for p in similar:
        pairs[tuple(p["files"])].append({k: v for k, v in p.items() if k != "files"})
    out = [{"files": list(files), "similarity": max(c["similarity"] for c in crit),
            "criteria": sorted(crit, key=lambda c: (-c["similarity"], c["criterion"]))}
           for files, crit in pairs.items()]
    out.sort(key=lambda p: (-len(p["criteria"]), -p["similarity"], p["files"]))
    return out


def passage_as_written(a: str, b: str) -> str:
    """The longest run of words two answers share, quoted from the first as its learner wrote it
    (case and punctuation kept); matched on lower-cased words, so a changed capital does not split it."""
    wa, wb = list(_WORD.finditer(a)), list(_WORD.finditer(b))
    ta, tb = [m.group(0).lower() for m in wa], [m.group(0).lower() for m in wb]
    match = SequenceMatcher(None, ta, tb, autojunk=False).find_longest_match(0, len(ta), 0, len(tb))
    if not match.size:
        return ""
    first, last = wa[match.a], wa[match.a + min(match.size, PASSAGE_WORDS) - 1]
    end = last.end()
    if match.size <= PASSAGE_WORDS:  # keep the punctuation that closes the last word ("end.", "end,")
        while end < len(a) and a[end] in ".,;:!?)”’\"'" and (end - last.end()) < 2:
            end += 1
    text = " ".join(a[first.start() : end].split())
    return text + (" …" if match.size > PASSAGE_WORDS else "")


def write_junit(data: dict[str, Any], f: TextIO) -> None:
    """One JUnit file for the cohort: a testsuite per learner, a testcase per criterion (a failure for each
    gap or missing answer, an error for an unreadable file). Written a suite at a time."""
    subs = data["submissions"]
    ids = data["criteria"]
    fails = sum(len([c for c in s["criteria"].values() if c != "met"]) for s in subs)
    errors = sum(s["status"] == "unreadable" for s in subs)
    tests = sum(len(s["criteria"]) or 1 for s in subs)
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    f.write(f'<testsuites name="checker {_attr(data["pack"]["id"])}" tests="{tests}" failures="{fails}" '
            f'errors="{errors}">\n')
    pack_id = data["pack"]["id"]
    for s in subs:
        learner = s.get("learner") or {}
        suite = ET.Element("testsuite", name=learner.get("name") or s["path"], tests="0", failures="0",
                           errors="0", skipped="0")
        props = ET.SubElement(suite, "properties")
        for name, value in (("file", s["path"]), ("learner.id", learner.get("id", "")),
                            ("submission.sha256", s.get("sha256", "")), ("checker.version", __version__),
                            ("pack.sha256", data["pack"].get("sha256", ""))):
            if value:
                ET.SubElement(props, "property", name=name, value=value)
        n = bad = err = 0
        if s["status"] == "unreadable":
            case = ET.SubElement(suite, "testcase", classname=pack_id, name="read submission", file=s["path"])
            ET.SubElement(case, "error", type="unreadable", message=s["error"]).text = s["error"]
            n, err = 1, 1
        for cid in ids:
            status = s["criteria"].get(cid)
            if status is None:
                continue
            n += 1
            case = ET.SubElement(suite, "testcase", classname=f"{pack_id}.{cid}", name=cid, file=s["path"])
            if status != "met":
                bad += 1
                codes = s["gaps"].get(cid) or ["missing-section"]
                messages = s.get("messages", {}).get(cid) or codes
                ET.SubElement(case, "failure", type=codes[0], message="; ".join(messages)).text = "\n".join(messages)
        suite.set("tests", str(n))
        suite.set("failures", str(bad))
        suite.set("errors", str(err))
        ET.indent(suite, "  ", level=1)
        f.write("  " + ET.tostring(suite, encoding="unicode") + "\n")
    f.write("</testsuites>\n")


def _attr(text: str) -> str:  # mirrors xml.sax.saxutils.quoteattr without the quotes
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
