"""Reports from real .docx fixtures: self-contained escaped HTML, JUnit, markdown and the annotated copy."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest

from checker.cli import main
from checker.engine import check
from checker.errors import CheckerError
from checker.report import STATUS_LABEL, render
from checker.report.annotate import annotate
from checker.result import Finding, Located, Result

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REFERRAL = re.compile(r"\b(refer|referral|referred|fail|failed|fails)\b", re.I)
VOID = {"meta", "br", "img", "hr", "input", "link", "col", "area", "base", "wbr", "source", "track", "embed"}


@pytest.fixture(scope="module")
def table_gaps(built: Path, pack) -> tuple[Path, Result]:  # noqa: ANN001 - pack fixture
    path = built / "submissions" / "gap_04_fe_college_table.docx"
    return path, check(path, pack)


@pytest.fixture(scope="module")
def heading_gaps(built: Path, pack) -> tuple[Path, Result]:  # noqa: ANN001
    path = built / "submissions" / "gap_01_nhs_ward_manager.docx"
    return path, check(path, pack)


def text_of(el: ET.Element) -> str:
    return " ".join("".join(el.itertext()).split())


def norm(s: str) -> str:
    return " ".join(s.split())


class Balance(HTMLParser):
    """Checks that every non-void tag is closed in order (html.parser does not)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        pass  # <br /> and friends: nothing to close

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


# --- HTML ---------------------------------------------------------------------------------------------------


def test_html_has_every_criterion_with_its_label(table_gaps) -> None:  # noqa: ANN001
    _, result = table_gaps
    assert result.summary["gap"] >= 1 and result.summary["missing"] >= 1  # the fixture really has gaps
    html = render([result], "html")
    root = ET.fromstring(html)  # well-formed: parses as XML
    balance = Balance()
    balance.feed(html)
    assert balance.errors == [] and balance.stack == []
    assert root.tag == "html" and root.get("lang", "").startswith("en")
    rows = root.findall(".//table/tbody/tr")
    assert [text_of(r.find("th")) for r in rows] == [c.id for c in result.criteria]
    for row, c in zip(rows, result.criteria, strict=True):
        assert row.find("th").get("scope") == "row"
        badge = row.find(".//span[@class='badge " + c.status + "']")
        assert badge is not None and text_of(badge) == STATUS_LABEL[c.status]
    headers = [text_of(th) for th in root.findall(".//table/thead/tr/th")]
    assert headers[:2] == ["AC", "Status"] and all(th.get("scope") == "col" for th in root.findall(".//thead//th"))
    s = result.summary
    assert f"{s['met']} of {s['criteria']} criteria met" in text_of(root)
    meta = text_of(root.find(".//dl"))
    assert "gap_04_fe_college_table.docx" in meta and result.sha256[:12] in meta and str(result.words) in meta
    assert result.pack["title"] in meta


def test_html_gives_reasons_evidence_and_location_for_gaps(table_gaps) -> None:  # noqa: ANN001
    _, result = table_gaps
    root = ET.fromstring(render([result], "html"))
    articles = {a.get("id"): a for a in root.iter("article")}
    gaps = [c for c in result.criteria if c.status != "met"]
    assert gaps
    for c in gaps:  # each article's id is its criterion's anchor
        art = articles[f"ac-{c.id}"]
        body = text_of(art)
        assert STATUS_LABEL[c.status] in body
        quotes = [text_of(q) for q in art.iter("blockquote")]
        for f in c.findings:
            assert norm(f.message) in body
            assert all(norm(e) in quotes for e in f.evidence if e)
        if c.section:
            assert norm(c.section.heading)[:60] in body and str(c.section.words) in body
        if c.items:
            assert all(item in body for item in c.items)
    doc_level = text_of(root)
    assert all(norm(f.message) in doc_level for f in result.findings)


def test_html_is_self_contained(table_gaps, heading_gaps) -> None:  # noqa: ANN001
    html = render([table_gaps[1], heading_gaps[1]], "html")
    root = ET.fromstring(html)
    assert "http://" not in html and "https://" not in html and "url(" not in html and "@import" not in html
    assert root.find(".//script") is None and root.find(".//link") is None and root.find(".//img") is None
    assert all(el.get("src") is None for el in root.iter())
    assert all(el.get("href").startswith("#") for el in root.iter() if el.get("href") is not None)
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    assert all(el.get("href")[1:] in ids for el in root.iter("a"))  # in-page links all resolve
    sections = root.findall(".//section")
    assert len(sections) == 2 and "gap_01_nhs_ward_manager.docx" in text_of(sections[1].find("h2"))
    assert root.find(".//style") is not None and "@media print" in root.find(".//style").text


