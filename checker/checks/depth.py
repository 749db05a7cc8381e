"""Verb depth: does the answer do what its command verb asks (reasons, both sides, a judgement)?"""

from __future__ import annotations

from ..nlp import pipeline
from ..result import Finding
from ..text import STOP
from . import Context, Evidence

DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "any", "its", "their", "our", "my", "your"}

LIST_ITEM_WORDS = 6  # a list line this short names a thing; it does not describe it


def is_bare_list(ctx: Context) -> bool:
    """Mostly short list lines or fragments: an identification, not an account."""
    blocks = ctx.section.blocks
    total = ctx.section.words or 1
    in_template = ctx.section.located_by == "table"  # the answer is a cell: its lines are the learner's prose
    # short cells of a table inside an answer are analysis (a scoring grid), not a bare list
    # (a learner's own table nested in the template's cell is a scoring grid: its short cells are analysis)
    fragments = [b for b in blocks if b.words <= LIST_ITEM_WORDS
                 and (b.is_list or b.cell is None or (in_template and b.inner is None))]
    fragment_words = sum(b.words for b in fragments)
    long_sentences = len(ctx.sentences(min_words=8))
    # "The main ones are:" and five one-word bullets, with a sentence either side, is still a list
    listed = len(fragments) >= 3 and long_sentences <= len(fragments)
    return fragment_words / total >= 0.5 or long_sentences < 2 or listed


CLOSING_WORDS = 12  # the closing paragraph: the last with at least this many words


def _closing_start(ctx: Context) -> int | None:
    """Where the answer's last substantial paragraph starts (None for a one-paragraph answer); where the
    answer ends in a list ("Recommendations from this:" and three bullets), where that list starts."""
    blocks = ctx.section.blocks
    substantial = [i for i, b in enumerate(blocks) if b.words >= CLOSING_WORDS]
    # a paragraph the answer opens with (its lead: the first of a reference-closed account) counts as one
    paragraphs = len(blocks) + (len(ctx.section.lead.split()) >= CLOSING_WORDS)
    if not substantial or paragraphs < 2:
        return None
    i = substantial[-1]
    while blocks[i].is_list and i > 0 and blocks[i - 1].is_list:
        i -= 1
    return ctx.section.text.rfind(blocks[i].text)


def _closing(ctx: Context, key: str, start: int | None) -> list[tuple[int, int]]:
    """The matches of `key` in the answer's closing paragraph, which starts at `start` (_closing_start), outside
    set phrases ("best practice")."""
    if start is None:
        return []
    doc = ctx.analysis.doc
    return [m for m in ctx.analysis.free(key) if doc[m[0]].idx >= start]


def closes(ctx: Context, key: str, start: int | None) -> bool:
    """A phrase of `key` is in the answer's closing paragraph."""
    return bool(_closing(ctx, key, start))


def weighs(ctx: Context, sig_key: str, start: int | None) -> bool:
    """The closing paragraph sets one side against another: a contrast word of the signal and a phrase of
    another of the verb's signals ("The internet gives me speed and reach ..., but the deep partnerships
    all began from a real conversation")."""
    contrasts = set(_closing(ctx, f"{sig_key}|weighing", start))
    if not contrasts:
        return False
    keys = (f"verb|{ctx.criterion.verb}|{s.name}" for s in ctx.verb.signals)
    # the contrast word is not its own other side: "although" weighs, and is a relation too, only once
    return any(m not in contrasts for k in keys if k != sig_key for m in _closing(ctx, k, start))


def _topic_pairs(ctx: Context) -> set[tuple[int, int]]:
    """Adjacent word lemmas of the criterion's text: "security threats" in "protect ... from security threats"."""
    lemmas = pipeline(ctx.pack).lemmas_of(ctx.criterion.text)
    return set(zip(lemmas, lemmas[1:], strict=False))


def _in_name(ctx: Context, a: int, b: int) -> bool:
    """A one-word signal inside a capitalised name is a word of the name: "the Computer Misuse Act", the
    "Better Impact" volunteer database."""
    if b - a != 1:
        return False
    doc = ctx.analysis.doc
    tok = doc[a]
    near = [doc[i] for i in (a - 1, b) if 0 <= i < len(doc)]
    return tok.is_title and not tok.is_sent_start and any(n.is_title and n.is_alpha for n in near)


def _counts_as_weakness(ctx: Context, a: int, b: int, pairs: set[tuple[int, int]], lowering: set[str]) -> bool:
    """A weakness phrase that weighs a weakness: not lowered by the word before it ("a reduced risk",
    "prevents damage"), not a word of a name ("the Computer Misuse Act"), not the criterion's own topic
    ("security threats" where the criterion names them)."""
    doc = ctx.analysis.doc
    before = [i for i in (a - 1, a - 2) if i >= 0]
    if before and (doc[before[0]].lower_ in lowering or (len(before) > 1 and doc[before[0]].lower_ in DETERMINERS
                                                          and doc[before[1]].lower_ in lowering)):
        return False
    if _in_name(ctx, a, b):
        return False
    if b - a == 1:
        tok = doc[a]
        near = [doc[i] for i in (a - 1, b) if 0 <= i < len(doc)]
        for n in near:
            if n.is_alpha and n.lower_ not in STOP:
                pair = (n.lemma, tok.lemma) if n.i < a else (tok.lemma, n.lemma)
                if pair in pairs:
                    return False
    return True


