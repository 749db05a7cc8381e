"""Names in an answer: the people and the bodies it names, how a name is written, shortened and compared.

A person is two or three capitalised words, or a title and a name, that are not a job, a body, a date
or a place. A body is a capitalised phrase with an organisation word ("Kent Hoteliers' Forum"), a brand's
own capitals ("TechSPARK"), an abbreviation the document defines, or a name the answer says is a body.
The word lists are the item library's (rules/items.yaml); what the whole document shows about its names
(its abbreviations, its labels, names that are places) is `Known`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from .document import Block
from .packs import ItemLibrary
from .text import STOP, alternation, per_check

LABEL_WORDS = 6  # a label longer than this is a sentence, not an item's name

_UP, _LOW = "A-ZÀ-ÖØ-ÞĀ-ž", "a-zß-öø-ÿĀ-ž"  # accents too, Latin-1 and Extended-A: "Siân", "Zoë", "Zieliński", "Łukasz"
_CAP = rf"[{_UP}][{_LOW}'’]+(?:-[{_UP}][{_LOW}'’]+)?"
_ORG_CAP = rf"[{_UP}][{_LOW}'’]+(?:-[{_UP}{_LOW}][{_LOW}'’]+)?"  # a body's word may run on: "Buyers' Meet-up"
ACRONYM_WORD = r"(?:[A-Z]{1,4}&[A-Z][A-Za-z]{0,5}|[A-Z][A-Za-z]*[A-Z][A-Za-z]*)\b"  # "CIPD", "BH&HPA", "LinkedIn"
_ORG_WORD = rf"(?:{ACRONYM_WORD}|[a-z]+[A-Z]{{2,}}[A-Za-z]*\b|{_ORG_CAP}\b)"
_ORG = re.compile(rf"\b{_ORG_WORD}(?:[’']s?)?(?:\s+(?:(?:of|and|for|&|the|in|on)\s+)?{_ORG_WORD}(?:[’']s?)?)*")
_CAP_RUN = re.compile(rf"\b{_CAP}(?:[ \t]+{_CAP})+")
_ACRONYM_DEF = re.compile(r"([A-Z][\w&’' -]{2,80}?)\s*\(([A-Z][A-Za-z&]{1,7})\)")  # "(BH&HPA)" too
_DEFINITION_RUN = re.compile(r"[\w&’'\s()-]+")  # every character _ACRONYM_DEF can match
_ACRONYM_FIRST = re.compile(r"\b([A-Z][A-Za-z&]{1,7})\s*\(([A-Z][^()]{4,80})\)")
# compiled once here rather than looked up in re's cache on each of the thousands of calls per document
_LOWER_AFTER = re.compile(r"(?:\s+[a-z][a-z-]*){1,3}")
_CAP_WORD = re.compile(rf"{_CAP}$")
_AND = re.compile(r"\s+(?:and|&)\s+")
_WHICH = re.compile(r"(?:\s*\([A-Za-z&]{2,10}\))?,\s+which\s+([a-z]+)")
_LIST_LEAD = re.compile(r"\s[-–—]\s|:\s")  # where a list line's name ends and what it says begins
_OWNER = re.compile(r"\b(?:at|from|in)\s+(?:the\s+)?(?:[A-Z][\w'’&-]*\s+){1,5}\($")
_JOINING = frozenset({"and", "&", "or"})  # words inside one phrase of a description
_APPOSITION = re.compile(r"(?:\s*\([A-Za-z&]{2,10}\))?(?:,\s+|\s+(?:is|was)\s+)(?:the|a|an)\s+([^,.;:()]{2,80})")
DASHED = re.compile(r"\s+[-–—]\s+(?:(?:the|a|an)\s+)?([^,.;:()]{2,80})")  # a list line's "ukactive – big national body"
_JOINERS = ("of", "and", "for", "the", "&", "in", "on")  # the small words inside a body's name
_ARTICLES = ("the", "a", "an", "my", "our")


@lru_cache(maxsize=64)
def _person_pattern(titles: tuple[str, ...]) -> re.Pattern:
    """Two or three capitalised words, or a title (rules/items.yaml `titles`) and one or two."""
    title = f"(?:{alternation(t.capitalize() for t in titles)})\\.?"
    return re.compile(rf"\b(?:{title}\s+{_CAP}(?:\s+{_CAP})?|{_CAP}(?:\s+{_CAP}){{1,2}})\b")


@lru_cache(maxsize=64)
def _ending_in(words: tuple[str, ...]) -> re.Pattern:
    """A text ending in one of these words, maybe with an opening quote: "the LinkedIn group '"."""
    return re.compile(rf"\b(?:{alternation(words)})\s+[‘'\"“]?$")


@lru_cache(maxsize=4096)
def whole(phrase: str) -> re.Pattern:
    """A phrase as a whole word or words (compiled once per phrase)."""
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")


def _capitals(word: str) -> int:
    return sum(map(str.isupper, word))


def base(word: str) -> str:
    """A word without its possessive: "hoteliers'" -> "hoteliers", "kent's" -> "kent"."""
    word = word.strip("’'")
    return word[:-2] if word.endswith(("’s", "'s")) else word


def words_of(text: str) -> list[str]:
    return list(_words(text))


_WORD = re.compile(r"[a-z0-9][a-z0-9'’&-]*")


@per_check
def _words(text: str) -> tuple[str, ...]:  # the same names and labels are split again and again: once each
    return tuple(_WORD.findall(text.lower()))


def singular(word: str) -> str:
    return word[:-3] + "y" if word.endswith("ies") else word[:-1] if word.endswith("s") and not word.endswith("ss") \
        else word


def clean(name: str) -> str:
    """A name as written, without list marks, a trailing unbalanced bracket or stray punctuation."""
    name = " ".join(name.split()).strip(" .:;,-–—•*")
    if name.count("(") > name.count(")"):
        name = name[: name.rfind("(")].rstrip(" ,;:-–—")
    if name.count(")") > name.count("("):
        name = name.replace(")", "")
    return name.strip(" .:;,-–—")


@per_check
def normal(name: str) -> str:
    return " ".join(base(w) for w in words_of(name) if w not in _ARTICLES)


@per_check
def initials(name: str) -> str:
    return "".join(w[0] for w in words_of(name) if w not in _JOINERS)


@per_check
def abbreviations(name: str) -> frozenset[str]:
    """Ways a name is shortened: its initials ("uk warehousing association" -> "uwa", and with a capitalised
    abbreviation kept whole, "ukwa"), and its first word when that is an abbreviation ("CILT ... group")."""
    words = [w for w in name.split() if w.lower() not in _JOINERS]
    out = {initials(name), "".join(w[0] for w in words_of(name))}  # "IoH" keeps the "of"
    if words:
        out.add("".join(w.lower() if w.isupper() and len(w) > 1 else w[0].lower() for w in words))
        if _capitals(words[0]) >= 2:
            out.add(words[0].lower())
    return frozenset(a for a in out if len(a) >= 2)


def acronyms(text: str) -> dict[str, str]:
    """Abbreviations a text defines: "Institute of Hospitality (IoH)" -> {"ioh": "institute of hospitality"},
    and the other way round, "UCISA (Universities and Colleges Information Systems Association)"."""
    out: dict[str, str] = {}
    if "(" not in text:  # both patterns need a bracket: most answers' sentences have none
        return out
    for m in _first_definitions(text):
        short, full = m.group(1), m.group(2).split(",")[0]
        if short.lower().replace("&", "") in abbreviations(full) or _initials_but_last(short, full.split()):
            out[short.lower()] = normal(full)
    for m in _definitions(text):
        full, short = m.group(1), m.group(2)
        words = full.split()
        letters = short.lower().replace("&", "")  # "BH&HPA" of "British Holiday & Home Parks Association"
        for n in range(1, min(len(words), 8) + 1):  # the shortest tail whose initials make the acronym
            tail = " ".join(words[-n:])
            if letters.rstrip("s") in abbreviations(tail) or letters in abbreviations(tail):
                out[short.lower()] = normal(tail)
                break
        else:  # initials with a word left out: "National Hair & Beauty Federation (NHF)"
            for n in range(2, min(len(words), 8) + 1):
                if _initials_in_order(short, words[-n:]) or _initials_but_last(short, words[-n:]):
                    out[short.lower()] = normal(" ".join(words[-n:]))
                    break
    return out


def _initials_in_order(short: str, words: list[str]) -> bool:
    """Each capital of an abbreviation starts a word of the name, in order, the first its first word and the
    last its last ("NHF" of "National Hair & Beauty Federation"); its small letters go on the word before
    ("CertVPM"). Words may be left out between, as learners shorten names."""
    caps = [c for c in short if c.isupper()]
    names = [w for w in words if w[:1].isupper()]
    if len(caps) < 2 or not names or caps[0] != names[0][0] or caps[-1] != names[-1][0]:
        return False
    k = 0
    for c in caps:
        while k < len(names) and names[k][0] != c:
            k += 1
        if k == len(names):
            return False
        k += 1
    return True


def _initials_but_last(short: str, words: list[str]) -> bool:
    """An abbreviation of three capitals or more that leaves the name's last word out ("ABC" of "Association of
    British Climbing Walls"): beside its name in brackets, the two are one body."""
    return sum(map(str.isupper, short)) >= 3 and len(words) >= 4 and words[-1][:1].isupper() \
        and _initials_in_order(short, words[:-1])


