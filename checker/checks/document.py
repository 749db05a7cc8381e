"""Document-level findings: signposting, overall length and references (warnings, never referrals)."""

from __future__ import annotations

import re

from ..document import Document
from ..packs import ResolvedPack
from ..result import Finding
from ..sections import Sectioning

_CITATION = re.compile(r"\([A-Z][^()]{1,80}?,?\s(?:19|20)\d{2}[a-z]?(?:[,:;][^()]{0,30})?\)|\bet al\.?")


def answer_words(doc: Document, found: Sectioning) -> int:
    """Words the learner wrote, leaving out contents lists, reference lists and appendices."""
    return max(0, doc.words - sum(found.ignored.values()))


def check(doc: Document, found: Sectioning, pack: ResolvedPack) -> list[Finding]:
    out = []
    by_content = sorted({cid for cid, s in found.sections.items() if s.located_by == "content"},
                        key=[c.id for c in pack.criteria].index)
    if by_content:
        out.append(Finding("unlabelled-sections", "warning",
                           f"{', '.join(by_content)} found only by topic, not by a label: signpost each answer "
                           "with its criterion number (e.g. \"AC 1.1\")",
                           tuple(found.sections[c].heading for c in by_content[:3])))
    words = answer_words(doc, found)
    if pack.pack.word_count:
        lo, hi = pack.pack.word_count.min, pack.pack.word_count.max
        if words < lo or words > hi * 1.1:
            out.append(Finding("word-count", "warning",
                               f"{words} words; the guidance for this unit is {lo:,}-{hi:,}"))
    text = "\n".join(b.text for b in doc.blocks)
    if not found.has_references and not _CITATION.search(text):
        out.append(Finding("no-references", "warning",
                           "no references or citations found: cite the sources of the models and ideas used"))
    return out
