"""Plain text and Markdown: the lines as they are; a leading "# key: value" header becomes metadata."""

from __future__ import annotations

import re

_META = re.compile(r"^#\s*([a-z][a-z ]*):\s*(.*)$")


def read_text(text: str) -> tuple[list[str], dict[str, str]]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    meta: dict[str, str] = {}
    i = 0
    while i < len(lines) and (m := _META.match(lines[i])):
        meta[m.group(1).strip()] = m.group(2).strip()
        i += 1
    return [line.replace("\u00a0", " ").rstrip("\n") for line in lines[i:]], meta
