"""Batch runs: a cohort in one command, in parallel, with a summary an assessor can act on.

The per-file job (`check_bytes`) is a pure function of (file bytes, pack): workers load the pack and
pipeline once, read one file, and return small, picklable rows, so the same job can move to a
distributed engine unchanged. At most a few files per worker are in flight, so memory stays flat
however many files there are.
"""

from __future__ import annotations

import argparse
import csv
import glob
import hashlib
import json
import multiprocessing
import os
import re
import stat
import sys
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import numpy

from . import cohort, resume
from .config import exit_code, load_config
from .decisions import add_agreement, brief, read_decisions
from .errors import CheckerError
from .outputs import atomic_open, check_folder, write_text
from .packs import ResolvedPack, load_pack
from .result import Result, supported_grade
from .safetext import csv_cell, escape_controls
from .text import stem, tokens

SUFFIXES = cohort.SUBMISSION_SUFFIXES  # in a folder, every file that looks like a submission is a row
SHINGLE = 5  # five-word runs: two learners rarely share one by chance
SIMILAR = 0.5  # share of the smaller answer's runs found in the other's
MAX_PAIRS = 50  # similar pairs listed per criterion
KEEP = 4  # keep one run hash in four (by value): a quarter of the memory, the same verdicts


@dataclass(slots=True)
class Row:
    """What the summary needs of one submission, kept small (a few KB) so that a cohort of any size
    fits: no document text, statuses as letters, gap reasons only where there are gaps."""

    path: str
    name: str
    status: str  # met | gap | unreadable
    statuses: str = ""  # one letter per criterion, in the pack's order: m(et), g(ap), x (missing)
    reasons: dict[str, tuple[str, ...]] = field(default_factory=dict)  # only criteria with gaps
    words: int = 0
    error: str = ""
    reports: dict[str, str] = field(default_factory=dict)  # format -> file name written
    sha256: str = ""  # assessors' decisions may name a submission by it
    messages: dict[str, tuple[str, ...]] = field(default_factory=dict)  # gap messages, for the cohort JUnit
    fingerprints: dict[str, array] = field(default_factory=dict)  # sorted uint32 run hashes per criterion
    evidence: dict[str, str] = field(default_factory=dict)  # criterion -> the checker's reason, one short line

    def criteria(self, ids: list[str]) -> dict[str, str]:
        return {cid: _STATUS[ch] for cid, ch in zip(ids, self.statuses, strict=False)}


_STATUS = {"m": "met", "g": "gap", "x": "missing"}


def _glob(pattern: str) -> list[Path]:
    """Matches of a glob pattern; `**` does not descend into symlinked folders (glob.glob's does, so a link
    loop counted one file dozens of times, and two loops made the walk explode)."""
    parts = Path(pattern).parts
    magic = next((i for i, part in enumerate(parts) if glob.has_magic(part)), len(parts))
    if magic == len(parts):
        return [Path(pattern)] if os.path.lexists(pattern) else []
    root = Path(*parts[:magic]) if magic else Path(".")
    return sorted(root.glob(str(Path(*parts[magic:]))))


def _identity(path: Path) -> object:
    """One key per file however it is reached (symlinks, hard links, ./a and a); the path if it cannot be read."""
    try:
        st = path.stat()
    except OSError:
        return str(path)
    return (st.st_dev, st.st_ino) if stat.S_ISREG(st.st_mode) else str(path)


def collect(paths: Iterable[str]) -> list[Path]:
    """Folders (recursively, symlinked folders inside not followed), globs and files, in a stable order, each
    file once however it is reached; Word's ~$ lock files are skipped."""
    out: dict[object, Path] = {}
    for raw in paths:
        matches = _glob(raw)
        if not matches and not glob.has_magic(raw):
            matches = [Path(raw)]  # a named file that is not there: reported as unreadable
        for p in matches:
            found = sorted(q for q in p.rglob("*") if q.suffix.lower() in SUFFIXES) if p.is_dir() else [p]
            for q in found:
                if not q.name.startswith("~$"):
                    out.setdefault(_identity(q), q)
    return list(out.values())


def fingerprints(text: str, exclude: frozenset[int]) -> array:
    words = [stem(t) for t in tokens(text)]
    # crc32, not hash(): the same in every worker process whatever its hash seed
    runs = {zlib.crc32(" ".join(words[i : i + SHINGLE]).encode()) for i in range(len(words) - SHINGLE + 1)}
    return array("I", sorted(h for h in runs if h % KEEP == 0 and h not in exclude))  # 4 bytes a run


