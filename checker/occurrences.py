"""Occurrences: introductions made, meetings held, each named by who took part ("I introduced Kerry Lynch to
Priya Raman"), found by the pack's event phrases or in the rows of a learner's log table. The same people
retold are the same occurrence; a planned one, or cards swapped in passing, is none.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .items import Finder, Item
from .logs import dated_opening, past_opening
from .names import clean, normal
from .packs import Criterion
from .text import STOP, alternation, whole_phrases
from .units import offsets, table_cell

NOUN_REACH = 4  # "to arrange the introduction": words between a plan's "to" and the event's noun
_FIRST_PERSON = re.compile(r"\b(?:I|we|We)\b")


@lru_cache(maxsize=16)
def _first_name(verbs: tuple[str, ...]) -> re.Pattern:
    """A lone first name after "to", "with", "and" or an introducing verb ("... to Owain"), or in commas
    (", Lewis,"); not a possessive, not the first of two capitalised words."""
    said = alternation(verbs)
    return re.compile(rf"\b(?:to|with|and|(?i:{said}))\s+([A-Z][a-z]+)\b(?![’']s)(?!\s+[A-Z])|,\s+([A-Z][a-z]+),")


def _given(name: str, titles: frozenset[str]) -> str:
    """A person's given name: the first word after any title ("Mr Ben Adeyemi" -> "Ben")."""
    words = [w for w in name.split() if w.lower().rstrip(".") not in titles]
    return words[0] if words else name


def _planned(doc, token: int, planned_before: frozenset[str]) -> bool:  # noqa: ANN001 - a spaCy Doc
    """The event's verb in its base form after "to", "will", "would" ...: "I want to introduce Mr Patel"."""
    word = doc[token].lower_
    if word.endswith("ed") or token == 0:
        return False
    # a noun's plan is a verb or two before it ("intend to arrange the introduction"), not one done ("we
    # arranged the introduction")
    noun = word.endswith(("tion", "tions"))
    before = [doc[i].lower_ for i in range(max(0, token - (NOUN_REACH if noun else 2)), token)]
    return bool(planned_before.intersection(before)) and not (noun and any(w.endswith("ed") for w in before))


def _rows(f: Finder) -> tuple[dict[tuple[int, int], list[int]], dict[int, str]]:
    """The section's blocks by the row of the learner's table they sit in, and each table's caption: the
    line right before it ("Introductions I made:")."""
    blocks = f.section.blocks
    rows: dict[tuple[int, int], list[int]] = {}
    captions: dict[int, str] = {}
    for i, b in enumerate(blocks):
        cell = table_cell(f.section, b)
        if cell is not None:
            if cell[0] not in captions:
                captions[cell[0]] = blocks[i - 1].text if i and table_cell(f.section, blocks[i - 1]) is None \
                    else ""
            rows.setdefault(cell[:2], []).append(i)
    return rows, captions


def _rows_not_done(f: Finder, rows: dict[tuple[int, int], list[int]]) -> list[tuple[int, int]]:
    """Where the rows of a table that say their occurrence is not made yet lie in the text ("Introduce Karen
    Hughes to Lesley Grant | Planned for next term"): a row's status is its own cells'."""
    blocks, offs = f.section.blocks, offsets(f.section)
    not_done = whole_phrases(tuple(f.lib.not_done))
    return [(offs[idx[0]], offs[idx[-1]] + len(blocks[idx[-1]].text)) for idx in rows.values()
            if not_done.search(" ".join(blocks[i].text for i in idx))]


