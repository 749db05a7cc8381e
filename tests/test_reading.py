"""Reading and sectioning: every layout and trap in fixtures/layouts and fixtures/external, the real-world
corpus, and the bad inputs of docx-reading.md."""

from __future__ import annotations

import io
import json
import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest
import yaml

from checker.cli import main
from checker.errors import CheckerError
from checker.reader import read
from checker.sections import locate

from .conftest import CORPUS, FIXTURES

LAYOUTS = sorted((FIXTURES / "layouts").glob("*.yaml"))
EXTERNAL = sorted((FIXTURES / "external").glob("*.docx"))


def _expectations(source: Path) -> dict:
    sidecar = source.with_suffix("").with_suffix(".expect.yaml")
    data = yaml.safe_load((sidecar if sidecar.exists() else source).read_text(encoding="utf-8"))
    return data.get("expect", data)


def _assert_sections(docx: Path, expect: dict, pack) -> None:
    found = locate(read(docx), pack)
    for cid, want in expect.items():
        if cid == "unassigned_words":
            assert sum(b.words for b in found.unassigned) == want, [b.text for b in found.unassigned]
            continue
        sec = found.sections.get(cid)
        if want.get("status") == "missing":
            assert sec is None, f"{cid} should be missing, found {sec and sec.heading!r}"
            continue
        assert sec is not None, f"{cid} not found"
        assert sec.located_by == want["located_by"], (cid, sec.heading)
        assert sec.words == want["words"], (cid, sec.heading, sec.text)
    extra = set(found.sections) - set(expect)
    assert not extra, f"located criteria the fixture does not answer: {sorted(extra)}"


@pytest.mark.parametrize("source", LAYOUTS, ids=[p.stem for p in LAYOUTS])
def test_layout_sections(source, built, pack):
    _assert_sections(built / "layouts" / f"{source.stem}.docx", _expectations(source), pack)


@pytest.mark.parametrize("docx", EXTERNAL, ids=[p.stem for p in EXTERNAL])
def test_documents_written_by_pandoc_and_libreoffice(docx, pack):
    source = next(p for p in docx.parent.iterdir() if p.stem == docx.stem and p.suffix != ".docx"
                  and not p.name.endswith(".expect.yaml"))
    _assert_sections(docx, _expectations(source), pack)


def _visible(markup: str) -> str:
    """What Word shows with changes accepted: insertions and moves kept, deletions gone."""
    text = re.sub(r"\[-.+?-\]|\[<.+?>\]", "", markup)
    text = re.sub(r"\[\+(.+?)\+\]|\[>(.+?)<\]", lambda m: m.group(1) or m.group(2), text)
    return " ".join(text.replace("*", "").split())


def test_tracked_changes_keep_insertions_and_drop_deletions(built):
    source = yaml.safe_load((FIXTURES / "layouts" / "tracked_changes.yaml").read_text(encoding="utf-8"))
    marked = [b["p"] for b in source["body"] if isinstance(b.get("p"), str) and re.search(r"\[[-+<>]", b["p"])]
    assert len(marked) >= 3
    texts = [b.text for b in read(built / "layouts" / "tracked_changes.docx").blocks]
    for markup in marked:
        visible = _visible(markup)
        if visible:
            assert visible in texts, markup
        else:  # a wholly deleted paragraph leaves nothing behind
            assert not any(re.sub(r"[-\[\]]", "", markup)[:40] in t for t in texts)


def test_text_box_read_once_and_placeholder_is_empty(built, pack):
    doc = read(built / "layouts" / "textboxes_fields.docx")
    text = "\n".join(b.text for b in doc.blocks)
    assert text.count("Rapport makes people comfortable sharing information") == 1
    assert "assessor" not in text.lower() or "comment" not in text.lower()
    controls = read(built / "layouts" / "content_controls.docx")
    assert not any("Click or tap here" in b.text for b in controls.blocks)


def test_heading_numbers_come_from_numbering_xml(built):
    doc = read(built / "layouts" / "numbering_only.docx")
    labels = [b.label for b in doc.blocks if b.level]
    assert "1.1" in labels and "2.1" in labels
    assert not any(re.match(r"\d\.\d", b.text) for b in doc.blocks if b.level)


