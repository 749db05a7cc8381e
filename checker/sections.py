"""Find, for each criterion of a pack, the blocks of a document that answer it.

Learners signpost answers in many ways (see ../shared/docs/docx-reading.md): headings with the AC's
number or words, inline labels ("AC 1.1:", "Q1.1", "(1.1)"), a centre's template table, numbers that
exist only in Word's numbering, or topic headings with no numbers at all. Every candidate anchor is
found first; contents lists, appendices and reference lists are set aside; where a criterion has
several anchors (a restated brief, then the answer) the one with the most answer text wins.

The jobs are one module each: `labels` reads criterion ids off a line, `anchors` finds the lines that
start answers, `asides` sets aside what is no answer, `extents` says how far each answer runs, `topics`
matches unnumbered topic headings by their words; this module puts them together.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .anchors import Layout, heading_like
from .asides import set_aside
from .document import Block, Document, count_words
from .extents import Extent, Extents, trailing
from .packs import ResolvedPack
from .topics import topic_sections


@dataclass
class Section:
    """An answer: the blocks under one anchor, for one or more criteria."""

    criteria: tuple[str, ...]
    heading: str
    located_by: str  # heading | label | table | numbering | content
    anchor: int | None
    blocks: list[Block] = field(default_factory=list)
    lead: str = ""  # the rest of an inline-label paragraph ("AC 1.1: Rapport is ..." -> "Rapport is ...")

    @property
    def text(self) -> str:
        return "\n".join(([self.lead] if self.lead else []) + [b.text for b in self.blocks])

    @property
    def words(self) -> int:
        return count_words(self.lead) + sum(b.words for b in self.blocks)


@dataclass
class Sectioning:
    sections: dict[str, Section]  # criterion id -> its answer (shared where one section answers several)
    empty: dict[str, Section]  # an anchor was found but nothing was written under it
    unassigned: list[Block]
    ignored: dict[str, int]  # words set aside, by reason: contents, references, appendix
    has_references: bool


def _words(extent: Extent) -> int:
    anchor, blocks = extent
    return count_words(anchor.lead) + sum(b.words for b in blocks)


def locate(doc: Document, pack: ResolvedPack) -> Sectioning:
    layout = Layout(doc, pack)
    asides = set_aside(layout)
    skip = asides.skip
    extents = Extents(layout, asides)
    anchors = layout.anchors(skip)
    starts = {a.index for a in anchors}
    candidates = extents.tables(starts)
    candidates += [(a, extents.of(a, starts)) for a in anchors]
    best: dict[str, Extent] = {}  # where a criterion has several anchors, the one with the most answer text
    for extent in candidates:
        for cid in extent[0].ids:
            held = best.get(cid)
            if held is None or _words(extent) > _words(held):
                best[cid] = extent
    located = {cid for cid, (a, bl) in best.items() if a.lead or any(b.words for b in bl)}
    claimed = set(extents.table_rows) | starts
    for _anchor, bl in best.values():
        claimed.update(b.index for b in bl)
    closed: set[int] = set()
    for anchor, blocks in trailing(layout.blocks, skip | claimed, layout.known, located, layout.cross):
        for cid in anchor.ids:
            best[cid] = (anchor, blocks)
        closed.add(anchor.index)
        closed.update(b.index for b in blocks)
    claimed |= closed
    inline = extents.inline(starts | extents.table_rows | closed, located)
    cuts = sorted(a.index for a, _ in inline)
    for anchor, blocks in best.values():  # an answer ends where the next signposted one begins
        cut = next((c for c in cuts if c > anchor.index), None)
        if cut is not None:
            blocks[:] = [b for b in blocks if b.index < cut]
    for anchor, blocks in inline:
        for cid in anchor.ids:
            best[cid] = (anchor, blocks)
        claimed.add(anchor.index)
        claimed.update(b.index for b in blocks)
    at = {cid: a.index for cid, (a, bl) in best.items() if cid in located}
    for anchor, blocks in topic_sections(layout, skip, extents.of, claimed, located, at):
        best[anchor.ids[0]] = (anchor, blocks)
        claimed.add(anchor.index)
        claimed.update(b.index for b in blocks)
    sections: dict[str, Section] = {}
    empty: dict[str, Section] = {}
    made: dict[int, Section] = {}
    for cid in layout.known:
        if cid not in best:
            continue
        anchor, blocks = best[cid]
        key = id(blocks)
        sec = made.get(key)
        if sec is None:
            ids = tuple(i for i in anchor.ids if best.get(i, (None, None))[1] is blocks)
            sec = made[key] = Section(ids, anchor.heading, anchor.located_by, anchor.index, blocks, anchor.lead)
        (sections if sec.words else empty)[cid] = sec
    used = set(claimed)
    for sec in sections.values():
        used.update(b.index for b in sec.blocks)
    # Body text only: headings, outcome lines and a template's header row are structure, not answers.
    unassigned = [b for b in layout.blocks if b.index not in used and b.index not in skip
                  and not heading_like(b) and not layout.is_outcome(b) and b.index not in extents.table_headers]
    return Sectioning(sections, empty, unassigned, asides.ignored, asides.has_references)
