"""The structural units of an answer that may each hold one item: list lines, sub-headings with what they
head, bold lead-ins, rows of the learner's own tables, and sentences opening with an ordinal ("Secondly,
empathy is ...", "Another skill is patience"). Which cues a quantity reads is the pack's (`cues`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .document import Block
from .names import LABEL_WORDS
from .packs import ItemLibrary
from .sections import Section
from .text import STOP, alternation

_COLON_LEAD = re.compile(r"([^:.!?\n]+?):\s+\S")
_SENTENCE_LEAD = re.compile(r"([A-Z][^:.!?\n]*?)\.\s+[A-Z]")  # "Gifts from suppliers. Reps give ..."
_LEAD_SPLIT = re.compile(r"\s*(?::|\s[-–—]\s|\.\s|,\s|;\s|\s\()")
_COPULA = re.compile(r"\s(?:is|are|was|were)\s+")
_TYPED_AGAIN = re.compile(r"[.!?]\s+\(?(?:\d{1,2}|[a-h])[.)]\s+[A-Z]")
_TYPED_NUMBER = re.compile(r"^\(?(?:\d{1,2}|[a-h])[.)]\s+(?=[A-Z])")  # "1. ", "(2) ", "b) ": a list typed by hand


@dataclass
class Unit:
    start: int
    end: int
    lead: str  # the unit's label: a sub-heading, bold lead-in, list line's head, first table cell
    source: str  # list | subheading | label | bold | colon (a plain lead-in: units.plain_lead) | ordinal | table


def offsets(section: Section) -> list[int]:
    """Where each of the section's blocks starts in its text."""
    pos = len(section.lead) + 1 if section.lead else 0
    out = []
    for b in section.blocks:
        out.append(pos)
        pos += len(b.text) + 1
    return out


def table_cell(section: Section, b: Block) -> tuple[int, int, int] | None:
    """A block's place in a table the learner made (not the centre's template the answer sits in)."""
    inner = b.inner or b.cell
    if inner is None:
        return None
    if section.located_by == "table" and inner == b.cell:
        return None
    return inner


def heading_like(b: Block) -> bool:
    return b.level is not None or (b.bold and b.words <= 12)


def lead_of(b: Block) -> str:
    """A block's label: its bold lead-in, or its words up to a colon, dash or full stop when they are few."""
    if b.bold_lead and not b.bold:
        return b.bold_lead
    head = _LEAD_SPLIT.split(b.text, maxsplit=1)[0]
    return head if len(head.split()) <= LABEL_WORDS else ""


def plain_lead(b: Block) -> str:
    """A plain paragraph's lead-in: a label's few words before a colon ("Learning Disability England: here
    people ... are members together") or a first sentence of a few words ("Being honest. At the group ...")."""
    if b.is_list or b.level is not None or b.bold or b.bold_lead:
        return ""
    m = _COLON_LEAD.match(b.text) or _SENTENCE_LEAD.match(b.text)
    lead = m.group(1).strip() if m else ""
    if not 1 <= len(lead.split()) <= LABEL_WORDS or len(lead) <= 3 and lead.istitle():
        return ""  # "Mr. Patel is my mentor": a title's full stop, not a sentence
    return lead


def _label_line(text: str) -> bool:
    """A short line ending in a colon: it labels the list lines under it."""
    return text.rstrip().endswith(":") and len(text.split()) <= LABEL_WORDS + 4


def _typed_line(text: str) -> bool:
    """One line numbered by hand ("2. Customer details. Other operators ..."), not a whole list run into one
    paragraph ("1. IMI Education Forum ... 2. AoC ...")."""
    return _TYPED_NUMBER.match(text) is not None and _TYPED_AGAIN.search(text) is None


def lead_of_typed(text: str) -> str:
    """The label of a line the learner numbered by hand: "2. Customer details. Other operators ..."."""
    rest = text[_TYPED_NUMBER.match(text).end():]
    head = _LEAD_SPLIT.split(rest, maxsplit=1)[0]
    return head if len(head.split()) <= LABEL_WORDS else ""