def guidance_fingerprints(pack: ResolvedPack) -> dict[str, frozenset[int]]:
    """Runs of the unit's own words: answers that both copy the guidance are not copying each other."""
    return {c.id: frozenset(fingerprints(f"{c.text}\n{c.guidance}", frozenset())) for c in pack.criteria}


# --- the per-file job -----------------------------------------------------------------------------

_STATE: dict[str, Any] = {}


def _init_worker(pack_ref: str, formats: tuple[str, ...], audience: str, out_dir: str) -> None:
    from .nlp import pipeline

    if _STATE.get("init") == (pack_ref, formats, audience, out_dir):
        return  # forked from a parent that loaded it all already
    _STATE["init"] = (pack_ref, formats, audience, out_dir)
    pack = load_pack(pack_ref)
    pipeline(pack)  # compile the matchers once per worker
    _STATE.update(pack=pack, formats=formats, audience=audience, out=Path(out_dir),
                  exclude=guidance_fingerprints(pack))


def check_bytes(data: bytes, name: str, pack: ResolvedPack) -> tuple[Result, dict[str, str]]:
    """The pure job: (file bytes, pack) -> (Result, sections by criterion) — no file system access."""
    from .engine import evaluate, unreadable
    from .reader import read
    from .sections import locate

    try:
        doc = read(name, data)
    except CheckerError as e:
        return unreadable(name, pack, e.reason), {}
    found = locate(doc, pack)
    return evaluate(doc, pack, found), {cid: s.text for cid, s in found.sections.items()}


def _read(path: str) -> bytes | str:
    """A submission's bytes through the safe opener `check` uses (read-only, bounded, no pipes or devices),
    or the reason it cannot be read."""
    from .safeopen import read_file

    try:
        return read_file(path)
    except CheckerError as e:
        return e.reason


def _job(path: str, report_name: str) -> Row:
    """The local pool's job: the worker reads the file and writes its reports itself."""
    row, rendered = _check_row(_read(path), path, report_name)
    out: Path = _STATE["out"]
    for fname, text in rendered.items():
        write_text(out / fname, text)
    return row


def _check_row(data: bytes | str, path: str, report_name: str) -> tuple[Row, dict[str, str]]:
    """(file bytes or why they could not be read) -> the summary's row and the rendered reports by file name;
    no file system access, so a worker on another machine runs it unchanged."""
    from .engine import unreadable
    from .report import render
    from .runtime import gc_paused

    pack: ResolvedPack = _STATE["pack"]
    if isinstance(data, str):
        result, texts = unreadable(path, pack, data), {}
    else:
        try:
            with gc_paused():
                result, texts = check_bytes(data, path, pack)
        except Exception as e:  # a bug on one odd file must not cost the cohort its summary
            reason = f"the check failed ({type(e).__name__}); please report this file"
            result, texts = unreadable(path, pack, reason), {}
        del data
    row = Row(path=path, name=report_name, status="unreadable" if result.errors else ("met" if result.ok else "gap"),
              words=result.words, sha256=result.sha256,
              error=result.errors[0].message if result.errors else "",
              evidence={c.id: brief(c) for c in result.criteria})
    row.statuses = "".join("x" if c.status == "missing" else c.status[0] for c in result.criteria)
    for c in result.criteria:
        gaps = tuple(f.code for f in c.findings if f.severity == "gap")
        if gaps:
            row.reasons[c.id] = gaps
            row.messages[c.id] = tuple(f.message for f in c.findings if f.severity == "gap")
    exclude = _STATE["exclude"]
    row.fingerprints = {cid: fingerprints(text, exclude.get(cid, frozenset())) for cid, text in texts.items()}
    rendered = {}
    for fmt in _STATE["formats"]:
        suffix = {"html": "html", "json": "json", "markdown": "md", "junit": "xml", "text": "txt"}[fmt]
        fname = f"{report_name}.{suffix}"
        rendered[fname] = render([result], fmt, _STATE["audience"])
        row.reports[fmt] = fname
    return row, rendered


LOST = "the check stopped its worker process twice (killed, perhaps for using too much memory)"


def _lost_row(path: str, report_name: str) -> Row:
    return Row(path=path, name=report_name, status="unreadable", error=LOST)


def _lost_texts(path: str, cids: frozenset[str]) -> tuple[str, dict[str, str]]:
    return path, {}