def _first_definitions(text: str) -> Iterator[re.Match]:
    """_ACRONYM_FIRST's matches, as `finditer` over the whole text gives them, trying only the starts that reach
    a bracket: a match's bracket is the first after its start, with at most 8 letters and a run of whitespace
    before it, so its start lies in the few characters before that bracket (`match` at a position sees the
    characters before it, as `finditer` does, for the pattern's opening \\b)."""
    pos = 0
    while (bracket := text.find("(", pos)) >= 0:
        start = bracket
        while start > pos and text[start - 1].isspace():  # str.isspace is the pattern's whitespace
            start -= 1
        for at in range(max(pos, start - 8), bracket):
            m = _ACRONYM_FIRST.match(text, at)
            if m:
                yield m
                pos = m.end()
                break
        else:
            pos = bracket + 1  # no match holds this bracket; none starting before it holds a later one


def _definitions(text: str) -> Iterator[re.Match]:
    """_ACRONYM_DEF's matches, as `finditer` over the whole text gives them, found faster: its lazy 80-character
    name is tried at every capital of the text, but no match holds a character outside _DEFINITION_RUN (a full
    stop, a comma) and every match holds a bracket, so only the runs of those characters with a bracket are
    searched (the pattern looks at nothing outside its match)."""
    for run in _DEFINITION_RUN.finditer(text):
        if "(" in run.group():
            yield from _ACRONYM_DEF.finditer(run.group())


