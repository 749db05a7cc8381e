"""Topic headings with no numbers ("Skills I rely on"), matched to the criteria no label located, by their
words and in the criteria's order."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

from .anchors import Anchor, Layout, heading_like
from .document import Block
from .packs import ResolvedPack
from .text import STOP, content_stems, stem, stem_phrase, tokens

MIN_SIMILARITY = 0.12  # cosine of a topic section with a criterion's words, to match on its own
MIN_SIMILARITY_BETWEEN = 0.05  # enough between two confident matches, in order

Extent = tuple[Anchor, list[Block]]


def _profiles(pack: ResolvedPack) -> tuple[dict[str, Counter], dict[str, float]]:
    """Each criterion's vocabulary (its words weighted above its keywords and guidance), and idf."""
    profiles: dict[str, Counter] = {}
    for c in pack.criteria:
        prof: Counter = Counter()
        for text, weight in ((c.text, 3.0), (" ".join(c.keywords), 2.0), (c.guidance, 0.5),
                             (" ".join(t for p in c.parts for t in p.terms), 0.5)):
            for st in content_stems(text):
                prof[st] += weight
        profiles[c.id] = prof
    n = len(profiles)
    df = Counter(st for prof in profiles.values() for st in prof)
    return profiles, {st: math.log(1 + n / d) for st, d in df.items()}


_PROFILES: dict[int, tuple[ResolvedPack, tuple[dict[str, Counter], dict[str, float], dict[str, float]]]] = {}


def _pack_profiles(pack: ResolvedPack) -> tuple[dict[str, Counter], dict[str, float], dict[str, float]]:
    """The criteria's profiles, idf and norms, made once per pack (by identity, as names.Words): they were
    made again for every document with topic headings."""
    held = _PROFILES.get(id(pack))
    if held is None or held[0] is not pack:
        profiles, idf = _profiles(pack)
        norms = {cid: math.sqrt(sum((w * idf[st]) ** 2 for st, w in prof.items())) for cid, prof in profiles.items()}
        held = _PROFILES[id(pack)] = (pack, (profiles, idf, norms))
    return held[1]


def _vector(heading: str, body: str, idf: dict[str, float]) -> tuple[dict[str, float], float]:
    """A topic section's words (its heading weighted above its text) and the vector's norm."""
    vec: Counter = Counter()
    for st in content_stems(heading):
        vec[st] += 3.0
    for st, n in Counter(stem(t) for t in tokens(body) if t not in STOP).items():
        vec[st] += 1 + math.log(n)
    known = {st: w for st, w in vec.items() if st in idf}
    return known, math.sqrt(sum((w * idf[st]) ** 2 for st, w in known.items()))


def _cosine(vec: tuple[dict[str, float], float], prof: Counter, idf: dict[str, float], norm_p: float) -> float:
    words, norm_v = vec
    dot = sum(w * prof[st] * idf[st] ** 2 for st, w in words.items() if st in prof)
    return dot / (norm_v * norm_p) if dot and norm_v and norm_p else 0.0


def _answer_order(pack: ResolvedPack) -> dict[str, float]:
    """Where each criterion's answer is expected: the pack's order, except that a criterion covering
    others (a BTEC grid lists AB.D1 first) is answered after the last of them."""
    at = {c.id: float(i) for i, c in enumerate(pack.criteria)}
    for c in pack.criteria:
        covered = [at[x] for x in c.covers if x in at]
        if covered:
            at[c.id] = max(covered) + 0.5
    return at


def _window(cid: str, anchors: dict[str, int], rank: dict[str, float], known: list[str]) -> tuple[int, float]:
    """Where an unlocated criterion's answer can be: after the located criterion before it and
    before the located one after it, when the located answers are in the pack's order."""
    order = sorted((c for c in known if c in anchors), key=rank.__getitem__)
    if [anchors[c] for c in order] != sorted(anchors[c] for c in order):
        return -1, math.inf  # answers out of order: position says nothing
    pos = rank[cid]
    before = [anchors[c] for c in order if rank[c] < pos]
    after = [anchors[c] for c in order if rank[c] > pos]
    return (max(before) if before else -1), (min(after) if after else math.inf)


def topic_sections(layout: Layout, skip: set[int], extent: Callable[[Anchor, set[int]], list[Block]],
                   claimed: set[int], located: set[str], anchors: dict[str, int]) -> list[Extent]:
    """Topic headings with no numbers, aligned to the unlocated criteria in order by their words.

    Headings of one level are candidates; the level and the alignment with the best total
    similarity win, so that sub-headings ("Active listening") are not taken for criteria. Where
    other answers were found by their labels, a topic heading must sit between its neighbours.
    """
    pack = layout.pack
    todo = [c.id for c in pack.criteria if c.id not in located]
    framing = {stem_phrase(p) for p in pack.library.framing}
    unit_title = content_stems(f"{pack.pack.unit} {pack.pack.title} unit assignment")
    heads = [b for b in layout.blocks if b.index not in claimed and b.index not in skip
             and b.cell is None and heading_like(b) and not layout.is_outcome(b)
             and stem_phrase(b.text) not in framing and not content_stems(b.text) <= unit_title]
    if not todo or not heads:
        return []
    profiles, idf, norms = _pack_profiles(pack)
    rank = _answer_order(pack)
    best: tuple[float, list[Extent]] = (0.0, [])
    for level in sorted({b.level or 9 for b in heads}):
        cands = [b for b in heads if (b.level or 9) == level]
        starts = {b.index for b in cands} | claimed
        extents = []
        for b in cands:
            anchor = Anchor(b.index, (), "content", b.full_text, "", b.level)
            extents.append((anchor, extent(anchor, starts)))
        windows = [_window(cid, anchors, rank, layout.known) for cid in todo]
        vectors = [_vector(a.heading, " ".join(x.text for x in bl), idf) for a, bl in extents]
        sims = [[_cosine(vec, profiles[cid], idf, norms[cid]) if lo < a.index < hi else 0.0
                 for cid, (lo, hi) in zip(todo, windows, strict=True)]
                for (a, _bl), vec in zip(extents, vectors, strict=True)]
        total, pairs = _align(sims, MIN_SIMILARITY)
        pairs = _fill_gaps(sims, pairs, MIN_SIMILARITY_BETWEEN)
        if total > best[0]:
            best = (total, [(Anchor(extents[i][0].index, (todo[j],), "content", extents[i][0].heading,
                                    "", extents[i][0].level), extents[i][1]) for i, j in pairs])
    located.update(a.ids[0] for a, _ in best[1])
    return best[1]


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