def _lost_remote(data: bytes | str, path: str, report_name: str) -> tuple[Row, dict[str, str]]:
    return _lost_row(path, report_name), {}


def _lost_remote_texts(data: bytes | str, path: str, cids: frozenset[str]) -> tuple[str, dict[str, str]]:
    return path, {}


RESERVED = frozenset({"summary"})  # summary.html, .csv, .json: the cohort's, never a learner's report
MAX_NAME_BYTES = 150  # a file name is at most 255 bytes; leave room for the suffix and the hash


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _short(stem: str) -> str:
    """The stem cut to MAX_NAME_BYTES of UTF-8 at a character boundary, control characters (a newline in a
    learner's file name) as "_": a report name never carries them into the output folder or a script."""
    cut = _CONTROL.sub("_", stem).encode("utf-8", "surrogateescape")[:MAX_NAME_BYTES]
    return cut.decode("utf-8", "ignore") or "report"


def report_names(files: list[Path]) -> list[str]:
    """A unique, readable report name per submission: the same name in two folders (or in another case, for
    case-blind file systems), a name too long for the file system, or a learner's "summary" get a suffix."""
    stems = [_short(f.stem) for f in files]
    counts = Counter(s.casefold() for s in stems)
    return [stem if counts[stem.casefold()] == 1 and stem == f.stem and stem.casefold() not in RESERVED
            else f"{stem}-{hashlib.sha1(str(f).encode('utf-8', 'surrogateescape')).hexdigest()[:6]}"
            for f, stem in zip(files, stems, strict=True)]


class Runner:
    """Runs jobs in this process (--jobs 1) or in forked workers that start with the pack and
    pipeline already loaded, yielding results as they finish with a bounded number in flight."""

    def __init__(self, init: tuple[str, tuple[str, ...], str, str], jobs: int) -> None:
        _init_worker(*init)  # once here: forked workers inherit it
        self.init = init
        self.jobs = jobs
        self.pool: ProcessPoolExecutor | None = self._pool(jobs) if jobs > 1 else None

    def _pool(self, workers: int) -> ProcessPoolExecutor:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                                   initargs=self.init)

    def map(self, fn: Callable[..., Any], items: Iterable[tuple[Any, ...]],
            lost: Callable[..., Any] | None = None) -> Iterator[Any]:
        """fn(*args) for each item, as they finish. A worker killed mid-job (OOM killer, SIGKILL) breaks the
        pool and every job in flight: the pool is replaced, each of those jobs is run again alone in a fresh
        worker, and one that kills that worker too gives lost(*args) instead of ending the run."""
        if self.pool is None:
            return (fn(*args) for args in items)
        return self._pooled(fn, iter(items), lost)

    def _pooled(self, fn: Callable[..., Any], items: Iterator[tuple[Any, ...]],
                lost: Callable[..., Any] | None) -> Iterator[Any]:
        pending: dict[Future, tuple[Any, ...]] = {}
        broken: list[tuple[Any, ...]] = []
        more = True
        while more or pending:
            while more and len(pending) < self.jobs * 4 and not broken:  # a bounded number in flight
                args = next(items, None)
                if args is None:
                    more = False
                    break
                try:
                    pending[self.pool.submit(fn, *args)] = args  # type: ignore[union-attr]
                except BrokenProcessPool:
                    broken.append(args)
            if pending:
                done, _ = wait(pending, return_when=ALL_COMPLETED if broken else FIRST_COMPLETED)
                for future in done:
                    args = pending.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        broken.append(args)
                        continue
                    yield result
            if broken and not pending:  # every job of the broken pool has answered: retry its lost ones
                self.pool.shutdown(wait=True)  # type: ignore[union-attr]
                self.pool = self._pool(self.jobs)
                for args in broken:
                    yield self._alone(fn, args, lost)
                broken = []

    def _alone(self, fn: Callable[..., Any], args: tuple[Any, ...], lost: Callable[..., Any] | None) -> Any:
        with self._pool(1) as pool:
            try:
                return pool.submit(fn, *args).result()
            except BrokenProcessPool:
                if lost is None:
                    raise
                return lost(*args)

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool:
            self.pool.shutdown(cancel_futures=True)