def _part_words(ctx: Context) -> set[tuple[int, ...]]:
    """Lemmas of the criterion's one-word part terms: what the answer is about ("key" in cryptography)."""
    lemmatize = pipeline(ctx.pack).lemmas_of
    return {lemmatize(t) for p in ctx.criterion.parts for t in p.terms if len(t.split()) == 1}


def _topic_word(ctx: Context, a: int, b: int, topic: set[tuple[int, ...]]) -> bool:
    """A signal phrase of a determiner and one of the criterion's part terms names the topic, not a
    judgement: "the key" is a conclusion marker, but not where keys are what the answer is about ("The keys
    are 2048 bits long")."""
    span = ctx.analysis.doc[a:b]
    content = tuple(t.lemma for t in span if t.is_alpha and t.lower_ not in DETERMINERS)
    # only a determiner and a noun ("the key"): a word of the signal on its own ("benefit") is still a signal
    return span[0].lower_ in DETERMINERS and len(content) == 1 and content in topic


def _planned(ctx: Context) -> list[tuple[int, int]]:
    """(sentence, token) of each of the learner's plans ("I will", "we plan to"): what follows it in its
    sentence is work the learner means to do, not work done."""
    analysis = ctx.analysis
    plans = set(ctx.pack.library.practice.plans)
    doc = analysis.doc
    return [(analysis.sentence_of(a), a) for a, b in analysis.matches.get("practice|intention", [])
            if " ".join(doc[a:b].text.lower().split()) in plans]


def _is_plan(ctx: Context, a: int, planned: list[tuple[int, int]]) -> bool:
    """A signal phrase after a first-person intention in its sentence describes a plan ("After this I will
    write the strengths and weaknesses"), not a weighing the answer makes."""
    if not planned:
        return False
    at = ctx.analysis.sentence_of(a)
    return any(s == at and t < a for s, t in planned)


def _means(ctx: Context, means: list[str]) -> int:
    """How many times the answer says how a thing is done: a word of `means` before a verb's -ing form ("by
    watching the handlers", "through testing"), outside a plan of the learner's."""
    if not means:
        return 0
    doc, words, planned = ctx.analysis.doc, set(means), _planned(ctx)
    return sum(t.lower_ in words and t.i + 1 < len(doc) and doc[t.i + 1].is_alpha and len(doc[t.i + 1]) > 4
               and doc[t.i + 1].lower_.endswith("ing") and not _is_plan(ctx, t.i, planned) for t in doc)


def signal_count(ctx: Context, sig, key: str) -> int:
    """How many phrases of the signal the answer holds; a weakness signal counts only real weaknesses; a
    phrase that only names one of the criterion's parts is not a signal, nor one inside a stated plan."""
    planned = _planned(ctx)
    matches = [(a, b) for a, b in ctx.analysis.free(key) if not _is_plan(ctx, a, planned)]
    if not sig.negative:
        topic = _part_words(ctx) if ctx.criterion.parts else set()
        return sum(not _in_name(ctx, a, b) and not (topic and _topic_word(ctx, a, b, topic))
                   for a, b in matches) + _means(ctx, sig.means)
    pairs, lowering = _topic_pairs(ctx), set(ctx.pack.library.lowering)
    return sum(_counts_as_weakness(ctx, a, b, pairs, lowering) for a, b in matches)


def check(ctx: Context) -> list[Finding]:
    verb = ctx.verb
    absent = []
    if verb.account and is_bare_list(ctx):
        absent.append(f"the answer is a list of names, but to {ctx.criterion.verb} needs an account of each "
                      "in the learner's own sentences")
    start = _closing_start(ctx)  # found once: each signal may look there
    for sig in verb.signals:
        key = f"verb|{ctx.criterion.verb}|{sig.name}"
        if signal_count(ctx, sig, key) < sig.min and not closes(ctx, f"{key}|closing", start) \
                and not weighs(ctx, key, start):
            absent.append(sig.absent)
    if not absent:
        return []
    return [Finding("verb-not-met", "gap",
                    f"{ctx.cid} asks you to {ctx.criterion.verb}: " + "; ".join(absent),
                    tuple(ctx.sentences(min_words=4)[:2]) or (ctx.first_words(),),
                    f"{ctx.cid} asks you to {ctx.criterion.verb} ({ctx.verb.definition[0].lower()}"
                    f"{ctx.verb.definition[1:].rstrip('.')}). At the moment " + "; ".join(absent) + ".")]


def support(ctx: Context) -> list[Evidence]:
    """The sentences that do what the verb asks: those carrying its signals (reasons, both sides, a
    judgement), else, for a verb with none, the answer's fullest sentences."""
    sents = ctx.analysis.sentences
    hits: list[int] = []
    for sig in ctx.verb.signals:
        for i in sorted(ctx.analysis.sentences_with(f"verb|{ctx.criterion.verb}|{sig.name}")):
            if i not in hits:
                hits.append(i)
                break
    chosen = [sents[i].text for i in hits if i < len(sents)]
    if not chosen:
        chosen = [s.text for s in sorted(sents, key=lambda s: -s.words)[:2]]
    return ctx.quotes(chosen, "verb", max(2, len(ctx.verb.signals)))
