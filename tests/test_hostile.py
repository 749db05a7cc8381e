"""Hostile and broken input, generated here (small, deterministic, seeded): every case must end either
normally or in ONE line naming the file (a CheckerError, exit code 2), never a traceback, a hang or a
memory blow-up, and the file must be left unchanged. Goes beyond the 14 bad inputs of test_reading.py:
byte-level fuzzing of a real .docx, zip structure attacks, odd XML, numbering/styles/fields/rels traps,
filesystem oddities and size/time limits.

Crashes found here were fixed in checker/; a new one is listed in BUGS (a strict xfail) until fixed.
"""

from __future__ import annotations

import io
import os
import random
import struct
import subprocess
import sys
import time
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from checker.cli import main
from checker.engine import check
from checker.errors import CheckerError
from checker.reader import read

from .deadline import Hang, deadline

DEADLINE = 15  # seconds for one small case: longer is a hang
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = b'xmlns:w="' + W_NS.encode() + b'"'
MC = b'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
REL_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
WORDS = ("rapport", "listening", "trust", "network", "contacts", "colleagues", "questions", "body", "language",
         "empathy", "feedback", "meeting", "referral", "agency", "client", "manager", "the", "a", "of", "and",
         "to", "build", "keep", "share", "open", "clear")


# --- the harness --------------------------------------------------------------------------------------


def _one_line(message: str, path: Path) -> None:
    assert "\n" not in message and "\r" not in message, f"multi-line error: {message!r}"
    assert str(path) in message, f"error does not name the file: {message!r}"


def _read_or_refuse(path: Path) -> str:
    try:
        read(path)
    except CheckerError as e:
        _one_line(str(e), path)
        return "refused"
    return "read"


def _check_or_refuse(path: Path, pack) -> str:
    try:
        result = check(path, pack)
    except CheckerError as e:
        _one_line(str(e), path)
        return "refused"
    for finding in result.errors:  # the CLI prints "<path>: <message>"
        _one_line(f"{path}: {finding.message}", path)
    return "refused" if result.errors else "checked"


def _assert_clean(path: Path, pack, seconds: float = DEADLINE) -> str:
    """read() and check() either succeed or refuse in one line naming the file; the file is untouched."""
    before = path.read_bytes() if path.is_file() else None
    with deadline(seconds):
        outcome = _read_or_refuse(path)
        checked = _check_or_refuse(path, pack)
    assert (outcome == "read") == (checked == "checked"), (outcome, checked)
    assert before is None or path.read_bytes() == before
    return outcome


def _assert_cli_clean(path: Path, capsys, seconds: float = DEADLINE) -> int:
    before = path.read_bytes() if path.is_file() else None
    capsys.readouterr()
    with deadline(seconds):
        code = main(["check", str(path), "--format", "json"])
    err = capsys.readouterr().err
    assert code in (0, 1, 2), code
    assert "Traceback" not in err, err
    for line in err.splitlines():
        assert str(path) in line, f"stderr line does not name the file (multi-line error?): {line!r}"
    assert before is None or path.read_bytes() == before
    return code


# --- building inputs ----------------------------------------------------------------------------------


