"""The document model the reader produces: ordered blocks of learner text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_WORD = re.compile(r"\S*[^\W_]\S*")


def count_words(text: str) -> int:
    """Whitespace-separated tokens holding a letter or digit (so "–" and "•" are not words)."""
    return len(_WORD.findall(text))


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph of the body in reading order (a table cell's paragraphs are blocks too)."""

    index: int
    text: str
    style: str = ""
    level: int | None = None  # outline level 1-9 for headings, None for body text
    label: str = ""  # number or bullet Word draws from numbering.xml ("1.1", "a)", "•")
    bold_lead: str = ""  # leading bold words ("Active listening" in "**Active listening** - ...")
    bold: bool = False  # the whole paragraph is bold (learners' home-made headings)
    is_list: bool = False
    cell: tuple[int, int, int] | None = None  # (table number, row, column) for text in a table
    inner: tuple[int, int, int] | None = None  # the innermost table's (number, row, column): a nested table
    in_toc: bool = False  # inside a table-of-contents field, content control or TOC style
    words: int = -1  # counted once, on creation

    def __post_init__(self) -> None:
        if self.words < 0:
            object.__setattr__(self, "words", count_words(self.text))

    @property
    def full_text(self) -> str:
        """The text as the reader sees it on the page, with Word's number in front."""
        if self.label and not self.is_bullet:
            return f"{self.label} {self.text}"
        return self.text

    @property
    def is_bullet(self) -> bool:
        return bool(self.label) and not any(ch.isalnum() for ch in self.label)

    @property
    def where(self) -> str:
        if self.cell:
            t, r, c = self.cell
            return f"table {t + 1}, row {r + 1}, column {c + 1}"
        return f"paragraph {self.index + 1}"


@dataclass
class Document:
    path: str
    blocks: list[Block]
    sha256: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def words(self) -> int:
        return sum(b.words for b in self.blocks if not b.in_toc)