def test_sections_command_shows_how_each_answer_was_found(built, capsys):
    assert main(["sections", str(built / "layouts" / "noise.docx"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    by_id = {c["id"]: c for c in data["criteria"]}
    assert by_id["1.1"]["found"] and by_id["1.1"]["located_by"] == "heading"
    assert data["ignored_words"]["contents"] > 0 and data["ignored_words"]["references"] > 0
    assert main(["sections", str(built / "layouts" / "intro_unassigned.docx")]) == 0
    out = capsys.readouterr().out
    assert "Not claimed by any criterion: 74 words" in out


# --- the real-world corpus --------------------------------------------------------------------------


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/realworld is not here")
def test_every_real_world_document_reads_or_fails_cleanly(pack):
    files = sorted(CORPUS.rglob("*.docx"))
    assert len(files) > 200
    read_ok = 0
    for path in files:
        try:
            doc = read(path)
        except CheckerError as e:
            assert str(path) in str(e) and "\n" not in str(e)
            continue
        locate(doc, pack)
        read_ok += 1
    assert read_ok >= len(files) - 5


# --- bad input --------------------------------------------------------------------------------------


def _zip(members: dict[str, bytes], level: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", level) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _docx_with(document_xml: bytes, built: Path) -> bytes:
    """A real built .docx with its document.xml replaced."""
    src = zipfile.ZipFile(built / "layouts" / "headings_full.docx")
    members = {n: src.read(n) for n in src.namelist()}
    members["word/document.xml"] = document_xml
    return _zip(members)


W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
          b'<w:document ' + W + b'><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>')
EXTERNAL_ENTITY = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                   b'<w:document ' + W + b'><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>')
DEEP = b"<w:document " + W + b"><w:body>" + b"<w:tbl><w:tr><w:tc>" * 3000 + b"</w:tc></w:tr></w:tbl>" * 3000


def _ole(*streams: str) -> bytes:
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[30:32] = (9).to_bytes(2, "little")
    body = b"".join(s.encode("utf-16-le") + b"\0" * 40 for s in streams)
    return bytes(header) + body + b"\0" * 1024


BAD_INPUTS = {
    "empty.docx": (lambda b: b"", "empty file"),
    "truncated.docx": (lambda b: (b / "layouts" / "headings_full.docx").read_bytes()[:3000], "truncated"),
    "emptyzip.docx": (lambda b: _zip({}), "empty zip"),
    "nodocument.docx": (lambda b: _zip({"[Content_Types].xml": b"<Types/>", "hello.txt": b"hi"}),
                        "without word/document.xml"),
    "bomb.docx": (lambda b: _zip({"[Content_Types].xml": b"<Types/>",
                                  "word/document.xml": b"<" + b" " * (300 * 2**20)}), "zip bomb"),
    "laughs.docx": (lambda b: _docx_with(LAUGHS, b), "DOCTYPE"),
    "xxe.docx": (lambda b: _docx_with(EXTERNAL_ENTITY, b), "DOCTYPE"),
    "deep.docx": (lambda b: _docx_with(DEEP, b), "nested too deeply"),
    "encrypted.docx": (lambda b: _ole("EncryptionInfo", "EncryptedPackage"), "password-protected"),
    "legacy.docx": (lambda b: _ole("WordDocument", "1Table"), "legacy Word 97-2003"),
    "report.docx": (lambda b: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
    "letter.docx": (lambda b: b"{\\rtf1\\ansi\\deff0 {\\fonttbl}}", "RTF"),
    "essay.docx": (lambda b: _zip({"mimetype": b"application/vnd.oasis.opendocument.text",
                                   "content.xml": b"<office:document-content/>"}), "OpenDocument"),
    "notes.docx": (lambda b: b"plain text notes, not a document", "not a Word document"),
}


@pytest.fixture(scope="module")
def bad_files(built, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bad")
    out = {}
    for name, (make, _reason) in BAD_INPUTS.items():
        path = folder / name
        path.write_bytes(make(built))
        out[name] = path
    return out


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_is_one_line_and_exit_2(name, bad_files, capsys):
    path = bad_files[name]
    before = path.read_bytes()
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert str(path) in err[0] and BAD_INPUTS[name][1] in err[0], err[0]
    assert "XML_PARSE" not in err[0] and "<string>" not in err[0]  # no library wording reaches a user
    assert path.read_bytes() == before  # opened read-only, never changed


def test_zip_bomb_is_refused_without_inflating_it(bad_files):
    tracemalloc.start()
    with pytest.raises(CheckerError, match="zip bomb"):
        read(bad_files["bomb.docx"])
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20 * 2**20  # the part would inflate to 300 MB


def test_a_batch_of_files_goes_on_past_a_bad_one(bad_files, built, capsys):
    good = built / "submissions" / "clean_headings.docx"
    code = main(["check", str(bad_files["report.docx"]), str(good), "--format", "json"])
    assert code == 2
    data = json.loads(capsys.readouterr().out)
    assert data[0]["errors"][0]["code"] == "unreadable" and data[0]["criteria"] == []
    assert data[1]["summary"]["criteria"] == 16 and data[1]["errors"] == []


def test_macro_enabled_and_template_files_are_read_and_macros_noted(built, tmp_path):
    src = zipfile.ZipFile(built / "layouts" / "headings_full.docx")
    members = {n: src.read(n) for n in src.namelist()}
    members["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 not run"
    docm = tmp_path / "with-macros.docm"
    docm.write_bytes(_zip(members))
    doc = read(docm)
    assert doc.blocks and any("macros" in n for n in doc.notes)


def test_strict_ooxml_is_read(built, tmp_path):
    src = zipfile.ZipFile(built / "layouts" / "headings_full.docx")
    members = {n: src.read(n) for n in src.namelist()}
    for name in ("word/document.xml", "word/styles.xml"):
        members[name] = members[name].replace(
            b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
            b"http://purl.oclc.org/ooxml/wordprocessingml/main")
    strict = tmp_path / "strict.docx"
    strict.write_bytes(_zip(members))
    normal = read(built / "layouts" / "headings_full.docx")
    assert [b.text for b in read(strict).blocks] == [b.text for b in normal.blocks]


def test_what_the_reader_cannot_read_is_noted_not_dropped(built, tmp_path):
    """An embedded document (altChunk) and an equation are not read: the result says so."""
    m = b'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'
    xml = (b"<w:document " + W + b" " + m + b"><w:body><w:p><w:r><w:t>My answer.</w:t></w:r></w:p>"
           b'<w:altChunk xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="x"/>'
           b"<w:p><m:oMath><m:r><m:t>E=mc2</m:t></m:r></m:oMath></w:p></w:body></w:document>")
    path = tmp_path / "unread.docx"
    path.write_bytes(_docx_with(xml, built))
    notes = read(path).notes
    assert any("altChunk" in n for n in notes) and any("Office Math" in n for n in notes)
    assert not [n for n in read(built / "layouts" / "headings_full.docx").notes if "not read" in n]
