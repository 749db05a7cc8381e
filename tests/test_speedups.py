"""The speed-ups of issue 18 change no result: the same tokens, sentences and collector state as without them."""

from __future__ import annotations

import gc

import spacy

from checker import engine
from checker.nlp import Pipeline, blank
from checker.reader import read
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
