"""Find, for each criterion of a pack, the blocks of a document that answer it.

Learners signpost answers in many ways (see ../shared/docs/docx-reading.md): headings with the AC's
number or words, inline labels ("AC 1.1:", "Q1.1", "(1.1)"), a centre's template table, numbers that
exist only in Word's numbering, or topic headings with no numbers at all. Every candidate anchor is
found first; contents lists, appendices and reference lists are set aside; where a criterion has
several anchors (a restated brief, then the answer) the one with the most answer text wins.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from .document import Block, Document, count_words
from .packs import ResolvedPack
from .text import STOP, alternation, content_stems, stem, stem_phrase, tokens

_ID = r"(\d{1,2})\.(\d{1,2})(?![\d.]*\d)"
_IDS = rf"{_ID}(?:\s*(?:&|and|,|/|\+|;|-|–|—|to)\s*(?:AC\s*)?{_ID})*"
_PREFIX = (
    r"(?P<lo>LO\s*\d+\s*[,:.\-–—/]?\s*)?"
    r"(?P<word>ACs?|A\.C\.?|assessment\s+criteri(?:on|a)|criteri(?:on|a)|question|Q|task|section|part)?"
)
_LEAD = re.compile(
    rf"^(?P<open>[\(\[]?)\s*{_PREFIX}\s*[:.#\-–—]?\s*"
    rf"(?P<ids>{_IDS})"
    r"(?P<sep>[\s\)\].:;\-–—]*)(?P<rest>.*)$",
    re.I | re.S,
)
# "Interpersonal skills (AC 1.1)", "Choosing networks – AC1.2": a heading that ends with its criterion
_TRAIL = re.compile(
    rf"(?:[\(\[]\s*(?:ACs?\s*|criteri(?:on|a)\s*)?(?P<a>{_IDS})\s*[\)\]]|\s[-–—:|]\s*(?:ACs?|criteri(?:on|a))?\s*"
    rf"(?P<b>{_IDS}))\s*$",
    re.I,
)
# A signpost inside a paragraph: "AC1.1 asks me to ...", "Turning to shared agendas (AC 1.3), ...".
_INLINE = re.compile(rf"(?:\bACs?\s?|\bcriteri(?:on|a)\s|\()(?P<ids>{_IDS})\)?", re.I)
# ... but not a cross reference ("as discussed in AC1.2", "(see 1.2)"): rules/verbs.yaml cross_references.


@lru_cache(maxsize=16)
def _cross(words: tuple[str, ...]) -> re.Pattern:
    """A cross reference's words right before an id: "as discussed in AC", "see", "covered under"."""
    return re.compile(rf"(?:{alternation(words)})\s+(?:in|under|at|for|to)?\s*(?:AC\s?)?$", re.I)


_ID_RE = re.compile(_ID)
_RANGE = re.compile(r"^\s*(?:-|–|—|to)\s*(?:AC\s*)?$", re.I)
_OUTCOME = re.compile(r"^(?:learning\s+)?outcome\s*\d|^LO\s*\d+\b(?!\s*[.,]?\s*AC)|^unit\s+outcome", re.I)
_CONTENTS_LINE = re.compile(r"(?:\t|\.{3,}|…|\s{3,})\s*\d{1,3}\s*$")

HEADING_WORDS = 25  # a bold or restated line longer than this is prose, not a heading
MIN_SIMILARITY = 0.12  # cosine of a topic section with a criterion's words, to match on its own
MIN_SIMILARITY_BETWEEN = 0.05  # enough between two confident matches, in order


@dataclass
class Section:
    """An answer: the blocks under one anchor, for one or more criteria."""

    criteria: tuple[str, ...]
    heading: str
    located_by: str  # heading | label | table | numbering | content
    anchor: int | None
    blocks: list[Block] = field(default_factory=list)
    lead: str = ""  # the rest of an inline-label paragraph ("AC 1.1: Rapport is ..." -> "Rapport is ...")

    @property
    def text(self) -> str:
        return "\n".join(([self.lead] if self.lead else []) + [b.text for b in self.blocks])

    @property
    def words(self) -> int:
        return count_words(self.lead) + sum(b.words for b in self.blocks)


