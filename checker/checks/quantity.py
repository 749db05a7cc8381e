"""Quantity: count the distinct items an answer really develops ("three or more skills").

Items come from two places: the structure learners give them (list lines, sub-headings, bold
lead-ins, "Firstly ... Secondly", table rows) and the pack's lexicon of recognised items with their
synonyms. An item named twice, or by two synonyms, counts once; for verbs that need an account, an
item named in passing (a list of four skills in one sentence) is not developed and does not count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.util import filter_spans

from ..document import Block
from ..nlp import Analysis
from ..packs import Criterion, Verb
from ..result import Finding, number
from ..sections import Section
from ..text import STOP
from . import Context

_ORDINAL = re.compile(
    r"^(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|fourth(?:ly)?|fifth(?:ly)?|sixth(?:ly)?|finally|lastly|"
    r"another|a further|the (?:first|second|third|fourth|fifth|sixth|next|final|last|other))\b",
    re.I,
)
# "Secondly, empathy is ...", "Another skill is patience, which ..." -> "empathy", "patience"
_ORDINAL_NAME = re.compile(
    r"^\W*(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|fourth(?:ly)?|fifth(?:ly)?|sixth(?:ly)?|finally|lastly|"
    r"another|a further|the (?:first|second|third|fourth|fifth|sixth|next|final|last|other))\b[\s,]*"
    r"(?:(?:important|key|useful|essential|vital)\s+)?(?:(?:skill|issue|network|one|area|point|member)s?\s+"
    r"(?:is|was|would be|that|I)\s+)?(?:the\s+|a\s+|an\s+|my\s+)?"
    r"(?P<lead>[^,.;:()]{2,40}?)(?=\s+(?:is|are|was|were|means|helps|involves|allows|matters|lets|gives|makes)\b"
    r"|[,.;:(])",
    re.I,
)
_LEAD_SPLIT = re.compile(r"\s*(?::|\s[-–—]\s|\.\s|,\s|\s\()")
_ORG_WORDS = {"institute", "institution", "association", "chamber", "network", "networks", "group", "society",
              "council", "federation", "club", "forum", "partnership", "board", "trust", "college", "university",
              "academy", "alliance", "foundation", "ltd", "plc", "guild", "union", "circle",
              "hub", "community", "linkedin", "rotary", "housing", "architects", "solicitors", "services", "partners",
              "consulting", "associates", "hospital", "hospitals", "school", "tourism", "limited", "motors",
              "engineering", "construction", "care", "centre", "center", "agency", "company", "ltd.", "inc", "primary",
              "fund", "bank", "museum", "library", "police", "service", "nhs", "charity"}
_NOT_NAMES = {"i", "i'm", "i've", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
              "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december", "appendix", "ac", "lo", "uk", "covid", "teams", "zoom", "english",
              "british", "internet", "email", "cpd", "hr", "ceo", "gdpr", "kpi", "pdp", "crm", "it", "ict",
              "swot", "pestle", "smart", "faq", "md", "coo", "cfo", "ilm", "cmi", "north", "south", "east", "west",
              "midlands", "street", "road", "day", "week", "month", "year", "walk", "conference", "event"}
_TITLES = {"mr", "mrs", "ms", "miss", "dr", "prof", "professor", "cllr", "sir", "dame"}
DEVELOPED_WORDS = 8  # a sentence this long says something about the item, not just its name
UNNAMED_LEAD_WORDS = 6


@dataclass
class _Unit:
    start: int
    end: int
    lead: tuple[int, int]  # character range of the unit's label within the section text
    lead_text: str


def _offsets(section: Section) -> list[int]:
    """Start of each block's text within section.text (lead line first, joined by newlines)."""
    pos = len(section.lead) + 1 if section.lead else 0
    out = []
    for b in section.blocks:
        out.append(pos)
        pos += len(b.text) + 1
    return out


def _lead_of(b: Block) -> str:
    if b.bold_lead and not b.bold:
        return b.bold_lead
    head = _LEAD_SPLIT.split(b.text, maxsplit=1)[0]
    return head if len(head.split()) <= UNNAMED_LEAD_WORDS else ""


def units(section: Section, cues: list[str]) -> list[_Unit]:
    """Structural units: each list line, sub-heading (with its text), bold lead-in or ordinal paragraph."""
    blocks, offs = section.blocks, _offsets(section)
    out: list[_Unit] = []
    i = 0
    while i < len(blocks):
        b, start = blocks[i], offs[i]
        end = start + len(b.text)
        heading = b.level is not None or (b.bold and b.words <= 12)
        if heading and "subheading" in cues:
            j = i + 1
            while j < len(blocks) and not (blocks[j].level is not None or (blocks[j].bold and blocks[j].words <= 12)):
                j += 1
            out.append(_Unit(start, offs[j - 1] + len(blocks[j - 1].text), (start, end), b.text))
            if j > i + 1 and any(x.is_list for x in blocks[i + 1 : j]) and "list" in cues:
                i += 1  # a sub-heading over a list: the list lines are the items
                continue
            i = j
            continue
        if b.is_list and "list" in cues or b.bold_lead and not b.bold and "bold" in cues:
            lead = _lead_of(b)
            out.append(_Unit(start, end, (start, start + len(lead)), lead))
        elif "ordinal" in cues and _ORDINAL.match(b.text):
            named = _ORDINAL_NAME.match(b.text)
            lead = named.group("lead").strip() if named else ""
            lead = "" if lead.split()[:1] and lead.split()[0].lower() in STOP else lead  # "Secondly I ..."
            offset = named.start("lead") if named else 0
            out.append(_Unit(start, end, (start + offset, start + offset + len(lead)), lead))
        elif "table" in cues and b.cell is not None and section.located_by != "table" and b.cell[2] == 0 \
                and b.cell[1] > 0:  # a table of items: one per row, named in its first column (not the header)
            lead = _lead_of(b)
            out.append(_Unit(start, end, (start, start + len(lead)), lead))
        i += 1
    return out


