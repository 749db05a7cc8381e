"""Coverage and length: is there an answer, and is it long enough to be one."""

from __future__ import annotations

from ..document import Block
from ..result import Finding
from . import Context, Evidence

SHORT = 0.6  # under this share of the usual length an answer is too thin to do what its verb asks
UNCLAIMED_WORDS = 30  # less than this unclaimed is a caption or a stray line, not a lost answer


def missing(cid: str, text: str, empty_heading: str | None, unclaimed: str = "") -> Finding:
    """No answer: the finding quotes nothing of the criterion's own text, and says where unclaimed text is."""
    elsewhere = f"; {unclaimed}" if unclaimed else ""
    if empty_heading:
        return Finding("missing-section", "gap",
                       f"{cid} has a heading or label but nothing is written under it{elsewhere}", (),
                       f"You have a place for {cid} but nothing written there yet: {text}.")
    return Finding("missing-section", "gap",
                   f"no answer to {cid} was found: label it (e.g. \"AC {cid}\") so the assessor can find it"
                   f"{elsewhere}", (),
                   f"Add an answer to {cid} ({text}) under a heading or label that names it, e.g. \"AC {cid}\".")


def unclaimed(blocks: list[Block], unassigned: list[Block], least: int = UNCLAIMED_WORDS) -> str:
    """Where text that no criterion claimed sits: "347 words under 'Possible networks' matched no criterion"."""
    if sum(b.words for b in unassigned) < least:
        return ""
    under: dict[str, int] = {}
    heading = ""
    spare = {b.index for b in unassigned}
    for b in blocks:
        if b.level is not None or (b.bold and b.words <= 12):
            heading = b.text
        elif b.index in spare:
            under[heading] = under.get(heading, 0) + b.words
    where, words = max(under.items(), key=lambda kv: kv[1])
    return f"{words} words under '{where}' matched no criterion" if where else \
        f"{words} words at the start of the document matched no criterion"


def check(ctx: Context) -> list[Finding]:
    need = ctx.pack.min_words(ctx.criterion)
    if len(ctx.section.criteria) > 1:  # one answer for several criteria must carry them all
        need = max(ctx.pack.min_words(c) for c in ctx.pack.criteria if c.id in ctx.section.criteria)
    words = ctx.section.words
    if words >= need:
        return []
    # Length supports a verdict, it is not one: a concise answer a little under the usual length that does
    # what the verb asks is met (a warning); one far under it cannot have (a gap), whatever it points to.
    severity = "gap" if words < SHORT * need else "warning"
    return [Finding("too-short", severity,
                    f"the answer to {ctx.cid} is {words} words; to {ctx.criterion.verb} usually takes at least "
                    f"about {need}", (ctx.first_words(),),
                    f"Your answer to {ctx.cid} is {words} words. Develop it further: to {ctx.criterion.verb} "
                    f"usually takes at least about {need}.")]


def support(ctx: Context) -> list[Evidence]:
    """The answer's opening sentence: where it was found, and that it is long enough."""
    return ctx.quotes(ctx.sentences(min_words=4), "length", 1)
