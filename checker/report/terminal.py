"""Text for a terminal: wrapped to its width with hanging indents, status labels in colour on request.

Only the command line's standard output goes through here; files and pipes get the plain text."""

from __future__ import annotations

import os
import re
import shutil
import textwrap
from typing import TextIO

COLOURS = {"MET": "32", "GAP": "33", "MISSING": "31", "UNREADABLE": "31", "EMPTY": "33"}  # green/yellow/red
_LABEL = re.compile(r"^(\s*)(MET|GAP|MISSING|EMPTY)\b|(: )(UNREADABLE)\b")
_STATUS_LINE = re.compile(r"^(\s*)(?:MET|GAP|MISSING)\s+\S+\s+")  # "  GAP     1.1  " -> hang under the details


def use_colour(choice: str, stream: TextIO) -> bool:
    """--color always/never decide; auto is colour on a terminal unless NO_COLOR is set (no-color.org)."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def width_of(stream: TextIO) -> int | None:
    """The terminal's width, or None (no wrapping) when the output is not a terminal."""
    return max(40, shutil.get_terminal_size().columns) if stream.isatty() else None


def _hang(line: str) -> str:
    status = _STATUS_LINE.match(line)
    if status:
        return " " * len(status.group(0))
    indent = len(line) - len(line.lstrip(" "))
    if line.lstrip().startswith(">"):
        return " " * (indent + 2)
    return " " * (indent + 4)


def _colour(line: str) -> str:
    def paint(m: re.Match[str]) -> str:
        if m.group(2):
            return f"{m.group(1)}\x1b[1;{COLOURS[m.group(2)]}m{m.group(2)}\x1b[0m"
        return f"{m.group(3)}\x1b[1;{COLOURS[m.group(4)]}m{m.group(4)}\x1b[0m"

    return _LABEL.sub(paint, line, count=1)


def fit(text: str, width: int | None, colour: bool) -> str:
    out = []
    for line in text.splitlines():
        pieces = [line]
        if width and len(line) > width and line.strip():
            pieces = textwrap.wrap(line, width, subsequent_indent=_hang(line), break_long_words=False,
                                   break_on_hyphens=False, drop_whitespace=True) or [line]
            lead = len(line) - len(line.lstrip(" "))
            pieces[0] = " " * lead + pieces[0].lstrip(" ")  # keep the first line's own indent
        if colour:
            pieces[0] = _colour(pieces[0])
        out.extend(pieces)
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")
