"""One item under several names counts once: the same lexicon item, a name and its abbreviation, a first
name after the full name, "the forum" after "Lakes Hoteliers Forum", a body and its regional branch, a
theory and its author's name for it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from .names import Names, base, initials, normal
from .text import STOP, per_check

_WORD = re.compile(r"[A-Za-z][\w’'-]*")
_CAPITALISED = re.compile(r"[A-Z][a-z]+")

if TYPE_CHECKING:
    from .items import Item


_CALLED = re.compile(r"\(([A-Z][a-z]+)\)")  # a first name in brackets


def merge(items: list[Item], names: Names, kind: str) -> list[Item]:
    """One item under several names counts once: the same lexicon item, a name and its abbreviation, a
    first name after the full name, "the forum" after "Lakes Hoteliers Forum", a body and its branch."""
    out: list[Item] = []
    # what each kept item's comparisons read, made once per item rather than once per pair (merge is asked of
    # every candidate against every one kept: the pairs grow with the square of the names)
    kept: list[tuple[list[str], set[str], str, set[str]]] = []  # its key's words, as a set, its normal name, its words
    pool: set[str] = set()  # the words of every kept key
    branch, orgs = names.words.branch, names.words.orgs
    acronyms = names.acronyms
    defined = names.defined
    for item in items:
        low = item.key.lower()
        key = acronyms.get(low, names.short_labels.get(low, low)) if " " not in low else low
        words = key.split()
        set_words = set(words)
        said_name = normal(item.name)
        said = set(said_name.split())
        if kind != "concept" and len(said) > 1 and any(said <= o_said for _ow, _sow, _name, o_said in kept):
            continue  # "Managers' Forum" after "Wakefield Practice Managers' Forum"
        same = None
        if len(words) > 3 and "and" in words and set_words - {"and"} <= pool:
            continue  # "Deputies' Network and EAL Hub East": two items already counted, named together
        by = authors(item.name) if kind == "concept" else frozenset()
        # a person described by role, their first name in brackets ("Registered manager of Oakfield (Angela)")
        called = set(_CALLED.findall(item.quote)) if kind == "person" else set()
        short = item.name.lower()  # an abbreviation as written ("LPI")
        said_words = item.name.split()
        for o, (ow, set_ow, o_name, _said) in zip(out, kept, strict=True):
            if by & authors(o.name) or kind == "concept" and told_by(item, o, names.text):
                same = o  # "Swiss cheese model (James Reason)" and "Reason's model": one theory, its author's
                break
            if called and o.name.split()[0] in called:
                same = o  # ... after "Angela Shaw": one person
                break
            if key == o.key or said_name == o_name or key == o_name or (
                    set_words <= set_ow and kind != "concept"):
                same = o
                break
            if set_ow <= set_words and kind != "concept" and (
                    set_words - set_ow <= branch or kind == "person"):
                same = o  # "CIPD Kent branch" after "CIPD"; "Kerry Lynch" after "Kerry"
                break
            if set_ow <= set_words and kind == "organisation" and any(
                    w not in orgs and w not in branch and w not in STOP for w in ow) \
                    and not (key in defined and o.key in defined):  # EARMA and ARMA: each its own abbreviation
                same = o  # "National Ambulance EOC Managers' Group" after "EOC Managers' Group"; "Institute of
                break  # Hospitality's Yorkshire and North East" after the Institute: one body by its own name
            if kind == "organisation" and len(said_words) > 1 and said_words[0].isupper() \
                    and (said_words[0].lower() in (initials(o.key), o.key)
                         or acronyms.get(said_words[0].lower()) == o_name) \
                    and all(w[:1].isupper() and base(w.lower()) not in orgs for w in said_words[1:]):
                same = o  # "CILT Yorkshire" after "Chartered Institute of Logistics and Transport": its region
                break
            rest = set_words - branch
            if rest and rest <= set_ow and rest <= orgs and ow[-1] in rest and kind == "organisation":
                same = o  # "the union branch" after "Fire Brigades Union"
                break
            if len(words) == 1 and (initials(o.key) == key or acronyms.get(key) == o.key):
                same = o
                break
            if " " not in short and kind != "concept" and short in acronyms and len(ow) > 1 \
                    and set_ow <= set(acronyms[short].split()) \
                    and not any(v == o.key for k, v in acronyms.items() if k != short):  # EARMA is not ARMA
                same = o  # "LPI" after "Performance Institute" cut from "Learning and Performance Institute (LPI)"
                break
            if len(ow) == 1 and (initials(key) == o.key or acronyms.get(o.key) == key):
                same = o
                break
            if kind == "organisation" and (initials(key) in ow[-1:] or initials(o.key) in words[-1:]):
                same = o  # "Highway Authorities and Utilities Committee" after "Midlands HAUC"
                break
            if kind != "concept" and words and words[0] in (o.key, initials(o.key)) \
                    and set(words[1:]) <= branch | {w for w in words[1:] if w[:1].isalpha()} \
                    and any(w in branch for w in words[1:]):
                same = o  # "CSP Scotland network" after "Chartered Society of Physiotherapy (CSP)"
                break
            if kind == "organisation" and len(ow) > 1 and ow[0] in (low, initials(key)) and set(ow[1:]) <= branch:
                same = o  # "GCMA" after "GCMA Wales": the body after its own region
                break
            if kind == "organisation" and (_opened_by(item.name, o.name) or _opened_by(o.name, item.name)):
                same = o  # "BPIF" after "BPIF (British Printing Industries Federation) North West": the name's own
                break  # abbreviation, first, however the lexicon keyed the longer name
        if same is None:
            out.append(replace(item, key=key))
            kept.append((words, set_words, said_name, said))
            pool.update(words)
    return out


def _opened_by(short: str, name: str) -> bool:
    """An abbreviation, written alone, that opens a longer name ("BPIF" of "BPIF North West")."""
    return " " not in short and len(short) > 1 and short.isupper() and name.split()[0] == short \
        and len(name.split()) > 1


@per_check  # asked of every kept concept for every candidate
def authors(name: str) -> frozenset[str]:
    """Proper names inside a concept's name, not its first word: "Reason" in "Swiss cheese model (James
    Reason)" and in "Reason's model of accident causation" names whose theory it is."""
    words = _WORD.findall(name)
    return frozenset(base(w) for i, w in enumerate(words) if w[0].isupper() and (i > 0 or w.endswith(("'s", "’s")))
                     and w.lower() not in STOP and not w.isupper())


def told_by(item: Item, other: Item, text: str) -> bool:
    """Two concepts in one paragraph, one named by its author and the other told with that author's name:
    "The Swiss Cheese Model, developed by James Reason, ... Reason's model shows ..." is one theory."""
    para = text.rfind("\n", 0, item.start)
    if para != text.rfind("\n", 0, other.start):
        return False
    return bool(authors(item.name) & set(_CAPITALISED.findall(other.quote))
                or authors(other.name) & set(_CAPITALISED.findall(item.quote)))
