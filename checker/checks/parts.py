"""Parts: a criterion naming several things ("benefits and limitations") needs each of them."""

from __future__ import annotations

from ..result import Finding
from . import Context


def check(ctx: Context) -> list[Finding]:
    out = []
    for part in ctx.criterion.parts:
        if len(ctx.analysis.sentences_with(f"{ctx.cid}|part|{part.name}")) < part.min:
            out.append(Finding("part-not-covered", "gap",
                               f"{ctx.cid} asks about {part.name}, which the answer does not cover",
                               (ctx.first_words(),),
                               f"{ctx.cid} also asks about {part.name}: add a paragraph that covers it."))
    return out
