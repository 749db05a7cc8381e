"""Items of a quantity: typed candidates found in an answer, filtered, merged, each with its sentence.

A quantity counts items of one type: a person, an organisation or network, an occurrence (an
introduction made) or a concept (a skill, an issue). Candidates come from the answer's structure (list
lines, sub-headings, bold lead-ins, ordinals, rows of the learner's own tables) and from its prose (the
pack's lexicon, proper names, "Another skill is ..."). A candidate whose label is the structure of the
answer (a facet: "Benefits", "My judgement") is not an item; one of the wrong type is not counted; a
role or employer beside a name, an abbreviation, a synonym or a body's own branch merge into one item.
Where the verb asks for an account, an item only named is "named but not developed". The word lists
live in rules/items.yaml.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from .document import Block
from .mentions import MentionIndex
from .nlp import Analysis
from .packs import Criterion, ItemLibrary, Verb
from .sections import Section
from .text import STOP

DEVELOPED_WORDS = 8  # a sentence this long says something about the item, not just its name
BODY_WORDS = 5  # a list line or paragraph under a label with this many more words develops it
LABEL_WORDS = 6  # a label longer than this is a sentence, not an item's name
SENTENCE_OPENING = 5  # a sentence's first item within its first words is what the sentence is about
STEM = 6  # words agreeing in their first letters are one word in two forms ("punctual", "punctuality")
SOLE_ITEM_WORDS = 40  # an answer this long naming one item, where one is asked for, is about that item
CROWD = 2  # a sentence naming more than this many other items only lists them


@dataclass(frozen=True)
class Item:
    name: str  # as the learner wrote it
    key: str  # what identifies it: the lexicon's item, or the normalised name
    quote: str  # the learner's sentence that supports it
    developed: bool = True
    start: int = 0  # character offset in the section's text, for merging by order


@dataclass
class _Unit:
    start: int
    end: int
    lead: str  # the unit's label: a sub-heading, bold lead-in, list line's head, first table cell
    source: str  # list | subheading | bold | ordinal | table


_UP, _LOW = "A-ZÀ-ÖØ-ÞĀ-ž", "a-zß-öø-ÿĀ-ž"  # accents too, Latin-1 and Extended-A: "Siân", "Zoë", "Zieliński", "Łukasz"
_CAP = rf"[{_UP}][{_LOW}'’]+(?:-[{_UP}][{_LOW}'’]+)?"
_TITLE_RE = r"(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Cllr|Sir|Dame|Rev|Revd)\.?"
_PERSON = re.compile(rf"\b(?:{_TITLE_RE}\s+{_CAP}(?:\s+{_CAP})?|{_CAP}(?:\s+{_CAP}){{1,2}})\b")
_ORG_WORD = rf"(?:[A-Z][A-Za-z]*[A-Z][A-Za-z]*\b|[a-z]+[A-Z]{{2,}}[A-Za-z]*\b|{_CAP}\b)"
_ORG = re.compile(rf"\b{_ORG_WORD}(?:[’']s?)?(?:\s+(?:(?:of|and|for|&|the|in|on)\s+)?{_ORG_WORD}(?:[’']s?)?)*")
_ACRONYM_DEF = re.compile(r"([A-Z][\w&’' -]{2,80}?)\s*\(([A-Z][A-Za-z]{1,7})\)")
_LEAD_SPLIT = re.compile(r"\s*(?::|\s[-–—]\s|\.\s|,\s|;\s|\s\()")
_FIRST_NAME = re.compile(r"\b(?:to|with|and|(?i:introduced|introducing|connected|referred|put|paired|linked))\s+"
                         r"([A-Z][a-z]+)\b(?![’']s)(?!\s+[A-Z])|,\s+([A-Z][a-z]+),")  # "... to Owain", ", Lewis,"
_ONE = re.compile(r"\bintroduc\w*\s+(?:him|her)\b", re.I)
_PRONOUN = re.compile(r"\b(?:them|the two|both|each other)\b", re.I)
_PLACE_BEFORE = {"in", "at", "from", "near", "of", "within", "across", "into", "around", "outside"}
_DAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
         "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}
_KIND_BEFORE = re.compile(r"\b(?:group|network|forum|community|channel|page|list)\s+[‘'\"“]?$")  # a group's name
_FIRST_PERSON = re.compile(r"\b(?:I|we|We)\b")


@lru_cache(maxsize=4096)
def _whole(phrase: str) -> re.Pattern:
    """A phrase as a whole word or words (compiled once per phrase)."""
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")


def _base(word: str) -> str:
    """A word without its possessive: "hoteliers'" -> "hoteliers", "kent's" -> "kent"."""
    word = word.strip("’'")
    return word[:-2] if word.endswith(("’s", "'s")) else word


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9][a-z0-9'’&-]*", text.lower())


def clean(name: str) -> str:
    """A name as written, without list marks, a trailing unbalanced bracket or stray punctuation."""
    name = " ".join(name.split()).strip(" .:;,-–—•*")
    if name.count("(") > name.count(")"):
        name = name[: name.rfind("(")].rstrip(" ,;:-–—")
    if name.count(")") > name.count("("):
        name = name.replace(")", "")
    return name.strip(" .:;,-–—")


def normal(name: str) -> str:
    words = [w for w in _words(name) if w not in ("the", "a", "an", "my", "our")]
    return " ".join(_base(w) for w in words)


def initials(name: str) -> str:
    return "".join(w[0] for w in _words(name) if w not in ("of", "and", "for", "the", "&", "in", "on"))


def abbreviations(name: str) -> set[str]:
    """Ways a name is shortened: its initials ("uk warehousing association" -> "uwa", and with a capitalised
    abbreviation kept whole, "ukwa"), and its first word when that is an abbreviation ("CILT ... group")."""
    words = [w for w in name.split() if w.lower() not in ("of", "and", "for", "the", "&", "in", "on")]
    out = {initials(name), "".join(w[0] for w in _words(name))}  # "IoH" keeps the "of"
    if words:
        out.add("".join(w.lower() if w.isupper() and len(w) > 1 else w[0].lower() for w in words))
        if sum(ch.isupper() for ch in words[0]) >= 2:
            out.add(words[0].lower())
    return {a for a in out if len(a) >= 2}


class Finder:
    """Finds one criterion's items in one answer (pure: a function of the section, analysis and data)."""

    def __init__(self, criterion: Criterion, verb: Verb, kind: str, section: Section, analysis: Analysis,
                 lib: ItemLibrary, known: Known | None = None) -> None:
        self.c, self.verb, self.kind, self.section, self.analysis, self.lib = \
            criterion, verb, kind, section, analysis, lib
        q = criterion.quantity
        self.cues = set(q.cues) if q else set()
        known = known or Known()
        self.known = known.acronyms  # abbreviations defined elsewhere in the document
        self.labels = known.labels  # names the document gives as labels (its tables, lead-ins)
        self.not_people = known.not_people
        self.text = section.text
        prefix = f"{criterion.id}|item|"
        self.mentions: list[tuple[int, int, str]] = []  # char start, end, lexicon item
        taken: list[tuple[int, int]] = []
        for key, ranges in sorted(analysis.matches.items()):
            if not key.startswith(prefix):
                continue
            for a, b in ranges:
                taken.append((b - a, a, b, key[len(prefix):]))
        doc = analysis.doc
        used: set[int] = set()
        for _length, a, b, item in sorted(taken, key=lambda t: (-t[0], t[1])):  # the longest synonym wins
            if used.intersection(range(a, b)):
                continue
            used.update(range(a, b))
            self.mentions.append((doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text), item))
        self.mentions.sort()
        self.not_items = {normal(x) for x in (q.not_items if q else [])}
        self.own_words = set(_words(criterion.text)) | set(_words(q.noun if q else ""))
        if kind == "concept" and q is not None and not q.lexicon:  # a drafted pack: the answer's own names
            self.mentions = self._named_concepts(q.noun)
        self._asides: set[int] = set()  # names in passing inside another's paragraph (set by prose)
        self._people: dict[str, list[tuple[int, str]]] = {}  # names found per text, asked for many times
        self._orgs: dict[str, list[tuple[int, str]]] = {}

    def _named_concepts(self, noun: str) -> list[tuple[int, int, str]]:
        """Concepts named by a kind word with its modifiers, where the pack has no lexicon: "Bird's updated
        domino theory", "fault tree analysis", "Reason's Swiss cheese model". The kinds are the library's
        (rules/items.yaml `concept_heads`) and the quantity's own nouns ("theories and techniques")."""
        heads = set(self.lib.concept_heads) | {_singular(w) for w in re.split(r"\s+(?:and|or)\s+|,\s*", noun)
                                               for w in _words(w)[-1:]}
        heads |= {h + "s" for h in heads} | {h[:-1] + "ies" for h in heads if h.endswith("y")}
        out = []
        for m in re.finditer(r"[A-Za-z][\w’'-]*", self.text):
            if m.group().lower() not in heads:
                continue
            start = m.start()
            base = max(0, start - 80)
            mods: list[tuple[int, str]] = []  # the words right before the kind word, nearest first
            for w in reversed(list(re.finditer(r"[A-Za-z][\w’'-]*", self.text[base:start]))[-4:]):
                gap = self.text[base + w.end():mods[-1][0] if mods else start]
                if gap.strip() or "\n" in gap or w.group().lower() in STOP or w.group().lower() in self._sets["facets"]:
                    break
                mods.append((base + w.start(), w.group()))
            if not mods or all(_base(w.lower()) in self.own_words for _a, w in mods):
                continue
            a = mods[-1][0]
            out.append((a, m.end(), normal(self.text[a:m.end()])))
        return out

    # --- words ---------------------------------------------------------------------------------------

    @cached_property
    def _sets(self) -> dict[str, frozenset[str]]:
        lib = self.lib
        return {"facets": frozenset(lib.facets), "roles": frozenset(lib.roles),
                "orgs": frozenset(lib.organisation_words), "not_names": frozenset(lib.not_names),
                "titles": frozenset(lib.titles), "branch": frozenset(lib.branch_words),
                "documents": frozenset(lib.documents), "credentials": frozenset(lib.credentials),
                "ordinals": frozenset(w for w in lib.ordinals if " " not in w),
                "kinds": network_kinds(lib)}

    def is_facet(self, label: str) -> bool:
        """A label made only of facet words, stop words and the criterion's own words: structure."""
        words = [w.strip("’'") for w in _words(label)]
        facets = self._sets["facets"]
        content = [w for w in words if w not in STOP and w not in facets]
        if not content:
            return True
        return all(w in self.own_words for w in content) and not self._lexicon_in(0, 0, label)

    def not_an_item(self, label: str) -> bool:
        """A label naming what the quantity says is no item of its kind ("Being on time" among skills), in any
        form of its words: "well prepared and punctual" is "punctuality"."""
        said = normal(label)
        stems = {w[:STEM] for w in said.split() if w not in STOP}
        return any(x in said or (content := {w[:STEM] for w in x.split() if w not in STOP}) and content <= stems
                   for x in self.not_items)

    def _lexicon_in(self, start: int, end: int, label: str = "") -> Sequence[tuple[int, int, str]]:
        if label:
            return self._mention_index.in_label(label)
        return self._mention_index.starting_in(start, end)

    @cached_property
    def _mention_index(self) -> MentionIndex:  # asked per label and unit: indexed once (checker/mentions.py)
        return MentionIndex(self.text, self.mentions)

    def person_names(self, text: str) -> list[tuple[int, str]]:
        if text not in self._people:
            self._people[text] = self._person_names(text)
        return self._people[text]

    def _person_names(self, text: str) -> list[tuple[int, str]]:
        """People named in a text: two or three capitalised words, or a title and a name; not a job title,
        an organisation, a date or a place word."""
        s = self._sets
        out = []
        orgs = [
            (a, a + len(n)) for a, n in self.org_names(text)]
        for m in _PERSON.finditer(text):
            if any(a <= m.start() < b for a, b in orgs):
                continue  # "Nidd Valley Dental Practice", "Sheffield Children's Hospital"
            before = text[max(0, m.start() - 8):m.start()].split()[-1:]
            if before and before[0].lower() in _PLACE_BEFORE:
                continue  # "in Long Eaton", "at Bright Sparks Nursery", "from Vine Bottle Shops": a place or a body
            raw = m.group()
            words = [w.lower().rstrip(".") for w in raw.split()]
            while words and (words[0] in STOP or words[0] in s["not_names"] or words[0] in s["roles"]):
                words = words[1:]  # "In March", "Inspector Gareth Lloyd", "Sergeant Priya Lal"
            raw = " ".join(raw.split()[len(raw.split()) - len(words):])
            at = m.start() + m.group().rfind(raw)
            longer = _PERSON.match(text, at) if words and words[0] in s["titles"] else None
            if longer and len(longer.group()) > len(raw):  # "With Dr Sandeep Rao": the title's name in full
                raw = longer.group()
                words = [w.lower().rstrip(".") for w in raw.split()]
            named = [w for w in words if w not in s["titles"]]
            if len(named) < 1 or (len(named) < 2 and len(named) == len(words)):
                continue
            bad = s["roles"] | s["orgs"] | s["not_names"] | s["facets"]
            if any(_base(w) in bad or w in bad for w in named):
                continue
            after = text[m.end():m.end() + 20].split()[:1]
            if after and after[0].lower().strip(",.;:)") in s["roles"]:
                continue  # "Social Prescribing Link Worker": a job's title, not a person's name
            if self._lexicon_in(0, 0, raw) or normal(raw) in self.not_people:
                continue  # "Hollins End" is where the classes are; "Humber Quay" is the employer
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
            halves = re.split(r"\s+(?:and|&)\s+", raw)
            named = _KIND_BEFORE.search(text[max(0, start - 30):start]) or \
                self._apposed_body(text[start + len(raw):start + len(raw) + 80])
            # a name whose initials the answer uses as one word is one name: "Highway Authorities and Utilities
            # Committee" beside "HAUC"
            whole = initials(raw)
            named = named or len(whole) >= 3 and bool(_whole(whole.upper()).search(self.text))
            if len(halves) > 1 and not named:  # a group's own name is one name: "UK Ports and Logistics ..."
                parts = [(start + raw.find(h), h) for h in halves]
                # "Society of Trust and Estate Practitioners", "Institute of Export & International Trade": an
                # "and" inside the "of" of a body's name joins what the body is of, unless each half is a body
                inside_of = " of " in halves[0] and not all(
                    _words(h)[-1:] and _base(_words(h)[-1]) in self._sets["orgs"] for h in halves[1:])
                if not inside_of and any(self._org_names(h) for _, h in parts) and all(
                        self._org_names(h) or len(h.split()) >= 2 and not set(_words(h)) <= self._sets["branch"]
                        for _, h in parts):
                    out += parts
                    continue
            out.append((start, raw))
        return out

    def _org_names(self, text: str) -> list[tuple[int, str]]:
        s = self._sets
        out = []
        for m in _ORG.finditer(text):
            raw = m.group().rstrip("’'")
            if _name_like(raw):
                raw += _kind_after(text, m.end(), s["orgs"], s["kinds"])
            raw = self._trim(raw)
            if not raw:
                continue
            words = [w.lower().strip("’'") for w in raw.split()]
            if words[-1] in s["credentials"] or " ".join(words) in s["credentials"]:
                continue  # "Chartered IT Professional", "EngTech": held or worked towards, not a body
            if set(words) <= s["branch"]:
                continue  # "West Midlands branch", "UK chapter": a part of a body named before, or a place
            if (len(words) >= 2 and _name_like(raw) or _camel(raw) or raw.isupper() and len(raw) >= 3) and (
                    _KIND_BEFORE.search(text[max(0, m.start() - 30):m.start()])
                    or self._apposed_body(text[m.end():m.end() + 80])):
                out.append((m.start(), raw))  # "the LinkedIn group UK Ports and Logistics Professionals"
                continue
            camel = [w for w in raw.split() if _camel(w) and w.lower() not in s["not_names"]]
            if camel and (len(words) > 1 or self.text.count(raw) >= 2 or raw in self.labels):
                # "TechSPARK", "itSMF UK": a brand's own capitals name a body (a lone one named twice)
                out.append((m.start(), raw))
                continue
            if len(words) == 1 and sum(ch.isupper() for ch in raw) >= 2:
                if raw.lower() in self.acronyms or self._lexicon_in(0, 0, raw) or raw.lower() in self.short_labels:
                    out.append((m.start(), raw))
                continue
            base = {_base(w) for w in words}
            first = raw.split()[0]
            if len(words) > 1 and first.isupper() and len(first) >= 3 and words[0] not in s["not_names"] \
                    and set(words[1:]) <= s["branch"]:
                out.append((m.start(), raw))  # "RIBA South West": a body's regional group
                continue
            # "Group Spa Director" ends in one person's job ("... Managers' Forum", "Association of ... Managers"
            # in a body of them)
            job = words[-1] in s["roles"] and not words[-1].endswith("s") and words[-1] not in s["orgs"]
            if (words[0] in s["roles"] or words[-1] in s["roles"]) and words[0] not in s["orgs"] \
                    and words[-1] not in s["orgs"] or job or words[0] in s["roles"] and words[1:2] == ["of"]:
                continue  # "Head of IT Service Management", "Service Desk Manager": a job, not a body
            if words[-1] in s["documents"]:
                continue  # "Bus Service Improvement Plan" is a document, not a body
            generic = base <= (s["orgs"] | s["facets"] | STOP | s["roles"])  # "Professional body"
            if base & s["orgs"] and (not generic or len(words) >= 3 and words[-1] in s["orgs"]):
                out.append((m.start(), raw))
        return out

    def _trim(self, raw: str) -> str:
        """A capitalised run cut to the name it holds: without leading stop words, ordinals or non-names
        ("Finally the LinkedIn group"), a person it is "of" ("Mark Ellison of Purbeck Engineering"), or a date
        after it ("Institute of Water in May")."""
        s = self._sets
        tokens = raw.split()
        words = [w.lower().strip("’'") for w in tokens]
        lead = 0
        # a region may open a body's name ("West Midlands Housing Forum"); a month or "Through" does not
        while lead < len(words) and (words[lead] in STOP or words[lead] in s["ordinals"]
                                     or words[lead] in s["not_names"] and words[lead] not in s["branch"]):
            lead += 1
        for i in range(lead + 1, len(words) - 1):
            if words[i] in ("in", "on") and words[i + 1] in s["not_names"]:
                tokens, words = tokens[:i], words[:i]
                break
        if "of" in words[lead:]:
            of = words.index("of", lead)
            person = words[lead:of]
            plain = s["orgs"] | s["roles"] | s["branch"] | s["titles"] | s["not_names"]
            if len(person) >= 2 and not any(w in plain or w.rstrip("s") in plain for w in person):
                lead = of + 1
        return " ".join(tokens[lead:])

    def _apposed_body(self, after: str) -> bool:
        """The words after a name say it is a body: "Port Skills and Safety, the ports industry's safety body,
        runs ...", "VetLed is an organisation about ..." (not "Daniel Okafor, a manager at Beechwood Lodge",
        "Sarah Patel is a practice manager"): an organisation word heads the description before any "at"."""
        m = re.match(r"(?:,\s+|\s+(?:is|was)\s+)(?:the|a|an)\s+([^,.;:()]{2,80})", after)
        if not m:
            return False
        words = [_base(w) for w in _words(m.group(1))][:7]
        orgs = self._sets["orgs"]
        for i, w in enumerate(words):
            if w in orgs and (i + 1 == len(words) or words[i + 1] in STOP):
                return True
            if w in STOP:  # the description's first phrase ends: "the Farming Connect facilitator for ..."
                return False
        return False

    @cached_property
    def short_labels(self) -> dict[str, str]:
        """Abbreviations of the names the document uses as labels: "UKWA" for "UK Warehousing Association"."""
        return {a: normal(label) for label in self.labels for a in abbreviations(label)}

    @cached_property
    def acronyms(self) -> dict[str, str]:
        return {**self.known, **acronyms(self.text)}

    # --- structure -----------------------------------------------------------------------------------

    def offsets(self) -> list[int]:
        pos = len(self.section.lead) + 1 if self.section.lead else 0
        out = []
        for b in self.section.blocks:
            out.append(pos)
            pos += len(b.text) + 1
        return out

    def _lead_of(self, b: Block) -> str:
        if b.bold_lead and not b.bold:
            return b.bold_lead
        head = _LEAD_SPLIT.split(b.text, maxsplit=1)[0]
        return head if len(head.split()) <= LABEL_WORDS else ""

    def units(self) -> list[_Unit]:
        blocks, offs, cues = self.section.blocks, self.offsets(), self.cues
        # a bold cell of the learner's own table is its header, not a sub-heading over the rest
        heads = [i for i, b in enumerate(blocks) if _heading_like(b) and self._table_cell(b) is None]
        # One heading over the whole answer is its title (a topic line in a table cell), not an item.
        if len(heads) == 1 and heads[0] == 0:
            heads = []
        out: list[_Unit] = []
        i = 0
        while i < len(blocks):
            b, start = blocks[i], offs[i]
            if i in heads and "subheading" in cues:
                j = i + 1
                while j < len(blocks) and j not in heads:
                    j += 1
                out.append(_Unit(start, offs[j - 1] + len(blocks[j - 1].text), b.text, "subheading"))
                if any(x.is_list or (x.bold_lead and not x.bold) for x in blocks[i + 1 : j]):
                    i += 1  # a sub-heading over a list or lead-ins: those are the items
                    continue
                i = j
                continue
            table = self._table_cell(b)
            if table is not None and "table" in cues:
                t, r, col = table
                j = i + 1
                while j < len(blocks) and self._table_cell(blocks[j]) is not None \
                        and self._table_cell(blocks[j])[:2] == (t, r):
                    j += 1
                if r > 0 and col == 0:  # one item per row, named in its first column (not the header)
                    out.append(_Unit(start, offs[j - 1] + len(blocks[j - 1].text), self._lead_of(b) or b.text,
                                     "table"))
                i = j
                continue
            if b.is_list and "list" in cues or b.bold_lead and not b.bold and "bold" in cues:
                out.append(_Unit(start, start + len(b.text), self._lead_of(b), "list" if b.is_list else "bold"))
            i += 1
        return out

    def _table_cell(self, b: Block) -> tuple[int, int, int] | None:
        """A block's place in a table the learner made (not the centre's template the answer sits in)."""
        inner = b.inner or b.cell
        if inner is None:
            return None
        if self.section.located_by == "table" and inner == b.cell:
            return None
        return inner

    def ordinal_units(self, covered: list[tuple[int, int]]) -> list[_Unit]:
        """Sentences opening with an ordinal ("Secondly, empathy is ...", "Another skill is patience")."""
        if "ordinal" not in self.cues:
            return []
        words = sorted(self.lib.ordinals, key=len, reverse=True)
        opener = re.compile(r"^\W*(?:" + "|".join(re.escape(w) for w in words) + r")\b[\s,]*", re.I)
        fillers = set(self.lib.ordinal_fillers)
        out = []
        for sent in self.analysis.sentences:
            start = sent.start_char
            if any(a <= start < b for a, b in covered):
                continue
            m = opener.match(sent.text)
            if not m:
                continue
            rest = sent.text[m.end():]
            tokens = rest.split()
            k = 0
            while k < len(tokens) and tokens[k].lower().strip(",") in fillers:
                k += 1
            name = re.split(r"[,.;:()]|\s(?:is|are|was|were|means|helps|involves|allows|matters|lets|gives|"
                            r"makes|because|which|as|when)\b", " ".join(tokens[k:]), maxsplit=1)[0]
            # "The first thing I noticed was ...": a past verb after the fillers tells, it names nothing
            lead = name if 0 < len(name.split()) <= 4 and name.split()[0].lower() not in STOP \
                and not name.split()[0].lower().endswith("ed") else ""
            end = self.text.find("\n", start)  # the item runs on to the paragraph's end or the next ordinal
            out.append(_Unit(start, len(self.text) if end < 0 else end, lead, "ordinal"))
        for a, b in zip(out, out[1:], strict=False):
            a.end = min(a.end, b.start)
        return out

    # --- candidates ----------------------------------------------------------------------------------

    @cached_property
    def _starts(self) -> list[int]:
        return [x.start_char for x in self.analysis.sentences]

    def _sentence(self, char: int):  # noqa: ANN202 - nlp.Sentence or None
        """The sentence holding a character offset (by bisection: answers run to thousands of sentences)."""
        at = bisect_right(self._starts, char) - 1
        return self.analysis.sentences[at] if at >= 0 else None

    def sentence_at(self, char: int) -> str:
        sent = self._sentence(char)
        return sent.text if sent is not None else ""

    def _crowded(self, char: int) -> bool:
        """The sentence at `char` names more than CROWD other items: a list in prose, not an account."""
        sent = self._sentence(char)
        if sent is None:
            return False
        a, b = sent.start_char, sent.start_char + len(sent.text)
        if self.kind == "person":  # the roles beside names describe them: count the people only
            return len(self.person_names(sent.text)) > CROWD + 1
        names = self.org_names(sent.text) if self.kind == "organisation" else []
        spans = [(a + off, a + off + len(n)) for off, n in names]
        # a lexicon item inside a name ("Chamber of Commerce" in "Hull and Humber Chamber of Commerce") is that name
        keys = {m[2] for m in self.mentions if a <= m[0] < b and not any(x <= m[0] < y for x, y in spans)}
        return len(keys) + len(names) > CROWD + 1

    def name_unit(self, u: _Unit) -> tuple[str, str] | None:
        """(name as written, key) of the item a unit develops, or None when it is not an item of this kind."""
        lead = clean(u.lead)
        opener = lead.split()[0].lower() in self.lib.label_openers if lead else False
        if lead and (opener or self.is_facet(lead) or self.not_an_item(lead)):
            return None
        lex_lead = self._lexicon_in(0, 0, lead) if lead else []
        if self.kind == "concept":
            if lex_lead:
                return lead, lex_lead[0][2]
            if lead and len(lead.split()) <= LABEL_WORDS and not self.person_names(lead) \
                    and normal(lead) not in self.not_items:
                return lead, normal(lead)
            inside = self._lexicon_in(u.start, u.end)
            if inside and not lead:
                m = inside[0]
                return self.text[m[0]:m[1]], m[2]
            return None
        if self.kind == "person":
            people = self.person_names(lead) if lead else []
            if not people and not lead:
                people = self.person_names(self.text[u.start:u.end])[:1]
            if people:
                return clean(people[0][1]), normal(people[0][1])
            if lex_lead and len(lead.split()) <= LABEL_WORDS:  # "My mentor", "A supplier": unnamed, by role
                return lead, lex_lead[0][2]
            return None
        # organisation
        orgs = self.org_names(lead) if lead else []
        if lex_lead:
            return lead, lex_lead[0][2]
        if orgs:
            return clean(orgs[0][1]), normal(orgs[0][1])
        last = lead.split()[-1].lower() if lead else ""
        if lead and len(lead.split()) <= LABEL_WORDS + 2 and _name_like(lead) and not self.person_names(lead) \
                and not (last in self._sets["roles"] and last not in self._sets["orgs"]) \
                and last not in self._sets["facets"]:  # "Help for Operations Manager aspiration": a criterion
            return lead, normal(lead)
        if not lead:
            inner = self.org_names(self.text[u.start:u.end])
            if inner:
                return clean(inner[0][1]), normal(inner[0][1])
        return None

    def chosen_spans(self) -> list[tuple[int, int]]:
        """Where the answer says what it chose: from "I shortlisted" to the end of its sentence, or the whole
        sentence that ends "... scored highest"."""
        def pattern(words: list[str]) -> re.Pattern:
            return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
                              + r")\b", re.I)
        after, before = pattern(self.lib.chosen), pattern(self.lib.chosen_before)
        out = []
        for sent in self.analysis.sentences:
            a = sent.start_char
            if self.not_done(a, a + len(sent.text)):
                continue
            if before.search(sent.text):
                out.append((a, a + len(sent.text)))
            elif m := after.search(sent.text):
                out.append((a + m.start(), a + len(sent.text)))
        return out

    def abbreviations_in(self, spans: list[tuple[int, int]], have: list[tuple[int, str, str]]
                         ) -> list[tuple[int, str, str]]:
        """Abbreviations a choice names ("I shortlisted VMG and SPVS"): chosen, so items, defined or not."""
        if self.kind != "organisation":
            return []
        seen = {a for a, _n, _k in have}
        out = []
        for a, b in spans:
            for m in re.finditer(r"\b[A-Z][A-Za-z]*[A-Z][A-Za-z]*\b", self.text[a:b]):
                word = m.group()
                at = a + m.start()
                # "my MCIOB" is a qualification held, not a body chosen
                mine = re.search(r"\b(?:my|our|your|his|her|their)\s+$", self.text[max(0, at - 7):at], re.I)
                if a + m.start() not in seen and word.lower() not in self._sets["not_names"] and not mine:
                    out.append((a + m.start(), word, self.acronyms.get(word.lower(), word.lower())))
        return out

    def picked(self, candidates: list[Item], chosen: list[tuple[int, int]]) -> list[Item]:
        """The candidates a choice names: inside the choice, or by a word of their name no other candidate
        shares ("I shortlisted the crime partnership and the BID group")."""
        said = " ".join(self.text[a:b] for a, b in chosen)
        low = set(_words(said))
        plain = self._sets["facets"] | self._sets["orgs"] | self._sets["branch"] | STOP
        words = {id(i): {w for w in _words(i.name) if w not in plain and len(w) > 2} for i in candidates}
        out = []
        for i in candidates:
            rest = [words[id(o)] for o in candidates if normal(o.name) != normal(i.name)]
            others = set().union(*rest)
            own = words[id(i)] - others
            inside = any(a <= i.start < b for a, b in chosen)
            if (inside and not self.not_done(i.start, i.start + len(i.name))) or own & low:
                out.append(i)
        return out

    def in_passing(self, sentence: str) -> bool:
        low = sentence.lower()
        return any(w in low for w in self.lib.in_passing)

    def not_done(self, a: int, b: int) -> bool:
        low = self.text[a:b].lower()
        return any(re.search(rf"\b{re.escape(w)}\b", low) for w in self.lib.not_done)

    def find(self) -> tuple[list[Item], list[Item]]:
        found: list[Item] = []
        named: list[Item] = []
        units = self.units()
        units += self.ordinal_units([(u.start, u.end) for u in units])
        named_units = [(u, got) for u in units if (got := self.name_unit(u)) is not None]
        # a unit about something that is no item of this kind ("Being on time") covers its own examples
        aside = [(u.start, u.end) for u in units if u.lead and self.not_an_item(clean(u.lead))]
        selects = self.verb.selects
        chosen = self.chosen_spans() if selects else []
        prose = self.prose([(u.start, u.end) for u, _got in named_units] + aside)
        # a lexicon item a unit's label names ("Conflict of interest / gifts") is that unit's, wherever else
        # the answer mentions it ("hospitality" later on)
        led = {m[2] for u, _got in named_units for m in (self._lexicon_in(0, 0, clean(u.lead)) if u.lead else [])}
        prose = [p for p in prose if p[2] not in led]
        prose += self.abbreviations_in(chosen, prose)
        for u, (name, key) in named_units:
            body = len(self.text[u.start:u.end].split()) - len(u.lead.split())
            developed = (not self.verb.account or body >= BODY_WORDS) and not (
                selects and self.not_done(u.start, u.end))
            quote = self._quote(u.start, u.end)
            (found if developed else named).append(Item(name, key, quote, developed, u.start))
        starts = [p[0] for p in prose]
        structured = bool(found)  # the learner set out items as a list or lead-ins: a one-line aside is not one
        for n, (start, name, key) in enumerate(prose):
            at = self._sentence(start)
            sent, sent_start = (at.text, at.start_char) if at is not None else ("", start)
            # what the answer says about it: up to the next item in the same paragraph ("Lastly confidence.
            # Many care managers ...": the sentences after a short one develop it too)
            end = self.text.find("\n", start)
            end = len(self.text) if end < 0 else end
            nxt = next((x for x in starts[n + 1:] if x > start), end)
            span = self.text[start:min(end, nxt)]
            words = len(span.split())
            stop = min(end, nxt)  # sentences from the one holding the item to the last starting before `stop`
            lines = bisect_left(self._starts, stop) - max(0, bisect_right(self._starts, start) - 1)
            developed = (words >= DEVELOPED_WORDS and (lines >= 2 or not structured) or not self.verb.account) \
                and not self._crowded(start)
            # beside items set out as a table or list, one more named in a sentence of prose, not its subject,
            # is only mentioned ("There is also the Chamber, but ..."), whatever the verb
            if structured and lines < 2 and len(self.text[sent_start:start].split()) > SENTENCE_OPENING:
                developed = False
            if lines < 2 and any(a in sent.lower() for a in self.lib.asides):
                developed = False  # "There is also the X, which Jas goes to."
            if selects and self.not_done(sent_start, sent_start + len(sent)):
                developed = False
            if chosen and any(a <= start < b for a, b in chosen):  # named in the choice: chosen
                developed = not self.not_done(start, start + len(name))
            if self.in_passing(sent) or start in self._asides:
                developed = False  # "I exchanged business cards with ...": met, not a member or an item
            (found if developed else named).append(Item(name, key, sent, developed, start))
        picked = self.picked(found + named, chosen) if chosen else []
        if picked:  # the answer says which it chose: a table or list of all it weighed is not the shortlist
            kept = [i for i in found + named if any(len(merge([i, p], self)) == 1 for p in picked)]
            named = [i for i in found + named if i not in kept]
            found = [i if i.developed else Item(i.name, i.key, i.quote, True, i.start) for i in kept]
        items = merge(found, self)
        keys = {i.key for i in items}
        names = {normal(i.name) for i in items}
        rest = [i for i in merge(named, self) if i.key not in keys and normal(i.name) not in names]
        q = self.c.quantity
        if not items and len(rest) == 1 and q is not None and q.min == 1 and self.kind != "person" \
                and self.section.words >= SOLE_ITEM_WORDS:
            # "Selected network: Harrogate Chamber of Commerce." over an answer about it: the one item named
            # is the one the whole answer weighs
            return [Item(rest[0].name, rest[0].key, rest[0].quote, True, rest[0].start)], []
        return items, rest

    def _quote(self, a: int, b: int) -> str:
        """The unit's first sentence of substance: the learner's own words behind the item."""
        for s in self.analysis.sentences:
            if a <= s.start_char < b and s.words >= 3:
                return s.text
        return " ".join(self.text[a:b].split()[:40])

    def prose(self, covered: list[tuple[int, int]]) -> list[tuple[int, str, str]]:
        """(char, name as written, key) of items named in running text outside the structural units.

        In prose a paragraph usually develops one item: its first lexicon item counts, and so does one that
        opens a sentence ("Rapport is ..."); the others in passing are examples, not more items."""
        out: list[tuple[int, str, str]] = []

        def free(i: int) -> bool:
            return not any(a <= i < b for a, b in covered)

        if self.kind in ("concept", "organisation"):
            seen_blocks: set[int] = set()
            seen_sents: set[int] = set()
            for a, b, key in self.mentions:
                if not free(a):
                    continue
                block = self.text.rfind("\n", 0, a)
                sent = self._sentence(a)
                # the sentence's first item, near its start: what the sentence is about
                opens = sent is not None and sent.start_char not in seen_sents and \
                    len(self.text[sent.start_char:a].split()) <= SENTENCE_OPENING
                if block not in seen_blocks or opens:
                    out.append((a, self.text[a:b], key))
                seen_blocks.add(block)
                if sent is not None:
                    seen_sents.add(sent.start_char)
        if self.kind == "person" or (self.kind == "organisation" and self.cues & {"names", "organisations"}):
            roles: list[tuple[int, str, str]] = []
            for sent in self.analysis.sentences:
                base = sent.start_char
                if not free(base):
                    continue
                found = list(self.person_names(sent.text) if self.kind == "person" else self.org_names(sent.text))
                if self.kind == "organisation":  # names given in a table or lead-in elsewhere, used again
                    for label in self.labels:
                        at = sent.text.find(label)
                        if at >= 0 and _name_like(label) and not any(o == at for o, _r in found):
                            found.append((at, label))
                for off, raw in found:
                    if any(a <= base + off < b for a, b, _k in self.mentions):
                        continue
                    key = (self.acronyms.get(raw.lower()) or self.short_labels.get(raw.lower())) \
                        if " " not in raw else None
                    out.append((base + off, clean(raw), key or normal(raw)))
                if self.kind == "person":
                    roles += [(a, self.text[a:b], key) for a, b, key in self.mentions
                              if base <= a < base + len(sent.text)]
            if self.kind == "person" and not out and not self.person_names(self.text):
                out = roles  # nobody is named: the roles are the people ("my mentor", "a supplier")
        if self.kind == "organisation":
            out = [x for x in out if not self._describes_a_name(x, out)]
            self._asides = self._parts_of_the_first(out)
            # a kind of network named right before its name is that name: "LinkedIn group" + "UK Ports ..."
            out = [x for x in out if not any(o is not x and 0 <= o[0] - (x[0] + len(x[1])) <= 2 and
                                             x[1] == self.text[x[0]:x[0] + len(x[1])] and _name_like(o[1])
                                             and _KIND_BEFORE.search(x[1] + " ") for o in out)]
            # the fuller of two overlapping names: "Chamber of Commerce" inside "Hull and Humber Chamber of Commerce"
            out = [x for x in out if not any(o is not x and o[0] <= x[0] and x[0] + len(x[1]) <= o[0] + len(o[1])
                                             and len(o[1]) > len(x[1]) for o in out)]
        return sorted(out)

    def _parts_of_the_first(self, names: list[tuple[int, str, str]]) -> set[int]:
        """Names inside a paragraph that is about an earlier one, not opening a sentence of their own: "The
        Hull and Humber Chamber of Commerce ... runs an International Trade Group": the Chamber is the item,
        its groups are what it offers (named, not developed)."""
        out: set[int] = set()
        first: dict[int, str] = {}  # paragraph start -> the key of its first name
        for start, _name, key in sorted(names):
            para = self.text.rfind("\n", 0, start) + 1
            sent = self._sentence(start)
            opens = sent is not None and len(self.text[sent.start_char:start].split()) <= SENTENCE_OPENING
            if para in first and first[para] != key and not opens:
                out.add(start)
            first.setdefault(para, key)
        return out

    def _describes_a_name(self, candidate: tuple[int, str, str], others: list[tuple[int, str, str]]) -> bool:
        """A kind of network in lower case beside a body's name describes it ("Agile Birmingham is a
        practitioner meetup"), and so does one later in the paragraph that opened with the name ("BVNA ...
        access to the online community"): the name is the item."""
        start, text, _key = candidate
        if text != text.lower():
            return False
        sent = self._sentence(start)
        if sent is None:
            return False
        a, b = sent.start_char, sent.start_char + len(sent.text)
        para = self.text.rfind("\n", 0, start) + 1
        return any((a <= o[0] < b or para <= o[0] < start) and o[1] != o[1].lower() for o in others)


