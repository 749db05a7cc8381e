"""How far each answer runs: from its anchor to the next anchor, a heading of its level, an outcome or a
framing line; the rows of a centre's template table; answers signposted only inside a paragraph; and answers
whose reference closes them."""

from __future__ import annotations

import re
from collections import Counter

from .anchors import Anchor, Layout, heading_like
from .asides import Asides, non_answer_kind
from .document import Block
from .labels import INLINE, expand, parse_label, restates, trail, trailing_label
from .text import stem_phrase

Extent = tuple[Anchor, list[Block]]


class Extents:
    def __init__(self, layout: Layout, asides: Asides) -> None:
        self.layout = layout
        self.skip = asides.skip
        self.table_rows: set[int] = set()  # the cells of every template row that names a criterion, and below it
        self.table_headers: set[int] = set()  # a template's header row: structure, not an answer

    def of(self, anchor: Anchor, starts: set[int]) -> list[Block]:
        """The blocks after an anchor that belong to its answer."""
        layout = self.layout
        container = anchor.level
        if container is None:  # a label: bounded by the heading it sits under
            container = layout.heading_above[anchor.index] or 2
        out = []
        for b in layout.blocks[anchor.index + 1 :]:
            if b.index in starts or b.cell is not None and b.index in self.table_rows:
                break
            if b.index in self.skip:
                if b.cell is None and non_answer_kind(layout, b):  # a column heading is not a section's end
                    break
                continue
            if b.level is not None and b.level <= container:
                break
            if layout.is_outcome(b):
                break
            # (a plain "Conclusion" line too, though not "Introductions:" over the learner's own list)
            plain = b.words <= 3 and b.text.strip(" .").lower() in layout.pack.library.framing
            if b.level is None and (b.bold or plain) and b.cell is None \
                    and stem_phrase(b.text.strip(" :.")) in layout.framing_heads:
                break  # "Summary", "Conclusion" after the last answer: the learner's framing, not this answer
                # (a bold "Introduction" heading a column of the learner's table is neither)
            out.append(b)
        return out

    def tables(self, starts: set[int]) -> list[Extent]:
        """Template tables: a row whose first cell names a criterion; the other cells are the answer."""
        layout = self.layout
        rows: dict[tuple[int, int], list[Block]] = {}
        for b in layout.blocks:
            if b.cell is not None and b.index not in self.skip:
                rows.setdefault(b.cell[:2], []).append(b)
        out: list[Extent] = []
        current: Extent | None = None
        last_table = None
        anchored_tables = set()
        for (table, _row), cells in rows.items():
            if table != last_table:
                current, last_table = None, table
            first_col = min(b.cell[2] for b in cells)  # type: ignore[index]
            head_blocks = [b for b in cells if b.cell[2] == first_col]  # type: ignore[index]
            parsed = None
            for hb in head_blocks[:2]:
                parsed = parse_label(hb.full_text, layout.known)
                if parsed:
                    break
            if parsed:
                ids, _marked, _rest = parsed
                ac_text = " ".join(b.text for b in head_blocks)
                answer = [b for b in cells if b.cell[2] != first_col]  # type: ignore[index]
                # "AC 1.1 | Describe the ..." or "id | criterion | evidence": a cell restating the AC is not
                # the answer (a learner's evidence is longer than the criterion it answers)
                answer = [b for b in answer if not (restates(b.text, layout.text_of[ids[0]]) and b.words <= 40)]
                anchor = Anchor(head_blocks[0].index, ids, "table", ac_text, "", None)
                current = (anchor, answer)
                out.append(current)
                anchored_tables.add(table)
                self.table_rows.update(b.index for b in cells)
            elif current is not None:
                if any(layout.is_outcome(b) for b in cells[:1]):
                    current = None
                    continue
                current[1].extend(cells)  # evidence written in the rows below the criterion's row
                self.table_rows.update(b.index for b in cells)
        # A one-criterion box with nothing in it: the answer is typed below the table, in the body.
        per_table = Counter(layout.blocks[a.index].cell[0] for a, _ in out)  # type: ignore[index]
        for anchor, answer in out:
            table = layout.blocks[anchor.index].cell[0]  # type: ignore[index]
            if not answer and per_table[table] == 1:
                after = max(i for (t, _r), cells in rows.items() if t == table for i in (b.index for b in cells))
                answer.extend(self.of(Anchor(after, anchor.ids, "table", "", "", None), starts))
        first_rows = {t: min(r for (tt, r) in rows if tt == t) for t in anchored_tables}
        self.table_headers = {b.index for (t, r), cells in rows.items() if first_rows.get(t) == r
                              and t in anchored_tables for b in cells if b.index not in self.table_rows}
        return out

    def inline(self, starts: set[int], located: set[str]) -> list[Extent]:
        """Answers signposted only inside their text ("For AC2.1 I first considered ..."), for criteria
        no heading, label or table row named. The signposting paragraph starts the answer (and ends
        the answer before it)."""
        layout = self.layout
        found: list[Anchor] = []
        for b in layout.blocks:
            if b.index in starts or b.index in self.skip or b.cell is not None or heading_like(b):
                continue
            for m in INLINE.finditer(b.text):
                if layout.cross.search(b.text[max(0, m.start() - 30) : m.start()]):
                    continue
                ids = tuple(i for i in expand(m.group("ids"), layout.known) if i not in located)
                if ids:
                    found.append(Anchor(b.index, ids, "label", b.text[:80], b.text, None))
                    located.update(ids)
                    break
        starts = {a.index for a in found} | starts
        return [(a, self.of(a, starts)) for a in found]


def trailing(blocks: list[Block], taken: set[int], known: list[str], located: set[str],
             cross: re.Pattern) -> list[Extent]:
    """Answers whose reference closes them: "... and that is why I rate it. (AC 1.4)". The referenced
    paragraph ends the answer, which runs back to the previous such paragraph, heading or other answer
    (a reflective account often gives the reference only on the last of several paragraphs)."""
    found: list[Extent] = []
    run: list[Block] = []
    closed = False  # the paragraph before closed an answer: what follows begins the next
    for b in blocks:
        if b.cell is not None:  # a table of the learner's own inside the account belongs to the answer around it
            # (a header cell set aside, "Source", is no boundary; after a signposted paragraph the table is
            # that answer's, not this one's)
            if b.index not in taken and (run or closed):
                run.append(b)
            continue
        if b.index in taken or heading_like(b) or b.in_toc:
            run, closed = [], False
            continue
        ref, _ = trail(b.text.rstrip(" ."), known)
        body = b.text[: ref.start()] if ref else b.text
        # a signpost inside the paragraph ("For AC2.1 I first ..."): that answer starts here; a figure in
        # brackets that names no criterion ("(18.9 days lost ...)") is not a signpost
        if any(expand(m.group("ids"), known) and not cross.search(body[max(0, m.start() - 30) : m.start()])
               for m in INLINE.finditer(body)):
            run, closed = [], False
            continue
        run.append(b)
        ids = tuple(i for i in trailing_label(b.text.rstrip(" ."), known) if i not in located)
        if not ids:
            if trailing_label(b.text.rstrip(" ."), known):
                run, closed = [], True  # referenced to a criterion already answered elsewhere: a boundary all the same
            continue
        # the first paragraph anchors the answer and is part of it, so it is the lead
        found.append((Anchor(run[0].index, ids, "label", ref.group(0).strip(" -–—:|") if ref else b.text[-20:],
                             run[0].text, None), run[1:]))
        located.update(ids)
        run, closed = [], True
    return found
