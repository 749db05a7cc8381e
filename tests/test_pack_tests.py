"""Every shipped pack has pack tests (rules/tests/<id>/), and they pass; `checker pack test` reports a
mismatch as a diff and exit code 1."""

from __future__ import annotations

import io
import shutil

import pytest

from checker.cli import main
from checker.errors import CheckerError
from checker.packs import builtin_ids, load_pack, rules_dir
from checker.packtest import run_pack_tests
from checker.result import supported_grade

SHIPPED = ["ml25", "othm-ohs-u2", "othm-ohs-u3", "btec-it-u7", "cg-2357-311"]


@pytest.mark.parametrize("pack_id", SHIPPED)
def test_shipped_pack_has_tests_and_they_pass(pack_id):
    assert pack_id in builtin_ids()
    assert list((rules_dir() / "tests" / pack_id).glob("*.yaml"))
    out = io.StringIO()
    assert run_pack_tests(pack_id, out=out) == 0, out.getvalue()


def test_a_mismatch_is_a_diff_and_exit_1(tmp_path, capsys):
    src = rules_dir() / "tests" / "othm-ohs-u3" / "answers-and-gaps.yaml"
    text = src.read_text(encoding="utf-8").replace('"1.3": met', '"1.3": {status: gap, codes: [too-short]}')
    (tmp_path / "t.yaml").write_text(text, encoding="utf-8")
    assert main(["pack", "test", "othm-ohs-u3", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "FAIL t.yaml" in out and "1.3: - gap ['too-short']" in out and "+ met []" in out


def test_an_item_count_that_differs_is_a_diff(tmp_path, capsys):
    src = rules_dir() / "tests" / "ml25" / "choices-deferred-and-abbreviated.yaml"
    text = src.read_text(encoding="utf-8").replace('"2.3": {status: met, items: 1}', '"2.3": {status: met, items: 2}')
    assert '"2.3": {status: met, items: 2}' in text
    (tmp_path / "t.yaml").write_text(text, encoding="utf-8")
    assert main(["pack", "test", "ml25", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "2.3: - met 2 items" in out and "+ met [] 1 items ['ABC']" in out


@pytest.mark.parametrize("items", ["two", "true", "1.5"])
def test_an_item_count_is_a_whole_number(tmp_path, capsys, items):
    src = rules_dir() / "tests" / "ml25" / "choices-deferred-and-abbreviated.yaml"
    text = src.read_text(encoding="utf-8").replace('"2.3": {status: met, items: 1}',
                                                   f'"2.3": {{status: met, items: {items}}}')
    (tmp_path / "t.yaml").write_text(text, encoding="utf-8")
    assert main(["pack", "test", "ml25", str(tmp_path)]) == 2
    assert "items as a whole number" in capsys.readouterr().err


def test_no_tests_is_a_clean_error(tmp_path, capsys):
    assert main(["pack", "test", "othm-ohs-u3", str(tmp_path)]) == 2
    assert "no pack tests" in capsys.readouterr().err


def test_a_test_needs_expectations(tmp_path):
    shutil.copy(rules_dir() / "tests" / "othm-ohs-u3" / "answers-and-gaps.yaml", tmp_path / "t.yaml")
    text = (tmp_path / "t.yaml").read_text(encoding="utf-8")
    (tmp_path / "t.yaml").write_text(text.replace("expect:", "expected:"), encoding="utf-8")
    with pytest.raises(CheckerError, match="needs `expect:`"):
        run_pack_tests("othm-ohs-u3", str(tmp_path), out=io.StringIO())


def test_pack_list_names_body_level_and_title(capsys):
    assert main(["pack", "list"]) == 0
    lines = {ln.split("\t")[0]: ln.split("\t") for ln in capsys.readouterr().out.splitlines()}
    assert lines["btec-it-u7"][1:5] == ["Pearson", "level 3", "Unit 7", "IT Systems Security and Encryption"]
    assert lines["othm-ohs-u3"][1:3] == ["OTHM", "level 6"] and lines["cg-2357-311"][1] == "City & Guilds"
    assert "graded" in lines["btec-it-u7"][-1] and "graded" not in lines["ml25"][-1]


def test_drafted_packs_keep_the_units_grades_and_links():
    u7 = {c.id: c for c in load_pack("btec-it-u7").criteria}
    assert {c.grade for c in u7.values()} == {"pass", "merit", "distinction"}
    assert u7["D.M4"].covers == ["D.P7", "D.P8"] and u7["D.M4"].kind == "performance"
    assert all(c.kind == "performance" for c in load_pack("cg-2357-311").criteria)  # an NVQ performance unit


@pytest.mark.parametrize("criteria,grade", [
    ([("pass", True), ("pass", False), ("merit", True)], "refer"),  # one pass criterion short: refer
    ([("pass", True), ("merit", False), ("distinction", True)], "pass"),  # a distinction needs every merit
    ([("pass", True), ("merit", True), ("distinction", False)], "merit"),
    ([("pass", True), ("merit", True), ("distinction", True)], "distinction"),
    ([("pass", True), ("distinction", True)], "distinction"),  # P and D only (an end-point plan)
    ([("pass", True), ("distinction", False)], "pass"),  # no merit criteria: merit is never reached
])
def test_btec_grade_rule(criteria, grade):
    assert supported_grade(criteria) == grade


def test_grade_is_in_the_json_and_every_report(tmp_path):
    from checker.engine import check
    from checker.packtest import _builder
    from checker.report import render

    docx = _builder().build(rules_dir() / "tests" / "btec-it-u7" / "aims-a-b-merit.yaml", tmp_path / "a.docx")
    result = check(docx, load_pack("btec-it-u7"))
    assert result.to_json()["summary"]["grade"] == "refer"
    assert {c["id"]: c.get("grade") for c in result.to_json()["criteria"]}["AB.D1"] == "distinction"
    for fmt in ("text", "markdown", "html"):
        out = render([result], fmt, "assessor")
        assert "Grade these criteria support" in out and "REFER" in out.upper() and "triage" in out
    assert "grade" not in check(docx, load_pack("ml25")).summary  # an ungraded unit has none


def test_batch_summary_carries_the_grade(tmp_path):
    import csv
    import json

    from checker.packtest import _builder

    (tmp_path / "in").mkdir()
    _builder().build(rules_dir() / "tests" / "btec-it-u7" / "aims-a-b-merit.yaml", tmp_path / "in" / "a.docx")
    out = tmp_path / "out"
    assert main(["batch", str(tmp_path / "in"), "--pack", "btec-it-u7", "--out", str(out), "--jobs", "1",
                 "--no-progress"]) == 1
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert data["submissions"][0]["summary"]["grade"] == "refer"
    rows = list(csv.DictReader((out / "summary.csv").open(encoding="utf-8")))
    assert rows[0]["grade"] == "refer"
    assert "REFER" in (out / "summary.html").read_text(encoding="utf-8")


SPECS = rules_dir().parents[1] / "shared" / "unit-specs"
RAW = [("othm-ohs-u2", "othm-l6-ohs-u2-hs-management-practice.html"),
       ("othm-ohs-u3", "othm-l6-ohs-u3-risk-incident-management.html"),
       ("cg-2357-311", "cg-2357-u311-eltp01-health-safety-performance.txt"),
       pytest.param("btec-it-u7", "pearson-btec-l3-computing-u7-it-security.pdf", marks=pytest.mark.xfail(
           strict=True, reason="A.M1 asks for 3+ IT security threats; with no lexicon the quantity check "
           "counts none (the counting issue); the shipped pack adds a lexicon"))]


@pytest.mark.skipif(not SPECS.is_dir(), reason="../shared/unit-specs not present")
@pytest.mark.parametrize("pack_id,spec", RAW)
def test_the_raw_drafted_pack_passes_the_shipped_packs_tests(pack_id, spec, tmp_path):
    from checker.draft import draft

    raw = tmp_path / f"{pack_id}.yaml"
    raw.write_text(draft(SPECS / spec, pack_id), encoding="utf-8")
    out = io.StringIO()
    assert run_pack_tests(str(raw), str(rules_dir() / "tests" / pack_id), out=out) == 0, out.getvalue()