_CAP = r"[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?"
# A lone first name where an introduction names people: "introduced Rhian to Owain", "with Sam".
_FIRST_PERSON = re.compile(r"\b(?:I|we)\b")
_RETELL = re.compile(r"\b(?:them|him|her|the two|the introduction|this introduction)\b(?!.*\b(?:also|another)\b)",
                     re.I)
_FIRST_NAME = re.compile(r"\b(?:to|with|and|introduced|introducing|connected|referred|put|paired|linked)\s+"
                         r"([A-Z][a-z'’]+)\b(?![’']s)(?!\s+[A-Z])")
_TITLE = r"(?:Dr|Mr|Mrs|Ms|Miss|Prof|Professor|Cllr|Sir|Dame)\.?"
_PERSON = re.compile(rf"\b(?:{_TITLE}\s+{_CAP}(?:\s+{_CAP})?|{_CAP}\s+{_CAP}(?:\s+{_CAP})?)\b")
_ORG = re.compile(rf"\b(?:{_CAP}|[A-Z]{{2,6}}\b)(?:\s+(?:(?:of|and|for|&|the)\s+)?(?:{_CAP}|[A-Z]{{2,6}}\b))*")


def _names(analysis: Analysis, kind: str) -> list[tuple[int, str]]:
    """Proper names in running text: people ("Sarah Khan", "Dr Patel") or organisations ("Institute of
    Hospitality", "CIPD"). A name must be two capitalised words or carry a title: single capitalised
    words are too often places, products or the first word of a sentence."""
    out = []
    for sent in analysis.sentences:
        base = sent.start_char
        for m in (_PERSON if kind == "people" else _ORG).finditer(sent.text):
            words = [w.lower().rstrip(".") for w in m.group().split()]
            while words and (words[0] in STOP or words[0] in _NOT_NAMES):
                words = words[1:]  # "In March", "The Institute of ..."
            if not words or any(w in _NOT_NAMES for w in words):
                continue
            is_org = any(w in _ORG_WORDS for w in words) or (len(words) == 1 and m.group().isupper()
                                                              and len(m.group()) >= 3)
            if kind == "people":
                named = [w for w in words if w not in _TITLES]
                if is_org or not named or (len(named) < 2 and len(named) == len(words)):
                    continue
                out.append((base + m.start(), _normal(" ".join(named))))
            elif is_org:
                out.append((base + m.start(), _normal(" ".join(words))))
    return out


def count(criterion: Criterion, verb: Verb, section: Section, analysis: Analysis) -> tuple[list[str], list[str]]:
    """The distinct items the answer develops, and those it only names."""
    q = criterion.quantity
    if q is None:
        return [], []
    prefix = f"{criterion.id}|item|"
    doc = analysis.doc
    names_of = {rng: key[len(prefix):] for key, rngs in analysis.matches.items() if key.startswith(prefix)
                for rng in rngs}
    spans = filter_spans([doc[a:b] for a, b in names_of])  # overlapping synonyms: the longest wins
    mentions = [(sp.start_char, sp.end_char, names_of[(sp.start, sp.end)], sp) for sp in spans]
    found: dict[str, None] = {}
    named_only: dict[str, None] = {}
    covered: list[tuple[int, int]] = []
    for unit in units(section, list(q.cues)):
        inside = [m for m in mentions if unit.start <= m[0] < unit.end]
        in_lead = [m for m in inside if unit.lead[0] <= m[0] < unit.lead[1]]
        body_words = len(section.text[unit.start : unit.end].split()) - len(unit.lead_text.split())
        developed = not verb.account or body_words >= 5
        # A unit is named by a recognised item in its label, else by the label itself ("Cumbria
        # Tourism - ..."), else by the first recognised item in its text.
        if in_lead:
            name = in_lead[0][2]
        elif unit.lead_text and len(unit.lead_text.split()) <= UNNAMED_LEAD_WORDS and developed:
            name = _normal(unit.lead_text)
        elif inside:
            name = inside[0][2]
        else:
            continue
        (found if developed else named_only)[name] = None
        covered.append((unit.start, unit.end))
    proper: list[tuple[int, str]] = []
    for cue in ("people", "organisations"):
        if cue in q.cues or "names" in q.cues and cue == _default_kind(q.noun):
            proper += [(start, name) for start, name in _names(analysis, cue)
                       if not any(a <= start < b for a, b in covered)
                       and not any(m[0] <= start < m[1] for m in mentions)]
    named_sentences = {_sentence_of(analysis, start) for start, _ in proper}
    for start, _end, name, span in mentions:
        if any(a <= start < b for a, b in covered) or name in found:
            continue
        sent = span.sent
        if sent.start_char in named_sentences:
            continue  # "Karen Doyle, Apprenticeships Manager": the role describes the name, not another item
        words = sum(1 for t in sent if t.is_alpha)
        others = {m[2] for m in mentions if sent.start_char <= m[0] < sent.end_char}
        if not verb.account or (words >= DEVELOPED_WORDS and len(others) <= 2):
            found[name] = None
        else:
            named_only[name] = None
    for _start, name in proper:
        found[name] = None
    distinct = _merge_repeats(list(found))
    if q.events:
        events = _events(criterion.id, analysis, proper, mentions)
        if events:
            return events, []
    return distinct, [n for n in named_only if n not in found and n not in distinct]