def camel(word: str) -> bool:
    """Mixed case with two or more capitals inside a word: "TechSPARK", "itSMF", "LinkedIn" (not an
    abbreviation's plural, "GMs", "AGMs", "MPs")."""
    w = word.strip("’'.,")
    plural = w.endswith("s") and w[:-1].isupper()
    return not w.isupper() and not plural and _capitals(w) >= 2 and any(map(str.islower, w))


@dataclass(frozen=True)
class Words:
    """The item library's word lists as sets, made once per library."""

    facets: frozenset[str]
    roles: frozenset[str]
    orgs: frozenset[str]
    not_names: frozenset[str]
    titles: frozenset[str]
    branch: frozenset[str]
    documents: frozenset[str]
    credentials: frozenset[str]
    credential_starts: tuple[str, ...]  # "CertVPM", "PGDip": a qualification's short form
    platforms: frozenset[str]  # "Facebook": before a kind of group, the group's name
    described_as: frozenset[str]  # "programme": heading a description of a name, a network's kind
    body_verbs: frozenset[str]  # "runs": after ", which", what a body does
    ordinals: frozenset[str]  # the one-word ones
    calendar: frozenset[str]
    place_before: frozenset[str]
    source_before: frozenset[str]
    kinds: frozenset[str]  # kinds of network that end a body's name
    person: re.Pattern
    kind_before: re.Pattern  # a group's kind right before its own name

    # unions asked for every capitalised run of every sentence: made once per library, not per run
    @cached_property
    def before_body(self) -> frozenset[str]:  # "in Long Eaton", "at Bright Sparks Nursery"
        return self.place_before | self.source_before

    @cached_property
    def heads(self) -> frozenset[str]:  # words heading a description that makes a name a body
        return self.orgs | self.described_as

    @cached_property
    def no_person(self) -> frozenset[str]:  # words no person's name holds
        return self.roles | self.orgs | self.not_names | self.facets

    @cached_property
    def generic(self) -> frozenset[str]:  # words of a generic body ("Professional body")
        return self.orgs | self.facets | STOP | self.roles

    @cached_property
    def no_name_of(self) -> frozenset[str]:  # words of no person a body is "of"
        return self.orgs | self.roles | self.branch | self.titles | self.not_names

    @classmethod
    def of(cls, lib: ItemLibrary) -> Words:
        held = _WORDS.get(id(lib))  # by identity: a library holds lists, so it is not hashable
        if held is None or held[0] is not lib:
            held = _WORDS[id(lib)] = (lib, cls(
                frozenset(lib.facets), frozenset(lib.roles), frozenset(lib.organisation_words),
                frozenset(lib.not_names), frozenset(lib.titles), frozenset(lib.branch_words),
                frozenset(lib.documents), frozenset(lib.credentials), tuple(lib.credential_starts),
                frozenset(lib.platforms), frozenset(lib.described_as), frozenset(lib.body_verbs),
                frozenset(w for w in lib.ordinals if " " not in w), frozenset(lib.calendar),
                frozenset(lib.place_before), frozenset(lib.source_before), network_kinds(lib),
                _person_pattern(tuple(lib.titles)), _ending_in(tuple(lib.group_kinds))))
        return held[1]