@dataclass
class Sectioning:
    sections: dict[str, Section]  # criterion id -> its answer (shared where one section answers several)
    empty: dict[str, Section]  # an anchor was found but nothing was written under it
    unassigned: list[Block]
    ignored: dict[str, int]  # words set aside, by reason: contents, references, appendix
    has_references: bool


@dataclass
class _Anchor:
    index: int
    ids: tuple[str, ...]
    located_by: str
    heading: str
    lead: str
    level: int | None  # heading level, None for labels and table rows


def _heading_like(b: Block) -> bool:
    return b.level is not None or (b.bold and b.words <= HEADING_WORDS)


def _expand(ids_text: str, known: list[str]) -> list[str]:
    """"1.5 & 1.6" -> [1.5, 1.6]; "3.4-3.6" -> [3.4, 3.5, 3.6]; only ids the pack knows."""
    found = [f"{a}.{b}" for a, b in _ID_RE.findall(ids_text)]
    ids: list[str] = []
    between = _ID_RE.split(ids_text)[3::3]  # text, a, b, text, a, b, ... text
    for i, cid in enumerate(found):
        if i and _RANGE.match(between[i - 1]) and ids and ids[-1] in known and cid in known:
            lo, hi = known.index(ids[-1]), known.index(cid)
            ids.extend(known[lo + 1 : hi + 1])
        elif cid not in ids:
            ids.append(cid)
    return [i for i in ids if i in known]


@dataclass(frozen=True)
class _Coded:
    """A pack's letter-coded ids ("A.P1", "AB.D1", "P3") and the patterns that find them, made once per pack."""

    ids: tuple[str, ...]
    lead: re.Pattern  # an id opening a line: "A.P1 Explain ...", "7/AB.D1:", "(P3) -"
    trail: re.Pattern  # ids in a reference closing a line: "(A.P2)", "- B.M2 and B.D1"
    one: re.Pattern  # any one of the ids


@lru_cache(maxsize=64)
def _coded(known: tuple[str, ...]) -> _Coded | None:
    ids = tuple(k for k in known if not re.fullmatch(r"\d{1,2}\.\d{1,2}", k))
    if not ids:
        return None
    alt = alternation(ids)  # longest first: "AB.D1" before "B.D1"
    one = rf"(?:\d{{1,2}}/)?(?:{alt})(?![\w.])"
    many = rf"{one}(?:\s*(?:&|and|,|/|\+|;)\s*{one})*"
    word = r"(?:(?:ACs?|criteri(?:on|a))\s*)?"
    return _Coded(
        ids,
        re.compile(rf"^[\(\[]?\s*(?:(?:AC|criterion)\s*)?(?:\d{{1,2}}/)?({alt})(?![\w.])[\s\)\].:;\-–—]*(.*)$",
                   re.S | re.I),
        re.compile(rf"(?:[\(\[]\s*{word}(?P<a>{many})\s*[\)\]]|\s[-–—:|]\s*{word}(?P<b>{many}))\s*$", re.I),
        re.compile(alt, re.I))


def _coded_label(text: str, known: list[str]) -> tuple[str, str] | None:
    """A letter-coded id at the start ("A.P1 Explain ...", "7/AB.D1:", "P3 -", "C1.A.1P1"): the packs of
    other awarding bodies number criteria this way; "1.1"-style ids are handled by _LEAD."""
    coded = _coded(tuple(known))
    if coded is None:
        return None
    m = coded.lead.match(text)
    return (next(k for k in coded.ids if k.lower() == m.group(1).lower()), m.group(2).strip()) if m else None


def _trail(text: str, known: list[str]) -> tuple[re.Match[str] | None, tuple[str, ...]]:
    """The reference closing a line and the ids in it: "(AC 1.3)", "- 1.2", or any letter-coded id the pack
    has ("(A.P2)", "(B.M2 and B.D1)", "[7/AB.D1]")."""
    if m := _TRAIL.search(text):
        return m, tuple(_expand(m.group("a") or m.group("b"), known))
    coded = _coded(tuple(known))
    if coded is None:
        return None, ()
    m = coded.trail.search(text)
    if not m:
        return None, ()
    said = coded.one.findall(m.group("a") or m.group("b"))
    ids = [next(k for k in coded.ids if k.lower() == x.lower()) for x in said]
    return m, tuple(dict.fromkeys(ids))