def _authors(name: str) -> set[str]:
    """Proper names inside a concept's name, not its first word: "Reason" in "Swiss cheese model (James
    Reason)" and in "Reason's model of accident causation" names whose theory it is."""
    words = re.findall(r"[A-Za-z][\w’'-]*", name)
    return {_base(w) for i, w in enumerate(words) if w[0].isupper() and (i > 0 or w.endswith(("'s", "’s")))
            and w.lower() not in STOP and not w.isupper()}


def _told_by(item: Item, other: Item, text: str) -> bool:
    """Two concepts in one paragraph, one named by its author and the other told with that author's name:
    "The Swiss Cheese Model, developed by James Reason, ... Reason's model shows ..." is one theory."""
    para = text.rfind("\n", 0, item.start)
    if para != text.rfind("\n", 0, other.start):
        return False
    return bool(_authors(item.name) & set(re.findall(r"[A-Z][a-z]+", other.quote))
                or _authors(other.name) & set(re.findall(r"[A-Z][a-z]+", item.quote)))


def _singular(word: str) -> str:
    return word[:-3] + "y" if word.endswith("ies") else word[:-1] if word.endswith("s") and not word.endswith("ss") \
        else word


def _kind_after(text: str, end: int, orgs: frozenset[str], kinds: frozenset[str]) -> str:
    """Lower-case words that go on naming a capitalised body, ending in a kind of network, with at most one
    other word before it: "Sheffield Central PCN forum", "Humber Freeport business network" (not "Gwyn
    Davies farms at ...")."""
    m = re.match(r"(?:\s+[a-z][a-z-]*){1,3}", text[end:end + 60])
    words = m.group().split() if m else []
    for n in range(len(words), 0, -1):
        head, other = words[n - 1], [w for w in words[: n - 1] if w not in orgs]
        if head in kinds and len(other) <= 1 and not any(w in STOP for w in words[:n]):
            return "".join(" " + w for w in words[:n])
    return ""