def _to_check(files: list[Path], names: list[str], remote: bool, done: resume.Done | None,
              resumed: list[Row], tick: Callable[[], None]) -> Iterator[tuple[Any, ...]]:
    """The jobs still to run, read lazily (so a cluster's driver holds only the bytes in flight): a remote
    runner gets each file's bytes; with --resume a file whose recorded row matches its sha256 is skipped."""
    for path, name in zip(map(str, files), names, strict=True):
        data = _read(path) if remote or done is not None else None
        if done is not None and isinstance(data, bytes):
            row = done.get(path, name, hashlib.sha256(data).hexdigest())
            if row is not None:
                resumed.append(row)
                tick()
                continue
        yield (data, path, name) if remote else (path, name)


def run_rows(runner: Runner, files: list[Path], progress: bool = False, out: Path | None = None,
             journal: resume.Journal | None = None, done: resume.Done | None = None) -> list[Row]:
    """Every file's row. A remote runner returns the rendered reports, written here into `out`; each row is
    recorded in the journal once its reports are written, so a stopped run can be resumed."""
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(files), unit="file", file=sys.stderr)
    remote = getattr(runner, "remote", False)
    rows: list[Row] = []
    items = _to_check(files, report_names(files), remote, done, rows, bar.update if bar else lambda: None)
    try:
        for answer in runner.map(_check_row if remote else _job, items, lost=_lost_remote if remote else _lost_row):
            if remote:
                row, rendered = answer
                for fname, text in rendered.items():
                    write_text(out / fname, text)  # type: ignore[operator]
            else:
                row = answer
            if journal is not None:
                journal.add(row)
            rows.append(row)
            if bar:
                bar.update()
    finally:
        if bar:
            bar.close()
    order = {str(f): i for i, f in enumerate(files)}
    return sorted(rows, key=lambda r: order[r.path])


# --- cross-submission originality ------------------------------------------------------------------