_WORDS: dict[int, tuple[ItemLibrary, Words]] = {}


@per_check  # asked of every label in every sentence of an answer
def name_like(label: str, calendar: frozenset[str]) -> bool:
    """A label that reads as a proper name: an abbreviation ("itSMF UK", "TechSPARK") or two capitalised
    words ("Business West"); "Development goals" is a facet of the answer, not a network."""
    words = [w for w in label.split() if len(w) > 1]  # "I" is no name
    if any(_capitals(w) >= 2 for w in words):
        return True
    # "The meetings are on Wednesday morning": a sentence's capital and a day's are not a name's
    return sum(w[:1].isupper() and w.lower() not in STOP and w.lower() not in calendar for w in words) >= 2


def network_kinds(lib: ItemLibrary) -> frozenset[str]:
    """Kinds of network that end a body's name ("PCN forum", "discussion groups"): organisation words that are
    also a body's parts; "branch" and "region" name a part of another body, not a body."""
    return frozenset(lib.organisation_words) & frozenset(lib.branch_words) - {"branch", "region"}


def kind_after(text: str, end: int, orgs: frozenset[str], kinds: frozenset[str]) -> str:
    """Lower-case words that go on naming a capitalised body, ending in a kind of network, with at most one
    other word before it: "Sheffield Central PCN forum", "Humber Freeport business network" (not "Gwyn
    Davies farms at ...")."""
    m = _LOWER_AFTER.match(text[end:end + 60])
    words = m.group().split() if m else []
    for n in range(len(words), 0, -1):
        head, other = words[n - 1], [w for w in words[: n - 1] if w not in orgs]
        if head in kinds and len(other) <= 1 and not any(w in STOP for w in words[:n]):
            return "".join(" " + w for w in words[:n])
    return ""


