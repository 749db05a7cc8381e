"""Items of a quantity: typed candidates found in an answer, filtered, merged, each with its sentence.

A quantity counts items of one type: a person, an organisation or network, an occurrence (an
introduction made) or a concept (a skill, an issue). Candidates come from the answer's structure (list
lines, sub-headings, bold lead-ins, ordinals, rows of the learner's own tables: checker/units.py) and from
its prose (the pack's lexicon, proper names: checker/names.py, "Another skill is ..."). A candidate whose
label is the structure of the answer (a facet: "Benefits", "My judgement") is not an item; one of the wrong
type is not counted; a role or employer beside a name, an abbreviation, a synonym or a body's own branch
merge into one item (checker/merging.py). Where the verb asks for an account, an item only named is "named
but not developed". Occurrences are counted in checker/occurrences.py. The word lists live in
rules/items.yaml.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from .mentions import MentionIndex
from .merging import merge
from .names import (
    ACRONYM_WORD,
    DASHED,
    LABEL_WORDS,
    Known,
    Names,
    Words,
    base,
    clean,
    name_like,
    normal,
    singular,
    words_of,
)
from .nlp import Analysis
from .packs import Criterion, ItemLibrary, Verb
from .sections import Section
from .text import STOP, alternation, whole_phrases
from .units import Unit, offsets, ordinal_units, table_cell, units

_DESCRIBES = re.compile(r"(?:,\s+|\b(?:is|was)\s+)(?:the|a|an)\s+(?:[a-z’'-]+\s+){0,3}$")  # "X is the sector's"
_JOINED = re.compile(r"\s*,?\s*(?:(?:and|or|&)\s+)?(?:the\s+)?", re.I)  # between two names told together
_COMPLEMENT = re.compile(r"\s(?:is|are|was|were)\s+([^,;:.!?]+)[.!?]?\s*$")  # what a sentence says its subject is
DEVELOPED_WORDS = 8  # a sentence this long says something about the item, not just its name
BODY_WORDS = 5  # a list line or paragraph under a label with this many more words develops it
SENTENCE_WORDS = 3  # a sentence of fewer words says nothing about an item
SENTENCE_OPENING = 5  # a sentence's first item within its first words is what the sentence is about
STEM = 6  # words agreeing in their first letters are one word in two forms ("punctual", "punctuality")
SOLE_ITEM_WORDS = 40  # an answer this long naming one item, where one is asked for, is about that item
CROWD = 2  # a sentence naming more than this many other items only lists them



_NEVER = re.compile(r"(?!)")  # the pattern of an empty word list: it matches nothing


@lru_cache(maxsize=16)
def _chosen_label(labels: tuple[str, ...]) -> re.Pattern:
    if not labels:
        return _NEVER
    return re.compile(rf"\W*(?:{alternation(labels)})(?:\s*[:–—]|\s+-\s)\s*", re.I)


@lru_cache(maxsize=16)
def _chosen_subject(labels: tuple[str, ...]) -> re.Pattern:
    """A choice as a sentence's subject, a few words before its verb: "My shortlist for active development is
    therefore ..."."""
    if not labels:
        return _NEVER
    return re.compile(rf"\b(?:{alternation(labels)})\b[^.;:!?]{{0,40}}?\s(?:is|are|was|were)\s", re.I)


_DEFINES = re.compile(r"\s+(?:is|are|means|involves)\s")
_NAME_BEFORE = re.compile(r"(?:\b[A-Z][\w'’&-]*|\bof)\s+$")  # a capitalised word or "of" just before


@lru_cache(maxsize=16)
def _kind_named(kinds: frozenset[str]) -> re.Pattern:
    """A name in lower case after its capitalised first word, ending in a kind of network: "the Midlands depot
    managers' group"."""
    if not kinds:
        return _NEVER
    return re.compile(rf"\b[A-Z][\w'’&-]*(?:\s+[a-z][\w'’-]*){{1,4}}\s+(?:{alternation(tuple(sorted(kinds)))})\b")


@dataclass(frozen=True)
class Item:
    name: str  # as the learner wrote it
    key: str  # what identifies it: the lexicon's item, or the normalised name
    quote: str  # the learner's sentence that supports it
    developed: bool = True
    start: int = 0  # character offset in the section's text, for merging by order


