"""One spaCy pipeline per pack: blank English, a sentencizer, lookup lemmas, phrase matchers.

Everything a check looks for (lexicon items, parts, verb signals, practice phrases) is compiled
once from the pack into one PhraseMatcher on lowercase lemmas, so "built rapport" matches
"build rapport" and a learner's "Networking" matches "network". No trained model, no downloads.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache

import numpy
import spacy
from spacy.attrs import IDX, IS_ALPHA, IS_PUNCT, IS_SPACE, LEMMA, LENGTH, LIKE_NUM, LOWER, ORTH, SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.pipeline import Sentencizer
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

from .packs import ResolvedPack
from .runtime import gc_paused


@cache
def _lemma_table() -> tuple[numpy.ndarray, numpy.ndarray]:
    """spacy-lookups-data's English lemma lookup as hashes, word -> lemma, sorted by word for searchsorted.

    Read as the plain dict spaCy's own Table is filled from (the same file, the same hashes), without the
    Table: filling it hashes and bloom-filters 41,582 keys one by one in Python, 70 ms of every start.
    """
    from spacy.util import load_language_data, registry

    table = load_language_data(registry.lookups.get("en")["lemma_lookup"])
    keys = numpy.fromiter(map(get_string_id, table.keys()), dtype=numpy.uint64, count=len(table))
    values = numpy.fromiter(map(get_string_id, table.values()), dtype=numpy.uint64, count=len(table))
    order = numpy.argsort(keys, kind="stable")  # keys are unique: one lemma per word
    return keys[order], values[order]


def lemma_hashes(lower: numpy.ndarray) -> numpy.ndarray:
    """Lookup lemma hashes of lowercase-form hashes (uint64): the form itself where the table has none."""
    keys, values = _lemma_table()
    at = numpy.minimum(numpy.searchsorted(keys, lower), len(keys) - 1)
    return numpy.where(keys[at] == lower, values[at], lower)


@Language.factory("lower_lemmas")
def _make_lemmas(nlp: Language, name: str) -> object:
    """Lookup lemmas of the lowercase form, mapped hash to hash with numpy: no Token objects per word.

    Lemma strings are hashed, not added to the vocabulary (41,000 strings at every start): the
    matchers compare hashes, and no check reads a lemma's text.
    """
    _lemma_table()  # loaded with the pipeline, not on the first text

    def lemmatize(doc: Doc) -> Doc:
        lower = doc.to_array(LOWER).astype(numpy.uint64)
        if not len(lower):
            return doc
        doc.from_array([LEMMA], lemma_hashes(lower).reshape(-1, 1))
        return doc

    return lemmatize


class SentenceStarts:
    """Sentence starts after . ! ? and after every paragraph break, from token arrays.

    Like spaCy's sentencizer, but a newline between paragraphs also ends a sentence (a heading or a
    list line has no full stop), and no Token objects are made. A word token (not punctuation, not
    space, not an end) starts a sentence when an end came after the word before it; the first token
    always does.
    """

    def __init__(self, nlp: Language) -> None:
        self.strings = nlp.vocab.strings
        ends = {self.strings.add(p) for p in [*Sentencizer.default_punct_chars, "\n"]}
        self.ends = numpy.array(sorted(ends), dtype=numpy.uint64)
        self.newline: dict[int, bool] = {}  # a whitespace token's hash -> it holds a line break

    def starts(self, orth: numpy.ndarray, punct: numpy.ndarray, space: numpy.ndarray) -> numpy.ndarray:
        """1 where a sentence starts, -1 elsewhere (what Doc.from_array takes for SENT_START)."""
        at = numpy.minimum(numpy.searchsorted(self.ends, orth), len(self.ends) - 1)
        is_end = self.ends[at] == orth  # numpy.isin, without its sorting of both arrays on every call
        spaces = numpy.flatnonzero(space)
        if len(spaces):
            newline = self.newline
            for i, h in zip(spaces.tolist(), orth[spaces].tolist(), strict=True):
                if h not in newline:
                    newline[h] = "\n" in self.strings[h]
                if newline[h]:
                    is_end[i] = True
        words = numpy.flatnonzero(~is_end & (punct == 0) & (space == 0))
        ends_before = numpy.cumsum(is_end)[words]  # ends up to each word (a word is never an end)
        since_last = ends_before - numpy.concatenate(([0], ends_before[:-1]))
        starts = numpy.full(len(orth), -1, dtype=numpy.int64)
        starts[0] = 1
        starts[words[since_last > 0]] = 1
        return starts

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        orth, punct, space = doc.to_array([ORTH, IS_PUNCT, IS_SPACE]).T
        doc.from_array([SENT_START], self.starts(orth, punct, space).astype(numpy.uint64).reshape(-1, 1))
        return doc  # -1 wraps as spaCy expects


@Language.factory("paragraph_sentences")
def _make_sentences(nlp: Language, name: str) -> object:
    return SentenceStarts(nlp)


# The longest answer analysed: about 35,000 words, ten times a whole unit. A crafted file with a
# megabyte-long paragraph is checked on its first part instead of failing in the tokenizer.
MAX_CHARS = 200_000


@cache
def blank() -> Language:
    nlp = spacy.blank("en")
    nlp.max_length = MAX_CHARS + 1
    nlp.add_pipe("paragraph_sentences")
    nlp.add_pipe("lower_lemmas")
    return nlp


class ChunkCache:
    """Fills spaCy's own tokenizer cache one whitespace-free chunk at a time, so whole texts hit it.

    spaCy caches a chunk's tokens only until the first special case (a contraction, "e.g.") of the
    text it is tokenizing: after that, every later chunk of that text runs the prefix, suffix and
    infix regexes again, in every answer. Tokenizing each new chunk on its own caches it (unless the
    chunk itself holds a special case), and spaCy then reads it back from its cache. The tokens are
    spaCy's own for that chunk either way, so no result changes; only chunks not seen before cost.
    """

    def __init__(self, nlp: Language) -> None:
        self.tokenizer = nlp.tokenizer
        self.seen: set[str] = set()

    def warm(self, texts: Iterable[str]) -> None:
        new = set().union(*(text.split() for text in texts)).difference(self.seen)
        for chunk in new:
            self.tokenizer(chunk)
        self.seen |= new


@dataclass(frozen=True, slots=True)
class Sentence:
    doc: Doc
    start: int  # token range in doc
    end: int
    text: str
    words: int  # alphabetic or numeric tokens
    start_char: int  # the first token's offset in the doc's text (read per sentence per mention: kept, not made)

    @property
    def span(self) -> Span:
        return self.doc[self.start : self.end]


@dataclass(eq=False)
class Analysis:
    """A section's text after the pipeline: its doc and the pack's phrase matches in it."""

    doc: Doc
    matches: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # key -> token ranges
    sentences: list[Sentence] = field(default_factory=list)
    # (LOWER, LEMMA, IS_ALPHA, LIKE_NUM) per token as Pipeline read them while analysing; else read from doc
    arrays: tuple[numpy.ndarray, ...] | None = field(default=None, repr=False)

    def spans(self, key: str) -> list[Span]:
        """The matches of one key as Spans (made on demand: most checks only count)."""
        return [self.doc[a:b] for a, b in self.matches.get(key, [])]

    def count(self, key: str) -> int:
        return len(self.matches.get(key, []))

    def free(self, key: str) -> list[tuple[int, int]]:
        """The matches of one key outside set phrases (the pack library's `fixed`: "best practice", "risk
        assessment"), whose words say nothing of their own."""
        fixed = self.matches.get("fixed", [])
        return [(a, b) for a, b in self.matches.get(key, []) if not any(fa <= a and b <= fb for fa, fb in fixed)]

    @cached_property
    def _starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def sentence_of(self, token: int) -> int:
        """Index in `sentences` of the sentence holding a token (the starts are listed once: a long
        answer asks this for each of its matches)."""
        return max(0, bisect_right(self._starts, token) - 1)

    def sentences_with(self, key: str, free: bool = False) -> set[int]:
        """Indexes of the sentences holding a match of one key (with `free`, only of those outside set phrases)."""
        return {self.sentence_of(a) for a, _ in (self.free(key) if free else self.matches.get(key, []))}

    @cached_property
    def words(self) -> tuple[list[int], list[int]]:
        """Token positions of the words (not punctuation or spaces) and their lemma hashes."""
        if self.arrays is None:
            return word_lemmas(self.doc)
        _lower, lemma, alpha, like_num = self.arrays
        where = numpy.flatnonzero(alpha | like_num)
        return where.tolist(), lemma[where].tolist()

    @cached_property
    def tokens(self) -> tuple[list[str], list[bool], list[bool]]:
        """Per token: lowercase text, whether its lemma differs from it, whether it is a word."""
        if self.arrays is None:
            lower, lemma, alpha = self.doc.to_array([LOWER, LEMMA, IS_ALPHA]).T.tolist()
        else:
            lower, lemma, alpha = (a.tolist() for a in self.arrays[:3])
        strings = self.doc.vocab.strings
        return [strings[h] for h in lower], [a != b for a, b in zip(lower, lemma, strict=True)], \
            [bool(x) for x in alpha]


def pack_phrases(pack: ResolvedPack) -> dict[str, set[str]]:
    """The texts of each match key: lexicon items, events, parts, verb signals, practice phrases."""
    phrases: dict[str, set[str]] = defaultdict(set)
    for c in pack.criteria:
        if c.quantity:
            for item in c.quantity.lexicon:
                phrases[f"{c.id}|item|{item.name}"].update([item.name, *item.synonyms])
            phrases[f"{c.id}|event"].update(c.quantity.events)
        for part in c.parts:
            phrases[f"{c.id}|part|{part.name}"].update([part.name, *part.terms])
    for name, verb in pack.verbs.items():
        for sig in verb.signals:
            phrases[f"verb|{name}|{sig.name}"].update(sig.phrases)
            if sig.closing:
                phrases[f"verb|{name}|{sig.name}|closing"].update(sig.closing)
            if sig.weighing:
                phrases[f"verb|{name}|{sig.name}|weighing"].update(sig.weighing)
    practice = pack.library.practice
    phrases["practice|intention"].update(practice.intentions)
    phrases["practice|evidence"].update(practice.evidence)
    phrases["fixed"].update(pack.library.fixed)
    # Word's and pandoc's typographic apostrophe is the same word ("Reason’s model", "we’ve agreed")
    for texts in phrases.values():
        texts.update([t.replace("'", "’") for t in texts if "'" in t])
    return phrases


class Pipeline:
    """The pack's compiled pipeline; build once, then analyse every section with nlp.pipe."""

    def __init__(self, pack: ResolvedPack) -> None:
        self.nlp = blank()
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LEMMA")
        self.chunks = ChunkCache(self.nlp)
        self.sentence_starts: SentenceStarts = self.nlp.get_pipe("paragraph_sentences")
        phrases = pack_phrases(pack)
        # Patterns need lemmas, not sentences: what lower_lemmas sets, looked up for all patterns at once.
        keyed = {key: list(self.nlp.tokenizer.pipe(sorted(t for t in texts if t.strip())))
                 for key, texts in phrases.items()}
        docs = [d for patterns in keyed.values() for d in patterns if len(d)]
        if docs:
            lower = numpy.concatenate([d.to_array(LOWER) for d in docs])
            ends = numpy.cumsum([len(d) for d in docs])
            for d, lemma in zip(docs, numpy.split(lemma_hashes(lower), ends[:-1]), strict=True):
                d.from_array([LEMMA], lemma.reshape(-1, 1))
        for key, patterns in keyed.items():
            self.matcher.add(key, patterns)

    @lru_cache(maxsize=256)  # noqa: B019 - one Pipeline per pack, kept for the process's life
    def lemmas_of(self, text: str) -> tuple[int, ...]:
        """Word lemma hashes of a fixed text (the unit's guidance), lemmatized like the answers."""
        return tuple(word_lemmas(self.nlp.get_pipe("lower_lemmas")(self.nlp.make_doc(text)))[1])

    def analyse(self, texts: Iterable[str]) -> list[Analysis]:
        return list(self.stream(texts))

    def stream(self, texts: Iterable[str]) -> Iterator[Analysis]:
        """The analyses one by one, each made when asked for: a caller that lets one go before asking for
        the next holds one Doc at a time (nlp.pipe's generators would keep the previous one alive)."""
        for text in texts:  # taken one at a time too: a section's text is made when asked for (Section.text)
            text = text[:MAX_CHARS]
            self.chunks.warm([text])
            yield self._analysis(text)

    def _analysis(self, text: str) -> Analysis:
        """What nlp(text) makes (the tokenizer, then paragraph_sentences and lower_lemmas), with the token
        attributes read in one array for the components, the sentences and the checks."""
        doc = self.nlp.make_doc(text)
        arr = doc.to_array([ORTH, LOWER, IS_PUNCT, IS_SPACE, IS_ALPHA, LIKE_NUM, IDX, LENGTH])
        orth, lower, punct, space, alpha, like_num, idx, length = arr.T
        lemma = lemma_hashes(lower)
        starts = self.sentence_starts.starts(orth, punct, space) if len(doc) else numpy.empty(0, numpy.int64)
        if len(doc):
            doc.from_array([SENT_START, LEMMA], numpy.column_stack([starts.astype(numpy.uint64), lemma]))
        strings = self.nlp.vocab.strings
        found: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for match_id, start, end in self.matcher(doc):
            found[strings[match_id]].append((start, end))
        sentences = _sentences(doc, text, starts, idx, length, alpha | like_num)
        return Analysis(doc, dict(found), sentences, (lower, lemma, alpha, like_num))


def word_lemmas(doc: Doc) -> tuple[list[int], list[int]]:
    arr = doc.to_array([LEMMA, IS_ALPHA, LIKE_NUM])
    where = numpy.flatnonzero(arr[:, 1] | arr[:, 2])
    return where.tolist(), arr[where, 0].tolist()


def _sentences(doc: Doc, text: str, starts: numpy.ndarray, idx: numpy.ndarray, length: numpy.ndarray,
               wordlike: numpy.ndarray) -> list[Sentence]:
    """Sentences with their text and word counts, from token arrays (Span.text and Doc.text build
    every Token; `text` is the string the doc was made from)."""
    if not len(doc):
        return []
    bounds = [*numpy.flatnonzero(starts == 1).tolist(), len(doc)]
    words = wordlike.cumsum().tolist()
    idx, length = idx.tolist(), length.tolist()
    out = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        chunk = text[idx[a] : idx[b - 1] + length[b - 1]].strip()
        if chunk:
            out.append(Sentence(doc, a, b, chunk, words[b - 1] - (words[a - 1] if a else 0), idx[a]))
    return out


@cache
def pipeline(pack: ResolvedPack) -> Pipeline:
    with gc_paused():  # thousands of pattern Docs and lexemes, in no cycle: collected as a check is (runtime.py)
        return Pipeline(pack)