class Names:
    """Finds the people and bodies named in an answer's texts (pure: a function of the answer and the data)."""

    def __init__(self, text: str, words: Words, in_lexicon: Callable[[str], Sequence[object]],
                 known: Known | None = None) -> None:
        known = known or Known()
        self.text, self.words, self.in_lexicon = text, words, in_lexicon  # the whole answer, for what it repeats
        self.known = known.acronyms  # abbreviations defined elsewhere in the document
        self.labels = known.labels  # names the document gives as labels (its tables, lead-ins)
        self.not_people = known.not_people
        self.document = known.text or text
        self._people: dict[str, list[tuple[int, str]]] = {}  # names found per text, asked for many times
        self._orgs: dict[str, list[tuple[int, str]]] = {}

    def person_names(self, text: str) -> list[tuple[int, str]]:
        if text not in self._people:
            self._people[text] = self._person_names(text)
        return self._people[text]

    def _person_names(self, text: str) -> list[tuple[int, str]]:
        """People named in a text: two or three capitalised words, or a title and a name; not a job title,
        an organisation, a date or a place word."""
        s = self.words
        out = []
        orgs = [
            (a, a + len(n)) for a, n in self.org_names(text)]
        for m in s.person.finditer(text):
            if any(a <= m.start() < b for a, b in orgs):
                continue  # "Nidd Valley Dental Practice", "Sheffield Children's Hospital"
            before = text[max(0, m.start() - 8):m.start()].split()[-1:]
            if before and before[0].lower() in s.before_body:
                continue  # "in Long Eaton", "at Bright Sparks Nursery", "from Vine Bottle Shops": a place or a body
            if _OWNER.search(text, max(0, m.start() - 80), m.start()):
                continue  # "at Carrow Vale Depot (Eastline Trains)": the body that owns the one just named
            raw = m.group()
            words = [w.lower().rstrip(".") for w in raw.split()]
            while words and (words[0] in STOP or words[0] in s.not_names or words[0] in s.roles):
                words = words[1:]  # "In March", "Inspector Gareth Lloyd", "Sergeant Priya Lal"
            raw = " ".join(raw.split()[len(raw.split()) - len(words):])
            at = m.start() + m.group().rfind(raw)
            longer = s.person.match(text, at) if words and words[0] in s.titles else None
            if longer and len(longer.group()) > len(raw):  # "With Dr Sandeep Rao": the title's name in full
                raw = longer.group()
                words = [w.lower().rstrip(".") for w in raw.split()]
            named = [w for w in words if w not in s.titles]
            if len(named) < 1 or (len(named) < 2 and len(named) == len(words)):
                continue
            if len(named) >= 2 and any(w.endswith(("'s", "’s", "s'", "s’")) for w in named[:-1]):
                continue  # "Doyle's Bodyshop", "District Clerks' Cluster": a possessive inside, no one's name
            bad = s.no_person
            if any(base(w) in bad or w in bad or w.endswith("ies") and singular(w) in bad for w in named):
                continue  # ("Calderdale Libraries": a library; a surname may end in "s": "Chloe Banks")
            ahead = text[max(0, at - 30):at].split()[-2:]
            if named == words and (ahead and (ahead[-1].lower() == "the" or ahead[-1].endswith(("’s", "'s"))
                                              or len(ahead) == 2 and ahead[0].lower() == "the"
                                              and ahead[1].islower() and ahead[1].isalpha())
                                   or m.group().lower().startswith("the ")):
                continue  # "The Fat Cat", "the neighbouring Severnvale Archives", "Innovate UK's Biomedical
                # Catalyst": no one's name
            after = text[m.end():m.end() + 20].split()[:1]
            if after and after[0].lower().strip(",.;:)") in s.roles:
                continue  # "Social Prescribing Link Worker": a job's title, not a person's name
            if text[m.end():m.end() + 1] == " " and after and 2 <= len(after[0]) <= 4 and after[0].isalpha() \
                    and after[0].isupper() and after[0].lower() not in s.credentials:
                continue  # "Plant Hire UK", "Women in Logistics NW": a body's name ("Priya Shah MBE" is hers)
            if len(m.group().split()) == 3 and text[m.end():m.end() + 1] == " " and after \
                    and _CAP_WORD.match(after[0]) and after[0].lower() not in STOP:
                continue  # "Peak District National Park": three capitalised words of a longer name are a place's
            if self.in_lexicon(raw) or normal(raw) in self.not_people \
                    or normal(" ".join(raw.split()[:2])) in self.not_people:
                continue  # "Hollins End" is where the classes are; "Humber Quay" (and "Severn Trent Water", of
                # "Helen at Severn Trent") the employer
            out.append((at, raw))  # where the name itself starts
        return out

    def org_names(self, text: str) -> list[tuple[int, str]]:
        if text not in self._orgs:
            self._orgs[text] = self._split_org_names(text)
        return self._orgs[text]

    def _split_org_names(self, text: str) -> list[tuple[int, str]]:
        """Organisations and networks named in a text: a capitalised phrase with an organisation word
        ("Kent Hoteliers' Forum"), or an acronym the answer defines or the pack knows; "X and Y" is two
        when each half is a name on its own."""
        out = []
        for start, raw in self._org_names(text):
            halves = _AND.split(raw)
            named = self.words.kind_before.search(text[max(0, start - 30):start]) or \
                self.apposed_body(text[start + len(raw):start + len(raw) + 80])
            # a name whose initials the answer uses as one word is one name: "Highway Authorities and Utilities
            # Committee" beside "HAUC"
            letters = initials(raw)
            named = named or len(letters) >= 3 and bool(whole(letters.upper()).search(self.text)) \
                or normal(raw) in self.defined  # "National Hair & Beauty Federation (NHF)": one body
            if len(halves) > 1 and not named:  # a group's own name is one name: "UK Ports and Logistics ..."
                parts = [(start + raw.find(h), h) for h in halves]
                # "Society of Trust and Estate Practitioners", "Institute of Export & International Trade": an
                # "and" inside the "of" of a body's name joins what the body is of, unless each half is a body
                inside_of = " of " in halves[0] and not all(
                    words_of(h)[-1:] and base(words_of(h)[-1]) in self.words.orgs for h in halves[1:])
                if not inside_of and any(self._org_names(h) for _, h in parts) and all(
                        self._org_names(h) or len(h.split()) >= 2 and not set(words_of(h)) <= self.words.branch
                        for _, h in parts):
                    out += parts
                    continue
            out.append((start, raw))
        return out

    def _org_names(self, text: str) -> list[tuple[int, str]]:
        s = self.words
        out = []
        for m in _ORG.finditer(text):
            raw = m.group().rstrip("’'")
            if name_like(raw, s.calendar) or raw.lower() in s.platforms:  # "... PCN forum", "Facebook group"
                raw += kind_after(text, m.end(), s.orgs, s.kinds)
            raw = self._trim(raw)
            if not raw:
                continue
            words = [w.lower().strip("’'") for w in raw.split()]
            if _credential(words, s) or camel(raw) and raw.lower().startswith(s.credential_starts):
                continue  # "Chartered IT Professional", "EngTech", "Certificate in Housing", "CertVPM": held
            if set(words) <= s.branch:
                continue  # "West Midlands branch", "UK chapter": a part of a body named before, or a place
            proper = len(words) >= 2 and name_like(raw, s.calendar) or camel(raw) or raw.isupper() and len(raw) >= 3
            # one capitalised word is a name where what follows says it is a body: "Resolve, the national ASB
            # membership body, provides ..."
            lone = len(words) == 1 and words[0] not in STOP and words[0] not in s.not_names \
                and words[0] not in s.ordinals and words[0] not in s.orgs
            if (proper or lone) and (
                    self.words.kind_before.search(text[max(0, m.start() - 30):m.start()])
                    or self.apposed_body(text[m.end():m.end() + 80])):
                out.append((m.start(), raw))  # "the LinkedIn group UK Ports and Logistics Professionals"
                continue
            brand = [w for w in raw.split() if camel(w) and w.lower() not in s.not_names]
            if brand and (len(words) > 1 or self.text.count(raw) >= 2 or raw in self.labels):
                # "TechSPARK", "itSMF UK": a brand's own capitals name a body (a lone one named twice)
                out.append((m.start(), raw))
                continue
            if len(words) == 1 and _capitals(raw) >= 2:
                if raw.lower() in self.acronyms or self.in_lexicon(raw) or raw.lower() in self.short_labels:
                    out.append((m.start(), raw))
                continue
            bare = {base(w) for w in words}
            first = raw.split()[0]
            if len(words) > 1 and first.isupper() and len(first) >= 3 and words[0] not in s.not_names \
                    and set(words[1:]) <= s.branch:
                out.append((m.start(), raw))  # "RIBA South West": a body's regional group
                continue
            # "Group Spa Director" ends in one person's job ("... Managers' Forum", "Association of ... Managers"
            # in a body of them)
            job = words[-1] in s.roles and not words[-1].endswith("s") and words[-1] not in s.orgs
            if (words[0] in s.roles or words[-1] in s.roles) and words[0] not in s.orgs \
                    and words[-1] not in s.orgs or job or words[0] in s.roles and words[1:2] == ["of"]:
                continue  # "Head of IT Service Management", "Service Desk Manager": a job, not a body
            if words[-1] in s.documents:
                continue  # "Bus Service Improvement Plan" is a document, not a body
            generic = bare <= s.generic  # "Professional body"
            # (but a name of such words that the answer abbreviates is a body's: "Association of Volunteer
            # Managers (AVM)")
            if bare & s.orgs and (not generic or len(words) >= 3 and words[-1] in s.orgs
                                  or normal(raw) in self.defined):
                out.append((m.start(), raw))
        return out

    def _trim(self, raw: str) -> str:
        """A capitalised run cut to the name it holds: without leading stop words, ordinals or non-names
        ("Finally the LinkedIn group"), a person it is "of" ("Mark Ellison of Purbeck Engineering"), or a date
        after it ("Institute of Water in May")."""
        s = self.words
        tokens = raw.split()
        words = [w.lower().strip("’'") for w in tokens]
        lead = 0
        # a region may open a body's name ("West Midlands Housing Forum"); a month or "Through" does not
        while lead < len(words) and (words[lead] in STOP or words[lead] in s.ordinals
                                     or words[lead] in s.not_names and words[lead] not in s.branch
                                     and not (words[lead] in s.platforms and lead + 1 < len(words))):
            lead += 1
        for i in range(lead + 1, len(words) - 1):
            if words[i] in ("in", "on") and words[i + 1] in s.not_names:
                tokens, words = tokens[:i], words[:i]
                break
        if "of" in words[lead:]:
            of = words.index("of", lead)
            person = words[lead:of]
            plain = s.no_name_of
            if len(person) >= 2 and not any(w in plain or w.rstrip("s") in plain for w in person):
                lead = of + 1
        return " ".join(tokens[lead:])

    def apposed_body(self, after: str, pattern: re.Pattern = _APPOSITION) -> bool:
        """The words after a name say it is a body: "Port Skills and Safety, the ports industry's safety body,
        runs ...", "VetLed is an organisation about ..." (not "Daniel Okafor, a manager at Beechwood Lodge",
        "Sarah Patel is a practice manager"): an organisation word heads the description before any "at".
        A list line's label is described after a dash (`DASHED`): "ukactive – big national body for gyms"."""
        which = _WHICH.match(after)
        if which:  # "Food Innovation Wales, which runs the technical centres ...": what a body does
            return which.group(1).lower() in self.words.body_verbs
        m = pattern.match(after)
        if not m:
            return False
        words = [base(w) for w in words_of(m.group(1))][:7]
        orgs = self.words.heads
        for i, w in enumerate(words):
            if w in orgs and (i + 1 == len(words) or words[i + 1] in STOP):
                return True
            if w in STOP and w not in _JOINING:  # the description's first phrase ends: "the ... facilitator for"
                return False  # (not at "and": "the research and testing organisation")
        return False

    @cached_property
    def short_labels(self) -> dict[str, str]:
        """Abbreviations of the names the document uses as labels: "UKWA" for "UK Warehousing Association"."""
        return dict(_short_labels(self.labels))

    @cached_property
    def acronyms(self) -> dict[str, str]:
        return {**self.known, **acronyms(self.text)}

    @cached_property
    def defined(self) -> set[str]:
        """The names the document gives an abbreviation for ("Association of Volunteer Managers (AVM)")."""
        return set(self.acronyms.values())