def trailing_label(text: str, known: list[str]) -> tuple[str, ...]:
    return _trail(text, known)[1]


def parse_label(text: str, known: list[str]) -> tuple[tuple[str, ...], bool, str] | None:
    """Criterion ids at the start of a line: (ids, had a prefix or separator, the rest of the line)."""
    if coded := _coded_label(text, known):
        return (coded[0],), True, coded[1]
    m = _LEAD.match(text)
    if not m:
        return None
    ids = _expand(m.group("ids"), known)
    if not ids:
        return None
    rest = m.group("rest").strip()
    marked = bool(m.group("open") or m.group("word") or m.group("lo") or re.search(r"[:)\]\-–—]", m.group("sep")))
    if not marked and rest and not (rest[0].isupper() or rest[0] in "“\"'‘"):
        return None  # "1.5 million people ..." is a number, not a label
    return tuple(ids), marked, rest


def _restates(rest: str, criterion_text: str) -> bool:
    """The rest of a label line is the criterion's own wording (a restated AC, not an answer)."""
    a, b = content_stems(rest), content_stems(criterion_text)
    shared = len(a & b)  # "I compared five networks with my needs" shares words, not the criterion
    return len(a) >= 2 and shared >= 0.6 * len(a) and shared >= 0.5 * len(b)