class Finder:
    """Finds one criterion's items in one answer (pure: a function of the section, analysis and data)."""

    def __init__(self, criterion: Criterion, verb: Verb, kind: str, section: Section, analysis: Analysis,
                 lib: ItemLibrary, known: Known | None = None) -> None:
        self.c, self.verb, self.kind, self.section, self.analysis, self.lib = \
            criterion, verb, kind, section, analysis, lib
        q = criterion.quantity
        self.cues = set(q.cues) if q else set()
        self.words = Words.of(lib)
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
        self.own_words = set(words_of(criterion.text)) | set(words_of(q.noun if q else ""))
        if kind == "concept" and q is not None and not q.lexicon:  # a drafted pack: the answer's own names
            self.mentions = self._named_concepts(q.noun)
        self._asides: set[int] = set()  # names in passing inside another's paragraph (set by prose)
        self._pairs: dict[tuple, bool] = {}  # pairs of candidates weighed as one item or two (`_one`)
        self.names = Names(self.text, self.words, lambda label: self._lexicon_in(0, 0, label), known)

    def _named_concepts(self, noun: str) -> list[tuple[int, int, str]]:
        """Concepts named by a kind word with its modifiers, where the pack has no lexicon: "Bird's updated
        domino theory", "fault tree analysis", "Reason's Swiss cheese model". The kinds are the library's
        (rules/items.yaml `concept_heads`) and the quantity's own nouns ("theories and techniques")."""
        heads = set(self.lib.concept_heads) | {singular(w) for w in re.split(r"\s+(?:and|or)\s+|,\s*", noun)
                                               for w in words_of(w)[-1:]}
        heads |= {h + "s" for h in heads} | {h[:-1] + "ies" for h in heads if h.endswith("y")}
        out = []
        for m in re.finditer(r"[A-Za-z][\w’'-]*", self.text):
            if m.group().lower() not in heads:
                continue
            start = m.start()
            window = max(0, start - 80)
            mods: list[tuple[int, str]] = []  # the words right before the kind word, nearest first
            for w in reversed(list(re.finditer(r"[A-Za-z][\w’'-]*", self.text[window:start]))[-4:]):
                gap = self.text[window + w.end():mods[-1][0] if mods else start]
                if gap.strip() or "\n" in gap or w.group().lower() in STOP or w.group().lower() in self.words.facets:
                    break
                mods.append((window + w.start(), w.group()))
            if not mods or all(base(w.lower()) in self.own_words for _a, w in mods):
                continue
            a = mods[-1][0]
            out.append((a, m.end(), normal(self.text[a:m.end()])))
        return out

    def is_facet(self, label: str) -> bool:
        """A label made only of facet words, stop words and the criterion's own words: structure."""
        words = [w.strip("’'") for w in words_of(label)]
        facets = self.words.facets
        content = [w for w in words if w not in STOP and w not in facets]
        if not content:
            return True
        return all(w in self.own_words for w in content) and not self._lexicon_in(0, 0, label)

    def _attribute(self, label: str) -> bool:
        """A label made only of what an item offers or costs ("Benefits", "Pros and cons")."""
        words = [w for w in words_of(label) if w not in STOP]
        return bool(words) and all(w in self._attributes for w in words)

    @cached_property
    def _attributes(self) -> frozenset[str]:
        return frozenset(self.lib.attributes)

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
        # a sentence whose subject is the skill it opens with ("Being friendly is smiling, being polite and
        # remembering names"): what follows says what it is, not more skills
        if self.kind == "concept" and len(self.text[a:char].split()) <= SENTENCE_OPENING \
                and any(_DEFINES.match(self.text, m[1]) for m in self._mention_index.starting_in(char, char + 1)):
            return False
        if self.kind == "person":  # the roles beside names describe them: count the people only
            return len(self.names.person_names(sent.text)) > CROWD + 1
        names = self.names.org_names(sent.text) if self.kind == "organisation" else []
        spans = [(a + off, a + off + len(n)) for off, n in names]
        # a sentence about the body it opens with: the kinds of thing after it say what it is and offers ("The
        # Chartered Institute of Housing (CIH) is the professional body ... runs a mentoring scheme")
        about = bool(names) and len(sent.text[:names[0][0]].split()) <= SENTENCE_OPENING
        # a lexicon item inside a name ("Chamber of Commerce" in "Hull and Humber Chamber of Commerce") is that name
        keys = {m[2] for m in self.mentions if a <= m[0] < b and not any(x <= m[0] < y for x, y in spans)
                and not (about and self.text[m[0]:m[1]].islower())}
        bodies = {self.names.acronyms.get(n.lower()) or normal(n) for _off, n in names}  # "CIH" is its full name
        return len(keys) + len(bodies) > CROWD + 1

    def _said_in(self, lead: str, mention: tuple[int, int, str]) -> str:
        """The words of a lexicon mention as the lead writes them: "Confidentiality" of the plain lead-in
        "Confidentiality is the first issue"."""
        said = self.text[mention[0]:mention[1]].lower()
        at = lead.lower().find(said)
        return lead[at:at + len(said)] if at >= 0 else lead

    def name_unit(self, u: Unit, parallel: bool = False) -> tuple[str, str] | None:
        """(name as written, key) of the item a unit develops, or None when it is not an item of this kind
        (`parallel`: two or more of the answer's plain lead-ins name concepts the lexicon knows)."""
        lead = clean(u.lead)
        opener = lead.split()[0].lower() in self.lib.label_openers if lead else False
        if lead and (opener or self.is_facet(lead) or self.not_an_item(lead)):
            return None
        if u.source == "ordinal" and not lead and self._short_sentence_not_an_item(u.start):
            return None  # "Second is being on time.": its examples ("shows respect") are no item either
        lex_lead = self._lexicon_in(0, 0, lead) if lead else []
        if self.kind == "concept":
            if lex_lead:
                return (self._said_in(lead, lex_lead[0]) if u.source == "colon" else lead), lex_lead[0][2]
            if u.source == "colon" and not parallel:
                return None  # "My test system: ...": a plain lead-in names a concept in the lexicon's words, or
                # beside two that do ("Workplace inspection: ...", "HAZOP: ...", "Talk with employees: ...")
            if lead and len(lead.split()) <= LABEL_WORDS and not self.names.person_names(lead) \
                    and normal(lead) not in self.not_items:
                return lead, normal(lead)
            inside = self._lexicon_in(u.start, u.end)
            if inside and not lead:
                m = inside[0]
                return self.text[m[0]:m[1]], m[2]
            return None
        if self.kind == "person":
            people = self.names.person_names(lead) if lead else []
            if not people and not lead:
                people = self.names.person_names(self.text[u.start:u.end])[:1]
            if people:
                return clean(people[0][1]), normal(people[0][1])
            if lex_lead and len(lead.split()) <= LABEL_WORDS:  # "My mentor", "A supplier": unnamed, by role
                return lead, lex_lead[0][2]
            return None
        # organisation
        orgs = self.names.org_names(lead) if lead else []
        if lex_lead and orgs and all(self.text[m[0]:m[1]].islower() for m in lex_lead):
            return clean(orgs[0][1]), normal(orgs[0][1])  # "ARMA South West regional network": a body's own name,
            # not the kind of network the lexicon knows
        if lex_lead:
            return lead, lex_lead[0][2]
        if orgs:
            return clean(orgs[0][1]), normal(orgs[0][1])
        last = lead.split()[-1].lower() if lead else ""
        if lead and len(lead.split()) <= LABEL_WORDS + 2 and name_like(lead, self.words.calendar) \
                and not self.names.person_names(lead) \
                and not (last in self.words.roles and last not in self.words.orgs) \
                and last not in self.words.facets:  # "Help for Operations Manager aspiration": a criterion
            return lead, normal(lead)
        if lead and " " not in lead and lead.isupper() and len(lead) >= 3 and lead.lower() not in self.words.not_names:
            return lead, self.names.acronyms.get(lead.lower()) or normal(lead)  # "A third possibility is the BSAVA"
        # a name in lower case after its own first word, ending in a kind of network ("Parkway duty managers
        # group"; not "Chamber's skills committee", a part of a body told already), or one word described
        # as a body ("ukactive – big national body for gyms")
        words = lead.split()
        first = words[0] if words else ""
        if 2 <= len(words) <= LABEL_WORDS and first[:1].isupper() and not first.endswith(("'s", "’s")) \
                and first.lower() not in self.words.orgs and first.lower() not in self.words.not_names \
                and last in self.words.kinds \
                and not self.names.person_names(lead) \
                or len(words) == 1 and first.lower() not in self.words.not_names \
                and self.names.apposed_body(self._after_lead(u), DASHED):
            return lead, normal(lead)
        if not lead:
            inner = self.names.org_names(self.text[u.start:u.end])
            if inner:
                return clean(inner[0][1]), normal(inner[0][1])
        return None

    def _after_lead(self, u: Unit) -> str:
        """What a unit says right after its label."""
        at = self.text.find(u.lead, u.start, u.end)
        return self.text[at + len(u.lead):u.end] if at >= 0 else ""

    @cached_property
    def _chosen_words(self) -> re.Pattern:
        words = {w for p in [*self.lib.chosen, *self.lib.chosen_before] for w in p.split()}
        return re.compile(alternation(words), re.I)

    @cached_property
    def _clause(self) -> re.Pattern:
        """Where a new clause starts: a comma and an opener ("..., and placed X on a watching brief"), a
        semicolon, a contrast, a comma and a past verb."""
        lib = self.lib
        return re.compile(rf",\s+(?:{alternation(lib.clause_openers)})\b|;|\s+(?:{alternation(lib.contrasts)})\b"
                          r"|,\s+(?=\w+ed\b)")

    @cached_property
    def _reason(self) -> re.Pattern:
        return whole_phrases(tuple(self.lib.reasons))

    @cached_property
    def _subjects(self) -> frozenset[str]:
        return frozenset(self.lib.ordinal_subjects)

    @cached_property
    def _issued(self) -> re.Pattern:
        return re.compile(rf"\s+(?:{alternation(self.lib.issued)})\b", re.I)

    @cached_property
    def _recap(self) -> re.Pattern:
        return re.compile(rf"\W*(?:{alternation(self.lib.recaps)})\b", re.I)

    def _substantial(self, first: int, last: int) -> int:
        """How many of the sentences first..last-1 say something (a closing "(AC 2.1)" says nothing)."""
        return sum(s.words >= SENTENCE_WORDS for s in self.analysis.sentences[first:last])

    def _label_not_an_item(self, char: int) -> bool:
        """A paragraph opening with a label of what is no item ("Being on time. Turning up ...")."""
        sent = self._sentence(char)
        return sent is not None and sent.words <= LABEL_WORDS // 2 and self.not_an_item(sent.text)

    def _short_sentence_not_an_item(self, char: int) -> bool:
        """An ordinal's sentence naming what is no item: short ("Second is being on time."), or closing on
        it after its verb ("The third thing I would describe as essential is punctuality.")."""
        sent = self._sentence(char)
        if sent is None:
            return False
        if sent.words <= LABEL_WORDS + 2 and self.not_an_item(sent.text):
            return True
        end = sent.start_char + len(sent.text)  # one naming no item at all, and what is none ("Thirdly,
        if not self._lexicon_in(sent.start_char, end) and self.not_an_item(sent.text):  # networking requires
            return True  # being punctual and thoroughly prepared.")
        tail = _COMPLEMENT.search(sent.text)
        return tail is not None and len(tail.group(1).split()) <= LABEL_WORDS and self.not_an_item(tail.group(1))

    def chosen_spans(self) -> list[tuple[int, int]]:
        """Where the answer says what it chose: from "I shortlisted" (or a label, "Shortlist:", or a subject, "My
        shortlist for development is") to the end of its sentence, or the whole sentence that ends "... scored
        highest"."""
        after, before = whole_phrases(tuple(self.lib.chosen)), whole_phrases(tuple(self.lib.chosen_before))
        labelled = _chosen_label(tuple(self.lib.chosen_labels))
        subject = _chosen_subject(tuple(self.lib.chosen_subjects))
        out = []
        for sent in self.analysis.sentences:
            a, b = sent.start_char, sent.start_char + len(sent.text)
            if (m := labelled.match(sent.text)) and re.search(r"\w", sent.text[m.end():]):
                if not self.not_done(a, b):  # "Shortlist: Alexander Dennis user group and IRTE."
                    out.append((a + m.end(), b))
            elif before.search(sent.text):
                if not self.not_done(a, b):
                    out.append((a, b))
            elif (m := after.search(sent.text) or subject.search(sent.text)) \
                    and not re.search(r"\w", sent.text[m.end():]):
                if not self.not_done(a, b):  # "CIOB – yes on aspiration ... – SHORTLISTED": the line's own
                    out.append((a, b))
            elif m:
                # "I shortlisted CILT and the Chamber, and placed the Freeport network on a watching brief": the
                # choice ends where a clause sets one aside
                cuts = [a] + [a + c.start() for c in self._clause.finditer(sent.text, m.end())] + [b]
                end = next((x for x, y in zip(cuts, cuts[1:], strict=False) if self.not_done(x, y)), b)
                # "... the Registered Manager Network because it ... is all about registered managers and CQC":
                # what follows a reason's word says why, it chooses nothing more
                if why := self._reason.search(sent.text, m.end()):
                    end = min(end, a + why.start())
                if end > a:  # "Not shortlisted: ..." sets aside what it names
                    out.append((a + m.start(), end))
        return out + self._row_choices(out)

    def _row_choices(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """A row of the learner's table headed by a choice ("Shortlisted network | Dundee Homelessness
        Partnership Forum"): its other cells are what was chosen; a row whose short cell says the choice
        ("CTSI Yorkshire and Humber branch | High | Shortlisted"): its first cell is."""
        if not spans:
            return []
        blocks, offs = self.section.blocks, offsets(self.section)
        cells = [table_cell(self.section, b) for b in blocks]
        out = []
        for i, cell in enumerate(cells):
            if cell is None or not any(a <= offs[i] < z for a, z in spans):
                continue
            if cell[2] == 0:
                out += [(offs[j], offs[j] + len(blocks[j].text)) for j, c in enumerate(cells)
                        if c is not None and c[:2] == cell[:2] and c[2] > 0]
            elif len(blocks[i].text.split()) <= LABEL_WORDS:
                # a decision column's cell ("Network | ... | Decision" over "Shortlisted"): its row's first cell
                out += [(offs[j], offs[j] + len(blocks[j].text)) for j, c in enumerate(cells)
                        if c is not None and c[:2] == cell[:2] and c[2] == 0]
        return out

    def abbreviations_in(self, spans: list[tuple[int, int]], have: list[tuple[int, str, str]]
                         ) -> list[tuple[int, str, str]]:
        """Abbreviations a choice names ("I shortlisted VMG and SPVS") and names in lower case ending in a kind of
        network: chosen, so items, defined or not."""
        if self.kind != "organisation":
            return []
        out = []
        for a, b in spans:
            for m in re.finditer(rf"\b{ACRONYM_WORD}", self.text[a:b]):
                word = m.group()
                at = a + m.start()
                if any(x <= at and at + len(word) < x + len(n) for x, n, _k in have):
                    continue  # a word inside a name found, before its end: "Leicester City SENCo Network"
                # "my MCIOB" is a qualification held, not a body chosen
                mine = re.search(r"\b(?:my|our|your|his|her|their)\s+$", self.text[max(0, at - 7):at], re.I)
                chosen = bool(self._chosen_words.fullmatch(word))  # "SHORTLISTED" says the choice, names none
                if word.lower() not in self.words.not_names and not mine and not chosen:
                    out.append((a + m.start(), word, self.names.acronyms.get(word.lower(), word.lower())))
            out += self._kind_named_in(a, b, have + out)
        return out

    def _kind_named_in(self, a: int, b: int, have: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
        """Names in lower case after a capitalised first word, ending in a kind of network, in text[a:b] ("the
        Midlands depot managers' group"): not one inside a name already found, nor the tail of a longer one
        ("College of Teaching as the next network"), nor words of a sentence ("I joined the group")."""
        out = []
        for m in _kind_named(self.words.kinds).finditer(self.text, a, b):
            words = m.group().lower().split()
            if any(x <= m.start() < x + len(n) for x, n, _k in have) or any(w in STOP for w in words) \
                    or words[0] in self.words.not_names and words[0] not in self.words.branch \
                    or _NAME_BEFORE.search(self.text, max(0, m.start() - 30), m.start()):
                continue
            out.append((m.start(), m.group(), normal(m.group())))
        return out

    def picked(self, candidates: list[Item], chosen: list[tuple[int, int]]) -> list[Item]:
        """The candidates a choice names: inside the choice, or by a word of their name no other candidate
        shares ("I shortlisted the crime partnership and the BID group")."""
        said = " ".join(self.text[a:b] for a, b in chosen)
        # an organisation word names a body only as a name, capitalised: "the Chamber", not "the network"
        low = {w for w in words_of(said) if w not in self.words.orgs} | \
            {w.lower() for w in re.findall(r"\b[A-Z][a-z]+", said) if w.lower() in self.words.orgs}
        plain = self.words.facets | self.words.branch | STOP
        words = {id(i): {w for w in words_of(i.name) if w not in plain and len(w) > 2} for i in candidates}
        # one body under two names is one name here: "Chamber of Commerce" and "North Wales Chamber of Commerce"
        bodies = merge(candidates, self.names, self.kind)
        names = {id(i): next((b.key for b in bodies if self._one(b, i)), normal(i.name)) for i in candidates}
        holders: dict[str, set[str]] = {}  # a word -> the names that hold it (by name, not candidate by candidate)
        for i in candidates:
            for w in words[id(i)]:
                holders.setdefault(w, set()).add(names[id(i)])
        # an abbreviation the document defines is chosen by its full name ("ICS" in a table, "I shortlisted ...
        # the Institute of Customer Service")
        told = f" {normal(said)} "
        out = []
        for i in candidates:
            own = {w for w in words[id(i)] if holders[w] == {names[id(i)]}}  # a word no other name shares
            inside = any(a <= i.start < b for a, b in chosen)
            full = self.names.acronyms.get(i.name.lower()) if " " not in i.name else None
            if (inside and not self.not_done(i.start, i.start + len(i.name))) or own & low \
                    or full and f" {full} " in told:
                out.append(i)
        return out

    def _one(self, a: Item, b: Item) -> bool:
        """The two are one item (`merge` of the pair), remembered: a body named ten times is weighed against
        each other name once, not ten times. Outside concepts a pair's merge reads only keys and names."""
        pair = (a, b) if self.kind == "concept" else (a.key, a.name, b.key, b.name)
        one = self._pairs.get(pair)
        if one is None:
            one = self._pairs[pair] = len(merge([a, b], self.names, self.kind)) == 1
        return one

    def in_passing(self, sentence: str) -> bool:
        low = sentence.lower()
        return any(w in low for w in self.lib.in_passing)

    def not_done(self, a: int, b: int) -> bool:
        return whole_phrases(tuple(self.lib.not_done)).search(self.text[a:b]) is not None

    def find(self) -> tuple[list[Item], list[Item]]:
        found: list[Item] = []
        named: list[Item] = []
        found_units = units(self.section, self.cues)
        plain = [u for u in found_units if u.source == "colon"]
        found_units = [u for u in found_units if u.source != "colon"]
        found_units += ordinal_units(self.text, self.analysis.sentences, self.lib, self.cues,
                                     [(u.start, u.end) for u in found_units])
        # a plain lead-in that opens with an ordinal ("First is confidentiality.") is that ordinal's; one that
        # looks back on the items told ("These two issues are connected: ...") names none
        found_units += [u for u in plain if not self._recap.match(u.lead)
                        and not any(o.source == "ordinal" and u.start <= o.start < u.end for o in found_units)]
        parallel = self.kind == "concept" and sum(
            1 for u in found_units if u.source == "colon" and self._lexicon_in(0, 0, clean(u.lead))) >= 2
        named_units = [(u, got) for u in found_units if (got := self.name_unit(u, parallel)) is not None]
        # plain lead-ins before a colon are a list of items only where two or more name one ("Benefits: ..."
        # is a sentence; "Energy Institute: yes for 2 ... RenewableUK: ..." one paragraph weighing several)
        colons = [u for u, _got in named_units if u.source == "colon"]
        kept = colons if len(colons) >= 2 else []
        named_units = [(u, got) for u, got in named_units if u.source != "colon" or u in kept]
        found_units = [u for u in found_units if u.source != "colon" or u in kept]
        # a label that names an item ("Ethical issue 2 - personal interest:") is developed by the lines under
        # it; one that names none ("My skills:") leaves its lines to be the items
        # (one the lexicon knows: "Ethical issues I have come across:" names the criterion, not an item)
        named_units = [(u, got) for u, got in named_units
                       if u.source != "label" or self._lexicon_in(0, 0, clean(u.lead))]
        labels = [(u.start, u.end) for u, _got in named_units if u.source == "label"]
        named_units = [(u, got) for u, got in named_units
                       if u.source == "label" or not any(a < u.start < b for a, b in labels)]
        # a unit about something that is no item of this kind ("Being on time") covers its own examples
        # and a line led by a facet ("Benefits: training, conference, mentor scheme") tells what the item
        # above it offers: what it names is no more items
        aside = [(u.start, u.end) for u in found_units if u.lead and self.not_an_item(clean(u.lead))
                 or u.source == "ordinal" and (not u.lead or self.is_facet(clean(u.lead)))
                 and self._short_sentence_not_an_item(u.start)
                 or u.source in ("list", "bold", "table") and self._attribute(u.lead)]
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
        starts = sorted([p[0] for p in prose] + [u.start for u, _got in named_units])  # where each item begins
        key_at = {p[0]: p[2] for p in prose}
        # the learner set out items as a list or lead-ins: a one-line aside is not one (a paragraph opening
        # with a few plain words is weaker layout: "You also need confidence because ..." may follow three)
        found_at = {i.start for i in found}
        structured = any(u.source != "colon" for u, _got in named_units if u.start in found_at)
        for start, name, key in prose:
            at = self._sentence(start)
            sent, sent_start = (at.text, at.start_char) if at is not None else ("", start)
            # what the answer says about it: up to the next item in the same paragraph ("Lastly confidence.
            # Many care managers ...": the sentences after a short one develop it too)
            end = self.text.find("\n", start)
            end = len(self.text) if end < 0 else end
            para = self.text.rfind("\n", 0, start) + 1
            # (one joined to it, "X and the Y against the criteria of ...", shares what follows them both)
            # (the same item named again, "... how well they listen. Listening properly ...", goes on telling it)
            later = [x for x in starts if x > start and key_at.get(x) != key]
            if later and _JOINED.fullmatch(self.text, start + len(name), later[0]):
                later = later[1:]
            nxt = later[0] if later else end
            span = self.text[start:min(end, nxt)]
            words = len(span.split())
            stop = min(end, nxt)  # sentences from the one holding the item to the last starting before `stop`
            # (a closing reference, "(AC 2.1)", is no sentence about it)
            first, last = max(0, bisect_right(self._starts, start) - 1), bisect_left(self._starts, stop)
            lines = self._substantial(first, last)
            # ... of which the sentence naming the next item, unless it opens with it, is about the items together
            # ("There is also the BIRA, which Jas goes to. Setting these against my needs, the Institute ...")
            if nxt < end and (at_next := bisect_right(self._starts, nxt) - 1) > first \
                    and len(self.text[self._starts[at_next]:nxt].split()) > SENTENCE_OPENING:
                told = self._substantial(first, at_next)
            else:
                told = lines
            developed = (words >= DEVELOPED_WORDS and (lines >= 2 or not structured) or not self.verb.account) \
                and not self._crowded(start)
            # beside items set out as a table or list, one more named in a sentence of prose, not its subject,
            # is only mentioned ("There is also the Chamber, but ..."), whatever the verb
            if structured and lines < 2 and len(self.text[sent_start:start].split()) > SENTENCE_OPENING:
                developed = False
            if told < 2 and any(a in sent.lower() for a in self.lib.asides):
                developed = False  # "There is also the X, which Jas goes to."
            if told < 2 and self.kind != "person" and any(para <= x < start for x in starts) \
                    and whole_phrases(tuple(self.lib.asides_after)).search(sent):
                developed = False  # "... I am also on the Chipping Campden Chamber of Commerce mailing list."
            if selects and self.not_done(sent_start, sent_start + len(sent)):
                developed = False
            if chosen and any(a <= start < b for a, b in chosen):  # named in the choice: chosen
                developed = not self.not_done(start, start + len(name))
            if self.in_passing(sent) or start in self._asides:
                developed = False  # "I exchanged business cards with ...": met, not a member or an item
            # a label's sentence ("Listening.") says nothing on its own: the sentence after it does
            quote = sent if len(sent.split()) >= SENTENCE_WORDS else self._quote(sent_start, stop)
            (found if developed else named).append(Item(name, key, quote, developed, start))
        picked = self.picked(found + named, chosen) if chosen else []
        if picked:  # the answer says which it chose: a table or list of all it weighed is not the shortlist
            kept = [i for i in found + named if any(self._one(i, p) for p in picked)]
            named = [i for i in found + named if i not in kept]
            found = [i if i.developed else Item(i.name, i.key, i.quote, True, i.start) for i in kept]
        items = merge(found, self.names, self.kind)
        if self.kind == "person":
            items = [i for i in items if not self._role_of_another(i, items)]
        keys = {i.key for i in items}
        names = {normal(i.name) for i in items}
        rest = [i for i in merge(named, self.names, self.kind) if i.key not in keys and normal(i.name) not in names]
        q = self.c.quantity
        if not items and rest and q is not None and q.min == 1 and self.kind != "person" \
                and self.section.words >= SOLE_ITEM_WORDS:
            # "Selected network: Harrogate Chamber of Commerce." over an answer about it: the one item named
            # (or the one its first sentence names, "I assessed joining ISBL against four criteria.") is the
            # one the whole answer weighs
            first = self.analysis.sentences[0] if self.analysis.sentences else None
            opening = [i for i in rest if first is not None and i.start < first.start_char + len(first.text)]
            sole = rest if len(rest) == 1 else opening if len(opening) == 1 else []
            if sole:
                return [Item(sole[0].name, sole[0].key, sole[0].quote, True, sole[0].start)], \
                    [i for i in rest if i is not sole[0]]
        return items, rest

    def _role_of_another(self, item: Item, items: list[Item]) -> bool:
        """An item named by a role that the answer gives beside another item's name ("Food Partnership
        Coordinator, Gateshead Council" beside "Janet Kerr, Food Partnership Coordinator"): one person."""
        if self.names.person_names(item.name):
            return False
        role = clean(item.name).split(",")[0].strip()
        return len(role.split()) >= 2 and any(
            o is not item and re.search(rf"{re.escape(clean(o.name))}\s*,\s*(?:the\s+|our\s+)?{re.escape(role)}",
                                        self.names.document, re.I) for o in items)

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
                if block > 0 and self._recap.match(self.text, block + 1):
                    continue  # "Both issues lead to the same conclusion: ...": the summing up
                sent = self._sentence(a)
                if block not in seen_blocks and self._label_not_an_item(block + 1):
                    seen_blocks.add(block)  # "Being on time. Turning up ... shows I respect ...": its examples
                    continue
                # the sentence's first item, near its start: what the sentence is about (its subject, not what
                # "I" do: "I ask questions and check back" is how the paragraph's skill is done)
                before = self.text[sent.start_char:a].split() if sent is not None else []
                opens = sent is not None and sent.start_char not in seen_sents and \
                    len(before) <= SENTENCE_OPENING and not {w.lower() for w in before} & self._subjects
                if block not in seen_blocks or opens:
                    out.append((a, self.text[a:b], key))
                seen_blocks.add(block)
                if sent is not None:
                    seen_sents.add(sent.start_char)
        if self.kind == "person" or (self.kind == "organisation" and self.cues & {"names", "organisations"}):
            roles: list[tuple[int, str, str]] = []
            for sent in self.analysis.sentences:
                begin = sent.start_char
                if not free(begin):
                    continue
                found = list(self.names.person_names(sent.text) if self.kind == "person"
                             else self.names.org_names(sent.text))
                if self.kind == "organisation":  # names given in a table or lead-in elsewhere, used again
                    for label in self.names.labels:
                        at = sent.text.find(label)
                        last = label.split()[-1].lower()
                        job = last in self.words.roles and last not in self.words.orgs  # "... to Regional Ops Manager"
                        if at >= 0 and name_like(label, self.words.calendar) and not job \
                                and not any(o == at for o, _r in found):
                            found.append((at, label))
                for off, raw in found:
                    if any(a <= begin + off < b for a, b, _k in self.mentions):
                        continue
                    if self.kind == "organisation" and self._issued.match(sent.text, off + len(raw)):
                        continue  # "keep up with CQC and NHS changes": what they issue, not a network
                    key = (self.names.acronyms.get(raw.lower()) or self.names.short_labels.get(raw.lower())) \
                        if " " not in raw else None
                    out.append((begin + off, clean(raw), key or normal(raw)))
                if self.kind == "person":
                    roles += [(a, self.text[a:b], key) for a, b, key in self.mentions
                              if begin <= a < begin + len(sent.text)]
            if self.kind == "person" and not out and not self.names.person_names(self.text):
                out = roles  # nobody is named: the roles are the people ("my mentor", "a supplier")
        if self.kind == "organisation":
            out = [x for x in out if not self._describes_a_name(x, out)]
            # beside bodies named by their names, a kind of network in lower case ("the conference", "a
            # mentoring scheme", "working groups") is what one of them runs, or a kind, not a network put
            # forward: assessors count the named ones
            # (one in apposition describes a name written in lower case and stands for it: "ukactive, the
            # national trade body")
            if any(n != n.lower() for _a, n, _k in out):
                out = [x for x in out if x[1] != x[1].lower()
                       or _DESCRIBES.search(self.text, max(0, x[0] - 60), x[0])]
            self._asides = self._parts_of_the_first(out)
            # a kind of network named right before its name is that name: "LinkedIn group" + "UK Ports ..."
            out = [x for x in out if not any(o is not x and 0 <= o[0] - (x[0] + len(x[1])) <= 2 and
                                             x[1] == self.text[x[0]:x[0] + len(x[1])]
                                             and name_like(o[1], self.words.calendar)
                                             and self.words.kind_before.search(x[1] + " ") for o in out)]
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
            if para in first and first[para] != key and not opens and not self._joined(start, names):
                out.add(start)
            first.setdefault(para, key)
        return out

    def _joined(self, start: int, names: list[tuple[int, str, str]]) -> bool:
        """The name at `start` is joined to the name right before it ("the Lakes Produce Collective and the
        Craft Guild of Chefs"): two items told together, neither a part of the other."""
        before = [(a, n) for a, n, _k in names if a + len(n) <= start]
        if not before:
            return False
        a, n = max(before)
        return _JOINED.fullmatch(self.text, a + len(n), start) is not None

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


def item_kind(criterion: Criterion, lib: ItemLibrary) -> str:
    """The quantity's item type: as the pack says, else from its noun (last word), else a concept."""
    q = criterion.quantity
    if q is None:
        return "concept"
    if q.type:
        return q.type
    if q.events:
        return "occurrence"
    last = (words_of(q.noun) or [""])[-1]
    for kind, nouns in lib.types.items():
        if last in nouns:
            return kind
    return "concept"
