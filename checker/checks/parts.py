"""Parts: a criterion naming several things ("benefits and limitations") needs each of them."""

from __future__ import annotations

from ..result import Finding
from . import Context, Evidence


def check(ctx: Context) -> list[Finding]:
    out = []
    for part in ctx.criterion.parts:
        if len(ctx.analysis.sentences_with(f"{ctx.cid}|part|{part.name}")) < part.min:
            out.append(Finding("part-not-covered", "gap",
                               f"{ctx.cid} asks about {part.name}, which the answer does not cover",
                               (ctx.first_words(),),
                               f"{ctx.cid} also asks about {part.name}: add a paragraph that covers it."))
    return out


def support(ctx: Context) -> list[Evidence]:
    """For each part, the first sentence that covers it."""
    out: list[Evidence] = []
    sents = ctx.analysis.sentences
    for part in ctx.criterion.parts:
        hits = sorted(ctx.analysis.sentences_with(f"{ctx.cid}|part|{part.name}"))
        out += ctx.quotes([sents[i].text for i in hits if i < len(sents)], f"part:{part.name}", 1)
    return out
