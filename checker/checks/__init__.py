"""Criterion checks. Each module holds one pure function `check(ctx) -> list[Finding]`."""

from __future__ import annotations

from dataclasses import dataclass

from ..nlp import Analysis
from ..packs import Criterion, ResolvedPack, Verb
from ..result import Finding
from ..sections import Section


@dataclass(frozen=True)
class Context:
    """Everything a check may look at for one criterion's answer; checks never read the file."""

    criterion: Criterion
    verb: Verb
    section: Section
    analysis: Analysis
    pack: ResolvedPack
    items: tuple[str, ...] = ()
    undeveloped: tuple[str, ...] = ()

    @property
    def cid(self) -> str:
        return self.criterion.id

    def sentences(self, min_words: int = 0) -> list[str]:
        return [s.text for s in self.analysis.sentences if s.words >= min_words]

    def first_words(self, n: int = 30) -> str:
        words = self.section.text.split()
        return " ".join(words[:n]) + (" …" if len(words) > n else "")


__all__ = ["Context", "Finding"]
