"""Originality: an answer that mostly restates the unit's own guidance is not an answer."""

from __future__ import annotations

from functools import lru_cache

from ..nlp import Analysis, pipeline
from ..result import Finding
from . import Context

# Runs of three lemmas survive the light edits of copying ("members need to know" for "members of
# personal networks need to be aware"). On the 32 labelled fixtures, the seven copied answers share
# 25-70% of their runs with the guidance; of 400 others all but two share at most 14%.
N = 3
COPIED, PARTLY = 0.25, 0.15


def copied_fraction(analysis: Analysis, source: tuple[int, ...]) -> tuple[float, str]:
    """Share of the answer's three-word runs (of lemmas) found in the source, and the longest copied
    passage in the learner's own words."""
    positions, lemmas = analysis.words
    if len(lemmas) < N:
        return 0.0, ""
    theirs = _runs(source)
    hits = [s in theirs for s in zip(*(lemmas[k:] for k in range(N)), strict=False)]  # each run, unsliced
    best, start = (0, 0), None
    for i, hit in enumerate([*hits, False]):
        if hit and start is None:
            start = i
        elif not hit and start is not None:
            if i - start > best[1] - best[0]:
                best = (start, i)
            start = None
    passage = ""
    if best[1] > best[0]:
        passage = analysis.doc[positions[best[0]] : positions[best[1] + N - 2] + 1].text
    return sum(hits) / len(hits), passage


@lru_cache(maxsize=256)
def _runs(source: tuple[int, ...]) -> frozenset[tuple[int, ...]]:
    """The source's runs of N lemmas, made once per criterion's guidance (every answer asks for them)."""
    return frozenset(source[i : i + N] for i in range(len(source) - N + 1))


def _unit_text(ctx: Context) -> str:
    """The criterion's text and guidance, then the rest of the unit's guidance: a specification's
    indicative content is often attached to one outcome's criteria and pasted back under another's."""
    seen = [ctx.criterion.text, ctx.criterion.guidance]
    for c in ctx.pack.criteria:
        if c.guidance and c.guidance not in seen:
            seen.append(c.guidance)
    return "\n".join(seen)


def check(ctx: Context) -> list[Finding]:
    source = pipeline(ctx.pack).lemmas_of(_unit_text(ctx))
    fraction, passage = copied_fraction(ctx.analysis, source)
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