def _camel(word: str) -> bool:
    """Mixed case with two or more capitals inside a word: "TechSPARK", "itSMF", "LinkedIn"."""
    w = word.strip("’'.,")
    return not w.isupper() and sum(ch.isupper() for ch in w) >= 2 and sum(ch.islower() for ch in w) >= 1


def _name_like(label: str) -> bool:
    """A label that reads as a proper name: an abbreviation ("itSMF UK", "TechSPARK") or two capitalised
    words ("Business West"); "Development goals" is a facet of the answer, not a network."""
    words = [w for w in label.split() if len(w) > 1]  # "I" is no name
    if any(sum(ch.isupper() for ch in w) >= 2 for w in words):
        return True
    # "The meetings are on Wednesday morning": a sentence's capital and a day's are not a name's
    return sum(w[:1].isupper() and w.lower() not in STOP and w.lower() not in _DAYS for w in words) >= 2


_ACRONYM_FIRST = re.compile(r"\b([A-Z][A-Za-z]{1,7})\s*\(([A-Z][^()]{4,80})\)")


def acronyms(text: str) -> dict[str, str]:
    """Abbreviations a text defines: "Institute of Hospitality (IoH)" -> {"ioh": "institute of hospitality"},
    and the other way round, "UCISA (Universities and Colleges Information Systems Association)"."""
    out = {}
    for m in _ACRONYM_FIRST.finditer(text):
        short, full = m.group(1), m.group(2).split(",")[0]
        if short.lower() in abbreviations(full):
            out[short.lower()] = normal(full)
    for m in _ACRONYM_DEF.finditer(text):
        full, short = m.group(1), m.group(2)
        words = full.split()
        for n in range(1, min(len(words), 8) + 1):  # the shortest tail whose initials make the acronym
            tail = " ".join(words[-n:])
            if short.lower().rstrip("s") in abbreviations(tail) or short.lower() in abbreviations(tail):
                out[short.lower()] = normal(tail)
                break
    return out