def test_html_for_learner_says_what_to_add_without_referral_language(table_gaps) -> None:  # noqa: ANN001
    _, result = table_gaps
    learner = render([result], "html", audience="learner")
    assessor = render([result], "html", audience="assessor")
    assert "What to add" in learner and "What to add" not in assessor
    ours = ET.fromstring(learner)
    for parent in ours.iter():  # the learner's own quoted words may say anything; ours must not refer
        for child in [c for c in parent if c.tag in ("q", "blockquote")]:
            parent.remove(child)
    assert REFERRAL.search(text_of(ours)) is None
    advice = [f.advice for c in result.criteria for f in c.findings if f.advice and f.severity == "gap"]
    assert advice and all(norm(a) in text_of(ET.fromstring(learner)) for a in advice)
    assert "verb-not-met" not in learner and "verb-not-met" in assessor  # codes are for assessors


def test_html_escapes_the_learners_words(table_gaps) -> None:  # noqa: ANN001
    _, real = table_gaps
    nasty = '<script>alert("x")</script> & <b>bold</b>'
    gap = next(c for c in real.criteria if c.status == "gap")
    crafted = dataclasses.replace(gap, section=Located(nasty, "heading", 40, nasty, nasty),
                                  findings=[Finding("too-short", "gap", "short", (nasty,))])
    result = dataclasses.replace(real, path="/tmp/<img src=x>.docx", criteria=[crafted])
    html = render([result], "html")
    assert "<script" not in html and "<b>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&amp; &lt;b&gt;" in html
    root = ET.fromstring(html)
    assert root.find(".//script") is None and root.find(".//b") is None
    assert nasty in [text_of(q) for q in root.iter("blockquote")]


def test_html_unreadable_file_says_so(tmp_path: Path, pack, table_gaps) -> None:  # noqa: ANN001
    bad = tmp_path / "essay.docx"
    bad.write_bytes(b"This is not a Word document at all.")
    unreadable = check(bad, pack)
    assert unreadable.errors
    root = ET.fromstring(render([unreadable, table_gaps[1]], "html"))
    first, second = root.findall(".//section")
    alert = first.find(".//div[@role='alert']")
    assert alert is not None and "could not be read" in text_of(alert)
    assert norm(unreadable.errors[0].message) in text_of(alert)
    assert first.find(".//table") is None and second.find(".//table") is not None


# --- JUnit and markdown ----------------------------------------------------------------------------------------


def test_junit_counts_match_statuses(table_gaps, heading_gaps) -> None:  # noqa: ANN001
    results = [table_gaps[1], heading_gaps[1]]
    root = ET.fromstring(render(results, "junit").encode())
    suites = root.findall("testsuite")
    assert len(suites) == 2
    for suite, r in zip(suites, results, strict=True):
        s = r.summary
        assert int(suite.get("tests")) == s["criteria"] == len(suite.findall("testcase"))
        assert int(suite.get("failures")) == s["gap"] + s["missing"] > 0
        for case, c in zip(suite.findall("testcase"), r.criteria, strict=True):
            assert case.get("name").startswith(c.id + " ")
            assert (case.find("failure") is not None) == (c.status != "met")
    assert int(root.get("failures")) == sum(r.summary["gap"] + r.summary["missing"] for r in results)


def test_markdown_has_a_row_per_criterion(table_gaps) -> None:  # noqa: ANN001
    _, result = table_gaps
    md = render([result], "markdown")
    rows = [line for line in md.splitlines() if re.match(r"^\| \d+\.\d+ \|", line)]
    assert len(rows) == len(result.criteria)
    for line, c in zip(rows, result.criteria, strict=True):
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
        assert len(cells) == 5 and cells[0] == c.id and cells[1] == f"**{STATUS_LABEL[c.status]}**"


def test_markdown_keeps_learner_text_inside_its_cell(table_gaps) -> None:  # noqa: ANN001
    _, real = table_gaps
    c = dataclasses.replace(real.criteria[0], section=Located("a | b <i>x</i>", "label", 9, "a", "a"))
    md = render([dataclasses.replace(real, criteria=[c])], "markdown")
    row = next(line for line in md.splitlines() if line.startswith(f"| {c.id} |"))
    assert len(re.split(r"(?<!\\)\|", row)) == 7 and "<i>" not in row and "a \\| b" in row