def _credential(words: list[str], s: Words) -> bool:
    return words[-1] in s.credentials or " ".join(words) in s.credentials \
        or words[0] in s.credentials and words[1:2] in (["in"], ["of"])


@per_check  # the document's labels are the same for every answer of it
def _short_labels(labels: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple({a: normal(label) for label in labels for a in abbreviations(label)}.items())


@dataclass(frozen=True)
class Known:
    """What the whole document says about names, for answers that refer back to them."""

    acronyms: dict[str, str] = field(default_factory=dict)  # "cew" -> "constructing excellence in wales"
    labels: tuple[str, ...] = ()  # first cells of the learner's tables, bold lead-ins
    not_people: frozenset[str] = frozenset()  # names the document uses as a place or a body's: "Hollins End"
    text: str = ""  # the whole document's text, for what one answer says of a name another gives

    @classmethod
    def of(cls, blocks: list[Block], lib: ItemLibrary | None = None) -> Known:
        labels: dict[str, None] = {}
        calendar = Words.of(lib).calendar if lib is not None else None
        for b in blocks:
            cell = b.inner or b.cell
            if cell and cell[1] > 0 and cell[2] == 0 and 1 <= b.words <= LABEL_WORDS + 2:
                labels[clean(b.text)] = None
            elif b.bold_lead and not b.bold and len(b.bold_lead.split()) <= LABEL_WORDS + 2:
                labels[clean(b.bold_lead)] = None
            elif b.is_list and calendar is not None:  # "Age UK Marlshire - lots of contact with older people"
                head = _LIST_LEAD.split(b.text, maxsplit=1)[0]
                words = head.split()
                if head != b.text and 2 <= len(words) <= LABEL_WORDS and "(" not in head \
                        and all(w[:1].isupper() or w in _JOINERS for w in words) \
                        and name_like(head, calendar):  # a name in capitals, not "ADAM regional group"
                    labels[clean(head)] = None
        text = "\n".join(b.text for b in blocks)
        return cls(acronyms(text), tuple(x for x in labels if len(x) >= 3),
                   _not_people(text, Words.of(lib)) if lib else frozenset(), text)



def _not_people(text: str, w: Words) -> frozenset[str]:
    """Capitalised pairs and triples the document shows are no one: the opening words of a body's name
    ("Humber Quay" of "Humber Quay Logistics Ltd", "Safer Custody" of "Yorkshire Safer Custody Forum") or a
    name after "in" or "at" ("in Hollins End", "a Network Manager at Severn Trent") or after a name's "of"."""
    out: set[str] = set()
    for m in _CAP_RUN.finditer(text):
        words = m.group().split()
        bare = [base(x.lower()) for x in words]
        cut = next((k for k, x in enumerate(bare) if x in w.orgs), None)
        after = [singular(x.strip(".,;:").lower()) for x in text[m.end():m.end() + 30].split()[:2]]
        if cut is None and text[m.end():m.end() + 1] == " " and set(after) & w.kinds:
            cut = len(words)  # "Farming Connect discussion groups": a body's name before its kind
        if cut is not None and cut >= 2:
            head = words[:cut]
            out.update(" ".join(head[i:j]) for i in range(len(head)) for j in range(i + 2, min(i + 3, len(head)) + 1))
        before = text[max(0, m.start() - 40):m.start()].split()[-2:]
        # "in Tom's webinar" is Tom's
        if before and before[-1].lower() in w.place_before and not words[-1].endswith(("'s", "’s")) \
                or len(before) == 2 and before[1] == "of" and before[0][:1].isupper():
            out.update(" ".join(words[:n]) for n in (2, 3) if n <= len(words))  # (and "Sunita Rao of Baltic
            # Wings", "Institute of Customer Service": after a name's "of", a body or what it is of)
    return frozenset(normal(x) for x in out)