class _Locator:
    def __init__(self, doc: Document, pack: ResolvedPack) -> None:
        self.doc = doc
        self.pack = pack
        self.blocks = doc.blocks
        self.known = [c.id for c in pack.criteria]
        self.text_of = {c.id: c.text for c in pack.criteria}
        lib = pack.library
        self.reference_heads = {stem_phrase(p) for p in lib.references}
        self.non_answer_heads = {stem_phrase(p) for p in lib.not_answers}
        self.framing_heads = {stem_phrase(p) for p in lib.framing}
        self.cross = _cross(tuple(lib.cross_references))
        self.outcome_stems = [content_stems(o.text) for o in pack.pack.outcomes]
        self.ignored: dict[str, int] = {}
        self.skip: set[int] = set()
        self.has_references = False

    # -- noise: contents, references, appendices -----------------------------------------------
    def _mark_noise(self) -> None:
        blocks = self.blocks
        run: list[int] = []
        for b in blocks:  # a run of three or more "text<tab>page" lines is a contents list
            if b.in_toc:
                self._ignore(b, "contents")
            elif _CONTENTS_LINE.search(b.text) and b.words <= HEADING_WORDS:
                run.append(b.index)
                continue
            if len(run) >= 3:
                for i in run:
                    self._ignore(blocks[i], "contents")
            run = []
        if len(run) >= 3:
            for i in run:
                self._ignore(blocks[i], "contents")
        region: tuple | None = None  # (kind, heading level[, (table, row) for a cell])
        for b in blocks:
            if region and len(region) == 3 and (b.cell is None or b.cell[:2] != region[2]):
                region = None  # "Feedback from others" heading a column of the learner's own table ends with its row
            kind = self._non_answer_kind(b)
            if kind:
                region = (kind, b.level) if b.cell is None else (kind, b.level, b.cell[:2])
                self._ignore(b, kind)
                if kind == "references":
                    self.has_references = True
                continue
            if region and _heading_like(b) and (region[1] is None or (b.level or 99) <= region[1]):
                # a bold "Declaration" line ends at the next framing heading ("Introduction") or outcome
                framed = region[1] is None and (stem_phrase(b.text.strip(" :.")) in self.framing_heads
                                                or self._is_outcome(b))
                if b.level is not None or framed or self._anchor_ids(b):
                    region = None
            elif region and region[1] is None and self._anchor_ids(b):
                region = None  # "AC 1.1: ..." after a bold "Declaration" line: the answers have begun
            if region and b.index not in self.skip:
                self._ignore(b, region[0])

    def _non_answer_kind(self, b: Block) -> str | None:
        if b.inner is not None:  # a column of the learner's own table in an answer cell ("Source | ...")
            return None
        # "Appendix 2 – notes from the Lakes spa managers meeting, 2 July 2025": an appendix's title may be long
        long_title = _heading_like(b) and re.match(r"\s*(?:appendi|annex|reference)", b.text, re.I)
        if not (_heading_like(b) or b.words <= 4) or (b.words > 8 and not long_title):
            return None
        head = re.sub(r"^[\d.\s]+", "", b.text.lower()).strip(" :.-–")
        head = re.split(r"\s*[:\-–—(]\s*|\s+\d", head)[0]
        key = stem_phrase(head)
        if key in self.reference_heads:
            return "references"
        if key in self.non_answer_heads or any(key.startswith(h + " ") for h in self.non_answer_heads):
            return "appendix" if key.startswith(("appendi", "annex")) else "other"
        return None

    def _ignore(self, b: Block, why: str) -> None:
        if b.index not in self.skip:
            self.skip.add(b.index)
            self.ignored[why] = self.ignored.get(why, 0) + b.words

    # -- anchors -----------------------------------------------------------------------------
    def _anchor_ids(self, b: Block) -> tuple[tuple[str, ...], str, str] | None:
        """(ids, located_by, rest) when the block starts with a criterion label."""
        parsed = parse_label(b.text, self.known)
        by_numbering = False
        if parsed is None and b.label and not b.is_bullet:
            parsed = parse_label(f"{b.label} {b.text}", self.known)
            by_numbering = parsed is not None
        heading = _heading_like(b)
        if parsed is None:
            trail = trailing_label(b.text, self.known) if heading else ()
            return (trail, "heading", "") if trail else None
        ids, marked, rest = parsed
        if by_numbering:
            return (ids, "numbering", "") if heading or b.words <= HEADING_WORDS else None
        if heading:
            return ids, "heading", ""
        return ids, "label", rest

    def _is_outcome(self, b: Block) -> bool:
        if _OUTCOME.match(b.full_text):
            return True
        if not _heading_like(b):
            return False
        stems = content_stems(b.text)
        return bool(stems) and any(len(stems & o) >= max(3, 0.75 * len(stems)) for o in self.outcome_stems)

    def anchors(self) -> list[_Anchor]:
        out: list[_Anchor] = []
        for b in self.blocks:
            if b.index in self.skip or b.cell is not None:
                continue
            found = self._anchor_ids(b)
            if found:
                ids, by, rest = found
                if by == "label" and _restates(rest, self.text_of[ids[0]]) and b.words <= HEADING_WORDS + 10:
                    rest = ""  # "AC 1.1 Describe the interpersonal skills ..." restates the AC
                level = b.level if by in ("heading", "numbering") else None
                out.append(_Anchor(b.index, ids, by, b.full_text, rest, level))
        return out

    # -- extents -----------------------------------------------------------------------------
    def _extent(self, anchor: _Anchor, starts: set[int]) -> list[Block]:
        blocks = self.blocks
        container = anchor.level
        if container is None:  # a label: bounded by the heading it sits under
            container = self.heading_above[anchor.index] or 2
        out = []
        for b in blocks[anchor.index + 1 :]:
            if b.index in starts or b.cell is not None and b.index in self.table_rows:
                break
            if b.index in self.skip:
                if b.cell is None and self._non_answer_kind(b):  # a column heading is not a section's end
                    break
                continue
            if b.level is not None and b.level <= container:
                break
            if self._is_outcome(b):
                break
            # (a plain "Conclusion" line too, though not "Introductions:" over the learner's own list)
            plain = b.words <= 3 and b.text.strip(" .").lower() in self.pack.library.framing
            if b.level is None and (b.bold or plain) and b.cell is None \
                    and stem_phrase(b.text.strip(" :.")) in self.framing_heads:
                break  # "Summary", "Conclusion" after the last answer: the learner's framing, not this answer
                # (a bold "Introduction" heading a column of the learner's table is neither)
            out.append(b)
        return out

    def table_sections(self, starts: set[int]) -> list[tuple[_Anchor, list[Block]]]:
        """Template tables: a row whose first cell names a criterion; the other cells are the answer."""
        rows: dict[tuple[int, int], list[Block]] = {}
        for b in self.blocks:
            if b.cell is not None and b.index not in self.skip:
                rows.setdefault(b.cell[:2], []).append(b)
        out: list[tuple[_Anchor, list[Block]]] = []
        current: tuple[_Anchor, list[Block]] | None = None
        last_table = None
        anchored_tables = set()
        for (table, _row), cells in rows.items():
            if table != last_table:
                current, last_table = None, table
            first_col = min(b.cell[2] for b in cells)  # type: ignore[index]
            head_blocks = [b for b in cells if b.cell[2] == first_col]  # type: ignore[index]
            parsed = None
            for hb in head_blocks[:2]:
                parsed = parse_label(hb.full_text, self.known)
                if parsed:
                    break
            if parsed:
                ids, _marked, _rest = parsed
                ac_text = " ".join(b.text for b in head_blocks)
                answer = [b for b in cells if b.cell[2] != first_col]  # type: ignore[index]
                # "AC 1.1 | Describe the ..." or "id | criterion | evidence": a cell restating the AC is not
                # the answer (a learner's evidence is longer than the criterion it answers)
                answer = [b for b in answer if not (_restates(b.text, self.text_of[ids[0]]) and b.words <= 40)]
                anchor = _Anchor(head_blocks[0].index, ids, "table", ac_text, "", None)
                current = (anchor, answer)
                out.append(current)
                anchored_tables.add(table)
                self.table_rows.update(b.index for b in cells)
            elif current is not None:
                if any(self._is_outcome(b) for b in cells[:1]):
                    current = None
                    continue
                current[1].extend(cells)  # evidence written in the rows below the criterion's row
                self.table_rows.update(b.index for b in cells)
        # A one-criterion box with nothing in it: the answer is typed below the table, in the body.
        per_table = Counter(self.blocks[a.index].cell[0] for a, _ in out)  # type: ignore[index]
        for anchor, answer in out:
            table = self.blocks[anchor.index].cell[0]  # type: ignore[index]
            if not answer and per_table[table] == 1:
                after = max(i for (t, _r), cells in rows.items() if t == table for i in (b.index for b in cells))
                answer.extend(self._extent(_Anchor(after, anchor.ids, "table", "", "", None), starts))
        first_rows = {t: min(r for (tt, r) in rows if tt == t) for t in anchored_tables}
        self.table_headers = {b.index for (t, r), cells in rows.items() if first_rows.get(t) == r
                              and t in anchored_tables for b in cells if b.index not in self.table_rows}
        return out

    # -- signposts inside paragraphs -------------------------------------------------------------
    def inline_sections(self, starts: set[int], located: set[str]) -> list[tuple[_Anchor, list[Block]]]:
        """Answers signposted only inside their text ("For AC2.1 I first considered ..."), for criteria
        no heading, label or table row named. The signposting paragraph starts the answer (and ends
        the answer before it)."""
        found: list[_Anchor] = []
        for b in self.blocks:
            if b.index in starts or b.index in self.skip or b.cell is not None or _heading_like(b):
                continue
            for m in _INLINE.finditer(b.text):
                if self.cross.search(b.text[max(0, m.start() - 30) : m.start()]):
                    continue
                ids = tuple(i for i in _expand(m.group("ids"), self.known) if i not in located)
                if ids:
                    found.append(_Anchor(b.index, ids, "label", b.text[:80], b.text, None))
                    located.update(ids)
                    break
        starts = {a.index for a in found} | starts
        return [(a, self._extent(a, starts)) for a in found]

    # -- content match for topic headings ------------------------------------------------------
    def _profiles(self) -> tuple[dict[str, Counter], dict[str, float]]:
        """Each criterion's vocabulary (its words weighted above its keywords and guidance), and idf."""
        profiles: dict[str, Counter] = {}
        for c in self.pack.criteria:
            prof: Counter = Counter()
            for text, weight in ((c.text, 3.0), (" ".join(c.keywords), 2.0), (c.guidance, 0.5),
                                 (" ".join(t for p in c.parts for t in p.terms), 0.5)):
                for st in content_stems(text):
                    prof[st] += weight
            profiles[c.id] = prof
        n = len(profiles)
        df = Counter(st for prof in profiles.values() for st in prof)
        return profiles, {st: math.log(1 + n / d) for st, d in df.items()}

    @staticmethod
    def _vector(heading: str, body: str, idf: dict[str, float]) -> tuple[dict[str, float], float]:
        """A topic section's words (its heading weighted above its text) and the vector's norm."""
        vec: Counter = Counter()
        for st in content_stems(heading):
            vec[st] += 3.0
        for st, n in Counter(stem(t) for t in tokens(body) if t not in STOP).items():
            vec[st] += 1 + math.log(n)
        known = {st: w for st, w in vec.items() if st in idf}
        return known, math.sqrt(sum((w * idf[st]) ** 2 for st, w in known.items()))

    @staticmethod
    def _cosine(vec: tuple[dict[str, float], float], prof: Counter, idf: dict[str, float], norm_p: float) -> float:
        words, norm_v = vec
        dot = sum(w * prof[st] * idf[st] ** 2 for st, w in words.items() if st in prof)
        return dot / (norm_v * norm_p) if dot and norm_v and norm_p else 0.0

    @cached_property
    def _answer_order(self) -> dict[str, float]:
        """Where each criterion's answer is expected: the pack's order, except that a criterion covering
        others (a BTEC grid lists AB.D1 first) is answered after the last of them."""
        at = {cid: float(i) for i, cid in enumerate(self.known)}
        for c in self.pack.criteria:
            covered = [at[x] for x in c.covers if x in at]
            if covered:
                at[c.id] = max(covered) + 0.5
        return at

    def _window(self, cid: str, anchors: dict[str, int]) -> tuple[int, float]:
        """Where an unlocated criterion's answer can be: after the located criterion before it and
        before the located one after it, when the located answers are in the pack's order."""
        rank = self._answer_order
        order = sorted((c for c in self.known if c in anchors), key=rank.__getitem__)
        if [anchors[c] for c in order] != sorted(anchors[c] for c in order):
            return -1, math.inf  # answers out of order: position says nothing
        pos = rank[cid]
        before = [anchors[c] for c in order if rank[c] < pos]
        after = [anchors[c] for c in order if rank[c] > pos]
        return (max(before) if before else -1), (min(after) if after else math.inf)

    def content_sections(self, claimed: set[int], located: set[str],
                         anchors: dict[str, int]) -> list[tuple[_Anchor, list[Block]]]:
        """Topic headings with no numbers, aligned to the unlocated criteria in order by their words.

        Headings of one level are candidates; the level and the alignment with the best total
        similarity win, so that sub-headings ("Active listening") are not taken for criteria. Where
        other answers were found by their labels, a topic heading must sit between its neighbours.
        """
        todo = [c.id for c in self.pack.criteria if c.id not in located]
        framing = {stem_phrase(p) for p in self.pack.library.framing}
        unit_title = content_stems(f"{self.pack.pack.unit} {self.pack.pack.title} unit assignment")
        heads = [b for b in self.blocks if b.index not in claimed and b.index not in self.skip
                 and b.cell is None and _heading_like(b) and not self._is_outcome(b)
                 and stem_phrase(b.text) not in framing and not content_stems(b.text) <= unit_title]
        if not todo or not heads:
            return []
        profiles, idf = self._profiles()
        norms = {cid: math.sqrt(sum((w * idf[st]) ** 2 for st, w in prof.items())) for cid, prof in profiles.items()}
        best: tuple[float, list[tuple[_Anchor, list[Block]]]] = (0.0, [])
        for level in sorted({b.level or 9 for b in heads}):
            cands = [b for b in heads if (b.level or 9) == level]
            starts = {b.index for b in cands} | claimed
            extents = []
            for b in cands:
                anchor = _Anchor(b.index, (), "content", b.full_text, "", b.level)
                extents.append((anchor, self._extent(anchor, starts)))
            windows = [self._window(cid, anchors) for cid in todo]
            vectors = [self._vector(a.heading, " ".join(x.text for x in bl), idf) for a, bl in extents]
            sims = [[self._cosine(vec, profiles[cid], idf, norms[cid]) if lo < a.index < hi else 0.0
                     for cid, (lo, hi) in zip(todo, windows, strict=True)]
                    for (a, _bl), vec in zip(extents, vectors, strict=True)]
            total, pairs = _align(sims, MIN_SIMILARITY)
            pairs = _fill_gaps(sims, pairs, MIN_SIMILARITY_BETWEEN)
            if total > best[0]:
                best = (total, [(_Anchor(extents[i][0].index, (todo[j],), "content", extents[i][0].heading,
                                         "", extents[i][0].level), extents[i][1]) for i, j in pairs])
        located.update(a.ids[0] for a, _ in best[1])
        return best[1]

    def run(self) -> Sectioning:
        self.heading_above: list[int | None] = []  # level of the nearest heading before each block
        level = None
        for b in self.blocks:
            self.heading_above.append(level)
            level = b.level or level
        self._mark_noise()
        self.table_rows: set[int] = set()
        anchors = self.anchors()
        starts = {a.index for a in anchors}
        candidates = self.table_sections(starts)
        candidates += [(a, self._extent(a, starts)) for a in anchors]
        best: dict[str, tuple[_Anchor, list[Block]]] = {}
        for anchor, blocks in candidates:
            words = count_words(anchor.lead) + sum(b.words for b in blocks)
            for cid in anchor.ids:
                held = best.get(cid)
                if held is None or words > count_words(held[0].lead) + sum(b.words for b in held[1]):
                    best[cid] = (anchor, blocks)
        located = {cid for cid, (a, bl) in best.items() if a.lead or any(b.words for b in bl)}
        claimed = set(self.table_rows) | starts
        for _anchor, bl in best.values():
            claimed.update(b.index for b in bl)
        trailing = trailing_sections(self.blocks, self.skip | claimed, self.known, located, self.cross)
        closed: set[int] = set()
        for anchor, blocks in trailing:
            for cid in anchor.ids:
                best[cid] = (anchor, blocks)
            closed.add(anchor.index)
            closed.update(b.index for b in blocks)
        claimed |= closed
        inline = self.inline_sections(starts | self.table_rows | closed, located)
        cuts = sorted(a.index for a, _ in inline)
        for anchor, blocks in best.values():  # an answer ends where the next signposted one begins
            cut = next((c for c in cuts if c > anchor.index), None)
            if cut is not None:
                blocks[:] = [b for b in blocks if b.index < cut]
        for anchor, blocks in inline:
            for cid in anchor.ids:
                best[cid] = (anchor, blocks)
            claimed.add(anchor.index)
            claimed.update(b.index for b in blocks)
        anchors = {cid: a.index for cid, (a, bl) in best.items() if cid in located}
        for anchor, blocks in self.content_sections(claimed, located, anchors):
            best[anchor.ids[0]] = (anchor, blocks)
            claimed.add(anchor.index)
            claimed.update(b.index for b in blocks)
        sections: dict[str, Section] = {}
        empty: dict[str, Section] = {}
        made: dict[int, Section] = {}
        for cid in self.known:
            if cid not in best:
                continue
            anchor, blocks = best[cid]
            key = id(blocks)
            sec = made.get(key)
            if sec is None:
                ids = tuple(i for i in anchor.ids if best.get(i, (None, None))[1] is blocks)
                sec = made[key] = Section(ids, anchor.heading, anchor.located_by, anchor.index, blocks, anchor.lead)
            (sections if sec.words else empty)[cid] = sec
        used = set(claimed)
        for sec in sections.values():
            used.update(b.index for b in sec.blocks)
        # Body text only: headings, outcome lines and a template's header row are structure, not answers.
        unassigned = [b for b in self.blocks if b.index not in used and b.index not in self.skip
                      and not _heading_like(b) and not self._is_outcome(b) and b.index not in self.table_headers]
        return Sectioning(sections, empty, unassigned, self.ignored, self.has_references)


