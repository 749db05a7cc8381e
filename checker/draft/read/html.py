"""HTML rendered as a browser copy-paste gives it (see ../shared/unit-specs/README.md)."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree

from ...errors import CheckerError

_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "dl", "figure", "section", "article",
          "header", "footer", "main", "button", "blockquote", "pre", "hr", "caption", "tbody", "thead"}
_SKIP = {"script", "style", "head", "title", "noscript", "template"}
_WS = re.compile(r"\s+")


def read_html(path: Path, text: str) -> list[str]:
    try:
        root = lxml.html.fromstring(text or "<p></p>")
    except (etree.ParserError, ValueError) as e:
        raise CheckerError(path, f"cannot parse HTML: {e}") from None
    out: list[str] = []
    _Renderer(out).block(root)
    return [line for line in out if line.strip() or line == "\t"]


class _Renderer:
    def __init__(self, out: list[str]) -> None:
        self.out = out
        self.line: list[str] = []

    def flush(self) -> None:
        text = _WS.sub(" ", "".join(self.line)).strip()
        if text:
            self.out.append(text)
        self.line = []

    def text(self, s: str | None) -> None:
        if s:
            self.line.append(s.replace("\u00a0", " "))

    def block(self, el: etree._Element) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in _SKIP or not isinstance(el.tag, str):
            self.text(el.tail) if tag in _SKIP else None
            return
        if tag == "table":
            self.flush()
            self.table(el)
        elif tag in ("ol", "ul"):
            self.flush()
            for n, li in enumerate((c for c in el if isinstance(c.tag, str) and c.tag.lower() == "li"), 1):
                self.line.append(f"{n}. " if tag == "ol" else "• ")
                self.children(li)
                self.flush()
        elif tag == "br":
            self.flush()
        elif tag in _BLOCK or tag == "li":
            self.flush()
            self.children(el)
            self.flush()
        else:
            self.children(el)
        self.text(el.tail)

    def children(self, el: etree._Element) -> None:
        self.text(el.text)
        for child in el:
            self.block(child)

    def table(self, table: etree._Element) -> None:
        for tr in _own_rows(table):
            cells: list[list[str]] = []
            for td in tr:
                if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                    continue
                sub: list[str] = []
                r = _Renderer(sub)
                r.children(td)
                r.flush()
                cells.append(sub)
            if all(len(c) <= 1 for c in cells):
                row = "\t".join(c[0] if c else "" for c in cells).rstrip("\t")
                if row.strip():
                    self.out.append(row)
            else:
                filled = [c for c in cells if c]
                for i, c in enumerate(filled):
                    if i:
                        self.out.append("\t")
                    self.out.extend(c)


def _tag(el: etree._Element) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _own_rows(table: etree._Element) -> list[etree._Element]:
    """The table's own rows (directly or in thead/tbody/tfoot). A nested table's rows are read once, through
    its cell; iterating every descendant row read them again per level: 3,000 nested tables never finished."""
    rows = []
    for child in table:
        if _tag(child) == "tr":
            rows.append(child)
        elif _tag(child) in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in child if _tag(r) == "tr")
    return rows