def _heading_like(b: Block) -> bool:
    return b.level is not None or (b.bold and b.words <= 12)


def merge(items: list[Item], finder: Finder) -> list[Item]:
    """One item under several names counts once: the same lexicon item, a name and its abbreviation, a
    first name after the full name, "the forum" after "Lakes Hoteliers Forum", a body and its branch."""
    out: list[Item] = []
    branch = finder._sets["branch"]
    acronyms = finder.acronyms
    for item in items:
        low = item.key.lower()
        key = acronyms.get(low, finder.short_labels.get(low, low)) if " " not in low else low
        words = key.split()
        said = set(normal(item.name).split())
        if finder.kind != "concept" and any(len(said) > 1 and said <= set(normal(o.name).split()) for o in out):
            continue  # "Managers' Forum" after "Wakefield Practice Managers' Forum"
        same = None
        pool = {w for o in out for w in o.key.split()}
        if len(words) > 3 and "and" in words and set(words) - {"and"} <= pool:
            continue  # "Deputies' Network and EAL Hub East": two items already counted, named together
        authors = _authors(item.name) if finder.kind == "concept" else set()
        short = item.name.lower()  # an abbreviation as written ("LPI")
        for o in out:
            ow = o.key.split()
            if authors & _authors(o.name) or finder.kind == "concept" and _told_by(item, o, finder.text):
                same = o  # "Swiss cheese model (James Reason)" and "Reason's model": one theory, its author's
                break
            if key == o.key or normal(item.name) == normal(o.name) or (
                    set(words) <= set(ow) and finder.kind != "concept"):
                same = o
                break
            if set(ow) <= set(words) and finder.kind != "concept" and (
                    set(words) - set(ow) <= branch or finder.kind == "person"):
                same = o  # "CIPD Kent branch" after "CIPD"; "Kerry Lynch" after "Kerry"
                break
            rest = set(words) - branch
            if rest and rest <= set(ow) and rest <= finder._sets["orgs"] and finder.kind == "organisation":
                same = o  # "the union branch" after "Fire Brigades Union"
                break
            if len(words) == 1 and (initials(o.key) == key or acronyms.get(key) == o.key):
                same = o
                break
            if " " not in short and finder.kind != "concept" and short in acronyms and len(ow) > 1 \
                    and set(ow) <= set(acronyms[short].split()) \
                    and not any(v == o.key for k, v in acronyms.items() if k != short):  # EARMA is not ARMA
                same = o  # "LPI" after "Performance Institute" cut from "Learning and Performance Institute (LPI)"
                break
            if len(ow) == 1 and (initials(key) == o.key or acronyms.get(o.key) == key):
                same = o
                break
            if finder.kind == "organisation" and (initials(key) in ow[-1:] or initials(o.key) in words[-1:]):
                same = o  # "Highway Authorities and Utilities Committee" after "Midlands HAUC"
                break
            if finder.kind != "concept" and words and words[0] in (o.key, initials(o.key)) \
                    and set(words[1:]) <= branch | {w for w in words[1:] if w[:1].isalpha()} \
                    and any(w in branch for w in words[1:]):
                same = o  # "CSP Scotland network" after "Chartered Society of Physiotherapy (CSP)"
                break
        if same is None:
            out.append(Item(item.name, key, item.quote, item.developed, item.start))
    return out


