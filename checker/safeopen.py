"""Classify a file's bytes and open the parts of a .docx safely, before any XML is parsed.

Learners upload anything: PDFs renamed .docx, legacy .doc, password-protected files, truncated
downloads, and a hostile file may be a zip bomb or carry a DOCTYPE. Each is refused here with one
line that says what the file is, in milliseconds and without inflating anything large.
"""

from __future__ import annotations

import io
import os
import stat
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .errors import CheckerError

MAX_FILE_BYTES = 200 * 1024 * 1024  # the file on disk
MAX_PART_BYTES = 64 * 1024 * 1024  # one XML part once inflated (a 500-page thesis is ~10 MB)
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # all parts we read, inflated
MAX_RATIO = 200  # inflated / compressed for a large part; real XML compresses 5-30x
MAX_ENTRIES = 20_000
# numbering.xml and styles.xml are side parts: a legal 4 MB upload whose numbering.xml inflated to 60 MB
# took 10 s and 1.1 GB. The largest in 1,000 real documents (../shared/corpus) are 2.2 MB with 94,000 tags
# and 2.5 MB with 100,000; a part over these caps is left out (list numbers or styles not resolved) with
# a note, and the body is still checked.
SIDE_PART_CAPS = {"numbering.xml": (4 * 2**20, 250_000), "styles.xml": (8 * 2**20, 400_000)}  # bytes, tags

W_TRANSITIONAL = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
R_TRANSITIONAL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
R_STRICT = b"http://purl.oclc.org/ooxml/officeDocument/relationships"

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)


@dataclass
class Package:
    """The XML parts of a .docx that the reader needs, parsed, plus what the opener noticed."""

    path: str
    document: etree._Element
    styles: bytes | None = None  # checked but not parsed: the reader parses only the styles in use
    numbering: etree._Element | None = None
    notes: list[str] = field(default_factory=list)  # e.g. "macros present (not run)"
    sha256: str = ""


def _ole_streams(data: bytes) -> set[str]:
    """Names in an OLE compound file's directory (enough to tell .doc from an encrypted .docx)."""
    try:
        sector = 1 << struct.unpack_from("<H", data, 30)[0]
        first_dir = struct.unpack_from("<I", data, 48)[0]
        names: set[str] = set()
        # Read a bounded run of directory sectors; encrypted .docx and .doc keep them near the start.
        start = (first_dir + 1) * sector
        chunk = data[start : start + sector * 64]
        for off in range(0, len(chunk) - 127, 128):
            size = struct.unpack_from("<H", chunk, off + 64)[0]
            if 2 <= size <= 64:
                names.add(chunk[off : off + size - 2].decode("utf-16-le", "ignore"))
        # Fall back to scanning for the names themselves (the directory may be elsewhere).
        for name in ("EncryptedPackage", "EncryptionInfo", "WordDocument"):
            if name.encode("utf-16-le") in data[: 4 * 1024 * 1024]:
                names.add(name)
        return names
    except struct.error:
        return set()


def classify(path: Path, data: bytes) -> None:
    """Raise CheckerError unless the bytes look like an OOXML zip package."""
    if not data:
        raise CheckerError(path, "empty file (0 bytes)")
    head = data[:8]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return
    if head == OLE_MAGIC:
        streams = _ole_streams(data)
        if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
            raise CheckerError(path, "password-protected (encrypted) document: remove the password and save again")
        if "WordDocument" in streams:
            raise CheckerError(path, "legacy Word 97-2003 .doc file: open it in Word and save as .docx")
        raise CheckerError(path, "OLE compound file that is not a Word document")
    stripped = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    for magic, what in (
        (b"%PDF", "a PDF file renamed to .docx"),
        (b"{\\rtf", "an RTF file renamed to .docx: save it as .docx"),
        (b"<?xml", "a plain XML file, not a .docx package (Word 2003 XML? save as .docx)"),
        (b"<html", "an HTML file renamed to .docx"),
        (b"<!DOCTYPE html", "an HTML file renamed to .docx"),
    ):
        if stripped[: len(magic)].lower() == magic.lower():
            raise CheckerError(path, what)
    if b"PK\x05\x06" in data[-(22 + 0xFFFF):] and b"PK\x03\x04" in data:
        raise CheckerError(path, "a zip archive with other data in front of it (a self-extracting archive?), "
                                 "not a Word document: open it in Word and save it again as .docx")
    raise CheckerError(path, "not a Word document (unrecognised content, not a zip package)")


