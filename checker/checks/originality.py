"""Originality: an answer that mostly restates the unit's own guidance is not an answer."""

from __future__ import annotations

from functools import lru_cache

from ..result import Finding
from ..text import stem, tokens
from . import Context

# Runs of three stemmed words survive the light edits of copying ("members need to know" for "members
# of personal networks need to be aware"). On the labelled fixtures, copied answers share 38-50% of
# their runs with the guidance and original answers at most 7%.
N = 3
COPIED, PARTLY = 0.25, 0.15


def shingles(words: list[str], n: int = N) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


@lru_cache(maxsize=256)
def _source_shingles(source: str) -> frozenset[tuple[str, ...]]:
    return frozenset(shingles([stem(w) for w in tokens(source)]))


def copied_fraction(answer: str, source: str) -> tuple[float, str]:
    """Share of the answer's five-word runs found in the source, and the longest copied passage."""
    words = tokens(answer)
    stems = [stem(w) for w in words]
    mine = [tuple(stems[i : i + N]) for i in range(len(stems) - N + 1)]
    if not mine:
        return 0.0, ""
    theirs = _source_shingles(source)
    hits = [s in theirs for s in mine]
    best, start = (0, 0), None
    for i, hit in enumerate([*hits, False]):
        if hit and start is None:
            start = i
        elif not hit and start is not None:
            if i - start > best[1] - best[0]:
                best = (start, i)
            start = None
    passage = " ".join(words[best[0] : best[1] + N - 1]) if best[1] > best[0] else ""
    return sum(hits) / len(hits), passage


def check(ctx: Context) -> list[Finding]:
    source = f"{ctx.criterion.text}\n{ctx.criterion.guidance}"
    fraction, passage = copied_fraction(ctx.section.text, source)
    if fraction >= COPIED:
        return [Finding("copied-guidance", "gap",
                        f"{fraction:.0%} of the answer to {ctx.cid} repeats the unit's own guidance text; "
                        "the assessor needs the learner's own account", (passage,),
                        f"Much of your answer to {ctx.cid} repeats the unit's guidance. Rewrite it in your own "
                        "words, with examples from your own work.")]
    if fraction >= PARTLY:
        return [Finding("copied-guidance", "warning",
                        f"{fraction:.0%} of the answer to {ctx.cid} repeats the unit's guidance text",
                        (passage,), f"Part of your answer to {ctx.cid} repeats the unit's guidance: put it in "
                        "your own words.")]
    return []
