"""Performance evidence: "Be able to" criteria need what the learner did, not what they would do."""

from __future__ import annotations

import re
from bisect import bisect_right

from ..logs import logged
from ..nlp import Analysis, Sentence
from ..result import Finding
from ..units import offsets
from . import Context, Evidence

_DATE = re.compile(
    r"\b(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b"
    r"(?:\s+\d{4})?|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(?:19|20)\d{2}\b",
    re.I,
)
# a month and year not said to be ahead: "in July 2025", "on 3 March 2024" (not "next July", "by May 2026")
_DATED = re.compile(r"(?<!next )(?<!by )(?<!until )\b(?:in|on|during)\s+(?:\d{1,2}(?:st|nd|rd|th)?\s+)?"
                    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+(?:19|20)\d{2}\b", re.I)
_NAMED = re.compile(r"\s(?!I\b)[A-Z][\w'’-]+")  # a capitalised word inside a sentence: a name
_ADVERB_SLOTS = 2  # "I then quickly contacted": up to two words between subject and verb


def is_action(analysis: Analysis, start: int, end: int, subjects: set[str], auxiliaries: set[str],
              not_actions: set[str], same_form: set[str], between: set[str], dated: bool = False) -> bool:
    """A first-person subject followed by a past-tense or perfect verb ("I introduced", "we have met"):
    a verb inflected away from its lemma ("met" -> "meet", "agreed" -> "agree") or a same-form past. In a
    sentence `dated` to a past month, a plain verb is a non-native past too ("we agree in July 2025").
    Only adverbs stand between the subject and its verb ("I then quickly contacted"): in "we use a shared
    folder" the verb is "use", and "shared" describes its object."""
    lower, inflected, alpha = analysis.tokens

    def past(j: int) -> bool:
        low = lower[j]
        return low in same_form or low.endswith("ed") or (inflected[j] and not low.endswith(("ing", "s"))) \
            or dated and not inflected[j] and not low.endswith("ing")

    for i in range(start, end):
        if lower[i] not in subjects:
            continue
        for j in range(i + 1, min(end, i + 2 + _ADVERB_SLOTS)):
            low = lower[j]
            if low in auxiliaries:  # have shared / was invited / had agreed / 've agreed
                return j + 1 < len(lower) and alpha[j + 1] and past(j + 1)
            if low in not_actions or not alpha[j]:
                break
            if past(j):
                return True
            if not (low.endswith("ly") or low in between):
                break
    return False


def _said(ctx: Context) -> tuple[list[Sentence], set[int]]:
    """What the answer says was done and what it says would be: its sentences of action, and the indexes of its
    sentences of intention (an intention phrase not quoted, reported or an ability, and the list lines under one
    that ends in a colon and tells nothing done, which are no action)."""
    practice = ctx.pack.library.practice
    sents, doc = ctx.analysis.sentences, ctx.analysis.doc
    subjects = {s.lower() for s in practice.subjects if " " not in s}
    aux, stop, same_form = set(practice.auxiliaries), set(practice.not_actions), set(practice.same_form_past)
    between, abilities, reporting = set(practice.between), set(practice.abilities), tuple(practice.reporting)
    openers, lines = frozenset(practice.openers), set(offsets(ctx.section))
    calendar, frozen_form = frozenset(ctx.pack.items.calendar), frozenset(same_form | set(practice.irregular_past))
    done = {i for i, s in enumerate(sents)
            if is_action(ctx.analysis, s.start, s.end, subjects, aux, stop, same_form, between,
                         bool(_DATED.search(s.text)))
            or s.start_char in lines and logged(doc, s.start, s.end, calendar, openers, frozen_form)}
    intended = {ctx.analysis.sentence_of(a) for a, b in ctx.analysis.matches.get("practice|intention", [])
                if not _quoted(ctx.analysis, a) and not _reported(ctx.analysis, a, reporting)
                and doc[a:b].text.lower() not in abilities}
    listed = _listed_under(ctx, intended - done)
    return [s for i, s in enumerate(sents) if i in done - listed], intended | listed


def _listed_under(ctx: Context, marked: set[int]) -> set[int]:
    """The list lines under an intention that ends in a colon and tells nothing done ("To promote myself I
    would:" over bullets): each says what the learner would do, however it is worded ("give a short talk")."""
    sents, blocks = ctx.analysis.sentences, ctx.section.blocks
    starts = offsets(ctx.section)
    out: set[int] = set()
    for i in sorted(marked):
        if not sents[i].text.rstrip().endswith(":"):
            continue
        for j in range(i + 1, len(sents)):
            at = bisect_right(starts, sents[j].start_char) - 1
            if at < 0 or not blocks[at].is_list:
                break
            out.add(j)
    return out


def support(ctx: Context) -> list[Evidence]:
    """What the learner did: their first-person past actions, else their own analysis."""
    if ctx.criterion.kind != "performance":
        return []
    if ctx.criterion.evidence == "analysis":
        return ctx.quotes([s.text for s in ctx.analysis.sentences if _OWN.search(s.text)], "practice", 2)
    return ctx.quotes([s.text for s in _said(ctx)[0]], "practice", 2)


PRODUCT_CELLS = 6  # a table of the learner's own this big, in the answer, is a thing made (two rows of three)


def _made_table(ctx: Context) -> bool:
    """The answer holds a table of the learner's own (not the centre's template row it is written in)."""
    own = [b for b in ctx.section.blocks if b.cell is not None and b.words
           and (ctx.section.located_by != "table" or b.inner is not None)]
    return len(own) >= PRODUCT_CELLS


QUOTES = {"'", '"', "‘", "’", "“", "”"}


def _quoted(analysis: Analysis, at: int) -> bool:
    """Token `at` is inside a quotation: someone else's words ("Gareth said the permissions are 'how we would
    do it in production'"), reported by the learner, not an intention of theirs."""
    doc = analysis.doc
    start = analysis.sentences[analysis.sentence_of(at)].start
    inside = False
    for i in range(start, at):
        if doc[i].text not in QUOTES:
            continue
        spaced_before = i == start or bool(doc[i - 1].whitespace_)
        if spaced_before and not doc[i].whitespace_:
            inside = True  # an opening mark: space before, word after
        elif not spaced_before:
            inside = False  # a closing mark, or a possessive ("the examiners' names"), which opens nothing
    return inside


def _reported(analysis: Analysis, at: int, reporting: tuple[str, ...]) -> bool:
    """Token `at` follows a reporting verb in its sentence ("He observed that a secretary ... would be unable
    to work"): what another said, told by the learner, not an intention of theirs."""
    sent = analysis.sentences[analysis.sentence_of(at)]
    before = analysis.doc[sent.start:at].text.lower()
    return any(r in before for r in reporting)


_OWN = re.compile(r"\b(?:I|my|me|we|our|us)\b", re.I)


def check(ctx: Context) -> list[Finding]:
    if ctx.criterion.kind != "performance":
        return []
    if ctx.criterion.evidence == "analysis":
        # Identifying and shortlisting networks is planning: "joining would give me" is fine. It must
        # still be the learner's own analysis, not a general essay on networks.
        if _OWN.search(ctx.section.text):
            return []
        return [Finding("no-practice-evidence", "gap",
                        f"{ctx.cid} needs the learner's own analysis (their needs, their networks); the answer "
                        "is written in general terms", (ctx.first_words(),),
                        f"Write {ctx.cid} about your own situation: which networks you looked at, what you need "
                        "from them and why.")]
    if ctx.verb.product and _made_table(ctx):
        return []  # "Produce a plan" answered by the plan itself: its "I will ..." rows are its content
    practice = ctx.pack.library.practice
    sents = ctx.analysis.sentences
    actions, marked = _said(ctx)
    intentions = [s for i, s in enumerate(sents) if i in marked]
    need = practice.min_actions
    specific = bool(ctx.analysis.count("practice|evidence") or _DATE.search(ctx.section.text)
                    or any(_NAMED.search(s.text) for s in ctx.analysis.sentences))
    # Evidence is wanting where intentions and advice outweigh what was done, or where nothing was
    # done and nothing specific is named. Few "I did" sentences beside names and dates is only a warning:
    # terse tables and notes ("agreed with Rachel, recorded in my plan") are real evidence too.
    if len(intentions) > len(actions) or (not actions and not specific):
        shown = [s.text for s in (intentions or sents)[:2]]
        return [Finding("no-practice-evidence", "gap",
                        f"{ctx.cid} is a performance criterion: it needs what the learner did at work (first "
                        f"person, past tense, with whom and when); found {len(actions)} such statement(s) and "
                        f"{len(intentions)} of intention or general advice", tuple(shown),
                        f"{ctx.cid} needs evidence of what you actually did. Write in the first person and "
                        "past tense about real occasions (\"On 4 March I agreed with ...\"), name the people "
                        "and networks, and point to evidence such as emails or witness testimony.")]
    if len(actions) < need or not specific:
        # thin evidence in an answer under the usual length: neither signal alone is a verdict, both together
        # are (a two-sentence "I managed my time and took responsibility" has not shown the doing); but one
        # action dated and done with someone named is the doing, however concisely told ("Kerry and I agreed
        # in July 2025 that we never share client names ...")
        told = any(_DATED.search(a.text) and _NAMED.search(a.text) for a in actions)
        if ctx.section.words < ctx.pack.min_words(ctx.criterion) and not told:
            return [Finding("no-practice-evidence", "gap",
                            f"{ctx.cid} is a performance criterion: the answer is {ctx.section.words} words with "
                            f"{len(actions)} statement(s) of what was done"
                            + ("" if specific else " and no named people, dates or evidence"),
                            tuple(s.text for s in (actions or sents)[:1]),
                            f"{ctx.cid} needs evidence of what you actually did: say what you did, name the "
                            "people, give dates, and point to evidence (plans, records, witness testimony).")]
        return [Finding("no-practice-evidence", "warning",
                        f"{ctx.cid}: little first-person evidence of what was done "
                        f"({len(actions)} statement(s)) or no named people, dates or evidence",
                        tuple(s.text for s in (actions or sents)[:1]),
                        f"Make your evidence for {ctx.cid} specific: say what you did, name the people or "
                        "networks, give dates, and point to evidence (emails, minutes, witness testimony).")]
    return []