def _events(cid: str, analysis: Analysis, proper: list[tuple[int, str]], mentions: list) -> list[str]:
    """Occurrences ("I introduced Kerry Lynch to Priya Raman") named by who took part; the same
    people retold in a later sentence are the same occurrence."""
    full = [n for _, n in proper]
    last_end = -1000  # token index where the last counted occurrence's sentence ended
    seen: list[frozenset[str]] = []
    out = []
    for sp in analysis.spans(f"{cid}|event"):
        sent = sp.sent
        who = [n for start, n in proper if sent.start_char <= start < sent.end_char]
        # In an introduction a lone capitalised word is a person ("I introduced Rhian to Owain"),
        # known by their full name where the answer gave it.
        for m in _FIRST_NAME.finditer(sent.text):
            word = m.group(1).lower()
            if word in STOP or word in _NOT_NAMES or word in _ORG_WORDS:
                continue
            name = next((n for n in full if n.split()[0] == word), word)
            if not any(word in n.split() for n in who):
                who.append(name)
        who += [m[2] for m in mentions if sent.start_char <= m[0] < sent.end_char and not who]
        if not who:
            # "I also introduced a new colleague ..." counts; "I introduced them by email", right after
            # a named introduction, retells it
            if not _FIRST_PERSON.search(sent.text) or (_RETELL.search(sent.text) and sent.start - last_end <= 40):
                continue
            who = [" ".join(sent.text.split()[:8]) + " …"]
        last_end = sent.end
        people = frozenset(who)
        if not people or any(people <= s for s in seen):
            continue
        seen.append(people)
        out.append(" and ".join(dict.fromkeys(who)))
    return out


def _sentence_of(analysis: Analysis, char: int) -> int:
    """Start character of the sentence holding a character offset."""
    start = 0
    for sent in analysis.sentences:
        if sent.start_char > char:
            break
        start = sent.start_char
    return start


def _normal(name: str) -> str:
    name = name.lower().strip(" .:;,-–—()")
    return name[4:] if name.startswith("the ") else name


def _initials(name: str) -> str:
    return "".join(w[0] for w in _normal(name).split() if w not in ("of", "and", "for", "the", "&"))


def _merge_repeats(names: list[str]) -> list[str]:
    """The same item named twice: "Kerry" after "Kerry Lynch", "the forum" after "Lakes Hoteliers
    Forum", "CSP" beside "Community Safety Partnership"."""
    out: list[str] = []
    for name in names:
        words = set(_normal(name).split())
        if any(words <= set(_normal(o).split()) for o in names if o != name and len(o) > len(name)):
            continue
        if " " not in name.strip() and len(name) >= 2 and any(
                _normal(name) in _initials(o) for o in names if " " in o.strip()):
            continue
        if _normal(name) not in {_normal(o) for o in out}:
            out.append(name)
    return out


def _default_kind(noun: str) -> str:
    people = ("people", "person", "member", "colleague", "contact", "individual")
    return "people" if any(p in noun.lower() for p in people) else "organisations"


def check(ctx: Context) -> list[Finding]:
    q = ctx.criterion.quantity
    if q is None or len(ctx.items) >= q.min:
        return []
    have = f"{len(ctx.items)}: {', '.join(ctx.items)}" if ctx.items else "none"
    extra = f"; named without being developed: {', '.join(ctx.undeveloped)}" if ctx.undeveloped else ""
    yours = f"{number(len(ctx.items))}: {', '.join(ctx.items)}" if ctx.items else "none yet"
    return [Finding("too-few-items", "gap",
                    f"{ctx.cid} asks for at least {q.min} {q.noun}; the answer develops {have}{extra}",
                    (ctx.first_words(),),
                    f"{ctx.cid} asks for {number(q.min)} or more {q.noun}; your draft develops {yours}. "
                    f"Add {number(q.min - len(ctx.items))} more, each with its own sentences.")]
