"""Learner-controlled strings (file names above all) made safe for where they go: terminals and XML
(control characters), spreadsheets (formulas) and links (URL paths)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

# C0 controls but tab and newline, DEL and C1 controls: they move terminal cursors (ESC [ ...), are
# illegal in XML 1.0, and are invisible in a report. Lone surrogates cannot be encoded at all.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")  # a one-line message: newlines too
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP CSV injection


def escape_controls(text: str, one_line: bool = False) -> str:
    """Control characters as visible escapes (\\x1b), so a crafted name prints as what it is; tabs and
    newlines are kept unless `one_line`."""
    return (_CONTROL_LINE if one_line else _CONTROL).sub(_escape, text)


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def csv_cell(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe (shown as text)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def url_path(name: str) -> str:
    """A file name as a relative link: every character that could make it a scheme or a path is quoted."""
    return "./" + quote(name, safe="")
