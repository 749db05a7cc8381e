"""Word documents: paragraphs and tables in body order, a merged cell read once per row.

The package is opened by the checker's own safe opener (zip limits, no DOCTYPE), so a hostile
specification fails the same one-line way a hostile submission does.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ...safeopen import open_package
from ...xmlnames import W


def read_docx(path: Path, data: bytes) -> list[str]:
    body = open_package(path, data).document.find(W.body)
    out: list[str] = []
    if body is not None:
        _blocks(body, out)
    return out


def _para_text(p: etree._Element) -> str:
    parts = []
    for t in p.iter(W.t, W.tab, W.br):
        if t.tag == W.t:
            parts.append(t.text or "")
        elif t.getparent() is not None and t.getparent().tag == W.r:
            parts.append("\t" if t.tag == W.tab else " ")
    return "".join(parts).strip()


def _rows(table: etree._Element) -> list[etree._Element]:
    """The table's own rows, including rows wrapped in a content control; a nested table's rows are read
    as part of their cell's text, not again as rows of this table."""
    rows = []
    for el in table:
        if el.tag == W.tr:
            rows.append(el)
        elif el.tag == W.sdt and (content := el.find(W.sdtContent)) is not None:
            rows.extend(content.findall(W.tr))
    return rows


def _blocks(parent: etree._Element, out: list[str]) -> None:
    for child in parent:
        if child.tag == W.p:
            if text := _para_text(child):
                out.append(text)
        elif child.tag == W.tbl:
            for tr in _rows(child):
                cells: list[str] = []
                for tc in tr.iter(W.tc):
                    if tc.getparent() is not tr:
                        continue
                    vmerge = tc.find(f"{W.tcPr}/{W.vMerge}")
                    if vmerge is not None and vmerge.get(W.val) in (None, "continue"):
                        continue  # a vertical merge's later rows: the text is in the first
                    text = " ".join(t for p in tc.iter(W.p) if (t := _para_text(p)))
                    if text and (not cells or cells[-1] != text):  # a merged cell once, not per grid column
                        cells.append(text)
                if cells:
                    out.append("\t".join(cells))
        elif child.tag == W.sdt and (content := child.find(W.sdtContent)) is not None:
            _blocks(content, out)
