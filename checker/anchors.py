"""Anchors: the lines that start an answer (a heading, a label, a line whose number exists only in Word's
numbering), and the facts about a document's blocks that every sectioning job reads against the pack."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from .document import Block, Document
from .labels import cross_pattern, parse_label, restates, trailing_label
from .packs import ResolvedPack
from .text import content_stems, stem_phrase

_OUTCOME = re.compile(r"^(?:learning\s+)?outcome\s*\d|^LO\s*\d+\b(?!\s*[.,]?\s*AC)|^unit\s+outcome", re.I)

HEADING_WORDS = 25  # a bold or restated line longer than this is prose, not a heading


def heading_like(b: Block) -> bool:
    return b.level is not None or (b.bold and b.words <= HEADING_WORDS)


@dataclass
class Anchor:
    index: int
    ids: tuple[str, ...]
    located_by: str
    heading: str
    lead: str
    level: int | None  # heading level, None for labels and table rows


class Layout:
    """A document's blocks read against a pack: its ids, its framing and non-answer headings, its outcomes."""

    def __init__(self, doc: Document, pack: ResolvedPack) -> None:
        self.pack = pack
        self.blocks = doc.blocks
        self.known = [c.id for c in pack.criteria]
        self.text_of = {c.id: c.text for c in pack.criteria}
        lib = pack.library
        self.reference_heads = {stem_phrase(p) for p in lib.references}
        self.non_answer_heads = {stem_phrase(p) for p in lib.not_answers}
        self.non_answer_openings = tuple(h + " " for h in self.non_answer_heads)  # one startswith per line
        self.framing_heads = {stem_phrase(p) for p in lib.framing}
        self.cross = cross_pattern(tuple(lib.cross_references))
        self.outcome_stems = [content_stems(o.text) for o in pack.pack.outcomes]

    @cached_property
    def heading_above(self) -> list[int | None]:
        """The level of the nearest heading before each block."""
        out: list[int | None] = []
        level = None
        for b in self.blocks:
            out.append(level)
            level = b.level or level
        return out

    def is_outcome(self, b: Block) -> bool:
        if _OUTCOME.match(b.full_text):
            return True
        if not heading_like(b):
            return False
        stems = content_stems(b.text)
        return bool(stems) and any(len(stems & o) >= max(3, 0.75 * len(stems)) for o in self.outcome_stems)

    def anchor_ids(self, b: Block) -> tuple[tuple[str, ...], str, str] | None:
        """(ids, located_by, rest) when the block starts with a criterion label."""
        parsed = parse_label(b.text, self.known)
        by_numbering = False
        if parsed is None and b.label and not b.is_bullet:
            parsed = parse_label(f"{b.label} {b.text}", self.known)
            by_numbering = parsed is not None
        heading = heading_like(b)
        if parsed is None:
            trail = trailing_label(b.text, self.known) if heading else ()
            return (trail, "heading", "") if trail else None
        ids, marked, rest = parsed
        if by_numbering:
            if not (heading or b.words <= HEADING_WORDS):
                return None
            # a number only Word's list gives shifts when the learner leaves a criterion out: a line that
            # restates another criterion's wording, and not its number's, answers that one
            if not restates(b.text, self.text_of[ids[0]]):
                others = [c for c in self.known if restates(b.text, self.text_of[c])]
                if len(others) == 1:
                    ids = (others[0],)
            return ids, "numbering", ""
        if heading:
            return ids, "heading", ""
        return ids, "label", rest

    def anchors(self, skip: set[int]) -> list[Anchor]:
        """Every body line that names a criterion, apart from what was set aside and table cells."""
        out: list[Anchor] = []
        for b in self.blocks:
            if b.index in skip or b.cell is not None:
                continue
            found = self.anchor_ids(b)
            if found:
                ids, by, rest = found
                if by == "label" and restates(rest, self.text_of[ids[0]]) and b.words <= HEADING_WORDS + 10:
                    rest = ""  # "AC 1.1 Describe the interpersonal skills ..." restates the AC
                level = b.level if by in ("heading", "numbering") else None
                out.append(Anchor(b.index, ids, by, b.full_text, rest, level))
        return out
