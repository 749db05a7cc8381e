"""Hostile input found by probing the command line as a hostile user (each case failed before its fix):
parts that hide a DOCTYPE in UTF-16, YAML packs that expand or refer to themselves, specifications that made
`pack draft` hang, crash or overwrite its input, configs of the wrong type, and outputs that were not
reproducible. The rule for each: a result, or one line naming the file and the reason with exit code 2."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from checker.cli import main
from checker.errors import CheckerError
from checker.packs import load_pack
from checker.reader import read

from .deadline import deadline

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XXE = '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY a "aaaa">]>'
TOY = Path(__file__).parent / "data" / "toy.yaml"


def _one_line_error(capsys, path: Path | str, code: int) -> str:
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1, err
    assert str(path) in err, err
    return err


def _docx(tmp_path: Path, name: str, **parts: bytes) -> Path:
    members = {
        "[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "word/document.xml": (f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>1.1 Rapport and trust'
                              "</w:t></w:r></w:p></w:body></w:document>").encode(),
    }
    members.update({k.replace("__", "/").replace("_xml", ".xml"): v for k, v in parts.items()})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for k, v in members.items():
            zf.writestr(k, v)
    path = tmp_path / name
    path.write_bytes(buf.getvalue())
    return path


def _utf16(xml: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-16"?>' + xml).encode("utf-16")


# --- a DOCTYPE that the byte test cannot see ---------------------------------------------------------------

UTF16_DOCTYPES = {
    "document": {"word__document_xml": _utf16(
        XXE + f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&x;&a;</w:t></w:r></w:p></w:body></w:document>')},
    "styles": {"word__styles_xml": _utf16(XXE + f'<w:styles xmlns:w="{W_NS}"/>')},
    "numbering": {"word__numbering_xml": _utf16(XXE + f'<w:numbering xmlns:w="{W_NS}"/>')},
    "rels": {"_rels__.rels": _utf16(
        XXE + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>')},
}


@pytest.mark.parametrize("part", UTF16_DOCTYPES)
def test_a_doctype_in_a_utf16_part_is_refused_like_one_in_utf8(part, tmp_path, capsys):
    parts = dict(UTF16_DOCTYPES[part])
    if part == "rels":
        parts = {"_rels/.rels": parts.pop("_rels__.rels")}
        path = tmp_path / "rels.docx"
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("word/document.xml", f'<w:document xmlns:w="{W_NS}"><w:body/></w:document>')
            zf.writestr("_rels/.rels", parts["_rels/.rels"])
        path.write_bytes(buf.getvalue())
    else:
        path = _docx(tmp_path, f"{part}.docx", **parts)
    with pytest.raises(CheckerError, match="DOCTYPE"):
        read(path)
    err = _one_line_error(capsys, path, main(["check", str(path), "--format", "json"]))
    assert "DOCTYPE" in err


def test_a_utf16_document_without_a_doctype_is_still_read(tmp_path):
    doc = _utf16(f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>Rapport matters</w:t></w:r></w:p>'
                 "</w:body></w:document>")
    assert [b.text for b in read(_docx(tmp_path, "u16.docx", word__document_xml=doc)).blocks] == ["Rapport matters"]


# --- hostile rule packs ------------------------------------------------------------------------------------


def _alias_bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


HOSTILE_PACKS = {
    "alias_bomb.yaml": (_alias_bomb(), "expand to over"),
    "alias_bomb_inside_a_pack.yaml": (TOY.read_text(encoding="utf-8") + "bomb:\n"
                                      + "".join(f"  {line}\n" for line in _alias_bomb().splitlines()),
                                      "expand to over"),
    "recursive_sequence.yaml": ("schema: checker.pack/1\nid: toy\nx: &a [*a]\n", "contains it"),
    "recursive_mapping.yaml": ("schema: checker.pack/1\nid: toy\nx: &a {y: *a}\n", "contains it"),
    "duplicate_key.yaml": (TOY.read_text(encoding="utf-8") + "id: other\n", "appears twice"),
}


@pytest.mark.parametrize("name", HOSTILE_PACKS)
def test_a_hostile_pack_is_one_line_and_exit_2(name, tmp_path, capsys):
    text, reason = HOSTILE_PACKS[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with deadline(20):
        code = main(["pack", "validate", str(path)])
    assert reason in _one_line_error(capsys, path, code)


def test_a_duplicate_key_names_both_lines(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text(TOY.read_text(encoding="utf-8") + "id: other\n", encoding="utf-8")
    with pytest.raises(CheckerError) as info:
        load_pack(path)
    last = len(path.read_text(encoding="utf-8").splitlines())
    assert info.value.line == last and "first on line 3" in info.value.reason


def test_a_pack_not_in_utf8_names_the_line(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"schema: checker.pack/1\nid: caf\xe9\n")
    with pytest.raises(CheckerError) as info:
        load_pack(path)
    assert info.value.line == 2 and "not UTF-8" in info.value.reason and "0xe9" in info.value.reason


def test_anchors_that_real_packs_use_still_load():
    assert load_pack("ml25").criteria and load_pack("btec-it-u7").criteria  # both share lexicons by alias


# --- hostile specifications for `pack draft` ---------------------------------------------------------------


def _pdf_with_flate_bomb() -> bytes:
    import zlib

    stream = zlib.compress(b"BT /F1 12 Tf 72 700 Td (" + b"a" * 200_000_000 + b") Tj ET", 9)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)


def test_a_pdf_decompression_bomb_is_one_line(tmp_path, capsys):
    path = tmp_path / "bomb.pdf"
    path.write_bytes(_pdf_with_flate_bomb())
    with deadline(30):
        code = main(["pack", "draft", str(path)])
    assert "cannot read PDF" in _one_line_error(capsys, path, code)


def test_nested_html_tables_are_read_once_per_level(tmp_path, capsys):
    """Every table read all its descendants' rows, and each nested table was read again from its cell: the
    work doubled per level (3,000 levels never finished)."""
    from checker.draft.read import read_spec

    inner = "<table><tr><td>1.1 Describe the purpose of team meetings</td></tr></table>"
    html = "<html><body>" + "<table><tr><td>" * 40 + inner + "</td></tr></table>" * 40 + "</body></html>"
    path = tmp_path / "nested.html"
    path.write_text(html, encoding="utf-8")
    with deadline(20):
        lines = read_spec(path).lines
    assert lines.count("1.1 Describe the purpose of team meetings") == 1


def test_a_criterion_thousands_of_words_long_drafts_in_linear_time(tmp_path, capsys):
    path = tmp_path / "long.txt"
    path.write_text("Learning outcome 1: Understand meetings\n1.1 Describe " + "the purpose and " * 40_000 + "\n",
                    encoding="utf-8")
    with deadline(60):  # 160,000 words: hours with the quadratic scan, seconds without
        assert main(["pack", "draft", str(path)]) == 0


def test_a_utf16_text_specification_is_read(tmp_path, capsys):
    path = tmp_path / "notepad.txt"
    path.write_bytes("Learning outcome 1: Understand meetings\n1.1 Describe the purpose of meetings\n"
                     .encode("utf-16"))
    assert main(["pack", "draft", str(path)]) == 0
    assert "Describe the purpose of meetings" in capsys.readouterr().out


def test_pack_draft_never_overwrites_its_specification(tmp_path, capsys):
    path = tmp_path / "unit.txt"
    text = "Learning outcome 1: Understand meetings\n1.1 Describe the purpose of meetings\n"
    path.write_text(text, encoding="utf-8")
    for target in (path, tmp_path / "." / "unit.txt"):
        _one_line_error(capsys, target, main(["pack", "draft", str(path), "-o", str(target)]))
        assert path.read_text(encoding="utf-8") == text


# --- the command line: settings and outputs ------------------------------------------------------------------

BAD_SETTINGS = ['jobs = "abc"', "jobs = -4", "jobs = 1e9", "jobs = 100000000", 'formats = "html"',
                'formats = ["pdf"]', 'pack = ["a"]']


@pytest.mark.parametrize("setting", BAD_SETTINGS)
def test_a_config_value_of_the_wrong_type_is_one_line(setting, built, tmp_path, capsys, monkeypatch):
    (tmp_path / "checker.toml").write_text(setting + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    sub = built / "submissions" / "clean_headings.docx"
    with deadline(30):
        code = main(["batch", str(sub), "--out", str(tmp_path / "out"), "--no-progress"])
    _one_line_error(capsys, tmp_path / "checker.toml", code)


@pytest.mark.parametrize("jobs", ["0", "-3", "abc", "100000"])
def test_bad_jobs_are_a_usage_error(jobs, built, tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["batch", str(built / "submissions" / "clean_headings.docx"), "--out", str(tmp_path), "--jobs", jobs])
    assert info.value.code == 2 and "--jobs" in capsys.readouterr().err


def test_annotate_and_output_may_not_be_the_same_file(built, tmp_path, capsys):
    out = tmp_path / "both.docx"
    code = main(["check", str(built / "submissions" / "clean_headings.docx"), "-o", str(out), "--annotate",
                 str(tmp_path / "." / "both.docx")])
    _one_line_error(capsys, tmp_path / "." / "both.docx", code)
    assert not out.exists()


def test_the_annotated_copy_is_byte_for_byte_reproducible(built, tmp_path, monkeypatch):
    import time

    sub = built / "submissions" / "clean_headings.docx"
    copies = []
    for n, tz in enumerate(("UTC", "Asia/Kathmandu")):
        monkeypatch.setenv("TZ", tz)
        time.tzset()
        copies.append(tmp_path / f"a{n}.docx")
        assert main(["check", str(sub), "--annotate", str(copies[-1]), "--format", "json"]) in (0, 1)
        time.sleep(1.1)  # zip times have 2-second steps: cross at least one
    monkeypatch.delenv("TZ")
    time.tzset()
    assert copies[0].read_bytes() == copies[1].read_bytes()
    with zipfile.ZipFile(copies[0]) as zf:
        assert b"w:date=" not in zf.read("word/comments.xml")


def test_report_names_carry_no_control_characters(built, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "amy\nrm -rf.docx").write_bytes((built / "submissions" / "clean_headings.docx").read_bytes())
    out = tmp_path / "out"
    main(["batch", str(folder), "--out", str(out), "--no-progress", "--jobs", "1", "--format", "json"])
    reports = [p.name for p in out.iterdir() if p.suffix == ".json" and not p.name.startswith("summary")]
    assert len(reports) == 1 and reports[0].startswith("amy_rm -rf-") and "\n" not in reports[0]


def test_a_zip_behind_a_prefix_is_named_as_such(tmp_path, capsys):
    """A self-extracting archive (an .exe stub, then the zip) was called "not a zip package"."""
    path = _docx(tmp_path, "inner.docx")
    path.write_bytes(b"MZ" + bytes(5000) + path.read_bytes())
    err = _one_line_error(capsys, path, main(["check", str(path)]))
    assert "self-extracting" in err
