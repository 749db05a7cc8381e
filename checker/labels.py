"""Criterion labels: the ids a line opens or closes with ("AC 1.1:", "1.5 & 1.6", "A.P1 Explain ...",
"... which is why I chose it. (AC 1.4)"), and whether a label's words only restate the criterion."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .text import alternation, content_stems

_ID = r"(\d{1,2})\.(\d{1,2})(?![\d.]*\d)"
_IDS = rf"{_ID}(?:\s*(?:&|and|,|/|\+|;|-|–|—|to)\s*(?:AC\s*)?{_ID})*"
_PREFIX = (
    r"(?P<lo>LO\s*\d+\s*[,:.\-–—/]?\s*)?"
    r"(?P<word>ACs?|A\.C\.?|assessment\s+criteri(?:on|a)|criteri(?:on|a)|question|Q|task|section|part)?"
)
_LEAD = re.compile(
    rf"^(?P<open>[\(\[]?)\s*{_PREFIX}\s*[:.#\-–—]?\s*"
    rf"(?P<ids>{_IDS})"
    r"(?P<sep>[\s\)\].:;\-–—]*)(?P<rest>.*)$",
    re.I | re.S,
)
# "Interpersonal skills (AC 1.1)", "Choosing networks – AC1.2": a heading that ends with its criterion
_TRAIL = re.compile(
    rf"(?:[\(\[]\s*(?:ACs?\s*|criteri(?:on|a)\s*)?(?P<a>{_IDS})\s*[\)\]]|\s[-–—:|]\s*(?:ACs?|criteri(?:on|a))?\s*"
    rf"(?P<b>{_IDS}))\s*$",
    re.I,
)
# A signpost inside a paragraph: "AC1.1 asks me to ...", "Turning to shared agendas (AC 1.3), ...".
INLINE = re.compile(rf"(?:\bACs?\s?|\bcriteri(?:on|a)\s|\()(?P<ids>{_IDS})\)?", re.I)
# ... but not a cross reference ("as discussed in AC1.2", "(see 1.2)"): rules/verbs.yaml cross_references.


@lru_cache(maxsize=16)
def cross_pattern(words: tuple[str, ...]) -> re.Pattern:
    """A cross reference's words right before an id: "as discussed in AC", "see", "covered under"."""
    return re.compile(rf"(?:{alternation(words)})\s+(?:in|under|at|for|to)?\s*(?:AC\s?)?$", re.I)


_ID_RE = re.compile(_ID)
_RANGE = re.compile(r"^\s*(?:-|–|—|to)\s*(?:AC\s*)?$", re.I)


def expand(ids_text: str, known: list[str]) -> list[str]:
    """"1.5 & 1.6" -> [1.5, 1.6]; "3.4-3.6" -> [3.4, 3.5, 3.6]; only ids the pack knows."""
    found = [f"{a}.{b}" for a, b in _ID_RE.findall(ids_text)]
    ids: list[str] = []
    between = _ID_RE.split(ids_text)[3::3]  # text, a, b, text, a, b, ... text
    for i, cid in enumerate(found):
        if i and _RANGE.match(between[i - 1]) and ids and ids[-1] in known and cid in known:
            lo, hi = known.index(ids[-1]), known.index(cid)
            ids.extend(known[lo + 1 : hi + 1])
        elif cid not in ids:
            ids.append(cid)
    return [i for i in ids if i in known]


@dataclass(frozen=True)
class _Coded:
    """A pack's letter-coded ids ("A.P1", "AB.D1", "P3") and the patterns that find them, made once per pack."""

    ids: tuple[str, ...]
    lead: re.Pattern  # an id opening a line: "A.P1 Explain ...", "7/AB.D1:", "(P3) -"
    trail: re.Pattern  # ids in a reference closing a line: "(A.P2)", "- B.M2 and B.D1"
    one: re.Pattern  # any one of the ids


@lru_cache(maxsize=64)
def _coded(known: tuple[str, ...]) -> _Coded | None:
    ids = tuple(k for k in known if not re.fullmatch(r"\d{1,2}\.\d{1,2}", k))
    if not ids:
        return None
    alt = alternation(ids)  # longest first: "AB.D1" before "B.D1"
    one = rf"(?:\d{{1,2}}/)?(?:{alt})(?![\w.])"
    many = rf"{one}(?:\s*(?:&|and|,|/|\+|;)\s*{one})*"
    word = r"(?:(?:ACs?|criteri(?:on|a))\s*)?"
    return _Coded(
        ids,
        re.compile(rf"^[\(\[]?\s*(?:(?:AC|criterion)\s*)?(?:\d{{1,2}}/)?({alt})(?![\w.])[\s\)\].:;\-–—]*(.*)$",
                   re.S | re.I),
        re.compile(rf"(?:[\(\[]\s*{word}(?P<a>{many})\s*[\)\]]|\s[-–—:|]\s*{word}(?P<b>{many}))\s*$", re.I),
        re.compile(alt, re.I))


def _coded_label(text: str, known: list[str]) -> tuple[str, str] | None:
    """A letter-coded id at the start ("A.P1 Explain ...", "7/AB.D1:", "P3 -", "C1.A.1P1"): the packs of
    other awarding bodies number criteria this way; "1.1"-style ids are handled by _LEAD."""
    coded = _coded(tuple(known))
    if coded is None:
        return None
    m = coded.lead.match(text)
    return (next(k for k in coded.ids if k.lower() == m.group(1).lower()), m.group(2).strip()) if m else None


def trail(text: str, known: list[str]) -> tuple[re.Match[str] | None, tuple[str, ...]]:
    """The reference closing a line and the ids in it: "(AC 1.3)", "- 1.2", or any letter-coded id the pack
    has ("(A.P2)", "(B.M2 and B.D1)", "[7/AB.D1]")."""
    if m := _TRAIL.search(text):
        return m, tuple(expand(m.group("a") or m.group("b"), known))
    coded = _coded(tuple(known))
    if coded is None:
        return None, ()
    m = coded.trail.search(text)
    if not m:
        return None, ()
    said = coded.one.findall(m.group("a") or m.group("b"))
    ids = [next(k for k in coded.ids if k.lower() == x.lower()) for x in said]
    return m, tuple(dict.fromkeys(ids))


def trailing_label(text: str, known: list[str]) -> tuple[str, ...]:
    return trail(text, known)[1]


def parse_label(text: str, known: list[str]) -> tuple[tuple[str, ...], bool, str] | None:
    """Criterion ids at the start of a line: (ids, had a prefix or separator, the rest of the line)."""
    if coded := _coded_label(text, known):
        return (coded[0],), True, coded[1]
    m = _LEAD.match(text)
    if not m:
        return None
    ids = expand(m.group("ids"), known)
    if not ids:
        return None
    rest = m.group("rest").strip()
    marked = bool(m.group("open") or m.group("word") or m.group("lo") or re.search(r"[:)\]\-–—]", m.group("sep")))
    if not marked and rest and not (rest[0].isupper() or rest[0] in "“\"'‘"):
        return None  # "1.5 million people ..." is a number, not a label
    return tuple(ids), marked, rest


def restates(rest: str, criterion_text: str) -> bool:
    """The rest of a label line is the criterion's own wording (a restated AC, not an answer)."""
    a, b = content_stems(rest), content_stems(criterion_text)
    shared = len(a & b)  # "I compared five networks with my needs" shares words, not the criterion
    return len(a) >= 2 and shared >= 0.6 * len(a) and shared >= 0.5 * len(b)
