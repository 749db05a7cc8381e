"""What is set aside before answers are looked for: contents lists, reference lists, appendices and the
other non-answer parts a learner adds (a declaration, a cover page)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .anchors import HEADING_WORDS, Layout, heading_like
from .document import Block
from .text import stem_phrase

_CONTENTS_LINE = re.compile(r"(?:\t|\.{3,}|…|\s{3,})\s*\d{1,3}\s*$")


@dataclass
class Asides:
    skip: set[int] = field(default_factory=set)  # the blocks set aside
    ignored: dict[str, int] = field(default_factory=dict)  # their words, by reason: contents, references ...
    has_references: bool = False

    def add(self, b: Block, why: str) -> None:
        if b.index not in self.skip:
            self.skip.add(b.index)
            self.ignored[why] = self.ignored.get(why, 0) + b.words


def non_answer_kind(layout: Layout, b: Block) -> str | None:
    """"references", "appendix" or "other" for a line that heads a part that is no answer."""
    if b.inner is not None:  # a column of the learner's own table in an answer cell ("Source | ...")
        return None
    # "Appendix 2 – notes from the Lakes spa managers meeting, 2 July 2025": an appendix's title may be long
    long_title = heading_like(b) and re.match(r"\s*(?:appendi|annex|reference)", b.text, re.I)
    if not (heading_like(b) or b.words <= 4) or (b.words > 8 and not long_title):
        return None
    head = re.sub(r"^[\d.\s]+", "", b.text.lower()).strip(" :.-–")
    head = re.split(r"\s*[:\-–—(]\s*|\s+\d", head)[0]
    key = stem_phrase(head)
    if key in layout.reference_heads:
        return "references"
    if key in layout.non_answer_heads or key.startswith(layout.non_answer_openings):
        return "appendix" if key.startswith(("appendi", "annex")) else "other"
    return None


def _contents(layout: Layout, out: Asides) -> None:
    blocks = layout.blocks
    run: list[int] = []
    for b in blocks:  # a run of three or more "text<tab>page" lines is a contents list
        if b.in_toc:
            out.add(b, "contents")
        elif _CONTENTS_LINE.search(b.text) and b.words <= HEADING_WORDS:
            run.append(b.index)
            continue
        if len(run) >= 3:
            for i in run:
                out.add(blocks[i], "contents")
        run = []
    if len(run) >= 3:
        for i in run:
            out.add(blocks[i], "contents")


def set_aside(layout: Layout) -> Asides:
    out = Asides()
    _contents(layout, out)
    region: tuple | None = None  # (kind, heading level[, (table, row) for a cell])
    for b in layout.blocks:
        if region and len(region) == 3 and (b.cell is None or b.cell[:2] != region[2]):
            region = None  # "Feedback from others" heading a column of the learner's own table ends with its row
        kind = non_answer_kind(layout, b)
        if kind:
            region = (kind, b.level) if b.cell is None else (kind, b.level, b.cell[:2])
            out.add(b, kind)
            if kind == "references":
                out.has_references = True
            continue
        if region and heading_like(b) and (region[1] is None or (b.level or 99) <= region[1]):
            # a bold "Declaration" line ends at the next framing heading ("Introduction") or outcome
            framed = region[1] is None and (stem_phrase(b.text.strip(" :.")) in layout.framing_heads
                                            or layout.is_outcome(b))
            if b.level is not None or framed or layout.anchor_ids(b):
                region = None
        elif region and region[1] is None and layout.anchor_ids(b):
            region = None  # "AC 1.1: ..." after a bold "Declaration" line: the answers have begun
        if region and b.index not in out.skip:
            out.add(b, region[0])
    return out