def _check_directory(path: Path, zf: zipfile.ZipFile) -> None:
    infos = zf.infolist()
    if not infos:
        raise CheckerError(path, "empty zip archive: not a Word document")
    if len(infos) > MAX_ENTRIES:
        raise CheckerError(path, f"zip archive with {len(infos)} entries: refused as unsafe")
    total = sum(i.file_size for i in infos if i.filename.endswith((".xml", ".rels")))
    if total > MAX_TOTAL_BYTES:
        raise CheckerError(path, f"XML parts inflate to {total // 2**20} MB: refused as a zip bomb")
    for info in infos:
        if info.file_size > MAX_PART_BYTES and info.filename.endswith(".xml"):
            raise CheckerError(
                path, f"part {info.filename} inflates to {info.file_size // 2**20} MB: refused as unsafe"
            )
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise CheckerError(
                path,
                f"part {info.filename} inflates {info.file_size // max(info.compress_size, 1)}x: "
                "refused as a zip bomb",
            )


def _read_part(path: Path, zf: zipfile.ZipFile, name: str) -> bytes:
    try:
        with zf.open(name) as f:
            data = f.read(MAX_PART_BYTES + 1)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as e:
        raise CheckerError(path, f"damaged part {name}: {e}") from None
    except Exception as e:  # zlib.error and friends: a corrupt stream
        raise CheckerError(path, f"damaged part {name}: {e.__class__.__name__}") from None
    if len(data) > MAX_PART_BYTES:
        raise CheckerError(path, f"part {name} is larger than declared: refused as unsafe")
    return data


def checked_xml(path: Path | str, name: str, data: bytes) -> bytes:
    """A part's bytes made safe to parse; Word never writes a DOCTYPE, so one means a crafted file."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise CheckerError(path, f"part {name} declares a DOCTYPE or entities: refused as unsafe")
    # Strict OOXML differs from the transitional form mostly by namespace: map it so one reader serves.
    if W_STRICT in data:
        data = data.replace(W_STRICT, W_TRANSITIONAL).replace(R_STRICT, R_TRANSITIONAL)
    return data


def _xml_problem(e: etree.XMLSyntaxError) -> str:
    """lxml's message in a user's words: its advice ("use XML_PARSE_HUGE option") is for programmers."""
    text = str(e)
    if "XML_PARSE_HUGE" in text or "huge" in text.lower() or "Excessive depth" in text:
        return "is nested too deeply or too large to read safely: refused as unsafe"
    where = f" at line {e.lineno}" if getattr(e, "lineno", None) else ""
    return f"is not well-formed XML{where}: the file is damaged; open it in Word and save it again as .docx"


def _no_doctype(path: Path | str, name: str, root: etree._Element) -> etree._Element:
    """The byte test in checked_xml cannot see a DOCTYPE in UTF-16 or UTF-32: the parsed tree can. Its
    entities were never expanded or loaded (the parser resolves none), but the file is crafted all the same."""
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        raise CheckerError(path, f"part {name} declares a DOCTYPE or entities: refused as unsafe")
    return root


def parse_xml(path: Path | str, name: str, data: bytes) -> etree._Element:
    """Parse one part (see checked_xml for what is refused)."""
    data = checked_xml(path, name, data)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as e:
        raise CheckerError(path, f"part {name} {_xml_problem(e)}") from None
    if root is None:
        raise CheckerError(path, f"part {name} is empty")
    return _no_doctype(path, name, root)


# Formatting the reader never looks at (fonts, sizes, borders, spacing, proofing marks): dropped while the
# body is parsed, not after, so they never take memory. A 12.6 MB document.xml of 370,000 elements, most of
# them run and cell formatting, peaked a check at 269 MB; without them at 157 MB (bench/corpus_run.py).
_FORMATTING = tuple(f"{{{W_TRANSITIONAL.decode()}}}{name}" for name in (
    "rFonts", "sz", "szCs", "color", "lang", "spacing", "ind", "jc", "kern", "w", "highlight", "u", "i", "iCs",
    "noProof", "vertAlign", "position", "caps", "smallCaps", "strike", "dstrike", "shd", "tcW", "tcBorders",
    "vAlign", "tblBorders", "tblW", "tblLook", "tblLayout", "tblCellMar", "tblInd", "gridCol", "trHeight",
    "proofErr", "bookmarkStart", "bookmarkEnd", "lastRenderedPageBreak", "snapToGrid", "widowControl",
    "keepNext", "keepLines", "contextualSpacing", "rtl", "cs", "bCs", "webHidden", "effect", "fitText",
))


def parse_body(path: Path | str, name: str, data: bytes) -> etree._Element:
    """Parse the main document part as parse_xml does, dropping the formatting elements in _FORMATTING as
    they are read."""
    data = checked_xml(path, name, data)
    events = etree.iterparse(io.BytesIO(data), events=("end",), tag=_FORMATTING, resolve_entities=False,
                             no_network=True, load_dtd=False, huge_tree=False, remove_comments=True)
    try:
        for _event, el in events:
            parent = el.getparent()
            if parent is not None and not (el.tail or "").strip():
                parent.remove(el)
    except etree.XMLSyntaxError as e:
        raise CheckerError(path, f"part {name} {_xml_problem(e)}") from None
    if events.root is None:
        raise CheckerError(path, f"part {name} is empty")
    return _no_doctype(path, name, events.root)


def _main_part(path: Path, zf: zipfile.ZipFile, names: set[str]) -> str:
    """The main document part: word/document.xml, or wherever _rels/.rels points."""
    if "_rels/.rels" in names:
        rels = parse_xml(path, "_rels/.rels", _read_part(path, zf, "_rels/.rels"))
        for rel in rels:
            if rel.get("Type", "").endswith("/officeDocument"):
                target = rel.get("Target", "").lstrip("/")
                if target in names:
                    return target
    if "word/document.xml" in names:
        return "word/document.xml"
    if "content.xml" in names:
        raise CheckerError(path, "an OpenDocument (.odt) file renamed to .docx: save it as .docx")
    if any(n.startswith("xl/") for n in names):
        raise CheckerError(path, "an Excel workbook renamed to .docx")
    if any(n.startswith("ppt/") for n in names):
        raise CheckerError(path, "a PowerPoint file renamed to .docx")
    raise CheckerError(path, "zip archive without word/document.xml: not a Word document")


def read_file(path: Path | str) -> bytes:
    """The file's bytes, read-only and bounded; folders, pipes and devices are refused, not read.

    Opened non-blocking (a FIFO does not wait for a writer) and checked with fstat on the open file, so a
    name swapped for a pipe or a link to /dev/zero between a check and the read is still refused."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            if stat.S_ISDIR(st.st_mode):
                raise CheckerError(path, "is a folder, not a .docx file")
            if not stat.S_ISREG(st.st_mode):
                raise CheckerError(path, "not a regular file (a pipe or device)")
            if st.st_size > MAX_FILE_BYTES:
                raise CheckerError(path, f"file is {st.st_size // 2**20} MB, "
                                         f"over the {MAX_FILE_BYTES // 2**20} MB limit")
            data = f.read(st.st_size + 1)  # read(n) allocates n bytes first: ask for the file's own size
    except IsADirectoryError:
        raise CheckerError(path, "is a folder, not a .docx file") from None
    except FileNotFoundError:
        raise CheckerError(path, "file not found") from None
    except PermissionError:
        raise CheckerError(path, "permission denied") from None
    except OSError as e:
        raise CheckerError(path, f"cannot read file: {e.strerror or e}") from None
    if len(data) > MAX_FILE_BYTES:
        raise CheckerError(path, f"file is over the {MAX_FILE_BYTES // 2**20} MB limit")
    return data


