"""Criterion checks. Each module holds one pure function `check(ctx) -> list[Finding]`."""

from __future__ import annotations

from dataclasses import dataclass

from ..nlp import Analysis
from ..packs import Criterion, ResolvedPack, Verb
from ..result import Evidence, Finding
from ..sections import Section

QUOTE_WORDS = 3  # a quote shorter than this says nothing on its own


@dataclass(frozen=True)
class Context:
    """Everything a check may look at for one criterion's answer; checks never read the file."""

    criterion: Criterion
    verb: Verb
    section: Section
    analysis: Analysis
    pack: ResolvedPack
    items: tuple = ()  # items.Item, developed
    undeveloped: tuple = ()  # items.Item, only named

    @property
    def cid(self) -> str:
        return self.criterion.id

    def sentences(self, min_words: int = 0) -> list[str]:
        return [s.text for s in self.analysis.sentences if s.words >= min_words]

    def quotable(self, sentence: str) -> bool:
        """A sentence of the learner's own: long enough, not the criterion's text, not the guidance."""
        if len(sentence.split()) < QUOTE_WORDS:
            return False
        flat = " ".join(sentence.lower().split()).strip(" .:")
        own = " ".join(f"{self.criterion.text} {self.criterion.guidance}".lower().split())
        heading_only = sentence in self.section.heading and sentence not in self.section.text
        return flat not in own and not heading_only

    def quotes(self, sentences: list[str], supports: str, limit: int = 2) -> list[Evidence]:
        out: list[Evidence] = []
        for s in sentences:
            if self.quotable(s) and all(e.quote != s for e in out):
                out.append(Evidence(s, supports))
            if len(out) >= limit:
                break
        return out

    def first_words(self, n: int = 30) -> str:
        words = self.section.text.split()
        return " ".join(words[:n]) + (" …" if len(words) > n else "")


__all__ = ["Context", "Evidence", "Finding"]