def item_kind(criterion: Criterion, lib: ItemLibrary) -> str:
    """The quantity's item type: as the pack says, else from its noun (last word), else a concept."""
    q = criterion.quantity
    if q is None:
        return "concept"
    if q.type:
        return q.type
    if q.events:
        return "occurrence"
    last = (_words(q.noun) or [""])[-1]
    for kind, nouns in lib.types.items():
        if last in nouns:
            return kind
    return "concept"


@dataclass(frozen=True)
class Known:
    """What the whole document says about names, for answers that refer back to them."""

    acronyms: dict[str, str] = field(default_factory=dict)  # "cew" -> "constructing excellence in wales"
    labels: tuple[str, ...] = ()  # first cells of the learner's tables, bold lead-ins
    not_people: frozenset[str] = frozenset()  # names the document uses as a place or a body's: "Hollins End"

    @classmethod
    def of(cls, blocks: list[Block], lib: ItemLibrary | None = None) -> Known:
        labels: dict[str, None] = {}
        for b in blocks:
            cell = b.inner or b.cell
            if cell and cell[1] > 0 and cell[2] == 0 and 1 <= b.words <= LABEL_WORDS + 2:
                labels[clean(b.text)] = None
            elif b.bold_lead and not b.bold and len(b.bold_lead.split()) <= LABEL_WORDS + 2:
                labels[clean(b.bold_lead)] = None
        text = "\n".join(b.text for b in blocks)
        return cls(acronyms(text), tuple(x for x in labels if len(x) >= 3),
                   _not_people(text, frozenset(lib.organisation_words), network_kinds(lib)) if lib else frozenset())


