"""The speed-ups of issue 18 change no result: the same tokens, sentences and collector state as without them."""

from __future__ import annotations

import gc

import pytest
import spacy

from checker import engine
from checker.nlp import Pipeline, blank, pack_phrases
from checker.reader import read
from checker.report import to_json
from checker.sections import locate

# Special cases (contractions, "e.g.", "a.m.") early in a text stop spaCy caching the chunks after them; the
# cache must give the very tokens a fresh tokenizer gives, odd whitespace included.
TRICKY = ("I don't think we'd e.g. (finally) meet at 9 a.m. -- it's CEW's call.\n\n  Networking: LinkedIn, "
          "the CIPD's branch (twice a year), and   'coffee mornings'.\tWe can't, won't; they'll.  ")


def _tokens(doc: spacy.tokens.Doc) -> list[tuple[str, str]]:
    return [(t.text, t.whitespace_) for t in doc]


def _section_texts(path) -> list[str]:
    from checker.packs import load_pack

    found = locate(read(path), load_pack("ml25"))
    return [s.text for s in found.sections.values()]


def test_the_chunk_cache_gives_a_fresh_tokenizers_tokens(built, pack):
    fresh = spacy.blank("en").tokenizer  # its own, empty cache
    pipe = Pipeline(pack)
    texts = [TRICKY, TRICKY.upper(), *_section_texts(built / "submissions" / "clean_headings.docx"),
             *_section_texts(built / "holdout" / "h03_housing_officer.docx")]
    for _ in range(2):  # cold, then every chunk from the cache
        for text, analysis in zip(texts, pipe.analyse(texts), strict=True):
            assert _tokens(analysis.doc) == _tokens(fresh(text))
            assert analysis.doc.text == text
    assert {"don't", "e.g.", "CIPD's"} <= pipe.chunks.seen


def test_sentences_keep_their_offsets_and_are_found_by_token(built, pack):
    pipe = Pipeline(pack)
    (analysis,) = pipe.analyse([TRICKY + " ".join(_section_texts(built / "submissions" / "clean_labels.docx"))])
    assert len(analysis.sentences) > 20
    for i, s in enumerate(analysis.sentences):
        assert s.start_char == analysis.doc[s.start].idx
        assert analysis.doc.text[s.start_char:].lstrip().startswith(s.text[:20])
        for token in (s.start, s.end - 1):
            assert analysis.sentence_of(token) == i


def test_check_pauses_the_collector_for_its_own_call_only(built, pack, monkeypatch):
    seen = []
    evaluate = engine.evaluate
    monkeypatch.setattr(engine, "evaluate", lambda *a, **k: seen.append(gc.isenabled()) or evaluate(*a, **k))
    path = built / "submissions" / "clean_headings.docx"
    assert gc.isenabled()
    engine.check(path, pack)
    assert seen == [False] and gc.isenabled()
    gc.disable()  # a caller that switched it off keeps it off
    try:
        engine.check(path, pack)
    finally:
        was = gc.isenabled()
        gc.enable()
    assert not was


def test_one_pipeline_per_process_shares_the_blank_language(pack):
    assert Pipeline(pack).nlp is blank()