def trailing_sections(blocks: list[Block], taken: set[int], known: list[str], located: set[str],
                      cross: re.Pattern) -> list[tuple[_Anchor, list[Block]]]:
    """Answers whose reference closes them: "... and that is why I rate it. (AC 1.4)". The referenced
    paragraph ends the answer, which runs back to the previous such paragraph, heading or other answer
    (a reflective account often gives the reference only on the last of several paragraphs)."""
    found: list[tuple[_Anchor, list[Block]]] = []
    run: list[Block] = []
    for b in blocks:
        if b.index in taken or _heading_like(b) or b.in_toc:
            run = []
            continue
        if b.cell is not None:  # a table of the learner's own inside the account belongs to the answer around it
            if run:  # (after a signposted paragraph it is that answer's, not the next one's)
                run.append(b)
            continue
        ref, _ = _trail(b.text.rstrip(" ."), known)
        body = b.text[: ref.start()] if ref else b.text
        # a signpost inside the paragraph ("For AC2.1 I first ..."): that answer starts here; a figure in
        # brackets that names no criterion ("(18.9 days lost ...)") is not a signpost
        if any(_expand(m.group("ids"), known) and not cross.search(body[max(0, m.start() - 30) : m.start()])
               for m in _INLINE.finditer(body)):
            run = []
            continue
        run.append(b)
        ids = tuple(i for i in trailing_label(b.text.rstrip(" ."), known) if i not in located)
        if not ids:
            if trailing_label(b.text.rstrip(" ."), known):
                run = []  # referenced to a criterion already answered elsewhere: a boundary all the same
            continue
        # the first paragraph anchors the answer and is part of it, so it is the lead
        found.append((_Anchor(run[0].index, ids, "label", ref.group(0).strip(" -–—:|") if ref else b.text[-20:],
                              run[0].text, None), run[1:]))
        located.update(ids)
        run = []
    return found


