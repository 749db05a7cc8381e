"""Log lines: a learner's own record of what they did, with its "I" left out ("Introduced Dev Mistry to Carl
Boateng (email, 20 May)", "12 March 2025 - gave a 15 minute talk at the branch meeting")."""

from __future__ import annotations


def past(token) -> bool:  # noqa: ANN001 - a spaCy Token
    """A verb in the past: in -ed, or inflected away from its lemma ("took", "gave") and not a present in -s."""
    word = token.lower_
    # the lemma's hash, not its text: a lemma set from the lookup table need not be in this doc's string store
    return word.endswith("ed") or token.lemma != token.lower and not word.endswith("s")


def past_opening(token) -> bool:  # noqa: ANN001 - a spaCy Token
    """A line opening with a capitalised verb in the past ("Took", "Introduced"); not a two-letter word, whose
    lemma differs as a determiner's or a pronoun's does ("An" -> "a", "Us" -> "we")."""
    return token.is_title and len(token) > 2 and past(token)


def dated(token, calendar: frozenset[str]) -> bool:  # noqa: ANN001 - a spaCy Token
    """A token of a date or the punctuation around it ("12", "March", "2025", "-")."""
    return token.is_punct or token.like_num or token.lower_ in calendar or token.is_space


def dated_opening(doc, start: int, verb: int, calendar: frozenset[str]) -> bool:  # noqa: ANN001 - a spaCy Doc
    """Only a date before the verb at `verb`: "May 2025 - introduced Dean Whitlock to Lisa Marsh"."""
    return verb > start and all(dated(doc[i], calendar) for i in range(start, verb))


LINE_WORDS = 4  # fewer words after the opening verb tell nothing done: a heading-like line


def logged(doc, start: int, end: int, calendar: frozenset[str], openers: frozenset[str],  # noqa: ANN001
           past_forms: frozenset[str]) -> bool:
    """The line from `start` to `end` is a log line: after any date its first word is a verb in the past
    ("Updated my LinkedIn profile in April ..."), and not a participle that only opens it ("Based on ...")."""
    j = start
    while j < end and dated(doc[j], calendar):
        j += 1
    if end - j < LINE_WORDS:
        return False
    word = doc[j].lower_
    # a lemma alone would take "An" (a) or "People" (person) for a verb: only -ed or a known past form
    return word not in openers and (word in past_forms or word.endswith("ed"))
