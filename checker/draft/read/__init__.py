"""Readers: a specification file (.txt, .docx, .pdf, .html) -> its text as lines, one reader per format.

Every reader gives what a person copying the document by hand would get: table rows as TAB-separated
cells (or a cell's paragraphs one after another, cells separated by a line holding one TAB), list items
numbered as displayed, PDF pages joined by "=== page N ===" lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ...errors import CheckerError


@dataclass
class Source:
    path: Path
    lines: list[str]
    meta: dict[str, str] = field(default_factory=dict)  # "# awarding body: ..." header lines of a .txt


MAX_BYTES = 50_000_000


def read_spec(path: Path | str) -> Source:
    """Read a specification; unreadable input raises CheckerError with one line saying why."""
    path = Path(path)
    if not path.is_file():
        raise CheckerError(path, "specification file not found")
    if path.stat().st_size > MAX_BYTES:
        raise CheckerError(path, f"larger than {MAX_BYTES // 1_000_000} MB: not a unit specification")
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if data.startswith(b"%PDF") or suffix == ".pdf":
        from .pdf import read_pdf

        return Source(path, read_pdf(path, data))
    if data.startswith(b"PK\x03\x04") or suffix == ".docx":
        from .docx import read_docx

        return Source(path, read_docx(path, data))
    text = _decode(path, data)
    if suffix in (".html", ".htm") or text.lstrip()[:200].lower().startswith(("<!doctype html", "<html", "<meta",
                                                                              "<div", "<h")):
        from .html import read_html

        return Source(path, read_html(path, text))
    from .text import read_text

    lines, meta = read_text(text)
    return Source(path, lines, meta)


def _decode(path: Path, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its BOM: Notepad's "Unicode"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise CheckerError(path, "damaged UTF-16 text") from None
    if b"\x00" in data[:4096]:
        raise CheckerError(path, "binary file: not a .txt, .docx, .pdf or .html specification")
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise CheckerError(path, "not text in UTF-8 or Windows-1252")