def _align(sims: list[list[float]], floor: float) -> tuple[float, list[tuple[int, int]]]:
    """Best order-preserving matching of candidates (rows) to criteria (columns), as in sequence
    alignment: learners answer in the criteria's order far more often than not."""
    m, n = len(sims), len(sims[0]) if sims else 0
    score = [[0.0] * (n + 1) for _ in range(m + 1)]
    for i in range(m - 1, -1, -1):
        for j in range(n - 1, -1, -1):
            take = sims[i][j] + score[i + 1][j + 1] if sims[i][j] >= floor else -1.0
            score[i][j] = max(take, score[i + 1][j], score[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < m and j < n:
        if sims[i][j] >= floor and score[i][j] == sims[i][j] + score[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            i += 1
        else:
            j += 1
    return score[0][0] if m and n else 0.0, pairs


def _fill_gaps(sims: list[list[float]], pairs: list[tuple[int, int]], floor: float) -> list[tuple[int, int]]:
    """Between two confident matches, a weaker one that keeps the order is taken too ("Giving back"
    between the answers to 3.2 and 3.4 is the answer to 3.3)."""
    out = []
    bounds = [(-1, -1), *pairs, (len(sims), len(sims[0]) if sims else 0)]
    for (i0, j0), (i1, j1) in zip(bounds, bounds[1:], strict=False):
        rows, cols = range(i0 + 1, i1), range(j0 + 1, j1)
        if len(rows) and len(rows) == len(cols) and i0 >= 0 and i1 < len(sims):
            out += list(zip(rows, cols, strict=True))  # as many headings as criteria between: by elimination
        elif len(rows) and len(cols):
            sub = [row[j0 + 1 : j1] for row in sims[i0 + 1 : i1]]
            out += [(i0 + 1 + a, j0 + 1 + b) for a, b in _align(sub, floor)[1]]
        if (i1, j1) in pairs:
            out.append((i1, j1))
    return out


def locate(doc: Document, pack: ResolvedPack) -> Sectioning:
    return _Locator(doc, pack).run()