def network_kinds(lib: ItemLibrary) -> frozenset[str]:
    """Kinds of network that end a body's name ("PCN forum", "discussion groups"): organisation words that are
    also a body's parts; "branch" and "region" name a part of another body, not a body."""
    return frozenset(lib.organisation_words) & frozenset(lib.branch_words) - {"branch", "region"}


_CAP_RUN = re.compile(rf"\b{_CAP}(?:[ \t]+{_CAP})+")
_AT_PLACE = ("in", "at", "near", "within", "across", "around", "outside")  # not "from", "with": a person's too


def _not_people(text: str, orgs: frozenset[str], kinds: frozenset[str] = frozenset()) -> frozenset[str]:
    """Capitalised pairs and triples the document shows are no one: the opening words of a body's name
    ("Humber Quay" of "Humber Quay Logistics Ltd", "Safer Custody" of "Yorkshire Safer Custody Forum") or a
    name after "in" or "at" ("in Hollins End", "a Network Manager at Severn Trent")."""
    out: set[str] = set()
    for m in _CAP_RUN.finditer(text):
        words = m.group().split()
        bare = [_base(w.lower()) for w in words]
        cut = next((k for k, w in enumerate(bare) if w in orgs), None)
        after = [_singular(w.strip(".,;:").lower()) for w in text[m.end():m.end() + 30].split()[:2]]
        if cut is None and text[m.end():m.end() + 1] == " " and set(after) & kinds:
            cut = len(words)  # "Farming Connect discussion groups": a body's name before its kind
        if cut is not None and cut >= 2:
            head = words[:cut]
            out.update(" ".join(head[i:j]) for i in range(len(head)) for j in range(i + 2, min(i + 3, len(head)) + 1))
        before = text[max(0, m.start() - 12):m.start()].split()[-1:]
        if before and before[0].lower() in _AT_PLACE and not words[-1].endswith(("'s", "’s")):  # "in Tom's webinar"
            out.update(" ".join(words[:n]) for n in (2, 3) if n <= len(words))
    return frozenset(normal(x) for x in out)


