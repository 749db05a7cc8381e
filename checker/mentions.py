"""Lexicon mentions of one answer, indexed for the two questions item counting asks of them many times.

`checker.items.Finder` asks, for every label, lead-in and candidate name it weighs, which of the answer's
lexicon mentions it contains (as whole words), and for every structural unit, which mentions start inside
it. Scanning every mention for each question costs mentions x questions: both grow with the answer, so a
long answer cost more per word. Here the mentions are grouped by what the learner wrote (a few dozen
distinct phrases however long the answer), a label is tested once per distinct phrase and remembered, and
a character range is found by bisection. The answers are the ones the scan gave, in the same order.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache

Mention = tuple[int, int, str]  # char start, char end, lexicon item


@lru_cache(maxsize=4096)
def _whole(phrase: str) -> re.Pattern:
    """A phrase as a whole word or words, not inside a longer one ("rapport" is not in "rapports"); compiled
    when first needed (most phrases are never inside a label) and once per process."""
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")


class MentionIndex:
    """The mentions of one text, sorted by start, with what the learner wrote at each."""

    def __init__(self, text: str, mentions: Sequence[Mention]) -> None:
        self.mentions = list(mentions)
        self._starts = [m[0] for m in self.mentions]
        if self._starts != sorted(self._starts):
            raise ValueError("mentions must be sorted by their start")
        by_said: dict[str, list[int]] = {}
        for i, (a, b, _item) in enumerate(self.mentions):
            by_said.setdefault(text[a:b].lower(), []).append(i)
        self._phrases = list(by_said.items())
        self._in_label: dict[str, tuple[Mention, ...]] = {}

    def in_label(self, label: str) -> tuple[Mention, ...]:
        """Every mention whose words appear whole in `label` (case-insensitive), in text order."""
        low = label.lower()
        found = self._in_label.get(low)
        if found is None:
            ids = sorted(i for said, ids in self._phrases if said in low and _whole(said).search(low) for i in ids)
            found = self._in_label[low] = tuple(self.mentions[i] for i in ids)
        return found

    def starting_in(self, start: int, end: int) -> list[Mention]:
        """The mentions starting at a character in [start, end), in text order."""
        return self.mentions[bisect_left(self._starts, start) : bisect_left(self._starts, end)]