# --- annotated copy ---------------------------------------------------------------------------------------------


def paragraph_texts(path: Path) -> list[str]:
    body = docx.Document(str(path)).element.body
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]


def anchored_paragraph(path: Path, comment_id: int) -> str:
    for p in docx.Document(str(path)).element.body.iter(f"{W}p"):
        if any(m.get(f"{W}id") == str(comment_id) for m in p.iter(f"{W}commentRangeStart")):
            return norm("".join(t.text or "" for t in p.iter(f"{W}t")))
    raise AssertionError(f"comment {comment_id} is not anchored in the body")


@pytest.mark.parametrize("which", ["table_gaps", "heading_gaps"])
def test_annotate_comments_each_flagged_answer(which: str, request, tmp_path: Path) -> None:  # noqa: ANN001
    source, result = request.getfixturevalue(which)
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    stat = source.stat()
    out = tmp_path / "annotated.docx"
    n = annotate(result, source, out, "assessor")
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before == result.sha256
    assert source.stat().st_mtime_ns == stat.st_mtime_ns
    commented = [c for c in result.criteria if c.section]  # flagged: what to add; met: why, in their words
    flagged = [c for c in commented if any(f.severity in ("gap", "warning") for f in c.findings)]
    missing = [c for c in result.criteria if c.status == "missing"]
    assert flagged and missing
    comments = list(docx.Document(str(out)).comments)
    assert n == len(comments) == len(commented) + 1
    assert {c.author for c in comments} == {"checker"}
    top, rest = comments[0], comments[1:]
    assert all(c.id in top.text for c in missing)
    assert all(f.message in top.text for f in result.findings)
    first_text = next(t for t in paragraph_texts(source) if t.strip())
    assert anchored_paragraph(out, top.comment_id) == norm(first_text)
    for comment, c in zip(rest, commented, strict=True):
        if c in flagged:
            assert all(f.message in comment.text for f in c.findings if f.severity in ("gap", "warning"))
        else:
            assert "Why met" in comment.text and c.evidence[0].quote[:40] in " ".join(comment.text.split())
        assert anchored_paragraph(out, comment.comment_id) == norm(c.section.heading)
    assert paragraph_texts(out) == paragraph_texts(source)  # the learner's text is untouched


def test_annotate_for_learner_uses_advice(table_gaps, tmp_path: Path) -> None:  # noqa: ANN001
    source, result = table_gaps
    out = tmp_path / "for-learner.docx"
    annotate(result, source, out, "learner")
    text = "\n".join(c.text for c in docx.Document(str(out)).comments)
    advice = [f.advice for c in result.criteria if c.section for f in c.findings if f.advice and f.severity == "gap"]
    assert advice and all(a in text for a in advice)
    ours = re.sub(r"“[^”]*”", "", text)  # the learner's own quoted words may say anything; ours must not refer
    assert REFERRAL.search(ours) is None


def test_annotate_refuses_to_overwrite_the_submission(table_gaps, tmp_path: Path) -> None:  # noqa: ANN001
    source, result = table_gaps
    copy = tmp_path / "copy.docx"
    copy.write_bytes(source.read_bytes())
    for target in (copy, tmp_path / "." / "copy.docx"):
        with pytest.raises(CheckerError, match="must not overwrite"):
            annotate(result, copy, target, "assessor")
    assert copy.read_bytes() == source.read_bytes()


def test_annotate_refuses_a_changed_file(table_gaps, built: Path, tmp_path: Path) -> None:  # noqa: ANN001
    _, result = table_gaps
    other = built / "submissions" / "clean_table.docx"
    with pytest.raises(CheckerError, match="changed since it was checked"):
        annotate(result, other, tmp_path / "x.docx", "assessor")
    assert not (tmp_path / "x.docx").exists()


def test_cli_annotate_and_html(table_gaps, tmp_path: Path) -> None:  # noqa: ANN001
    source, result = table_gaps
    out, report = tmp_path / "commented.docx", tmp_path / "report.html"
    code = main(["check", str(source), "--format", "html", "-o", str(report), "--annotate", str(out)])
    assert code == 1
    assert len(docx.Document(str(out)).comments) > 0
    assert ET.parse(report).getroot().tag == "html"
    assert main(["check", str(source), "--annotate", str(source)]) == 2
    assert hashlib.sha256(source.read_bytes()).hexdigest() == result.sha256
