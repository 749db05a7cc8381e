"""One spaCy pipeline per pack: blank English, a sentencizer, lookup lemmas, phrase matchers.

Everything a check looks for (lexicon items, parts, verb signals, practice phrases) is compiled
once from the pack into one PhraseMatcher on lowercase lemmas, so "built rapport" matches
"build rapport" and a learner's "Networking" matches "network". No trained model, no downloads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .packs import ResolvedPack


@cache
def _lemma_table():  # noqa: ANN202 - a spacy.lookups.Table keyed by string hashes
    from spacy.lookups import load_lookups

    return load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")


@Language.factory("lower_lemmas")
def _make_lemmas(nlp: Language, name: str) -> object:
    table = _lemma_table()

    def lemmatize(doc: Doc) -> Doc:
        get = table.get
        for token in doc:
            token.lemma_ = get(token.lower) or token.lower_  # keyed by the hash spaCy already has
        return doc

    return lemmatize


@Language.component("paragraph_breaks")
def _paragraph_breaks(doc: Doc) -> Doc:
    """A new paragraph starts a new sentence, even after a heading or list line with no full stop."""
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text_with_ws and not token.is_space:
            token.is_sent_start = True
    return doc


@cache
def blank() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("paragraph_breaks")
    nlp.add_pipe("lower_lemmas")
    return nlp


@dataclass
class Analysis:
    """A section's text after the pipeline: its doc and the pack's phrase matches in it."""

    doc: Doc
    matches: dict[str, list[Span]] = field(default_factory=dict)

    def spans(self, key: str) -> list[Span]:
        return self.matches.get(key, [])

    def count(self, key: str) -> int:
        return len(self.matches.get(key, []))


class Pipeline:
    """The pack's compiled pipeline; build once, then analyse every section with nlp.pipe."""

    def __init__(self, pack: ResolvedPack) -> None:
        self.nlp = blank()
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LEMMA")
        phrases: dict[str, set[str]] = defaultdict(set)
        for c in pack.criteria:
            if c.quantity:
                for item in c.quantity.lexicon:
                    phrases[f"{c.id}|item|{item.name}"].update([item.name, *item.synonyms])
            for part in c.parts:
                phrases[f"{c.id}|part|{part.name}"].update([part.name, *part.terms])
        for name, verb in pack.verbs.items():
            for sig in verb.signals:
                phrases[f"verb|{name}|{sig.name}"].update(sig.phrases)
        practice = pack.library.practice
        phrases["practice|intention"].update(practice.intentions)
        phrases["practice|evidence"].update(practice.evidence)
        for key, texts in phrases.items():
            self.matcher.add(key, list(self.nlp.pipe(sorted(t for t in texts if t.strip()))))

    def analyse(self, texts: Iterable[str]) -> list[Analysis]:
        out = []
        strings = self.nlp.vocab.strings
        for doc in self.nlp.pipe(texts):
            found: dict[str, list[Span]] = defaultdict(list)
            for match_id, start, end in self.matcher(doc):
                found[strings[match_id]].append(doc[start:end])
            out.append(Analysis(doc, dict(found)))
        return out


@cache
def pipeline(pack: ResolvedPack) -> Pipeline:
    return Pipeline(pack)