def units(section: Section, cues: set[str]) -> list[Unit]:
    blocks, offs = section.blocks, offsets(section)
    # a bold cell of the learner's own table is its header, not a sub-heading over the rest
    heads = [i for i, b in enumerate(blocks) if heading_like(b) and table_cell(section, b) is None]
    # One heading over the whole answer is its title (a topic line in a table cell), not an item.
    if len(heads) == 1 and heads[0] == 0:
        heads = []
    out: list[Unit] = []
    # plain paragraphs led by a name and a colon or a short sentence, two or more in a row, are lead-ins
    # like bold ones
    colons = [plain_lead(b) if "bold" in cues and table_cell(section, b) is None else "" for b in blocks]
    i = 0
    while i < len(blocks):
        b, start = blocks[i], offs[i]
        if i in heads and "subheading" in cues:
            j = i + 1
            while j < len(blocks) and j not in heads:
                j += 1
            out.append(Unit(start, offs[j - 1] + len(blocks[j - 1].text), b.text, "subheading"))
            if any(x.is_list or (x.bold_lead and not x.bold) for x in blocks[i + 1 : j]):
                i += 1  # a sub-heading over a list or lead-ins: those are the items
                continue
            i = j
            continue
        table = table_cell(section, b)
        if table is not None and "table" in cues:
            t, r, col = table
            j = i + 1
            while j < len(blocks) and (cell := table_cell(section, blocks[j])) is not None and cell[:2] == (t, r):
                j += 1
            if r > 0 and col == 0:  # one item per row, named in its first column (not the header)
                out.append(Unit(start, offs[j - 1] + len(blocks[j - 1].text), lead_of(b) or b.text, "table"))
            i = j
            continue
        listed = b.is_list or _typed_line(b.text)
        if not listed and "subheading" in cues and _label_line(b.text) and i + 1 < len(blocks) \
                and blocks[i + 1].is_list:
            # "Ethical issue 1 - confidentiality of security information:" over bullets: a label, whose
            # lines may be its item's development or the items themselves (items.Finder decides)
            j = i + 1
            while j < len(blocks) and blocks[j].is_list:
                j += 1
            out.append(Unit(start, offs[j - 1] + len(blocks[j - 1].text), b.text.rstrip(" :"), "label"))
        if listed and "list" in cues or b.bold_lead and not b.bold and "bold" in cues:
            lead = lead_of(b) if b.is_list or b.bold_lead else lead_of_typed(b.text)
            out.append(Unit(start, start + len(b.text), lead, "list" if listed else "bold"))
        elif colons[i] and (i > 0 and colons[i - 1] or i + 1 < len(blocks) and colons[i + 1]):
            out.append(Unit(start, start + len(b.text), colons[i], "colon"))
        i += 1
    return out


@lru_cache(maxsize=16)
def _opener(ordinals: tuple[str, ...]) -> re.Pattern:
    return re.compile(rf"^\W*(?:(?:and|but|then)\s+)?(?:{alternation(ordinals)})\b[\s,]*", re.I)  # "And lastly"


@lru_cache(maxsize=16)
def _name_end(words: tuple[str, ...]) -> re.Pattern:
    return re.compile(rf"[,.;:()]|\s(?:{alternation(words)})\b")


def ordinal_units(text: str, sentences: Sequence, lib: ItemLibrary, cues: set[str],
                  covered: list[tuple[int, int]]) -> list[Unit]:
    """Sentences opening with an ordinal ("Secondly, empathy is ...", "Another skill is patience"), each
    named by the words after it up to its verb (rules/items.yaml `ordinals`, `ordinal_fillers`, `name_ends`)."""
    if "ordinal" not in cues:
        return []
    opener, ends = _opener(tuple(lib.ordinals)), _name_end(tuple(lib.name_ends))
    fillers, subjects = set(lib.ordinal_fillers), set(lib.ordinal_subjects)
    out = []
    for sent in sentences:
        start = sent.start_char
        if any(a <= start < b for a, b in covered):
            continue
        m = opener.match(sent.text)
        if not m:
            continue
        tokens = sent.text[m.end():].split()
        k = 0
        while k < len(tokens) and tokens[k].lower().strip(",") in fillers:
            k += 1
        rest = " ".join(tokens[k:])
        if k and tokens[k - 1].lower() in subjects and (verb := _COPULA.search(rest)):
            rest = rest[verb.end():]  # "The first ethical issue I face is confidentiality": "face" is a verb
        name = ends.split(rest, maxsplit=1)[0]
        # "The first thing I noticed was ...": a past verb after the fillers tells, it names nothing
        lead = name if 0 < len(name.split()) <= 4 and name.split()[0].lower() not in STOP \
            and not name.split()[0].lower().endswith("ed") else ""
        end = text.find("\n", start)  # the item runs on to the paragraph's end or the next ordinal
        out.append(Unit(start, len(text) if end < 0 else end, lead, "ordinal"))
    for a, b in zip(out, out[1:], strict=False):
        a.end = min(a.end, b.start)
    return out
