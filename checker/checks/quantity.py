"""Quantity: are there enough distinct items of the kind the criterion asks for ("three or more skills")?

Finding, typing and merging the items is checker/items.py (occurrences: checker/occurrences.py); this
check compares their number with the criterion's minimum and says which were only named.
"""

from __future__ import annotations

from ..items import Finder, Item, item_kind
from ..names import Known
from ..nlp import Analysis
from ..occurrences import occurrences
from ..packs import Criterion, ItemLibrary, Verb
from ..result import Finding, number
from ..sections import Section
from . import Context, Evidence


def count(criterion: Criterion, verb: Verb, section: Section, analysis: Analysis, lib: ItemLibrary,
          known: Known | None = None) -> tuple[list[Item], list[Item]]:
    """The distinct items the answer develops, and those it only names; `known` is what the whole document
    says about its names (the abbreviations it defines, its labels)."""
    if criterion.quantity is None:
        return [], []
    kind = item_kind(criterion, lib)
    finder = Finder(criterion, verb, "person" if kind == "occurrence" else kind, section, analysis, lib, known)
    if kind == "occurrence":  # named by who took part
        return occurrences(finder, criterion), []
    return finder.find()


def check(ctx: Context) -> list[Finding]:
    q = ctx.criterion.quantity
    if q is None or len(ctx.items) >= q.min:
        return []
    names = [i.name for i in ctx.items]
    have = f"{len(names)}: {', '.join(names)}" if names else "none"
    undeveloped = [i.name for i in ctx.undeveloped]
    extra = f"; named without being developed: {', '.join(undeveloped)}" if undeveloped else ""
    yours = f"{number(len(names))}: {', '.join(names)}" if names else "none yet"
    quotes = tuple(i.quote for i in ctx.items if i.quote)[:3] or (ctx.first_words(),)
    return [Finding("too-few-items", "gap",
                    f"{ctx.cid} asks for at least {q.min} {q.noun}; the answer develops {have}{extra}",
                    quotes,
                    f"{ctx.cid} asks for {number(q.min)} or more {q.noun}; your draft develops {yours}. "
                    f"Add {number(q.min - len(names))} more, each with its own sentences.")]


def support(ctx: Context) -> list[Evidence]:
    """Each counted item with the learner's sentence behind it."""
    return [Evidence(i.quote, f"item:{i.name}") for i in ctx.items if i.quote and ctx.quotable(i.quote)]
