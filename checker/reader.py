"""Walk a .docx body in reading order and return the learner's text as blocks.

python-docx alone drops tracked insertions, content controls, text boxes and fields, repeats merged
cells and has no list numbers (see ../shared/docs/docx-reading.md); this walker reads the XML itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .document import Block, Document
from .numbering import Numbering
from .safeopen import Package, open_package, parse_xml
from .xmlnames import MC, M, W, wattr

# Subtrees whose text is not the learner's current text in this paragraph.
_SKIP = frozenset({getattr(W, "del"), W.moveFrom, MC.Fallback, W.txbxContent, W.delText})
_TEXT_TAGS = (W.t, W.tab, W.br, W.cr, W.noBreakHyphen, W.fldChar, W.instrText, W.sym, W.ptab)
_T, _FLD_CHAR, _INSTR_TEXT, _NO_BREAK_HYPHEN, _SYM, _TABS, _RPR = (
    W.t, W.fldChar, W.instrText, W.noBreakHyphen, W.sym, (W.tab, W.ptab), W.rPr)  # per text element: bound once
_FALSE = {"0", "false", "off", "none"}
_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.I)
_TOC_STYLE = re.compile(r"^(toc|contents)\s*\d|^table of (contents|figures)$|^toc heading$", re.I)


@dataclass
class _Style:
    name: str = ""
    based_on: str | None = None
    outline: int | None = None
    num: tuple[str, int] | None = None
    bold: bool | None = None


_STYLES_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*):styles\b")


_STYLE_ATTRS = {name: re.compile(rb":" + name + rb'="([^"]*)"') for name in (b"styleId", b"type", b"default")}


def _attr(attrs: bytes, name: bytes) -> str:
    m = _STYLE_ATTRS[name].search(attrs)
    return m.group(1).decode("utf-8", "replace") if m else ""


class Styles:
    """Paragraph and character styles, with basedOn chains resolved once per style."""

    def __init__(self, data: bytes | None, path: str = "") -> None:
        """Index styles.xml without parsing it: a Word template holds 150+ styles in 350 KB, of which a
        document uses a handful; each is parsed when a paragraph first uses it."""
        self.path = path
        self.data = data or b""
        self.spans: dict[str, tuple[int, int]] = {}
        self.raw: dict[str, _Style] = {}
        self.default_para = ""
        self._resolved: dict[str, _Style] = {}
        self._root_tag = b""
        self._prefix = b""
        if not data:
            return
        root = _STYLES_ROOT.search(data)
        if root is None:  # an unusual writer (no w: prefix): parse the whole part
            self._parse_all()
            return
        self._prefix = root.group(1)
        self._root_tag = data[root.start() : data.index(b">", root.start()) + 1]
        if self._root_tag.endswith(b"/>"):
            return
        closing = b"</" + self._prefix + b":style>"
        for m in re.finditer(rb"<" + re.escape(self._prefix) + rb":style\b([^>]*)>", data):
            attrs = m.group(1)
            sid = _attr(attrs, b"styleId")
            end = m.end() if attrs.endswith(b"/") else data.find(closing, m.end())
            if end < 0:
                break
            end += 0 if attrs.endswith(b"/") else len(closing)
            self.spans.setdefault(sid, (m.start(), end))
            if b"default" in attrs and _attr(attrs, b"default") in ("1", "true") \
                    and _attr(attrs, b"type") == "paragraph":  # most styles are not a default: one test
                self.default_para = sid

    def _parse_all(self) -> None:
        root = parse_xml(self.path, "styles.xml", self.data)
        self.elements = {}
        for st in root.iter(W.style):
            sid = wattr(st, "styleId") or ""
            self.elements.setdefault(sid, st)
            if wattr(st, "type") == "paragraph" and wattr(st, "default") in ("1", "true"):
                self.default_para = sid

    def _element(self, sid: str) -> etree._Element | None:
        if hasattr(self, "elements"):
            return self.elements.get(sid)
        span = self.spans.get(sid)
        if span is None:
            return None
        wrapped = self._root_tag + self.data[span[0] : span[1]] + b"</" + self._prefix + b":styles>"
        root = parse_xml(self.path, "styles.xml", wrapped)
        return root[0] if len(root) else None

    def _raw(self, sid: str) -> _Style | None:
        if sid not in self.raw:
            st = self._element(sid)
            if st is None:
                return None
            s = _Style()
            name = st.find(W.name)
            s.name = (wattr(name, "val") or sid) if name is not None else sid
            based = st.find(W.basedOn)
            s.based_on = wattr(based, "val") if based is not None else None
            ppr = st.find(W.pPr)
            if ppr is not None:
                s.outline = _outline(ppr)
                s.num = _num_pr(ppr)
            s.bold = _bold(st.find(W.rPr))
            self.raw[sid] = s
        return self.raw[sid]

    def get(self, sid: str) -> _Style:
        if sid in self._resolved:
            return self._resolved[sid]
        chain, seen, cur = [], set(), sid
        while cur and cur not in seen and len(chain) < 20 and (style := self._raw(cur)) is not None:
            seen.add(cur)
            chain.append(style)
            cur = style.based_on or ""
        out = _Style(name=chain[0].name if chain else sid)
        for s in reversed(chain):
            out.outline = s.outline if s.outline is not None else out.outline
            out.num = s.num if s.num is not None else out.num
            out.bold = s.bold if s.bold is not None else out.bold
        self._resolved[sid] = out
        return out


def _outline(ppr: etree._Element) -> int | None:
    el = ppr.find(W.outlineLvl)
    if el is None:
        return None
    try:
        lvl = int(wattr(el, "val") or "9")
    except ValueError:
        return None
    return lvl + 1 if 0 <= lvl < 9 else 0  # 0 = explicitly body text


def _num_pr(ppr: etree._Element) -> tuple[str, int] | None:
    num = ppr.find(W.numPr)
    if num is None:
        return None
    nid, ilvl = num.find(W.numId), num.find(W.ilvl)
    try:
        level = int(wattr(ilvl, "val") or "0") if ilvl is not None else 0
    except ValueError:
        level = 0
    return (wattr(nid, "val") or "0") if nid is not None else "", level


def _bold(rpr: etree._Element | None) -> bool | None:
    if rpr is None:
        return None
    b = rpr.find(W.b)
    if b is None:
        return None
    return (wattr(b, "val") or "1").lower() not in _FALSE


@dataclass
class _Walk:
    styles: Styles
    numbering: Numbering
    blocks: list[Block] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)  # instructions of the complex fields we are inside
    cell: tuple[int, int, int] | None = None
    inner: tuple[int, int, int] | None = None
    tables: int = 0
    toc_depth: int = 0

    def container(self, parent: etree._Element) -> None:
        for child in parent:
            tag = child.tag
            if tag == W.p:
                self.paragraph(child)
            elif tag == W.tbl:
                self.table(child)
            elif tag == W.sdt:
                self.sdt(child, self.container)
            elif tag in (W.customXml, W.smartTag, W.ins, W.moveTo):
                self.container(child)
            elif tag == MC.AlternateContent:
                choice = child.find(MC.Choice)
                if choice is not None:
                    self.container(choice)

    def sdt(self, sdt: etree._Element, walk) -> None:  # noqa: ANN001 - a bound walker method
        pr = sdt.find(W.sdtPr)
        if pr is not None and pr.find(W.showingPlcHdr) is not None:
            return  # still showing "Click or tap here to enter text.": an empty answer box
        content = sdt.find(W.sdtContent)
        if content is None:
            return
        gallery = pr.find(f"{W.docPartObj}/{W.docPartGallery}") if pr is not None else None
        is_toc = gallery is not None and "contents" in (wattr(gallery, "val") or "").lower()
        self.toc_depth += is_toc
        walk(content)
        self.toc_depth -= is_toc

    def table(self, tbl: etree._Element) -> None:
        number = self.tables
        self.tables += 1
        outer, outer_inner = self.cell, self.inner
        for r, tr in enumerate(_unwrap(tbl, W.tr)):
            col = 0
            for tc in _unwrap(tr, W.tc):
                tcpr = tc.find(W.tcPr)
                span, continued = 1, False
                if tcpr is not None:
                    gs = tcpr.find(W.gridSpan)
                    if gs is not None:
                        span = max(1, _safe_int(wattr(gs, "val"), 1))
                    vm = tcpr.find(W.vMerge)
                    continued = vm is not None and (wattr(vm, "val") or "continue") != "restart"
                if not continued:  # a vertical merge's continuation repeats nothing new
                    self.cell = outer or (number, r, col)
                    self.inner = (number, r, col)
                    self.container(tc)
                col += span
        self.cell = outer
        self.inner = outer_inner

    def paragraph(self, p: etree._Element) -> None:
        ppr = p.find(W.pPr)
        sid = ""
        direct_num = direct_outline = None
        if ppr is not None:
            ps = ppr.find(W.pStyle)
            sid = (wattr(ps, "val") or "") if ps is not None else ""
            direct_num = _num_pr(ppr)
            direct_outline = _outline(ppr)
        style = self.styles.get(sid or self.styles.default_para)
        text, lead, all_bold, in_toc, unusual = self._runs(p, style.bold)
        num = direct_num if direct_num is not None else style.num
        label = ""
        if num and num[0] and text.strip():
            label = self.numbering.label(num[0], num[1])
        for box in _text_boxes(p) if unusual else ():  # read after the anchoring paragraph, once (not the VML copy)
            self.container(box)
        text = " ".join(text.split())
        if not text:
            return
        level = None
        m = _HEADING_STYLE.match(style.name)
        if m:
            level = int(m.group(1))
        elif style.name.lower() == "title":
            level = 1
        outline = direct_outline if direct_outline is not None else style.outline
        if level is None and outline:
            level = outline
        is_list = bool(label) and level is None or "list" in style.name.lower()
        self.blocks.append(Block(
            index=len(self.blocks), text=text, style=style.name, level=level, label=label,
            bold_lead=" ".join(lead.split()).strip(" :-–—."), bold=all_bold and bool(lead.strip()),
            is_list=is_list, cell=self.cell, inner=self.inner if self.inner != self.cell else None,
            in_toc=in_toc or self.toc_depth > 0 or bool(_TOC_STYLE.match(style.name)),
        ))

    def _runs(self, p: etree._Element, style_bold: bool | None) -> tuple[str, str, bool, bool, bool]:
        """The paragraph's visible text, its leading bold words, whether all of it is bold, TOC, and whether
        it holds anything in _SKIP (text boxes among them) or a placeholder."""
        skipping = any(True for _ in p.iter(*_SKIP, W.showingPlcHdr))
        parts: list[str] = []
        lead: list[str] = []
        leading, all_bold = True, True
        in_toc = any("TOC" in f for f in self.fields)
        for el in p.iter(*_TEXT_TAGS):
            if skipping and _skipped(el, p):
                continue
            tag = el.tag
            if tag == _FLD_CHAR:
                kind = wattr(el, "fldCharType")
                if kind == "begin":
                    self.fields.append("")
                elif kind == "end" and self.fields:
                    self.fields.pop()
                continue
            if tag == _INSTR_TEXT:
                if self.fields:
                    self.fields[-1] += (el.text or "").upper()
                    in_toc = in_toc or " TOC " in f" {self.fields[-1]}"
                continue
            if self.fields and self.fields[-1].lstrip().startswith(("PAGE", "NUMPAGES")):
                continue  # page numbers (and PAGEREF in contents lists) are not the learner's words
            if tag == _T:
                chunk = el.text or ""
            elif tag == _NO_BREAK_HYPHEN:
                chunk = "-"
            elif tag in _TABS:
                chunk = "\t"
            elif tag == _SYM:
                chunk = ""
            else:
                chunk = " "
            parts.append(chunk)
            if chunk.strip():
                run = el.getparent()
                bold = _bold(run.find(_RPR)) if run is not None else None
                bold = bool(style_bold if bold is None else bold)
                leading = leading and bold
                all_bold = all_bold and bold
            if leading:
                lead.append(chunk)
        return "".join(parts), "".join(lead), all_bold, in_toc, skipping


def _skipped(el: etree._Element, p: etree._Element) -> bool:
    for anc in el.iterancestors():
        if anc is p:
            return False
        if anc.tag in _SKIP:
            return True
        if anc.tag == W.sdt:
            pr = anc.find(W.sdtPr)
            if pr is not None and pr.find(W.showingPlcHdr) is not None:
                return True
    return False


def _text_boxes(p: etree._Element) -> list[etree._Element]:
    boxes = []
    for box in p.iter(W.txbxContent):
        parent = box.getparent()
        inner = False
        for anc in box.iterancestors():
            if anc is p:
                break
            if anc.tag in (MC.Fallback, W.txbxContent):
                inner = True
                break
        if not inner and parent is not None:
            boxes.append(box)
    return boxes


def _unwrap(parent: etree._Element, tag: str):  # noqa: ANN202 - generator of elements
    """Children with the tag, looking through content controls and custom XML around rows/cells."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag == W.sdt:
            pr = child.find(W.sdtPr)
            content = child.find(W.sdtContent)
            if content is not None and (pr is None or pr.find(W.showingPlcHdr) is None):
                yield from _unwrap(content, tag)
        elif child.tag in (W.customXml, W.ins, W.moveTo):
            yield from _unwrap(child, tag)


def _safe_int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def read_package(pkg: Package) -> Document:
    body = pkg.document.find(W.body)
    walk = _Walk(Styles(pkg.styles, pkg.path), Numbering(pkg.numbering))
    notes = list(pkg.notes)
    if body is not None:
        walk.container(body)
        notes += _unread(body)
    return Document(path=pkg.path, blocks=walk.blocks, sha256=pkg.sha256, notes=notes)


def _unread(body: etree._Element) -> list[str]:
    """What the body holds that is not read, said so rather than dropped in silence: a document embedded
    whole (altChunk) and equations (Office Math, whose text is not in w:t)."""
    chunks = sum(1 for _ in body.iter(W.altChunk))
    maths = sum(1 for _ in body.iter(M.oMath))
    out = []
    if chunks:
        out.append(f"{chunks} embedded document(s) (altChunk) not read: their text is not checked")
    if maths:
        out.append(f"{maths} equation(s) (Office Math) not read: their text is not checked")
    return out


def read(path: Path | str, data: bytes | None = None) -> Document:
    """Read a .docx (opened read-only) into ordered blocks; raises CheckerError for bad input."""
    return read_package(open_package(path, data))