def similar_pairs(rows: list[Row]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Answers to the same criterion that two learners share most of (guidance text excluded), and per
    criterion how many more pairs there were than are listed."""
    flagged = []
    by_criterion: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        for cid in r.fingerprints:
            by_criterion[cid].append(r)
    for cid, group in by_criterion.items():
        # One criterion at a time, as numpy arrays (12 bytes a run, not a dict entry of ~100).
        prints = [numpy.frombuffer(r.fingerprints[cid], dtype=numpy.uint32) for r in group]
        owners = numpy.repeat(numpy.arange(len(group)), [len(p) for p in prints])
        hashes = numpy.concatenate(prints) if prints else numpy.zeros(0, numpy.uint32)
        order = numpy.argsort(hashes, kind="stable")
        hashes, owners = hashes[order], owners[order]
        _values, starts, counts = numpy.unique(hashes, return_index=True, return_counts=True)
        # Runs in more than half of a large cohort are a template or brief, not copying.
        limit = max(2, len(group) // 2) if len(group) >= 6 else len(group) + 1
        common = numpy.repeat(counts >= limit, counts)
        size = numpy.bincount(owners[~common], minlength=len(group))
        shared: Counter = Counter()
        for start, n in zip(starts.tolist(), counts.tolist(), strict=True):
            if 2 <= n < min(limit, 20):  # a run in many answers is a stock phrase: it says nothing of a pair
                members = owners[start : start + n].tolist()
                shared.update((a, b) for x, a in enumerate(members) for b in members[x + 1 :] if a != b)
        for (a, b), n in shared.items():
            smaller = min(size[a], size[b])
            if smaller >= 3 and n / smaller >= SIMILAR:
                first, second = sorted((a, b))
                flagged.append({"criterion": cid, "files": [group[first].path, group[second].path],
                                "similarity": round(float(n / smaller), 2)})
    flagged.sort(key=lambda f: (-f["similarity"], f["criterion"], f["files"]))
    # A model answer passed round a class makes every pair of its copies a pair: list the closest
    # pairs of each criterion, and say how many more there are.
    shown: Counter = Counter()
    out = []
    for pair in flagged:
        shown[pair["criterion"]] += 1
        if shown[pair["criterion"]] <= MAX_PAIRS:
            out.append(pair)
    return out, {cid: n - MAX_PAIRS for cid, n in sorted(shown.items()) if n > MAX_PAIRS}


def _answer_texts(path: str, cids: frozenset[str]) -> tuple[str, dict[str, str]]:
    """A flagged file's answers to the flagged criteria, as written (run in the workers)."""
    return _texts_of(_read(path), path, cids)


def _texts_of(data: bytes | str, path: str, cids: frozenset[str]) -> tuple[str, dict[str, str]]:
    from .reader import read
    from .sections import locate

    if isinstance(data, str):  # changed or removed since it was checked: no passage to show
        return path, {}
    try:
        found = locate(read(path, data), _STATE["pack"])
    except CheckerError:
        return path, {}
    return path, {cid: found.sections[cid].text for cid in cids if cid in found.sections}


def add_passages(runner: Runner, similar: list[dict[str, Any]]) -> None:
    """The longest passage each flagged pair shares: only the flagged files are read again, each once."""
    similar = [p for p in similar if p["files"]]
    need: dict[str, set[str]] = defaultdict(set)
    for pair in similar:
        for path in pair["files"]:
            need[path].add(pair["criterion"])
    if getattr(runner, "remote", False):
        items = ((_read(p), p, frozenset(c)) for p, c in need.items())
        texts = dict(runner.map(_texts_of, items, lost=_lost_remote_texts))
    else:
        texts = dict(runner.map(_answer_texts, ((p, frozenset(c)) for p, c in need.items()), lost=_lost_texts))
    for pair in similar:
        a, b = (texts[p].get(pair["criterion"], "") for p in pair["files"])
        pair["passage"] = cohort.passage_as_written(a, b)


# --- outputs ----------------------------------------------------------------------------------------


def _summary(row: Row, ids: list[str], grades: list[str | None] | None = None) -> dict[str, int | str]:
    if not row.statuses:
        return {"criteria": 0, "met": 0, "gap": 0, "missing": 0}
    out: dict[str, int | str] = {"criteria": len(ids), "met": row.statuses.count("m"),
                                 "gap": row.statuses.count("g"), "missing": row.statuses.count("x")}
    if grades and any(grades):
        out["grade"] = supported_grade([(g, ch == "m") for g, ch in zip(grades, row.statuses, strict=False)])
    return out


def summary_data(rows: list[Row], pack: ResolvedPack, similar: list[dict[str, Any]],
                 names: dict[str, str] | None = None, learners: dict[str, dict[str, str]] | None = None,
                 not_listed: dict[str, int] | None = None) -> dict[str, Any]:
    """The cohort summary: paths as shown (relative to the folder given), a learner per submission,
    totals per criterion, similar answers grouped by learner pair, and the reproducibility stamp."""
    from .engine import pack_info
    from .stamp import checker_info

    names = names or {}
    ids = [c.id for c in pack.criteria]
    grades = [c.grade for c in pack.criteria]
    shown = {r.path: names.get(r.path, r.path) for r in rows}
    submissions = [{"path": shown[r.path], "learner": cohort.learner_for(shown[r.path], learners),
                    "status": r.status, "words": r.words, "sha256": r.sha256, "summary": _summary(r, ids, grades),
                    "criteria": r.criteria(ids), "gaps": {k: list(v) for k, v in r.reasons.items()},
                    "messages": {k: list(v) for k, v in r.messages.items()},
                    "reports": r.reports, "error": r.error} for r in rows]
    learner_of = {s["path"]: s["learner"] for s in submissions}
    pairs = cohort.by_pair([{**p, "files": [shown.get(f, f) for f in p["files"]]} for p in similar])
    for pair in pairs:
        pair["learners"] = [learner_of.get(f, {}).get("name", f) for f in pair["files"]]
    return {
        "schema": "checker.batch/1",
        "checker": checker_info(),
        "pack": pack_info(pack),
        "criteria": ids,
        "totals": {"files": len(rows), "met": sum(r.status == "met" for r in rows),
                   "gap": sum(r.status == "gap" for r in rows),
                   "unreadable": sum(r.status == "unreadable" for r in rows)},
        "criterion_totals": cohort.criterion_totals(submissions, ids),
        "submissions": submissions,
        "similar": pairs,
        "similar_not_listed": dict(not_listed or {}),
    }


class _SafeWriter:
    """Every cell through csv_cell: a file name such as "=HYPERLINK(...).docx" stays text in a spreadsheet."""

    def __init__(self, writer: Any) -> None:
        self.writer = writer

    def writerow(self, row: Iterable[Any]) -> None:
        self.writer.writerow([csv_cell(cell) for cell in row])


def write_csv(data: dict[str, Any], f: TextIO) -> None:
    w = _SafeWriter(csv.writer(f, lineterminator="\n"))
    crit = data["criteria"]
    graded = any("grade" in s["summary"] for s in data["submissions"])
    w.writerow(["file", "learner", "learner_id", "status", "met", "gap", "missing", "words", *crit, "error",
                *(["grade"] if graded else [])])
    for s in data["submissions"]:
        m = s["summary"]
        w.writerow([s["path"], s["learner"]["name"], s["learner"]["id"], s["status"], m.get("met", ""),
                    m.get("gap", ""), m.get("missing", ""), s["words"],
                    *[s["criteria"].get(c, "") for c in crit], s["error"], *([m.get("grade", "")] if graded else [])])


def not_readable_rows(files: list[Path]) -> list[Row]:
    """Rows for files that look like submissions but are not Word files: why, and what to do."""
    return [Row(path=str(f), name=f.stem, status="unreadable", error=reason)
            for f in files if (reason := cohort.not_readable_reason(f))]


def run_batch(args: argparse.Namespace) -> int:
    cfg = load_config(args.config, disabled=getattr(args, "no_config", False))
    pack_ref = args.pack or cfg.get("pack", "ml25")
    formats = tuple(args.formats or cfg.get("formats", ["html", "json"]))
    audience = args.audience or cfg.get("audience", "assessor")
    jobs = args.jobs or int(cfg.get("jobs", 0)) or os.cpu_count() or 1
    unreadable_ok = args.unreadable_ok or cfg.get("unreadable", "error") == "warning"
    fail_on = getattr(args, "fail_level", None) or cfg.get("fail_level", "gap")
    pack = load_pack(pack_ref)
    learners = cohort.load_learners(args.learners) if getattr(args, "learners", None) else None
    decisions = read_decisions(args.decisions) if getattr(args, "decisions", None) else None  # fail before work
    files = collect(args.paths)
    if not files:
        raise CheckerError(" ".join(args.paths), "no .docx files found")
    names = cohort.display_names(args.paths, files)
    skipped = not_readable_rows(files)
    readable = [f for f in files if not cohort.not_readable_reason(f)]
    out = check_folder(args.out)
    progress = not args.no_progress and sys.stderr.isatty() and not os.environ.get("CI")
    from .engine import pack_info

    settings = resume.settings(pack_info(pack)["sha256"], formats, audience)
    done = resume.load(out, settings) if getattr(args, "resume", False) else None
    init = (pack_ref, formats, audience, str(out))
    scheduler = getattr(args, "scheduler", None)
    if scheduler:
        from .cluster import DaskRunner

        runner: Any = DaskRunner(scheduler, init, jobs)
    else:
        runner = Runner(init, jobs)
    with runner, resume.Journal(out, settings, append=done is not None) as journal:
        rows = run_rows(runner, readable, progress, out, journal, done) if readable else []
        similar, not_listed = similar_pairs(rows)
        add_passages(runner, similar)
    order = {str(f): i for i, f in enumerate(files)}
    rows = sorted(rows + skipped, key=lambda r: order[r.path])
    data = summary_data(rows, pack, similar, names, learners, not_listed)
    if decisions is not None:
        for w in add_agreement(data, decisions, [r.evidence for r in rows], args.decisions):
            print(f"checker: warning: {w}", file=sys.stderr)
    # Written as streams: a cohort of thousands never becomes one large string in memory.
    # Each to a temporary file renamed into place: a full disk leaves the last good summary, never half of one.
    with atomic_open(out / "summary.json") as f:
        json.dump(data, f, indent=2, ensure_ascii=False)
    with atomic_open(out / "summary.csv") as f:
        write_csv(data, f)
    with (out / "junit.xml").open("w", encoding="utf-8") as f:
        cohort.write_junit(data, f)
    from .report import environment

    with atomic_open(out / "summary.html") as f:
        environment().get_template("summary.html.j2").stream(data=data).dump(f)
    t = data["totals"]
    print(f"checked {t['files']} file(s): {t['met']} all met, {t['gap']} with gaps, {t['unreadable']} unreadable; "
          f"{len(similar) + sum(not_listed.values())} similar answer(s) between {len(data['similar'])} "
          f"learner pair(s); summary in {escape_controls(str(out / 'summary.html'), one_line=True)}")
    for r in rows:
        if r.error:
            print(escape_controls(f"checker: {names.get(r.path, r.path)}: {r.error}", one_line=True), file=sys.stderr)
    statuses = [_STATUS[ch] for r in rows for ch in r.statuses]
    return exit_code(statuses, bool(t["unreadable"]) and not unreadable_ok, fail_on)