def test_each_section_is_analysed_once_and_let_go_after_its_last_criterion(built, pack, monkeypatch):
    # h04 answers two criteria in one section: analysed once, kept for the second, then dropped.
    path = built / "holdout" / "h04_software_team_lead.docx"
    doc = read(path)
    found = locate(doc, pack)
    uses = [found.sections[c.id] for c in pack.criteria if c.id in found.sections]
    assert len({id(s) for s in uses}) < len(uses)
    made, held = [], []
    real = engine.OneAtATime.take

    def take(self, section):  # noqa: ANN001, ANN202
        before = set(self.made)
        analysis = real(self, section)
        made.extend([id(section)] if id(section) not in before else [])
        held.append(len(self.made))
        return analysis

    monkeypatch.setattr(engine.OneAtATime, "take", take)
    result = engine.evaluate(doc, pack, found)
    assert sorted(made) == sorted({id(s) for s in uses})  # one analysis per section
    assert max(held) == 1 and held[-1] == 0  # only a shared section is kept between criteria

    class AllAtOnce:  # what evaluate did before: every section analysed in one batch, all held to the end
        def __init__(self, pipe, sections):  # noqa: ANN001
            unique = list({id(s): s for s in sections}.values())
            self.made = dict(zip(map(id, unique), pipe.analyse(s.text for s in unique), strict=True))

        def take(self, section):  # noqa: ANN001, ANN202
            return self.made[id(section)]

    monkeypatch.setattr(engine, "OneAtATime", AllAtOnce)
    assert to_json([result]) == to_json([engine.evaluate(doc, pack, found)])


def test_the_lemma_arrays_hold_spacys_own_lookup_table():
    from spacy.lookups import load_lookups
    from spacy.strings import get_string_id

    from checker.nlp import _lemma_table

    table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    keys, values = _lemma_table()
    assert len(keys) == len(table) > 40_000 and (keys[1:] > keys[:-1]).all()  # sorted, no key twice
    assert dict(zip(keys.tolist(), values.tolist(), strict=True)) == \
        {k: get_string_id(v) for k, v in table.items()}
    assert table[get_string_id("networking")] == "network"


def test_sections_are_analysed_in_the_order_they_were_given(built, pack):
    found = locate(read(built / "submissions" / "clean_headings.docx"), pack)
    first, second = list({id(s): s for s in found.sections.values()}.values())[:2]
    analyses = engine.OneAtATime(engine.pipeline(pack), [first, second])
    with pytest.raises(RuntimeError, match="order"):
        analyses.take(second)
    analyses = engine.OneAtATime(engine.pipeline(pack), [first, second])
    assert analyses.take(first).doc.text == first.text
    assert analyses.take(second).doc.text == second.text


def _loop_sentence_starts(doc) -> list[int]:  # noqa: ANN001 - the token loop the array version replaced
    strings = doc.vocab.strings
    ends = {strings.add(p) for p in [*spacy.pipeline.Sentencizer.default_punct_chars, "\n"]}
    starts, seen_end = [1] + [-1] * (len(doc) - 1), False
    for i, t in enumerate(doc):
        is_end = t.orth in ends or (t.is_space and "\n" in t.text)
        if seen_end and not is_end and not t.is_punct and not t.is_space:
            starts[i], seen_end = 1, False
        elif is_end:
            seen_end = True
    return starts


def test_sentence_starts_and_sentences_are_the_token_loops(built, pack):
    pipe = Pipeline(pack)
    texts = [TRICKY, "\n\n", "Heading\n\nText. More text!\n \n- a list line\n- another?  (yes).",
             *_section_texts(built / "submissions" / "clean_labels.docx"),
             *_section_texts(built / "holdout" / "h03_housing_officer.docx")]
    for text, analysis in zip(texts, pipe.analyse(texts), strict=True):
        doc = analysis.doc
        assert doc.text == text
        assert [1 if t.is_sent_start else -1 for t in doc] == _loop_sentence_starts(doc)
        sents = [s for s in doc.sents if s.text.strip()]
        assert [(s.text, s.start_char) for s in analysis.sentences] == [(s.text.strip(), s.start_char) for s in sents]
        assert [s.words for s in analysis.sentences] == [sum(t.is_alpha or t.like_num for t in s) for s in sents]
    assert len(pipe.analyse(["One. Two!\n\nThree"])[0].sentences) == 3