def _side_part(path: Path, zf: zipfile.ZipFile, name: str, names: set[str], notes: list[str]) -> bytes | None:
    """numbering.xml or styles.xml within its caps (see SIDE_PART_CAPS), else None and a note saying so."""
    if name not in names:
        return None
    max_bytes, max_tags = SIDE_PART_CAPS[name.rsplit("/", 1)[-1]]
    what = "list numbers" if name.endswith("numbering.xml") else "styles"
    size = zf.getinfo(name).file_size
    if size > max_bytes:
        notes.append(f"{name} inflates to {size // 2**20} MB, over the {max_bytes // 2**20} MB limit: "
                     f"ignored ({what} not resolved)")
        return None
    data = _read_part(path, zf, name)
    if len(data) > max_bytes or data.count(b"<") > max_tags:
        notes.append(f"{name} holds over {max_tags:,} elements: ignored ({what} not resolved)")
        return None
    return data


def open_package(path: Path | str, data: bytes | None = None) -> Package:
    """Open a .docx read-only (or its bytes, for uploads) and return its parsed parts."""
    import hashlib

    path = Path(path)
    if data is None:
        data = read_file(path)
    classify(path, data)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise CheckerError(path, "damaged or truncated zip: not a readable .docx") from None
    except Exception as e:  # malformed central directory values
        raise CheckerError(path, f"damaged zip directory: {e.__class__.__name__}") from None
    with zf:
        _check_directory(path, zf)
        names = set(zf.namelist())
        main = _main_part(path, zf, names)
        document = parse_body(path, main, _read_part(path, zf, main))
        folder = main.rsplit("/", 1)[0] + "/" if "/" in main else ""
        styles_name, numbering_name = folder + "styles.xml", folder + "numbering.xml"
        notes: list[str] = []
        raw_styles = _side_part(path, zf, styles_name, names, notes)
        styles = checked_xml(path, styles_name, raw_styles) if raw_styles is not None else None
        raw_numbering = _side_part(path, zf, numbering_name, names, notes)
        numbering = parse_xml(path, numbering_name, raw_numbering) if raw_numbering is not None else None
        del raw_numbering
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            notes.append("macros present (never run)")
    return Package(
        path=str(path),
        document=document,
        styles=styles,
        numbering=numbering,
        notes=notes,
        sha256=hashlib.sha256(data).hexdigest(),
    )
