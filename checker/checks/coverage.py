"""Coverage and length: is there an answer, and is it long enough to be one."""

from __future__ import annotations

from ..result import Finding
from . import Context, Evidence


def missing(cid: str, text: str, empty_heading: str | None) -> Finding:
    if empty_heading:
        return Finding("missing-section", "gap",
                       f"{cid} has a heading or label but nothing is written under it", (empty_heading,),
                       f"You have a place for {cid} but nothing written there yet: {text}.")
    return Finding("missing-section", "gap",
                   f"no answer to {cid} was found: label it (e.g. \"AC {cid}\") so the assessor can find it",
                   (text,),
                   f"Add an answer to {cid} ({text}) under a heading or label that names it, e.g. \"AC {cid}\".")


def check(ctx: Context) -> list[Finding]:
    need = ctx.pack.min_words(ctx.criterion)
    if len(ctx.section.criteria) > 1:  # one answer for several criteria must carry them all
        need = max(ctx.pack.min_words(c) for c in ctx.pack.criteria if c.id in ctx.section.criteria)
    words = ctx.section.words
    if words >= need:
        return []
    # A short performance answer that points to its evidence ("see Appendix 4, witness testimony")
    # may be complete: the assessor reads the evidence, so this is a warning, not a gap.
    pointed = ctx.criterion.kind == "performance" and ctx.analysis.count("practice|evidence") > 0
    return [Finding("too-short", "warning" if pointed else "gap",
                    f"the answer to {ctx.cid} is {words} words; to {ctx.criterion.verb} usually takes at least "
                    f"about {need}", (ctx.first_words(),),
                    f"Your answer to {ctx.cid} is {words} words. Develop it further: to {ctx.criterion.verb} "
                    f"usually takes at least about {need}.")]


def support(ctx: Context) -> list[Evidence]:
    """The answer's opening sentence: where it was found, and that it is long enough."""
    return ctx.quotes(ctx.sentences(min_words=4), "length", 1)
