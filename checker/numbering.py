"""Resolve Word's automatic numbering (numbering.xml) to the labels drawn on the page.

A heading whose "1.1" exists only in numbering.xml has no digits in its text; the label is made
from the level's format and text ("%1.%2") and counters kept per abstract numbering definition.
"""

from __future__ import annotations

from lxml import etree

from .xmlnames import W, wattr

_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def _roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


MAX_COUNTER = 100_000  # Word's own limit is 32,767; a crafted start value must not hang or blow up


def format_number(n: int, fmt: str) -> str:
    if not 0 < n <= MAX_COUNTER:
        return str(n)
    if fmt in ("lowerLetter",):
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("none", "bullet"):
        return ""
    return str(n)  # decimal and the many locale formats we render as digits


class _Level:
    __slots__ = ("fmt", "text", "start", "restart")

    def __init__(self, lvl: etree._Element | None) -> None:
        self.fmt, self.text, self.start, self.restart = "decimal", "", 1, None
        if lvl is None:
            return
        for child in lvl:
            tag = child.tag
            if tag == W.numFmt:
                self.fmt = wattr(child, "val") or "decimal"
            elif tag == W.lvlText:
                self.text = wattr(child, "val") or ""
            elif tag == W.start:
                self.start = _int(wattr(child, "val"), 1)
            elif tag == W.lvlRestart:
                self.restart = _int(wattr(child, "val"), 0)


def _int(value: str | None, default: int) -> int:
    try:
        number = int(value) if value is not None else default
    except ValueError:
        return default
    return max(-MAX_COUNTER, min(number, MAX_COUNTER))


class Numbering:
    """Counts list items in reading order and renders each one's label."""

    def __init__(self, root: etree._Element | None) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractId, start overrides)
        self.counters: dict[str, list[int]] = {}
        self.started: set[str] = set()
        if root is None:
            return
        for el in root:
            if el.tag == W.abstractNum:
                levels = {_int(wattr(lvl, "ilvl"), 0): _Level(lvl) for lvl in el.iter(W.lvl)}
                self.abstract[wattr(el, "abstractNumId") or ""] = levels
            elif el.tag == W.num:
                ref = el.find(W.abstractNumId)
                overrides = {}
                for ov in el.iter(W.lvlOverride):
                    so = ov.find(W.startOverride)
                    if so is not None:
                        overrides[_int(wattr(ov, "ilvl"), 0)] = _int(wattr(so, "val"), 1)
                self.nums[wattr(el, "numId") or ""] = (wattr(ref, "val") or "" if ref is not None else "", overrides)

    def label(self, num_id: str, ilvl: int) -> str:
        """Advance the counter of (num, level) and return the label Word would draw."""
        if num_id == "0" or num_id not in self.nums:
            return ""
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id)
        if not levels:
            return ""
        ilvl = max(0, min(ilvl, 8))
        counters = self.counters.setdefault(abstract_id, [0] * 9)
        if overrides and num_id not in self.started:  # a num with startOverride restarts the list
            self.started.add(num_id)
            for lvl, start in overrides.items():
                if 0 <= lvl < 9:
                    counters[lvl] = start - 1
            for lvl in range(9):
                if lvl not in overrides and lvl > min(overrides):
                    counters[lvl] = 0
        level = levels.get(ilvl) or _Level(None)
        counters[ilvl] = max(counters[ilvl], level.start - 1) + 1 if counters[ilvl] else level.start
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        if level.fmt == "bullet":
            return level.text.strip() or "•"
        text = level.text
        for n in range(ilvl + 1, 0, -1):
            sub = levels.get(n - 1) or _Level(None)
            value = counters[n - 1] or sub.start
            text = text.replace(f"%{n}", format_number(value, "decimal" if n - 1 != ilvl and
                                                       sub.fmt == "bullet" else sub.fmt))
        return text.strip()
