"""The mention index gives the answers of a scan over every mention, on made-up and on real answers."""

from __future__ import annotations

import re

import pytest

from checker.items import Finder, item_kind
from checker.mentions import MentionIndex
from checker.names import Known
from checker.nlp import pipeline
from checker.reader import read
from checker.sections import locate
from checker.units import units

TEXT = "Rapport matters. I built rapport, then Rapports grew; active listening and rapport-building."


def _at(word: str, nth: int = 0) -> int:
    return [m.start() for m in re.finditer(re.escape(word), TEXT)][nth]


MENTIONS = sorted([(_at("Rapport"), _at("Rapport") + 7, "rapport"),
                   (_at("rapport"), _at("rapport") + 7, "rapport"),
                   (_at("active listening"), _at("active listening") + 16, "listening")])


def test_a_label_holds_a_mention_only_as_whole_words_and_in_text_order():
    index = MentionIndex(TEXT, MENTIONS)
    assert index.in_label("Building RAPPORT with clients") == tuple(MENTIONS[:2])
    assert index.in_label("Rapports") == ()  # inside a longer word
    assert index.in_label("rapport-building") == tuple(MENTIONS[:2])  # a hyphen ends a word
    assert index.in_label("Active listening and rapport") == tuple(MENTIONS)
    assert index.in_label("listening") == ()  # only what the learner wrote counts, not the item's name


def test_a_range_holds_the_mentions_starting_in_it():
    index = MentionIndex(TEXT, MENTIONS)
    assert index.starting_in(0, len(TEXT)) == MENTIONS
    assert index.starting_in(MENTIONS[0][0] + 1, MENTIONS[2][0]) == [MENTIONS[1]]
    assert index.starting_in(MENTIONS[1][0], MENTIONS[1][0]) == []
    assert index.starting_in(MENTIONS[2][0], 0) == []


def test_unsorted_mentions_are_refused():
    with pytest.raises(ValueError, match="sorted"):
        MentionIndex(TEXT, MENTIONS[::-1])


def _scan(text, mentions, start, end, label):  # the search items.Finder made before the index
    if label:
        low = label.lower()
        return [m for m in mentions if text[m[0]:m[1]].lower() in low
                and re.search(rf"(?<!\w){re.escape(text[m[0]:m[1]].lower())}(?!\w)", low)]
    return [m for m in mentions if start <= m[0] < end]


@pytest.mark.parametrize("name", ["submissions/clean_headings.docx", "submissions/clean_labels.docx",
                                  "holdout/h03_housing_officer.docx"])
def test_real_answers_get_the_scans_answers(built, pack, name):
    doc = read(built / name)
    found = locate(doc, pack)
    known = Known.of(doc.blocks)
    asked = hits = 0
    for c in pack.criteria:
        sec = found.sections.get(c.id)
        if sec is None or not c.quantity:
            continue
        (analysis,) = pipeline(pack).analyse([sec.text])
        kind = item_kind(c, pack.items)
        f = Finder(c, pack.verb(c), "person" if kind == "occurrence" else kind, sec, analysis, pack.items, known)
        labels = [u.lead for u in units(sec, f.cues)] + [s.text for s in analysis.sentences]
        labels += [f.text[a:b + 12] for a, b, _ in f.mentions]
        for label in filter(None, labels):
            want = _scan(f.text, f.mentions, 0, 0, label)
            assert list(f._lexicon_in(0, 0, label)) == want
            asked, hits = asked + 1, hits + bool(want)
        for u in units(sec, f.cues):
            assert f._lexicon_in(u.start, u.end) == _scan(f.text, f.mentions, u.start, u.end, "")
    assert asked > 20 and hits > 5
