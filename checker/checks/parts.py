"""Parts: a criterion naming several things ("benefits and limitations") needs each of them."""

from __future__ import annotations

from ..nlp import pipeline
from ..result import Finding
from ..text import STOP
from ..units import table_cell
from . import Context, Evidence

LEAD_MARKS = {"–", "—", "-", ":"}
LED_WORDS = 12  # "Limitations – costs £395 a year, ...": a line led by the part and this long weighs it
LABEL_WORDS = 3  # "Main benefits:": a line this short ending in a colon labels the lines under it


def _label(sent) -> bool:  # noqa: ANN001 - nlp.Sentence
    """A line that only names what follows: "Benefits:", "Limitations"."""
    return sent.words <= LABEL_WORDS and sent.text.rstrip().endswith(":")


def _led(ctx: Context, key: str, least: int) -> bool:
    """The part leads a line that goes on to weigh it ("Benefits – training days, the conference, ..."), comes
    before a colon whose sentence goes on to ("the benefits are: I hear about ..."), or labels lines that do
    ("Benefits:" over three bullets)."""
    sents, doc = ctx.analysis.sentences, ctx.analysis.doc
    for a, b in ctx.analysis.matches.get(key, []):
        at = ctx.analysis.sentence_of(a)
        sent = sents[at]
        label = b < len(doc) and doc[b].text in LEAD_MARKS  # a label, not the start of a sentence about it
        if a - sent.start <= 1 and label and sent.words >= LED_WORDS:
            return True
        # "... the benefits are: I hear about changes ..., I can raise problems ...": the sentence's rest weighs it
        colon = next((i for i in range(b, min(b + 2, sent.end)) if doc[i].text == ":"), None)
        if colon is not None and sum(1 for t in doc[colon + 1:sent.end] if t.is_alpha) >= LED_WORDS:
            return True
        if _label(sent):
            under = 0
            for nxt in sents[at + 1:]:
                if _label(nxt):
                    break
                under += 1
            if under >= least:
                return True
    return False


def _column(ctx: Context, key: str, least: int) -> bool:
    """The part heads a column of the learner's own table ("Benefits | Limitations" over rows of cells): each
    cell under it weighs it, whatever its words ("Member discount on training")."""
    heads = {ctx.analysis.sentences[i].text.strip(" *:") for i in ctx.analysis.sentences_with(key)}
    if not heads:
        return False
    cells = [(table_cell(ctx.section, b), b.text) for b in ctx.section.blocks]
    for at, text in cells:
        if at is None or at[1] != 0 or text.strip(" *:") not in heads:
            continue
        under = sum(1 for c, t in cells if c is not None and c[0] == at[0] and c[1] > 0 and c[2] == at[2]
                    and t.strip())
        if under >= least:
            return True
    return False


def _scattered(ctx: Context, terms: list[str]) -> bool:
    """A term of two or more content words has all of them in one sentence, in any order and form: "evaluate
    risk" in "The risk is evaluated on a 3 x 3 matrix" (the phrase matcher needs the words side by side)."""
    lemmatize = pipeline(ctx.pack).lemmas_of
    wanted = [w for w in (set(lemmatize(" ".join(t for t in term.split() if t.lower() not in STOP)))
                          for term in terms) if len(w) >= 2]
    if not wanted:
        return False
    positions, lemmas = ctx.analysis.words
    per_sentence: dict[int, set[int]] = {}
    for pos, lemma in zip(positions, lemmas, strict=True):
        per_sentence.setdefault(ctx.analysis.sentence_of(pos), set()).add(lemma)
    return any(w <= said for w in wanted for said in per_sentence.values())


def check(ctx: Context) -> list[Finding]:
    out = []
    for part in ctx.criterion.parts:
        key = f"{ctx.cid}|part|{part.name}"
        said = ctx.analysis.sentences_with(key, free=True)  # "risk assessment" is no risk
        if len(said) < part.min and not _led(ctx, key, part.min) \
                and not _column(ctx, key, part.min) \
                and not (part.min == 1 and _scattered(ctx, [part.name, *part.terms])):
            out.append(Finding("part-not-covered", "gap",
                               f"{ctx.cid} asks about {part.name}, which the answer does not cover",
                               (ctx.first_words(),),
                               f"{ctx.cid} also asks about {part.name}: add a paragraph that covers it."))
    return out


def support(ctx: Context) -> list[Evidence]:
    """For each part, the first sentence that covers it."""
    out: list[Evidence] = []
    sents = ctx.analysis.sentences
    for part in ctx.criterion.parts:
        hits = sorted(ctx.analysis.sentences_with(f"{ctx.cid}|part|{part.name}", free=True))
        out += ctx.quotes([sents[i].text for i in hits if i < len(sents)], f"part:{part.name}", 1)
    return out
