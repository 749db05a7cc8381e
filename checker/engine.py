"""The check: read, find the sections, run the pipeline once, apply each criterion's checks."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .checks import Context, coverage, depth, originality, parts, practice, quantity
from .checks import document as document_checks
from .document import Document
from .errors import CheckerError
from .names import Known
from .nlp import Analysis, Pipeline, pipeline
from .packs import Criterion, ResolvedPack, load_pack
from .reader import read
from .result import CriterionResult, Evidence, Finding, Located, Result
from .runtime import gc_paused
from .sections import Section, Sectioning, locate
from .stamp import pack_sha256
from .text import forget

CRITERION_CHECKS = (coverage.check, quantity.check, parts.check, depth.check, practice.check, originality.check)
# What each decision rests on, in the learner's words: items, parts, the verb, practice, then the answer itself.
SUPPORTS = (quantity.support, parts.support, depth.support, practice.support, coverage.support)


def pack_info(pack: ResolvedPack) -> dict[str, str]:
    p = pack.pack
    return {"id": p.id, "unit": p.unit, "title": p.title, "version": p.version, "sha256": pack_sha256(pack)}


def evaluate(doc: Document, pack: ResolvedPack, found: Sectioning | None = None) -> Result:
    """Judge a read document against a pack (pure: no file access)."""
    try:
        return _evaluate(doc, pack, found)
    finally:
        forget()  # the per-check caches of names and stems (checker/text.py)


def _evaluate(doc: Document, pack: ResolvedPack, found: Sectioning | None) -> Result:
    found = found or locate(doc, pack)
    analyses = OneAtATime(pipeline(pack), [found.sections[c.id] for c in pack.criteria if c.id in found.sections])
    results = []
    lost = coverage.unclaimed(doc.blocks, found.unassigned)
    known = Known.of(doc.blocks, pack.items)  # names the answers may refer back to: "CEW", a network from 2.1's table
    for c in pack.criteria:
        sec = found.sections.get(c.id)
        if sec is None:
            empty = found.empty.get(c.id)
            results.append(CriterionResult(c.id, c.text, c.verb, c.kind or "", None,
                                           [] if c.quantity else None,
                                           [coverage.missing(c.id, c.text, empty.heading if empty else None, lost)],
                                           c.guidance, c.grade))
            continue
        results.append(_judge(c, sec, analyses.take(sec), pack, known))
    doc_findings = document_checks.check(doc, found, pack)
    return Result(doc.path, doc.sha256, document_checks.answer_words(doc, found), pack_info(pack), results,
                  doc_findings, notes=list(doc.notes), set_aside=dict(sorted(found.ignored.items())))


class OneAtATime:
    """Each section's analysis made when its first criterion is judged and let go after its last one.

    A spaCy Doc costs about 190 bytes a token, more with the per-token lists the checks cache on it; held for
    every section at once, a 199,000-word check peaked at 72 MB traced, one at a time at 13 MB.
    """

    def __init__(self, pipe: Pipeline, uses: list[Section]) -> None:
        self.left = Counter(map(id, uses))  # criteria still to judge on each section
        unique = list({id(s): s for s in uses}.values())  # in the order their first criteria come
        self.order = iter(unique)
        self.stream = pipe.stream(s.text for s in unique)  # one pipeline run for all, each Doc made on demand
        self.made: dict[int, Analysis] = {}

    def take(self, section: Section) -> Analysis:
        key = id(section)
        analysis = self.made.get(key)
        if analysis is None:
            if next(self.order, None) is not section:
                raise RuntimeError("sections must be taken in the order of their first criteria")
            analysis = next(self.stream)
        self.left[key] -= 1
        if self.left[key] > 0:
            self.made[key] = analysis
        else:
            self.made.pop(key, None)
        return analysis


def _judge(c: Criterion, sec: Section, analysis: Analysis, pack: ResolvedPack, known: Known) -> CriterionResult:
    """One located criterion's result (its own function: nothing of one section outlives its last use)."""
    verb = pack.verb(c)
    items, undeveloped = quantity.count(c, verb, sec, analysis, pack.items, known)
    ctx = Context(c, verb, sec, analysis, pack, tuple(items), tuple(undeveloped))
    findings = [f for check in CRITERION_CHECKS for f in check(ctx)]
    evidence = _distinct([e for support in SUPPORTS for e in support(ctx)])
    first = sec.blocks[0].text if sec.blocks else sec.lead
    where = Located(sec.heading, sec.located_by, sec.words, sec.heading,
                    " ".join(first.split()[:12]),
                    tuple(i for i in sec.criteria if i != c.id))
    return CriterionResult(c.id, c.text, c.verb, c.kind or "", where,
                           [i.name for i in items] if c.quantity else None, findings, c.guidance,
                           c.grade, evidence)


def _distinct(evidence: list[Evidence]) -> list[Evidence]:
    """One entry per quote and claim, in order; a quote supporting several things is listed for each."""
    return list(dict.fromkeys(evidence))


def check(path: Path | str, pack: ResolvedPack | str = "ml25", data: bytes | None = None) -> Result:
    """Check one submission; an unreadable file gives a Result whose `errors` say why (exit code 2)."""
    pack = load_pack(pack) if isinstance(pack, str | Path) else pack
    with gc_paused():  # a library caller's collector as well, for this call only (checker/runtime.py)
        try:
            doc = read(path, data)
        except CheckerError as e:
            return unreadable(str(path), pack, e.reason)
        return evaluate(doc, pack)


def unreadable(path: str, pack: ResolvedPack, reason: str) -> Result:
    return Result(path, "", 0, pack_info(pack), [], errors=[Finding("unreadable", "gap", reason)])
