"""Small text utilities shared by sectioning and checks: a crude stemmer and stop words.

Sectioning runs before spaCy (it decides what spaCy reads), so it matches headings to criteria on
these cheap stems; the checks use spaCy's lookup lemmas.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

STOP = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers him his how i if in into is it its itself just me more most my
    no nor not of off on once only or other our ours out over own same she should so some such than
    that the their them then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your yours ac criterion
    criteria describe explain evaluate assess analyse analyze identify outline discuss role own use
    using need needed learner required
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_SUFFIXES = (("ities", ""), ("ity", ""), ("ations", ""), ("ation", ""), ("tions", ""), ("tion", ""),
             ("ments", ""), ("ment", ""), ("ness", ""), ("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""),
             ("s", ""), ("ly", ""))
_T = TypeVar("_T", bound=Callable)
_PER_CHECK: list = []  # the caches `forget` empties


def per_check(f: _T) -> _T:
    """A pure function of a string, remembered until the check ends (`forget`): one document asks the same
    names, labels and headings again and again; another document's are not worth keeping (and a benchmark
    repeating a file must not find them)."""
    cached = lru_cache(maxsize=65536)(f)
    _PER_CHECK.append(cached)
    return cached  # type: ignore[return-value]


def forget() -> None:
    """Empty every `per_check` cache (engine.evaluate, when a document's check ends)."""
    for cached in _PER_CHECK:
        cached.cache_clear()


_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Strip common English endings so that network/networks/networking meet."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix, keep in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            w = w[: -len(suffix)] + keep
            break
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


def alternation(phrases: Iterable[str]) -> str:
    """Phrases as one regex alternation, escaped, longest first (so "a further" is tried before "a")."""
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


@lru_cache(maxsize=256)
def whole_phrases(phrases: tuple[str, ...]) -> re.Pattern:
    """Any of the phrases as whole words, in any case (one pattern for a word list from rules/)."""
    return re.compile(rf"\b(?:{alternation(phrases)})\b", re.I)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


@per_check  # headings, labels and criteria are compared with many others
def content_stems(text: str) -> frozenset[str]:
    return frozenset(stem(t) for t in tokens(text) if t not in STOP and not t.isdigit())


@per_check
def stem_phrase(text: str) -> str:
    return " ".join(stem(t) for t in tokens(text))