def find(criterion: Criterion, verb: Verb, section: Section, analysis: Analysis, lib: ItemLibrary,
         known: Known | None = None) -> tuple[list[Item], list[Item]]:
    """The distinct items an answer develops, and those it only names; `known` are the abbreviations the
    whole document defines."""
    kind = item_kind(criterion, lib)
    finder = Finder(criterion, verb, "person" if kind == "occurrence" else kind, section, analysis, lib, known)
    if kind == "occurrence":
        return occurrences(finder, criterion), []
    return finder.find()


_PLANNED_BEFORE = {"to", "will", "would", "could", "might", "can", "shall", "'ll", "’ll", "may", "going"}


def _planned(doc, token: int) -> bool:  # noqa: ANN001 - a spaCy Doc
    """The event's verb in its base form after "to", "will", "would" ...: "I want to introduce Mr Patel"."""
    word = doc[token].lower_
    if word.endswith(("ed", "tion", "tions")) or token == 0:
        return False
    before = {doc[i].lower_ for i in range(max(0, token - 2), token)}
    return bool(before & _PLANNED_BEFORE)


def table_occurrences(f: Finder, criterion: Criterion) -> list[Item]:
    """Rows of a learner's table whose header names the occurrence ("Who I introduced"): one each, named
    by the people in its first two columns."""
    events = [e.lower() for e in (criterion.quantity.events if criterion.quantity else [])]
    blocks, offs = f.section.blocks, f.offsets()
    rows: dict[tuple[int, int], list[int]] = {}
    for i, b in enumerate(blocks):
        cell = f._table_cell(b)
        if cell is not None:
            rows.setdefault(cell[:2], []).append(i)
    out = []
    for (t, r), idx in sorted(rows.items()):
        header = " ".join(blocks[i].text for i in rows.get((t, 0), [])).lower()
        if r == 0 or not any(re.search(rf"\b{re.escape(e)}\b", header) for e in events):
            continue
        first = [blocks[i] for i in idx if (f._table_cell(blocks[i]) or (0, 0, 0))[2] <= 1]
        who = [clean(n) for b in first for _, n in f.person_names(b.text)]
        if not who:
            continue
        row_text = " ".join(blocks[i].text for i in idx)
        out.append(Item(" and ".join(dict.fromkeys(who)), "+".join(sorted(normal(w) for w in who)), row_text,
                        True, offs[idx[0]]))
    return out


