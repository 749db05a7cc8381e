"""A drafted part's terms: the words a learner covering it would write, drawn from its name alone.

A raw draft has no reviewer to add a learner's words, so the drafter adds what the name itself implies:
the other forms of its head word ("avoidance" -> "avoid", "evaluate" -> "evaluation"), the head of a long
name ("the choice of protection techniques used to ..." is about a choice), a list's shared word left off
("record incidents" in "identify, investigate, report and record incidents" is "record"), and general
synonyms of the head (words.yaml `part_synonyms`: "principles" -> "works by"). Every word list is data.
"""

from __future__ import annotations

import re
from functools import cache

from .analyse import _norm
from .words import words


@cache
def _lookup() -> dict[str, str]:
    from spacy.util import load_language_data, registry

    return load_language_data(registry.lookups.get("en")["lemma_lookup"])


@cache
def _known() -> frozenset[str]:
    """English words spaCy's lemma lookup knows (its forms and their lemmas): a derived form must be one."""
    return frozenset(_lookup()) | frozenset(_lookup().values())


def lemma(word: str) -> str:
    return _lookup().get(word.lower(), word.lower())


def derived(word: str) -> list[str]:
    """Other forms of one word by the derivation rules (words.yaml `derivations`): a rule marked `check`
    yields only a word the lemma table knows ("avoidance" -> "avoid", never "evalue" from "evaluation")."""
    word = word.lower()
    out = []
    for suffix, repl, check in words()["derivations"]:
        if not word.endswith(suffix) or len(word) - len(suffix) < 3:
            continue
        form = word[: len(word) - len(suffix)] + repl
        if form != word and (not check or form in _known()):
            out.append(form)
    return list(dict.fromkeys(out))


def head(name: str) -> str | None:
    """The word a long part name turns on: its verb ("implement a risk assessment system"), the verb of a
    clause ("how its IT system will be protected"), or its noun before any qualifier ("the choice of ...",
    "individual responsibility"). None for a short name whose modifier matters ("software threats")."""
    w = words()
    toks = [t.strip(",.;:") for t in name.split()]
    toks = [t for t in toks if t]
    while toks and (toks[0].lower() in w["head_skip"]):
        toks = toks[1:]
    if not toks:
        return None
    verbs = {v for v in w["command_verbs"] if " " not in v}
    if _norm(toks[0]) in verbs and len(toks) > 1:
        return _norm(toks[0])
    aux = set(w["auxiliaries"])
    for i, t in enumerate(toks[:-1]):
        if t.lower() in aux:
            j = i + 1
            while j < len(toks) - 1 and toks[j].lower() in aux:
                j += 1
            return lemma(toks[j])
    np_: list[str] = []
    for t in toks:
        if t.lower() in w["qualifiers"]:
            break
        np_.append(t)
    if not np_:
        return None
    modifiers = [t.lower() for t in np_[:-1]]
    if len(toks) >= 3 or (modifiers and all(m in w["soft_modifiers"] for m in modifiers)):
        return np_[-1].lower()
    return None


def forms(word: str) -> list[str]:
    """A head word's other forms; for a compound ("self-management"), its last word's too ("manage")."""
    out = derived(word)
    if "-" in word:
        last = word.rsplit("-", 1)[1]
        out += [last, *derived(last)]
    return list(dict.fromkeys(out))


def synonyms(word: str) -> list[str]:
    """General synonyms of a head word or of any of its forms (words.yaml `part_synonyms`)."""
    table = words()["part_synonyms"]
    out: list[str] = []
    for form in [word, *forms(word)]:
        out += table.get(form, [])
    return out


def _elsewhere(synonym: str, context: set[str]) -> bool:
    """A synonym that is (a form of) a word the criterion says elsewhere names that, not this part: "assess"
    for "evaluate risk" beside "a risk assessment system"."""
    return any(w in context or lemma(w) in context or set(forms(w)) & context for w in synonym.lower().split())


def part_terms(name: str, own: str | None = None, context: str = "") -> list[str]:
    """The name, its head and the head's forms and synonyms; `own` is the part's own word(s) where the name
    carries a word its list shares ("avoidance" in "risk avoidance"); `context` is the criterion's text, whose
    words outside this part no synonym may be."""
    mine = set(name.lower().split())
    said = {w for w in re.findall(r"[a-z][a-z-]*", context.lower()) if w not in mine}
    said |= {lemma(w) for w in said}
    terms = [name.lower()]
    core = own or name  # the head of "risk review strategies" is its own word "review", not "strategies"
    h = head(core)
    terms += [t.lower() for t in (own, h) if t]
    words_ = core.lower().split()
    word = words_[0] if len(words_) == 1 else h
    if word:
        terms += forms(word) + [t for t in synonyms(word) if not _elsewhere(t, said)]
    return list(dict.fromkeys(t for t in terms if re.search(r"\w", t)))
