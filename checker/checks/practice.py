"""Performance evidence: "Be able to" criteria need what the learner did, not what they would do."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from ..result import Finding
from . import Context

_DATE = re.compile(
    r"\b(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b"
    r"(?:\s+\d{4})?|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(?:19|20)\d{2}\b",
    re.I,
)
_NAMED = re.compile(r"\s(?!I\b)[A-Z][\w'’-]+")  # a capitalised word inside a sentence: a name
_ADVERB_SLOTS = 2  # "I then quickly contacted": up to two words between subject and verb


def _past(tok: Token, same_form: set[str]) -> bool:
    """Inflected away from its lemma ("met" -> "meet", "agreed" -> "agree"), or a same-form past ("set")."""
    low = tok.lower_
    return low in same_form or low.endswith("ed") or (tok.lemma != tok.lower and not low.endswith(("ing", "s")))


def is_action(sent: Span, subjects: set[str], auxiliaries: set[str], not_actions: set[str],
              same_form: set[str]) -> bool:
    """A first-person subject followed by a past-tense or perfect verb ("I introduced", "we have met")."""
    toks = list(sent)
    for i, tok in enumerate(toks):
        if tok.lower_ not in subjects:
            continue
        for nxt in toks[i + 1 : i + 2 + _ADVERB_SLOTS]:
            low = nxt.lower_
            if low in not_actions or not nxt.is_alpha:
                break
            if low in auxiliaries:  # have shared / was invited / had agreed
                after = nxt.nbor(1) if nxt.i + 1 < len(nxt.doc) else None
                return after is not None and after.is_alpha and _past(after, same_form)
            if _past(nxt, same_form):
                return True
    return False


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
    practice = ctx.pack.library.practice
    subjects = {s.lower() for s in practice.subjects if " " not in s}
    aux = set(practice.auxiliaries)
    stop = set(practice.not_actions)
    sents = [s.span for s in ctx.analysis.sentences]
    same_form = set(practice.same_form_past)
    actions = [s for s in sents if is_action(s, subjects, aux, stop, same_form)]
    starts = {sp.sent.start for sp in ctx.analysis.spans("practice|intention")}
    intentions = [s for s in sents if s.start in starts]
    need = practice.min_actions
    specific = bool(ctx.analysis.count("practice|evidence") or _DATE.search(ctx.section.text)
                    or any(_NAMED.search(s.text) for s in ctx.analysis.sentences))
    # Evidence is wanting where intentions and advice outweigh what was done, or where nothing was
    # done and nothing specific is named. Few "I did" sentences beside names and dates is only a warning:
    # terse tables and notes ("agreed with Rachel, recorded in my plan") are real evidence too.
    if len(intentions) > len(actions) or (not actions and not specific):
        shown = [s.text.strip() for s in (intentions or sents)[:2]]
        return [Finding("no-practice-evidence", "gap",
                        f"{ctx.cid} is a performance criterion: it needs what the learner did at work (first "
                        f"person, past tense, with whom and when); found {len(actions)} such statement(s) and "
                        f"{len(intentions)} of intention or general advice", tuple(shown),
                        f"{ctx.cid} needs evidence of what you actually did. Write in the first person and "
                        "past tense about real occasions (\"On 4 March I agreed with ...\"), name the people "
                        "and networks, and point to evidence such as emails or witness testimony.")]
    if len(actions) < need or not specific:
        return [Finding("no-practice-evidence", "warning",
                        f"{ctx.cid}: little first-person evidence of what was done "
                        f"({len(actions)} statement(s)) or no named people, dates or evidence",
                        tuple(s.text.strip() for s in (actions or sents)[:1]),
                        f"Make your evidence for {ctx.cid} specific: say what you did, name the people or "
                        "networks, give dates, and point to evidence (emails, minutes, witness testimony).")]
    return []
