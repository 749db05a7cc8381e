"""Parts: a criterion naming several things ("benefits and limitations") needs each of them."""

from __future__ import annotations

from ..result import Finding
from . import Context, Evidence

LEAD_MARKS = {"–", "—", "-", ":"}
LED_WORDS = 12  # "Limitations – costs £395 a year, ...": a line led by the part and this long weighs it


def _led(ctx: Context, key: str) -> bool:
    """The part leads a line that goes on to weigh it ("Benefits – training days, the conference, ...")."""
    sents, doc = ctx.analysis.sentences, ctx.analysis.doc
    for a, b in ctx.analysis.matches.get(key, []):
        sent = sents[ctx.analysis.sentence_of(a)]
        label = b < len(doc) and doc[b].text in LEAD_MARKS  # a label, not the start of a sentence about it
        if a - sent.start <= 1 and label and sent.words >= LED_WORDS:
            return True
    return False


def check(ctx: Context) -> list[Finding]:
    out = []
    for part in ctx.criterion.parts:
        key = f"{ctx.cid}|part|{part.name}"
        if len(ctx.analysis.sentences_with(key)) < part.min and not _led(ctx, key):
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