def test_an_analysis_is_what_the_pipelines_own_components_make(built, pack):
    # Pipeline._analysis reads the token arrays once and sets lemmas and sentence starts itself; nlp(text)
    # runs paragraph_sentences and lower_lemmas one after the other. Same doc, same word lists.
    from spacy.attrs import LEMMA, SENT_START

    from checker.nlp import Analysis

    pipe = Pipeline(pack)
    texts = [TRICKY, "", " ", "\n\n", "(finally).", *_section_texts(built / "holdout" / "h03_housing_officer.docx")]
    for text, analysis in zip(texts, pipe.analyse(texts), strict=True):
        alone = pipe.nlp(text)
        assert analysis.doc.to_array([LEMMA, SENT_START]).tolist() == alone.to_array([LEMMA, SENT_START]).tolist()
        from_doc = Analysis(analysis.doc, analysis.matches, analysis.sentences)  # its lists read from the doc
        assert analysis.words == from_doc.words and analysis.tokens == from_doc.tokens
    assert any(a.words[0] for a in pipe.analyse(texts[-2:]))


def test_the_pattern_lemmas_are_the_components(built, pack):
    # The matcher's patterns are lemmatized in one lookup for all of them; made one by one with the
    # lower_lemmas component, the same matcher finds the same matches.
    from spacy.matcher import PhraseMatcher

    pipe = Pipeline(pack)
    one_by_one = PhraseMatcher(pipe.nlp.vocab, attr="LEMMA")
    lemmatize = pipe.nlp.get_pipe("lower_lemmas")
    for key, texts in pack_phrases(pack).items():
        patterns = pipe.nlp.tokenizer.pipe(sorted(t for t in texts if t.strip()))
        one_by_one.add(key, [lemmatize(d) for d in patterns])
    assert len(one_by_one) == len(pipe.matcher) > 200
    found = 0
    for analysis in pipe.analyse(_section_texts(built / "submissions" / "clean_headings.docx")):
        assert sorted(pipe.matcher(analysis.doc)) == sorted(one_by_one(analysis.doc))
        found += len(analysis.matches)
    assert found > 50


def test_abbreviation_definitions_found_near_brackets_are_the_patterns_own(built):
    """names._first_definitions and _definitions skip the text no definition can be in; they must give what
    `finditer` over the whole text gives, on learners' documents and on odd strings of the same characters."""
    import random

    from checker import names

    texts = ["\n".join(b.text for b in read(p).blocks) for p in sorted((built / "holdout").glob("*.docx"))]
    texts += [t for p in sorted((built / "submissions").glob("*.docx")) for t in _section_texts(p)]
    assert sum(t.count("(") for t in texts) > 50  # brackets enough to test: "Institute of Hospitality (IoH)"
    pieces = [*"abcXYZ (),.;:&'’-\n\t\u00a0", "Institute of Hospitality (IoH)", "UCISA (Universities and Colleges "
              "Information Systems Association)", "CIH  (", " (ABC)", "BID"]
    rng = random.Random(7)
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    found = 0
    pairs = ((names._ACRONYM_FIRST, names._first_definitions), (names._ACRONYM_DEF, names._definitions))
    for text in texts:
        for pattern, fast in pairs:
            slow = [m.group(0, 1, 2) for m in pattern.finditer(text)]
            assert [m.group(0, 1, 2) for m in fast(text)] == slow, text
            found += len(slow)
    assert found > 100


def test_the_per_check_caches_fill_during_a_check_and_are_empty_after_it(built, pack, monkeypatch):
    """Names, stems and word splits are remembered for one document only (checker/text.py `per_check`)."""
    from checker import text

    sizes = []
    forget = text.forget
    monkeypatch.setattr(engine, "forget", lambda: sizes.append(sum(f.cache_info().currsize
                                                                   for f in text._PER_CHECK)) or forget())
    first = to_json([engine.check(built / "holdout" / "h03_housing_officer.docx", pack)])
    assert sizes and sizes[0] > 100
    assert all(f.cache_info().currsize == 0 for f in text._PER_CHECK)
    engine.check(built / "submissions" / "clean_labels.docx", pack)
    assert to_json([engine.check(built / "holdout" / "h03_housing_officer.docx", pack)]) == first