def occurrences(f: Finder, criterion: Criterion) -> list[Item]:
    """Occurrences ("I introduced Kerry Lynch to Priya Raman") named by who took part; the same people
    retold later are the same occurrence; planned introductions and swapped business cards are not
    occurrences."""
    people = f.person_names(f.text)
    full = [clean(n) for _, n in people]
    seen: list[frozenset[str]] = []
    out: list[Item] = []
    stop_names = f._sets["not_names"] | f._sets["orgs"] | f._sets["roles"]
    sentences = f.analysis.sentences
    for item in table_occurrences(f, criterion):  # "Who I introduced | To whom | When": a row each
        group = frozenset(item.key.split("+"))
        if not any(group <= g for g in seen):
            seen.append(group)
            out.append(item)
    for sp in f.analysis.spans(f"{criterion.id}|event"):
        sent = sp.sent
        text = sent.text
        at = f.analysis.sentence_of(sp.start)
        previous = sentences[at - 1].text if at > 0 else None
        # the event's own verb says whether it was done: "when he said he would like to move" does not
        # make "I introduced Sanjay to Claire Benson" a plan
        diary = sp.start == sent.start  # "Introduced Dev Mistry to Carl Boateng (email, 20 May)": a log line
        if f.in_passing(text) or not (_FIRST_PERSON.search(text) or diary) or _planned(f.analysis.doc, sp.start):
            continue
        who = [clean(n) for _, n in f.person_names(text)]
        for m in _FIRST_NAME.finditer(text):
            word = m.group(1) or m.group(2)
            if word.lower() in STOP or word.lower() in stop_names:
                continue
            if any(a <= m.start(m.lastindex) < a + len(n) for a, n in f.org_names(text)):
                continue  # "to Wessex Vale Hospice": a body, not a first name
            name = next((n for n in full if n.split()[0] == word), word)
            if not any(word in n.split() for n in who):
                who.append(name)
        if _ONE.search(text) and previous is not None:  # "Tom ... I introduced him to Sarah Kitchen"
            before = [clean(n) for _, n in f.person_names(previous)[:1]]
            if before and any(normal(before[0]) in g for g in seen):
                continue  # "... and introduced her to the committee": more of the introduction just told
            if who:
                who += [n for n in before if n not in who]
        if not who and _PRONOUN.search(text) and previous is not None:  # "I introduced them by email"
            who = [clean(n) for _, n in f.person_names(previous)] or [
                w for w in re.findall(r"\b[A-Z][a-z'’]+\b", previous) if w.lower() not in stop_names
                and w.lower() not in STOP and w.lower() not in f._sets["facets"]]
        if not who:
            if _ONE.search(text) and out:
                continue  # "... and I introduced her to the coordinator": the introduction just told, retold
            who = [f.text[a:b] for a, b, _k in f.mentions if sent.start_char <= a < sent.end_char]
        if not who:
            continue
        group = frozenset(normal(w) for w in who)
        if any(group <= g for g in seen):
            continue  # the same introduction retold
        seen.append(group)
        out.append(Item(" and ".join(dict.fromkeys(who)), "+".join(sorted(group)), text.strip(), True,
                        sent.start_char))
    return out