def table_occurrences(f: Finder, criterion: Criterion, rows: dict[tuple[int, int], list[int]],
                      captions: dict[int, str], not_done: list[tuple[int, int]]) -> list[Item]:
    """Rows of a learner's table (`_rows`) whose header or caption names the occurrence ("Who I introduced",
    "Introductions I made:"): one each, named by the people in its first two columns, unless the row says it
    is still to do (`not_done`)."""
    events = [e.lower() for e in (criterion.quantity.events if criterion.quantity else [])]
    blocks, offs = f.section.blocks, offsets(f.section)
    out = []
    for (t, r), idx in sorted(rows.items()):
        if any(a <= offs[idx[0]] < b for a, b in not_done):
            continue
        header = " ".join([captions.get(t, "")] + [blocks[i].text for i in rows.get((t, 0), [])]).lower()
        if r == 0 or not any(re.search(rf"\b{re.escape(e)}s?\b", header) for e in events):
            continue
        first = [blocks[i] for i in idx if (table_cell(f.section, blocks[i]) or (0, 0, 0))[2] <= 1]
        who = [clean(n) for b in first for _, n in f.names.person_names(b.text)]
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
    people = f.names.person_names(f.text)
    full = [clean(n) for _, n in people]
    seen: list[frozenset[str]] = []
    out: list[Item] = []
    stop_names = f.words.not_names | f.words.orgs | f.words.roles
    sentences = f.analysis.sentences
    planned, pair = frozenset(f.lib.planned_before), whole_phrases(tuple(f.lib.pair_words))
    first_name = _first_name(tuple(f.lib.first_name_after))
    one = whole_phrases(tuple(f.lib.one_person))  # "I introduced him to ...": the person just named
    given = {_given(n, f.words.titles): n for n in full}  # "Leah" -> "Leah Booth", for a pronoun's person
    rows, captions = _rows(f)
    not_done = _rows_not_done(f, rows)
    for item in table_occurrences(f, criterion, rows, captions, not_done):  # "Who I introduced | To whom": a row each
        group = frozenset(item.key.split("+"))
        if not any(group <= g for g in seen):
            seen.append(group)
            out.append(item)
    for sp in f.analysis.spans(f"{criterion.id}|event"):
        sent = sp.sent
        text = sent.text
        if any(a <= sent.start_char < b for a, b in not_done):
            continue  # a log row whose status says it is still to do
        if sp.start > sent.start and f.analysis.doc[sp.start].is_title:
            continue  # capitalised inside a sentence, a name's word: "the Libraries Connected South West group"
        at = f.analysis.sentence_of(sp.start)
        previous = sentences[at - 1].text if at > 0 else None
        # the event's own verb says whether it was done: "when he said he would like to move" does not
        # make "I introduced Sanjay to Claire Benson" a plan
        # a log line with no subject: "Introduced Dev Mistry to Carl Boateng (email, 20 May)", "Took our
        # apprentice, Kyle Burns, to the meeting and introduced him to ..."
        diary = sp.start == sent.start or past_opening(f.analysis.doc[sent.start]) \
            or dated_opening(f.analysis.doc, sent.start, sp.start, f.words.calendar)
        if f.in_passing(text) or not (_FIRST_PERSON.search(text) or diary) \
                or _planned(f.analysis.doc, sp.start, planned):
            continue
        who = [clean(n) for _, n in f.names.person_names(text)]
        for m in first_name.finditer(text):
            word = m.group(1) or m.group(2)
            if word.lower() in STOP or word.lower() in stop_names:
                continue
            if any(a <= m.start(m.lastindex) < a + len(n) for a, n in f.names.org_names(text)):
                continue  # "to Wessex Vale Hospice": a body, not a first name
            name = next((n for n in full if n.split()[0] == word), word)
            if not any(word in n.split() for n in who):
                who.append(name)
        # the pronoun is the nearest person named before it: one in the sentence ("I introduced our newest
        # keeper, Priya Shah, to the group ... introducing her") or, failing that, the sentence before
        pronoun = one.search(text)
        nearest = None
        if pronoun is not None:
            before_it = [(a, clean(n)) for a, n in f.names.person_names(text) if a < pronoun.start()]
            before_it += [(m.start(1), given[m.group(1)]) for m in re.finditer(r"\b([A-Z][a-z]+)\b",
                                                                             text[:pronoun.start()])
                          if m.group(1) in given and m.start(1) > 0]
            nearest = max(before_it)[1] if before_it else None
        if nearest is not None:
            if any(normal(nearest) in g for g in seen):
                continue  # "... took Leah with me and introduced her to the group": Leah's, told already
        elif pronoun and previous is not None:  # "Tom ... I introduced him to Sarah Kitchen"
            before = [clean(n) for _, n in f.names.person_names(previous)[:1]]
            if before and any(normal(before[0]) in g for g in seen):
                continue  # "... and introduced her to the committee": more of the introduction just told
            if who:
                who += [n for n in before if n not in who]
        if not who and pair.search(text) and previous is not None:  # "I introduced them by email"
            who = [clean(n) for _, n in f.names.person_names(previous)] or [
                w for w in re.findall(r"\b[A-Z][a-z'’]+\b", previous) if w.lower() not in stop_names
                and w.lower() not in STOP and w.lower() not in f.words.facets]
        if not who:
            if one.search(text) and out:
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