def _zip(members: dict[str, bytes] | list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    items = members.items() if isinstance(members, dict) else members
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w", method) as zf:
        warnings.simplefilter("ignore")  # duplicate names are wanted in some cases
        for name, data in items:
            zf.writestr(name, data)
    return buf.getvalue()


def _doc(body: bytes, ns: bytes = W) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ' + ns + b" " + MC + \
        b"><w:body>" + body + b"</w:body></w:document>"


def _p(text: bytes, style: bytes = b"", ppr: bytes = b"") -> bytes:
    pstyle = b'<w:pStyle w:val="' + style + b'"/>' if style else b""
    return b"<w:p><w:pPr>" + pstyle + ppr + b"</w:pPr><w:r><w:t>" + text + b"</w:t></w:r></w:p>"


def _numbered(text: bytes, num_id: bytes = b"1", ilvl: bytes = b"0") -> bytes:
    return _p(text, ppr=b'<w:numPr><w:ilvl w:val="' + ilvl + b'"/><w:numId w:val="' + num_id + b'"/></w:numPr>')


def _numbering(levels: bytes, nums: bytes = b'<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>') -> bytes:
    return b"<w:numbering " + W + b'><w:abstractNum w:abstractNumId="0">' + levels + b"</w:abstractNum>" + nums + \
        b"</w:numbering>"


def _lvl(ilvl: bytes = b"0", start: bytes = b"1", fmt: bytes = b"decimal", text: bytes = b"%1.") -> bytes:
    return (b'<w:lvl w:ilvl="' + ilvl + b'"><w:start w:val="' + start + b'"/><w:numFmt w:val="' + fmt +
            b'"/><w:lvlText w:val="' + text + b'"/></w:lvl>')


def _styles(body: bytes) -> bytes:
    return b"<w:styles " + W + b">" + body + b"</w:styles>"


def _style(sid: bytes, name: bytes, based: bytes | None = None, extra: bytes = b"") -> bytes:
    based_el = b'<w:basedOn w:val="' + based + b'"/>' if based is not None else b""
    return (b'<w:style w:type="paragraph" w:styleId="' + sid + b'"><w:name w:val="' + name + b'"/>' + based_el +
            extra + b"</w:style>")


def _rels(target: str, extra: str = "") -> bytes:
    return (f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL_DOC}" Target="{target}"{extra}/></Relationships>').encode()


ALL_LEVELS = b"%1.%2.%3.%4.%5.%6.%7.%8.%9"
SECTION = _p(b"1.1 Describe the interpersonal skills needed for effective networking", b"Heading2")


def _text(rng: random.Random, n_words: int) -> bytes:
    """Word-like text that compresses honestly (a few times, not hundreds)."""
    return " ".join(rng.choice(WORDS) + str(rng.randrange(1000)) for _ in range(n_words)).encode()


# Raw zip fields: (offset in a local header, offset in a central directory header, struct format).
_FIELDS = {"flags": (6, 8, "<H"), "method": (8, 10, "<H"), "crc": (14, 16, "<I"), "csize": (18, 20, "<I"),
           "usize": (22, 24, "<I"), "offset": (None, 42, "<I")}
_EOCD = {"disk_entries": 8, "entries": 10, "cd_size": 12, "cd_offset": 16, "comment_len": 20}


def _headers(data: bytes) -> tuple[dict[str, tuple[int, int]], int]:
    """name -> (local header offset, central header offset), and the EOCD offset."""
    eocd = data.rfind(b"PK\x05\x06")
    pos = struct.unpack_from("<I", data, eocd + 16)[0]
    out = {}
    while data[pos : pos + 4] == b"PK\x01\x02":
        nlen, elen, clen = struct.unpack_from("<HHH", data, pos + 28)
        name = data[pos + 46 : pos + 46 + nlen].decode("utf-8", "replace")
        out[name] = (struct.unpack_from("<I", data, pos + 42)[0], pos)
        pos += 46 + nlen + elen + clen
    return out, eocd


def _patch(data: bytes, name: str, where: str = "both", **fields: int) -> bytes:
    """Set header fields of one member (local, central or both headers)."""
    out = bytearray(data)
    local, central = _headers(data)[0][name]
    for key, value in fields.items():
        loff, coff, fmt = _FIELDS[key]
        if where in ("both", "local") and loff is not None:
            struct.pack_into(fmt, out, local + loff, value)
        if where in ("both", "central"):
            struct.pack_into(fmt, out, central + coff, value)
    return bytes(out)


def _patch_eocd(data: bytes, **fields: int) -> bytes:
    out = bytearray(data)
    eocd = _headers(data)[1]
    for key, value in fields.items():
        struct.pack_into("<H" if key in ("disk_entries", "entries", "comment_len") else "<I", out,
                         eocd + _EOCD[key], value)
    return bytes(out)


def _zip64_eocd(data: bytes, entries: int | None = None, cd_size: int | None = None,
                cd_offset: int | None = None) -> bytes:
    """Put a zip64 end record (honest unless told otherwise) in front of the EOCD, which then says 'see zip64'."""
    eocd = _headers(data)[1]
    n, size, offset = struct.unpack_from("<HII", data, eocd + 10)
    rec = struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, entries if entries is not None else n,
                      entries if entries is not None else n, cd_size if cd_size is not None else size,
                      cd_offset if cd_offset is not None else offset)
    loc = struct.pack("<4sIQI", b"PK\x06\x07", 0, eocd, 1)
    end = bytearray(data[eocd:])
    struct.pack_into("<HHII", end, 8, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
    return data[:eocd] + rec + loc + bytes(end)


def _zip64_member(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            with zf.open(name, "w", force_zip64=name == "word/document.xml") as f:
                f.write(data)
    return buf.getvalue()


def _ole(sector_shift: int = 9, size: int = 512 + 1024) -> bytes:
    header = bytearray(max(size, 8))
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    if size >= 32:
        header[30:32] = sector_shift.to_bytes(2, "little")
    return bytes(header[:size])


def _random(seed: int, n: int, prefix: bytes = b"") -> bytes:
    return prefix + random.Random(seed).randbytes(n)


def _replace(m: dict[str, bytes], **parts: bytes) -> dict[str, bytes]:
    out = dict(m)
    for key, value in parts.items():
        out[{"doc": "word/document.xml", "num": "word/numbering.xml", "styles": "word/styles.xml",
             "rels": "_rels/.rels", "types": "[Content_Types].xml"}[key]] = value
    return out


def _without(m: dict[str, bytes], *names: str) -> dict[str, bytes]:
    return {k: v for k, v in m.items() if k not in names}


def _nested(open_tag: bytes, close_tag: bytes, depth: int, inner: bytes) -> bytes:
    return open_tag * depth + inner + close_tag * depth


# Each case: base members of headings_full.docx (a dict) and the bytes of the real file -> the file's bytes.
Case = Callable[[dict[str, bytes], bytes], bytes]
CASES: dict[str, Case] = {
    # -- zip structure ------------------------------------------------------------------------------
    "dup_document_garbage_last": lambda m, b: _zip([*m.items(), ("word/document.xml", b"\x00garbage")]),
    "dup_document_garbage_first": lambda m, b: _zip([("word/document.xml", b"\x00garbage"), *m.items()]),
    "dup_every_member": lambda m, b: _zip([*m.items(), *m.items()]),
    "stored_declared_but_deflated": lambda m, b: _patch(b, "word/document.xml", method=0),
    "deflated_declared_but_stored": lambda m, b: _patch(_zip(m, zipfile.ZIP_STORED), "word/document.xml", method=8),
    "method_central_differs_from_local": lambda m, b: _patch(b, "word/document.xml", "central", method=0),
    "method_aes_99": lambda m, b: _patch(b, "word/document.xml", method=99),
    "method_bzip2_garbage": lambda m, b: _patch(b, "word/document.xml", method=12),
    "method_lzma_garbage": lambda m, b: _patch(b, "word/document.xml", method=14),
    "method_deflate64": lambda m, b: _patch(b, "word/document.xml", method=9),
    "method_unknown_65535": lambda m, b: _patch(b, "word/styles.xml", method=0xFFFF),
    "encrypted_flag_document": lambda m, b: _patch(b, "word/document.xml", flags=1),
    "encrypted_flag_styles": lambda m, b: _patch(b, "word/styles.xml", flags=1),
    "encrypted_flag_strong": lambda m, b: _patch(b, "word/document.xml", flags=0x41),
    "utf8_flag_on_ascii": lambda m, b: _patch(b, "word/document.xml", flags=0x800),
    "crc_wrong": lambda m, b: _patch(b, "word/document.xml", crc=0xDEADBEEF),
    "usize_4gb": lambda m, b: _patch(b, "word/document.xml", "central", usize=0xFFFFFFFF),
    "usize_zero": lambda m, b: _patch(b, "word/document.xml", "central", usize=0),
    "usize_too_small": lambda m, b: _patch(b, "word/document.xml", "central", usize=100),
    "usize_too_big": lambda m, b: _patch(b, "word/document.xml", "central", usize=60_000),
    "csize_4gb": lambda m, b: _patch(b, "word/document.xml", "central", csize=0xFFFFFFFF),
    "csize_zero": lambda m, b: _patch(b, "word/document.xml", "central", csize=0),
    "csize_and_usize_max_local": lambda m, b: _patch(b, "word/document.xml", "local", csize=0xFFFFFFFF,
                                                     usize=0xFFFFFFFF),
    "header_offset_past_end": lambda m, b: _patch(b, "word/document.xml", "central", offset=0xFFFFFF00),
    "header_offset_zero": lambda m, b: _patch(b, "word/document.xml", "central", offset=0),
    "header_offset_into_data": lambda m, b: _patch(b, "word/document.xml", "central", offset=37),
    "eocd_entries_zero": lambda m, b: _patch_eocd(b, entries=0, disk_entries=0),
    "eocd_entries_max": lambda m, b: _patch_eocd(b, entries=0xFFFF, disk_entries=0xFFFF),
    "eocd_cd_offset_zero": lambda m, b: _patch_eocd(b, cd_offset=0),
    "eocd_cd_offset_huge": lambda m, b: _patch_eocd(b, cd_offset=0xFFFFFFF0),
    "eocd_cd_size_zero": lambda m, b: _patch_eocd(b, cd_size=0),
    "eocd_cd_size_huge": lambda m, b: _patch_eocd(b, cd_size=0x7FFFFFFF),
    "eocd_comment_len_lies": lambda m, b: _patch_eocd(b, comment_len=0xFFFF),
    "archive_comment_64k": lambda m, b: b[:-2] + struct.pack("<H", 0xFFFF) + b"\x00" * 0xFFFF,
    "cd_signature_broken": lambda m, b: b.replace(b"PK\x01\x02", b"PK\x01\x03", 1),
    "local_signature_broken": lambda m, b: b.replace(b"PK\x03\x04", b"PK\x03\x05"),
    "zip64_honest_eocd": lambda m, b: _zip64_eocd(b),
    "zip64_entries_2e63": lambda m, b: _zip64_eocd(b, entries=2**63),
    "zip64_cd_size_huge": lambda m, b: _zip64_eocd(b, cd_size=2**64 - 1),
    "zip64_cd_offset_huge": lambda m, b: _zip64_eocd(b, cd_offset=2**63),
    "zip64_locator_to_garbage": lambda m, b: _zip64_eocd(b)[:-98] + b"\x00" * 56 + _zip64_eocd(b)[-42:],
    "zip64_member_forced": lambda m, b: _zip64_member(m),
    "names_parent_dirs": lambda m, b: _zip({"../" * 5 + k: v for k, v in m.items()}),
    "names_absolute": lambda m, b: _zip({"/" + k: v for k, v in m.items()}),
    "names_backslashes": lambda m, b: _zip({k.replace("/", "\\"): v for k, v in m.items()}),
    "names_drive_letter": lambda m, b: _zip({"C:/" + k: v for k, v in m.items()}),
    "name_with_nul": lambda m, b: _zip({**_without(m, "word/document.xml"),
                                        "word/document.xml\x00.exe": m["word/document.xml"]}),
    "rels_main_parent_dir": lambda m, b: _zip({**_without(m, "word/document.xml"),
                                               "../../word/document.xml": m["word/document.xml"],
                                               "_rels/.rels": _rels("../../word/document.xml")}),
    "entries_5000": lambda m, b: _zip([*m.items(), *((f"junk/{i}.xml", b"<a/>") for i in range(5000))]),
    "entries_20001": lambda m, b: _zip([*m.items(), *((f"j/{i}", b"") for i in range(20001))], zipfile.ZIP_STORED),
    "directory_entries_only": lambda m, b: _zip({"word/": b"", "word/document.xml/": b"", "_rels/": b""}),
    "zip_of_the_docx": lambda m, b: _zip({"assignment.docx": b}),
    "zip_of_zip_of_zip": lambda m, b: _zip({"a.zip": _zip({"b.zip": _zip({"c.docx": b})})}),
    "docx_stored_not_deflated": lambda m, b: _zip(m, zipfile.ZIP_STORED),
    "docx_bzip2": lambda m, b: _zip(m, zipfile.ZIP_BZIP2),
    "docx_lzma": lambda m, b: _zip(m, zipfile.ZIP_LZMA),
    "junk_prepended_to_zip": lambda m, b: b"MZ" + b"\x00" * 1000 + b,
    "junk_appended_to_zip": lambda m, b: b + _random(7, 5000),
    "two_zips_concatenated": lambda m, b: b + b,
    "eocd_only": lambda m, b: b"PK\x05\x06" + b"\x00" * 18,
    "eocd_truncated": lambda m, b: b"PK\x05\x06\x00\x00",
    "local_magic_only": lambda m, b: b"PK\x03\x04",
    "local_magic_then_random": lambda m, b: _random(3, 4000, b"PK\x03\x04"),
    "eocd_magic_then_random": lambda m, b: _random(4, 4000, b"PK\x05\x06"),
    # -- encodings and XML oddities in document.xml -----------------------------------------------------
    "utf16_honest": lambda m, b: _zip(_replace(m, doc=m["word/document.xml"].decode("utf-8").replace(
        "UTF-8", "UTF-16").encode("utf-16"))),
    "utf16_declared_utf8_bytes": lambda m, b: _zip(_replace(m, doc=m["word/document.xml"].replace(
        b"UTF-8", b"UTF-16"))),
    "utf16_bytes_declared_utf8": lambda m, b: _zip(_replace(m, doc=m["word/document.xml"].decode(
        "utf-8").encode("utf-16-le"))),
    "utf32_bom": lambda m, b: _zip(_replace(m, doc=m["word/document.xml"].decode("utf-8").replace(
        "UTF-8", "UTF-32").encode("utf-32"))),
    "latin1_bytes_undeclared": lambda m, b: _zip(_replace(m, doc=_doc(SECTION + _p(b"caf\xe9 r\xe9sum\xe9")))),
    "latin1_declared": lambda m, b: _zip(_replace(m, doc=_doc(SECTION + _p(b"caf\xe9")).replace(
        b"UTF-8", b"ISO-8859-1"))),
    "encoding_unknown": lambda m, b: _zip(_replace(m, doc=_doc(SECTION).replace(b"UTF-8", b"x-klingon"))),
    "encoding_ebcdic": lambda m, b: _zip(_replace(m, doc=_doc(SECTION).replace(b"UTF-8", b"EBCDIC-US"))),
    "nul_byte_in_text": lambda m, b: _zip(_replace(m, doc=_doc(SECTION + _p(b"nul \x00 here")))),
    "control_char_in_text": lambda m, b: _zip(_replace(m, doc=_doc(SECTION + _p(b"bell \x07 and \x1b esc")))),
    "char_ref_nul": lambda m, b: _zip(_replace(m, doc=_doc(SECTION + _p(b"nul &#0; here")))),
    "char_ref_surrogate": lambda m, b: _zip(_replace(m, doc=_doc(SECTION + _p(b"half &#xD800; here")))),
    "char_ref_noncharacter": lambda m, b: _zip(_replace(m, doc=_doc(SECTION + _p(b"&#xFFFE;&#x10FFFF;")))),
    "overlong_utf8": lambda m, b: _zip(_replace(m, doc=_doc(SECTION + _p(b"\xc0\xaf\xe0\x80\xaf")))),
    "bidi_and_zero_width": lambda m, b: _zip(_replace(m, doc=_doc(SECTION + _p(
        "\u202e\u200b\ufeff\u2028\u2029 rapport \U0001f600".encode()) * 3))),
    "unmapped_entity": lambda m, b: _zip(_replace(m, doc=_doc(SECTION + _p(b"&nbsp; &copy;")))),
    "document_empty": lambda m, b: _zip(_replace(m, doc=b"")),
    "document_bom_only": lambda m, b: _zip(_replace(m, doc=b"\xef\xbb\xbf")),
    "document_whitespace": lambda m, b: _zip(_replace(m, doc=b" \n\t" * 100)),
    "document_decl_only": lambda m, b: _zip(_replace(m, doc=b'<?xml version="1.0"?>')),
    "document_two_roots": lambda m, b: _zip(_replace(m, doc=_doc(SECTION) + _doc(SECTION))),
    "document_not_w_root": lambda m, b: _zip(_replace(m, doc=b"<html><body><p>hello</p></body></html>")),
    "document_w_bound_elsewhere": lambda m, b: _zip(_replace(m, doc=_doc(SECTION, b'xmlns:w="urn:evil"'))),
    "document_unbound_prefix": lambda m, b: _zip(_replace(m, doc=_doc(SECTION, b""))),
    "document_no_body": lambda m, b: _zip(_replace(m, doc=b"<w:document " + W + b"/>")),
    "document_body_only_sectpr": lambda m, b: _zip(_replace(m, doc=_doc(b"<w:sectPr><w:pgSz/></w:sectPr>"))),
    "document_two_bodies": lambda m, b: _zip(_replace(m, doc=_doc(SECTION).replace(
        b"</w:body>", b"</w:body><w:body>" + SECTION + b"</w:body>"))),
    "unknown_namespaces_everywhere": lambda m, b: _zip(_replace(m, doc=_doc(
        b'<x:p xmlns:x="urn:x"><x:r><x:t>alien</x:t></x:r></x:p>' + SECTION +
        b'<w:p><y:wrap xmlns:y="urn:y"><w:r><w:t>wrapped</w:t></w:r></y:wrap></w:p>' +
        b'<w:p><w:r><w:t xmlns:w="urn:other">shadowed</w:t></w:r></w:p>'))),
    "processing_instructions_and_comments": lambda m, b: _zip(_replace(m, doc=_doc(
        b"<?pi data?><!-- c --><w:p><?x?><w:r><!-- c --><w:t>a<!-- c -->b</w:t></w:r></w:p>" + SECTION))),
    "cdata_text": lambda m, b: _zip(_replace(m, doc=_doc(SECTION + _p(b"<![CDATA[<w:p> rapport ]]>")))),
    "xml_version_1_1": lambda m, b: _zip(_replace(m, doc=_doc(SECTION).replace(b'version="1.0"', b'version="1.1"'))),
    "attribute_1mb": lambda m, b: _zip(_replace(m, doc=_doc(
        b'<w:p><w:pPr><w:pStyle w:val="' + b"H" * 2**20 + b'"/></w:pPr><w:r><w:t>x</w:t></w:r></w:p>'))),
    "many_attributes": lambda m, b: _zip(_replace(m, doc=_doc(
        b"<w:p " + b" ".join(b'a%d="1"' % i for i in range(20000)) + b"><w:r><w:t>x</w:t></w:r></w:p>"))),
    "text_node_11mb": lambda m, b: _zip(_replace(m, doc=_doc(SECTION + _p(_text(random.Random(5), 100_000) * 15)))),
    "nested_tables_50": lambda m, b: _zip(_replace(m, doc=_doc(SECTION + _nested(
        b"<w:tbl><w:tr><w:tc>", b"</w:tc></w:tr></w:tbl>", 50, _p(b"deep rapport"))))),
    "nested_tables_80": lambda m, b: _zip(_replace(m, doc=_doc(SECTION + _nested(
        b"<w:tbl><w:tr><w:tc>", b"</w:tc></w:tr></w:tbl>", 80, _p(b"deepest legal"))))),
    "nested_sdt_120": lambda m, b: _zip(_replace(m, doc=_doc(SECTION + _nested(
        b"<w:sdt><w:sdtContent>", b"</w:sdtContent></w:sdt>", 120, _p(b"inside"))))),
    "nested_customxml_250": lambda m, b: _zip(_replace(m, doc=_doc(SECTION + _nested(
        b"<w:customXml>", b"</w:customXml>", 250, _p(b"inside"))))),
    "nested_alternate_content_120": lambda m, b: _zip(_replace(m, doc=_doc(SECTION + _nested(
        b"<mc:AlternateContent><mc:Choice>", b"</mc:Choice></mc:AlternateContent>", 120, _p(b"inside"))))),
    "nested_text_boxes": lambda m, b: _zip(_replace(m, doc=_doc(SECTION + _nested(
        b"<w:p><w:r><w:txbxContent>", b"</w:txbxContent></w:r></w:p>", 60, _p(b"in a box"))))),
    "rows_and_cells_in_sdt_without_content": lambda m, b: _zip(_replace(m, doc=_doc(SECTION +
        b"<w:tbl><w:sdt><w:sdtPr/></w:sdt><w:tr><w:sdt/><w:tc>" + _p(b"cell") + b"</w:tc></w:tr></w:tbl>"))),
    "table_huge_gridspan": lambda m, b: _zip(_replace(m, doc=_doc(SECTION +
        b'<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="99999999999999999999"/><w:vMerge/></w:tcPr>' +
        _p(b"a") + b'</w:tc><w:tc><w:tcPr><w:gridSpan w:val="-7"/></w:tcPr>' + _p(b"b") +
        b"</w:tc></w:tr></w:tbl>"))),
    "table_without_rows_or_cells": lambda m, b: _zip(_replace(m, doc=_doc(
        SECTION + b"<w:tbl/><w:tbl><w:tr/></w:tbl><w:tc>" + _p(b"stray cell") + b"</w:tc>"))),
    # -- fields, content controls, markup compatibility ----------------------------------------------
    "fldchar_end_without_begin": lambda m, b: _zip(_replace(m, doc=_doc(
        SECTION + b'<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>after</w:t></w:r></w:p>' * 50))),
    "fldchar_begin_without_end": lambda m, b: _zip(_replace(m, doc=_doc(
        b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r></w:p>'
        + m["word/document.xml"].split(b"<w:body>")[1].split(b"</w:body>")[0]))),
    "fldchar_10000_begins": lambda m, b: _zip(_replace(m, doc=_doc(SECTION + b"<w:p>" + (
        b'<w:r><w:fldChar w:fldCharType="begin"/><w:instrText> TOC \\o </w:instrText></w:r>' * 10000) + b"</w:p>"))),
    "fldchar_unknown_type": lambda m, b: _zip(_replace(m, doc=_doc(
        SECTION + b'<w:p><w:r><w:fldChar/><w:fldChar w:fldCharType="??"/><w:t>x</w:t></w:r></w:p>'))),
    "instrtext_without_field": lambda m, b: _zip(_replace(m, doc=_doc(
        SECTION + b"<w:p><w:r><w:instrText>PAGE</w:instrText><w:t>text</w:t></w:r></w:p>"))),
    "sdt_without_content": lambda m, b: _zip(_replace(m, doc=_doc(
        SECTION + b"<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery/></w:docPartObj></w:sdtPr></w:sdt>" * 5))),
    "sdt_content_without_pr": lambda m, b: _zip(_replace(m, doc=_doc(
        SECTION + b"<w:sdt><w:sdtContent>" + _p(b"answer") + b"</w:sdtContent></w:sdt>"))),
    "sdt_gallery_without_val": lambda m, b: _zip(_replace(m, doc=_doc(SECTION + (
        b"<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery/></w:docPartObj></w:sdtPr><w:sdtContent>"
        + _p(b"answer") + b"</w:sdtContent></w:sdt>")))),
    "alternate_content_without_choice": lambda m, b: _zip(_replace(m, doc=_doc(SECTION + (
        b"<mc:AlternateContent/><mc:AlternateContent><mc:Fallback>" + _p(b"fallback") +
        b"</mc:Fallback></mc:AlternateContent>")))),
    "alternate_content_in_run": lambda m, b: _zip(_replace(m, doc=_doc(SECTION + (
        b"<w:p><w:r><mc:AlternateContent><mc:Choice><w:t>choice</w:t></mc:Choice></mc:AlternateContent></w:r>"
        b"</w:p>")))),
    "del_ins_movefrom_everywhere": lambda m, b: _zip(_replace(m, doc=_doc(
        b"<w:del>" + SECTION + b"</w:del><w:ins><w:del><w:ins>" + _p(b"x") + b"</w:ins></w:del></w:ins>" +
        b"<w:moveTo><w:moveFrom>" + _p(b"y") + b"</w:moveFrom></w:moveTo>"))),
    "run_without_text_and_empty_t": lambda m, b: _zip(_replace(m, doc=_doc(
        SECTION + b"<w:p><w:r/><w:r><w:t/></w:r><w:r><w:t></w:t><w:br/><w:sym/><w:tab/></w:r></w:p>"))),
    "bold_values_odd": lambda m, b: _zip(_replace(m, doc=_doc(SECTION + (
        b'<w:p><w:r><w:rPr><w:b w:val=""/></w:rPr><w:t>a</w:t></w:r><w:r><w:rPr><w:b w:val="maybe"/></w:rPr>'
        b"<w:t>b</w:t></w:r></w:p>")))),
    "outline_levels_odd": lambda m, b: _zip(_replace(m, doc=_doc(SECTION + b"".join(
        _p(b"level " + v, ppr=b'<w:outlineLvl w:val="' + v + b'"/>') for v in
        (b"-1", b"9", b"99999999999999999999999", b"x", b"", b"8", b"0"))))),
    # -- numbering.xml --------------------------------------------------------------------------------
    "numbering_garbage_bytes": lambda m, b: _zip(_replace(m, num=_random(11, 3000))),
    "numbering_empty_file": lambda m, b: _zip(_replace(m, num=b"")),
    "numbering_wrong_root": lambda m, b: _zip(_replace(m, num=b"<html/>")),
    "numbering_missing_abstract": lambda m, b: _zip(_replace(m, doc=_doc(_numbered(b"one") * 3), num=_numbering(
        _lvl(), b'<w:num w:numId="1"><w:abstractNumId w:val="42"/></w:num><w:num w:numId="2"/>'))),
    "numbering_style_link_cycle": lambda m, b: _zip(_replace(
        m, doc=_doc(_numbered(b"one") + _numbered(b"two", b"2")),
        num=_numbering(b'<w:numStyleLink w:val="L1"/>', b'<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
                       b'<w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num>'),
        styles=_styles(_style(b"L1", b"List A", b"L2", b'<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr>')
                       + _style(b"L2", b"List B", b"L1", b'<w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr>')))),
    "numbering_lvltext_percent9_at_level0": lambda m, b: _zip(_replace(m, doc=_doc(_numbered(b"one") * 3),
                                                                       num=_numbering(_lvl(text=b"%9.%0.%%1%")))),
    "numbering_lvltext_all_levels": lambda m, b: _zip(_replace(m, doc=_doc(_numbered(b"deep", ilvl=b"8") * 3),
                                                               num=_numbering(_lvl(b"8", text=ALL_LEVELS)))),
    "numbering_start_decimal_huge": lambda m, b: _zip(_replace(m, doc=_doc(_numbered(b"one") * 3),
                                                               num=_numbering(_lvl(start=b"9" * 4000)))),
    "numbering_start_decimal_2e64": lambda m, b: _zip(_replace(m, doc=_doc(_numbered(b"one") * 3),
                                                               num=_numbering(_lvl(start=str(2**64).encode(),
                                                                                   fmt=b"decimalZero")))),
    "numbering_start_negative": lambda m, b: _zip(_replace(m, doc=_doc(_numbered(b"one") * 3), num=_numbering(
        _lvl(start=b"-1000", fmt=b"lowerRoman") + _lvl(b"1", b"-5", b"upperLetter", b"%1.%2")))),
    "numbering_start_roman_1e15": lambda m, b: _zip(_replace(m, doc=_doc(_numbered(b"one")),
                                                             num=_numbering(_lvl(start=b"1" + b"0" * 15,
                                                                                 fmt=b"lowerRoman")))),
    "numbering_start_letter_1e13": lambda m, b: _zip(_replace(m, doc=_doc(_numbered(b"one")),
                                                              num=_numbering(_lvl(start=b"1" + b"0" * 13,
                                                                                  fmt=b"lowerLetter")))),
    "numbering_start_override_roman_1e15": lambda m, b: _zip(_replace(
        m, doc=_doc(_numbered(b"one")), num=_numbering(_lvl(fmt=b"upperRoman"), (
            b'<w:num w:numId="1"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0">'
            b'<w:startOverride w:val="1000000000000000"/></w:lvlOverride></w:num>')))),
    "numbering_negative_and_huge_ilvl": lambda m, b: _zip(_replace(
        m, doc=_doc(_numbered(b"neg", ilvl=b"-1") + _numbered(b"huge", ilvl=b"99999999999999999999") +
                    _numbered(b"text", ilvl=b"x")),
        num=_numbering(_lvl(b"-1") + _lvl(b"999") + _lvl(b"x"), (
            b'<w:num w:numId="1"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="-3"><w:startOverride '
            b'w:val="5"/></w:lvlOverride><w:lvlOverride w:ilvl="99"><w:startOverride w:val="x"/></w:lvlOverride>'
            b"</w:num>")))),
    "numbering_10000_definitions": lambda m, b: _zip(_replace(m, doc=_doc(b"".join(
        _numbered(b"item", str(i).encode()) for i in range(0, 10000, 7))), num=b"<w:numbering " + W + b">" + b"".join(
        b'<w:abstractNum w:abstractNumId="%d">%s</w:abstractNum><w:num w:numId="%d"><w:abstractNumId w:val="%d"/>'
        b"</w:num>" % (i, _lvl(), i, i) for i in range(10000)) + b"</w:numbering>")),
    # -- styles.xml -----------------------------------------------------------------------------------
    "styles_garbage_bytes": lambda m, b: _zip(_replace(m, styles=_random(12, 3000))),
    "styles_empty_file": lambda m, b: _zip(_replace(m, styles=b"")),
    "styles_based_on_self": lambda m, b: _zip(_replace(m, doc=_doc(_p(b"x", b"A") + SECTION), styles=_styles(
        _style(b"A", b"heading 1", b"A") + _style(b"Heading2", b"heading 2", b"Heading2")))),
    "styles_based_on_cycle": lambda m, b: _zip(_replace(m, doc=_doc(_p(b"x", b"A") + _p(b"y", b"C") + SECTION),
                                                        styles=_styles(_style(b"A", b"a", b"B") +
                                                                       _style(b"B", b"b", b"C") +
                                                                       _style(b"C", b"c", b"A")))),
    "styles_chain_5000": lambda m, b: _zip(_replace(m, doc=_doc(_p(b"x", b"S4999") + SECTION), styles=_styles(
        b"".join(_style(b"S%d" % i, b"s%d" % i, b"S%d" % (i - 1) if i else None) for i in range(5000))))),
    "styles_default_cycle_no_ids": lambda m, b: _zip(_replace(m, doc=_doc(_p(b"plain") + SECTION), styles=_styles(
        b'<w:style w:type="paragraph" w:default="1"><w:basedOn w:val=""/></w:style><w:style/><w:style>'
        b"<w:name/></w:style>"))),
    "styles_duplicate_ids": lambda m, b: _zip(_replace(m, doc=_doc(SECTION), styles=_styles(
        _style(b"Heading2", b"heading 2") + _style(b"Heading2", b"Normal") + _style(b"Heading2", b"heading 9")))),
    # -- relationships and content types --------------------------------------------------------------
    "rels_target_missing": lambda m, b: _zip(_replace(m, rels=_rels("word/nothere.xml"))),
    "rels_target_etc_passwd": lambda m, b: _zip(_replace(m, rels=_rels("../../etc/passwd"))),
    "rels_target_absolute": lambda m, b: _zip(_replace(m, rels=_rels("/etc/passwd"))),
    "rels_target_file_url": lambda m, b: _zip(_replace(m, rels=_rels("file:///etc/passwd"))),
    "rels_target_external": lambda m, b: _zip(_replace(m, rels=_rels("http://example.invalid/d.xml",
                                                                     ' TargetMode="External"'))),
    "rels_target_styles": lambda m, b: _zip(_replace(m, rels=_rels("word/styles.xml"))),
    "rels_target_jpeg": lambda m, b: _zip(_replace(m, rels=_rels("docProps/thumbnail.jpeg"))),
    "rels_target_itself": lambda m, b: _zip(_replace(m, rels=_rels("_rels/.rels"))),
    "rels_target_directory": lambda m, b: _zip({**_replace(m, rels=_rels("word/")), "word/": b""}),
    "rels_target_empty": lambda m, b: _zip(_replace(m, rels=_rels(""))),
    "rels_target_elsewhere_no_styles": lambda m, b: _zip({**_without(_replace(m, rels=_rels("main.xml")),
                                                                     "word/document.xml"),
                                                          "main.xml": m["word/document.xml"]}),
    "rels_target_with_newline": lambda m, b: _zip({**_replace(m, rels=_rels("word/evil&#10;second line.xml")),
                                                   "word/evil\nsecond line.xml": b"not xml"}),
    "rels_garbage_bytes": lambda m, b: _zip(_replace(m, rels=_random(13, 500))),
    "rels_empty_file": lambda m, b: _zip(_replace(m, rels=b"")),
    "rels_missing": lambda m, b: _zip(_without(m, "_rels/.rels")),
    "rels_10000": lambda m, b: _zip(_replace(m, rels=_rels("word/document.xml").replace(b"</Relationships>", b"".join(
        b'<Relationship Id="r%d" Type="x" Target="y%d"/>' % (i, i) for i in range(10000)) + b"</Relationships>"))),
    "rels_non_element_children": lambda m, b: _zip(_replace(m, rels=_rels("word/document.xml").replace(
        b"<Relationship ", b"<?pi x?>text<Relationship "))),
    "content_types_lie": lambda m, b: _zip(_replace(m, types=m["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"image/png"))),
    "content_types_garbage": lambda m, b: _zip(_replace(m, types=_random(14, 800))),
    "content_types_missing": lambda m, b: _zip(_without(m, "[Content_Types].xml")),
    "member_name_with_newline_bomb_check": lambda m, b: _zip({**m, "word/evil\nsecond line.xml": b"\x00" * 2_000_000}),
    # -- not a docx at all ----------------------------------------------------------------------------
    "jpeg": lambda m, b: m["docProps/thumbnail.jpeg"],
    "png": lambda m, b: b"\x89PNG\r\n\x1a\n" + _random(15, 2000),
    "gzip": lambda m, b: b"\x1f\x8b\x08\x00" + _random(16, 2000),
    "seven_zip": lambda m, b: b"7z\xbc\xaf\x27\x1c" + _random(17, 2000),
    "elf": lambda m, b: b"\x7fELF\x02\x01\x01" + _random(18, 2000),
    "utf16_xml_file": lambda m, b: '<?xml version="1.0" encoding="UTF-16"?><w:document/>'.encode("utf-16"),
    "bom_then_html": lambda m, b: b"\xef\xbb\xbf  <HTML><body>essay</body></HTML>",
    "ole_empty": lambda m, b: _ole(),
    "ole_header_only": lambda m, b: _ole(size=512),
    "ole_magic_only": lambda m, b: _ole(size=8),
    "ole_sector_shift_huge": lambda m, b: _ole(sector_shift=60),
    "ole_sector_shift_zero": lambda m, b: _ole(sector_shift=0),
    "ole_dir_sector_huge": lambda m, b: _ole()[:48] + b"\xff\xff\xff\xff" + _ole()[52:],
    "ole_random_body": lambda m, b: _ole(size=512) + _random(19, 8192),
    "random_1": lambda m, b: _random(1, 1),
    "random_100": lambda m, b: _random(100, 100),
    "random_64k": lambda m, b: _random(64, 65536),
    "nul_bytes": lambda m, b: b"\x00" * 4096,
}

# Crashes this suite found, all fixed in checker/: kept as cases above. Add a "BUG: ..." entry here
# (the case becomes a strict xfail) when a new one is found and not yet fixed.
BUGS: dict[str, str] = {}
SHORT_DEADLINE = {"numbering_start_roman_1e15": 1.5, "numbering_start_override_roman_1e15": 1.5}


@pytest.fixture(scope="module")
def base(built) -> tuple[dict[str, bytes], bytes]:
    raw = (built / "layouts" / "headings_full.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}, raw


def _params(names):
    return [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=BUGS[n])) if n in BUGS else n
            for n in names]


@pytest.mark.parametrize("name", _params(CASES))
def test_hostile_case_reads_or_refuses_in_one_line(name, base, pack, tmp_path, capsys):
    members, raw = base
    path = tmp_path / f"{name}.docx"
    path.write_bytes(CASES[name](dict(members), raw))
    _assert_clean(path, pack, SHORT_DEADLINE.get(name, DEADLINE))
    _assert_cli_clean(path, capsys, SHORT_DEADLINE.get(name, DEADLINE))


# Cases whose outcome is fixed, not just "clean": what a reader must still find, or must refuse.
MUST_READ = ["dup_document_garbage_first", "zip64_honest_eocd", "zip64_member_forced", "utf16_honest",
             "latin1_declared", "docx_stored_not_deflated", "docx_bzip2", "docx_lzma", "junk_appended_to_zip",
             "nested_tables_50", "nested_tables_80", "nested_sdt_120", "nested_customxml_250", "styles_based_on_self",
             "styles_based_on_cycle", "styles_chain_5000", "numbering_missing_abstract", "numbering_start_negative",
             "numbering_lvltext_percent9_at_level0", "numbering_negative_and_huge_ilvl", "rels_target_missing",
             "rels_target_etc_passwd", "rels_target_absolute", "rels_missing", "content_types_lie",
             "content_types_missing", "entries_5000", "fldchar_end_without_begin", "sdt_without_content",
             "alternate_content_without_choice", "rels_target_elsewhere_no_styles"]
MUST_REFUSE = ["dup_document_garbage_last", "encrypted_flag_document", "crc_wrong", "usize_4gb", "entries_20001",
               "names_parent_dirs", "names_absolute", "zip_of_the_docx", "zip_of_zip_of_zip", "method_aes_99",
               "stored_declared_but_deflated", "deflated_declared_but_stored", "encoding_unknown",
               "control_char_in_text", "char_ref_nul", "document_empty", "text_node_11mb", "numbering_garbage_bytes",
               "styles_garbage_bytes", "rels_garbage_bytes", "jpeg", "ole_empty", "random_64k", "eocd_only"]


@pytest.mark.parametrize("name", MUST_READ)
def test_odd_but_legal_input_is_read(name, base, tmp_path):
    members, raw = base
    path = tmp_path / f"{name}.docx"
    path.write_bytes(CASES[name](dict(members), raw))
    with deadline(DEADLINE):
        read(path)


@pytest.mark.parametrize("name", MUST_REFUSE)
def test_broken_input_is_refused(name, base, tmp_path):
    members, raw = base
    path = tmp_path / f"{name}.docx"
    path.write_bytes(CASES[name](dict(members), raw))
    with deadline(DEADLINE), pytest.raises(CheckerError) as info:
        read(path)
    _one_line(str(info.value), path)


def test_nested_content_is_not_lost(base, tmp_path):
    members, raw = base
    for name, needle in (("nested_tables_80", "deepest legal"), ("nested_sdt_120", "inside"),
                         ("nested_customxml_250", "inside"), ("nested_alternate_content_120", "inside"),
                         ("nested_text_boxes", "in a box")):
        path = tmp_path / f"{name}.docx"
        path.write_bytes(CASES[name](dict(members), raw))
        assert any(needle in b.text for b in read(path).blocks), name


def test_the_main_part_never_leaves_the_zip(base, tmp_path):
    """A _rels/.rels pointing outside the package must not read the file system."""
    members, raw = base
    for name in ("rels_target_etc_passwd", "rels_target_absolute", "rels_target_file_url"):
        path = tmp_path / f"{name}.docx"
        path.write_bytes(CASES[name](dict(members), raw))
        assert not any("root:" in b.text for b in read(path).blocks)


# --- byte-level fuzzing of a real .docx ----------------------------------------------------------------


def _flip(raw: bytes, seed: int, lo: int = 0, hi: int | None = None) -> bytes:
    rng = random.Random(seed)
    data = bytearray(raw)
    hi = len(data) if hi is None else hi
    for _ in range(rng.choice((1, 1, 2, 4, 8, 32))):
        i = rng.randrange(lo, hi)
        data[i] = rng.choice((data[i] ^ (1 << rng.randrange(8)), rng.randrange(256), 0x00, 0xFF))
    return bytes(data)


def _fuzz(mutants: list[bytes], tmp_path: Path, pack, capsys, cli_every: int = 10) -> dict[str, int]:
    outcomes: dict[str, int] = {}
    failures = []
    for i, data in enumerate(mutants):
        path = tmp_path / f"mutant{i:03d}.docx"
        path.write_bytes(data)
        try:
            outcome = _assert_clean(path, pack)
            if i % cli_every == 0:
                _assert_cli_clean(path, capsys)
        except (AssertionError, Exception, Hang) as e:  # collect all, then fail once with every seed listed
            failures.append(f"mutant {i}: {e.__class__.__name__}: {e}"[:300])
            continue
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        path.unlink()
    assert not failures, "\n".join(failures)
    return outcomes


def test_200_random_byte_flips_of_a_real_docx(base, pack, tmp_path, capsys):
    _members, raw = base
    outcomes = _fuzz([_flip(raw, seed) for seed in range(200)], tmp_path, pack, capsys)
    assert sum(outcomes.values()) == 200


def test_byte_flips_in_the_central_directory_and_eocd(base, pack, tmp_path, capsys):
    _members, raw = base
    cd = struct.unpack_from("<I", raw, raw.rfind(b"PK\x05\x06") + 16)[0]
    _fuzz([_flip(raw, 1000 + seed, cd) for seed in range(100)], tmp_path, pack, capsys)


def test_byte_flips_in_the_document_part_and_its_headers(base, pack, tmp_path, capsys):
    _members, raw = base
    local, central = _headers(raw)[0]["word/document.xml"]
    csize = struct.unpack_from("<I", raw, central + 20)[0]
    _fuzz([_flip(raw, 2000 + seed, local, local + 30 + 17 + csize) for seed in range(60)], tmp_path, pack, capsys)


def test_truncation_at_many_offsets(base, pack, tmp_path, capsys):
    _members, raw = base
    eocd = raw.rfind(b"PK\x05\x06")
    cd = struct.unpack_from("<I", raw, eocd + 16)[0]
    cuts = sorted({*range(1, len(raw), len(raw) // 40), *range(cd - 3, cd + 50), *range(eocd - 2, len(raw))})
    _fuzz([raw[:n] for n in cuts], tmp_path, pack, capsys)


# XML-level fuzzing: the package stays a good zip, the document/numbering/styles parts stay well-formed
# but their trees are shuffled (subtrees dropped, duplicated, moved, attribute values made odd).
ODD_VALUES = ("", "-1", "0", "9", "99999999999999999999", "x", "%9", "restart", "begin", "end", "Heading1",
              "heading 1", "1", "2", "true", "off", "TOC \\o", "PAGE", "contents")


def _shuffle_tree(data: bytes, rng: random.Random, ops: int) -> bytes:
    root = etree.fromstring(data)
    for _ in range(ops):
        nodes = list(root.iter(etree.Element))[1:]
        if not nodes:
            break
        node = rng.choice(nodes)
        op = rng.randrange(4)
        parent = node.getparent()
        if op == 0 and parent is not None:
            parent.remove(node)
        elif op == 1 and parent is not None:
            parent.insert(parent.index(node), etree.fromstring(etree.tostring(node)))
        elif op == 2 and parent is not None:
            target = rng.choice(nodes)
            if target is not node and node not in target.iterancestors() and len(list(target.iterancestors())) < 60:
                parent.remove(node)
                target.append(node)
        elif node.attrib:
            key = rng.choice(list(node.attrib))
            node.set(key, rng.choice(ODD_VALUES))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def test_shuffled_xml_trees(base, built, pack, tmp_path, capsys):
    mutants = []
    for i, layout in enumerate(("numbering_only", "tracked_changes", "textboxes_fields", "content_controls",
                                "headings_full")):
        with zipfile.ZipFile(built / "layouts" / f"{layout}.docx") as zf:
            members = {n: zf.read(n) for n in zf.namelist()}
        for seed in range(12):
            rng = random.Random(10_000 * i + seed)
            m = dict(members)
            for part in ("word/document.xml", "word/numbering.xml", "word/styles.xml"):
                if part in m and (part == "word/document.xml" or rng.random() < 0.5):
                    m[part] = _shuffle_tree(m[part], rng, rng.choice((1, 5, 20, 80)))
            mutants.append(_zip(m))
    _fuzz(mutants, tmp_path, pack, capsys)


def test_text_flips_in_document_xml(base, pack, tmp_path, capsys):
    """Flip bytes of the XML text itself and re-zip honestly, so the parser (not the CRC) meets them."""
    members, _raw = base
    mutants = []
    for seed in range(60):
        rng = random.Random(3000 + seed)
        doc = bytearray(members["word/document.xml"])
        for _ in range(rng.choice((1, 3, 10))):
            doc[rng.randrange(len(doc))] = rng.choice(b"<>&;\"'/=:\x01\xff\xc3 #x")  # NUL: nul_byte_in_text
        mutants.append(_zip({**members, "word/document.xml": bytes(doc)}))
    _fuzz(mutants, tmp_path, pack, capsys, cli_every=20)


# --- size and time -----------------------------------------------------------------------------------


def _timed(label: str, path: Path, pack) -> float:
    start = time.perf_counter()
    with deadline(60):
        doc = read(path)
        read_s = time.perf_counter() - start
        check(path, pack)
    total = time.perf_counter() - start
    print(f"\n{label}: {len(doc.blocks)} blocks, read {read_s:.2f} s, read+check {total:.2f} s")
    return total


def test_100k_paragraphs_finish(base, pack, tmp_path):
    """100,000 short paragraphs in 100 sections (a heading every 1,000): report the time, allow plenty."""
    members, _raw = base
    rng = random.Random(9)
    body = b"".join((_p(b"1.%d Topic %d" % (i // 1000 % 9 + 1, i), b"Heading2") if i % 1000 == 0 else b"") +
                    _p(_text(rng, 6)) for i in range(100_000))
    path = tmp_path / "p100k.docx"
    path.write_bytes(_zip({**members, "word/document.xml": _doc(body)}))
    assert _timed("100k paragraphs", path, pack) < 45


def test_a_few_mb_in_one_run(base, pack, tmp_path):
    """One run of ~2.3 MB (random words, compresses ~3x honestly) under an answer heading."""
    members, _raw = base
    doc = members["word/document.xml"].replace(b"</w:body>", _p(_text(random.Random(6), 300_000)) + b"</w:body>")
    path = tmp_path / "longrun.docx"
    path.write_bytes(_zip({**members, "word/document.xml": doc}))
    _assert_clean(path, pack, 30)


def test_label_anchors_scale_linearly(base, pack, tmp_path):
    """'AC 1.x: ...' lines with no heading above them: 8x the lines should cost about 8x, not 64x."""
    members, _raw = base

    def timed(n: int) -> float:
        body = b"".join(_p(b"AC 1.%d: rapport answer %d." % (i % 9 + 1, i)) for i in range(n))
        path = tmp_path / f"labels{n}.docx"
        path.write_bytes(_zip({**members, "word/document.xml": _doc(body)}))
        doc = read(path)
        from checker.sections import locate

        start = time.perf_counter()
        with deadline(30):
            locate(doc, pack)
        return time.perf_counter() - start

    # the smaller run is large enough to time (about 30 ms) and the larger is taken at its best of two, so a
    # loaded machine does not pass for quadratic growth (which would be 64x)
    small, large = timed(2000), min(timed(16000), timed(16000))
    print(f"\nlabels: 2000 -> {small:.3f} s, 16000 -> {large:.3f} s")
    assert large < 20 * max(small, 0.02)


# --- the file system ---------------------------------------------------------------------------------

_CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from checker.errors import CheckerError
from checker.reader import read
try:
    read(sys.argv[1])
except CheckerError as e:
    print(e, file=sys.stderr)
    sys.exit(2)
"""


def _isolated_read(path: Path, seconds: float = 20) -> subprocess.CompletedProcess:
    """read() in a child limited to 1 GB of address space, so a runaway read cannot hurt the test run."""
    try:
        return subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True,
                              timeout=seconds)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{path}: read() still running after {seconds} s (hang)")


def _assert_isolated_clean(path: Path) -> None:
    proc = _isolated_read(path)
    assert proc.returncode in (0, 2), proc.stderr[-800:]
    assert "Traceback" not in proc.stderr, proc.stderr[-800:]
    for line in proc.stderr.splitlines():
        _one_line(line, path)


def test_symlink_to_dev_zero(tmp_path):
    path = tmp_path / "zero.docx"
    path.symlink_to("/dev/zero")
    _assert_isolated_clean(path)


def test_fifo_named_docx(tmp_path):
    path = tmp_path / "pipe.docx"
    os.mkfifo(path)
    with deadline(1.5):
        _read_or_refuse(path)


def test_folder_and_missing_file_and_dangling_symlink(tmp_path, pack, capsys):
    folder = tmp_path / "folder.docx"
    folder.mkdir()
    dangling = tmp_path / "dangling.docx"
    dangling.symlink_to(tmp_path / "nowhere.docx")
    for path in (folder, tmp_path / "missing.docx", dangling):
        assert _read_or_refuse(path) == "refused"
        assert _check_or_refuse(path, pack) == "refused"
        assert _assert_cli_clean(path, capsys) == 2


def test_a_batch_of_hostile_files_reports_each_on_one_line(base, tmp_path, capsys):
    members, raw = base
    names = ["jpeg", "crc_wrong", "utf16_honest", "encrypted_flag_document", "zip_of_the_docx", "ole_empty"]
    paths = []
    for name in names:
        path = tmp_path / f"{name}.docx"
        path.write_bytes(CASES[name](dict(members), raw))
        paths.append(str(path))
    with deadline(DEADLINE):
        code = main(["check", *paths, "--format", "json"])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert len(err) == len(names) - 1, err  # utf16_honest is read; every other file gives exactly one line
    for line, path in zip(err, [p for p in paths if "utf16_honest" not in p], strict=True):
        assert path in line
