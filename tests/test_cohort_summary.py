"""The batch summary an assessor acts on (issue 15): every submission-looking file a row, relative paths,
learners, totals per criterion, similar answers by learner pair quoted as written, links that land."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest

from checker.cli import main
from checker.cohort import NOT_READABLE, learner_from_name, passage_as_written


@pytest.fixture(scope="module")
def run(built, tmp_path_factory) -> tuple[Path, Path, dict]:
    folder = tmp_path_factory.mktemp("cohort") / "uploads"
    moodle = folder / "Jane Smith_4471_assignsubmission_file_"
    moodle.mkdir(parents=True)
    (folder / "group2").mkdir()
    shutil.copy(built / "submissions" / "clean_headings.docx", moodle / "ml25 final.docx")
    shutil.copy(built / "submissions" / "gap_06_logistics_q_labels.docx", folder / "group2" / "gap_06.docx")
    shutil.copy(built / "batch" / "learner_a.docx", folder / "amir_khan.docx")
    shutil.copy(built / "batch" / "learner_b.docx", folder / "beth_jones.docx")
    for suffix in NOT_READABLE:  # what learners hand in instead of .docx
        (folder / f"other{suffix}").write_bytes(b"%PDF-1.4 or whatever it is")
    (folder / "notes.md").write_text("not a submission")  # not submission-looking: no row
    learners = folder.parent / "learners.csv"
    learners.write_text("file,name,id\namir_khan.docx,Amir Khan,A101\ngroup2/gap_06.docx,Gwen Price,G606\n")
    out = folder.parent / "out"
    code = main(["batch", str(folder), "--out", str(out), "--jobs", "1", "--no-progress",
                 "--learners", str(learners)])
    assert code == 2  # the unreadable files
    return folder, out, json.loads((out / "summary.json").read_text())


def test_every_submission_looking_file_is_a_row_saying_what_to_do(run, capsys):
    _, out, data = run
    by_path = {s["path"]: s for s in data["submissions"]}
    for suffix in NOT_READABLE:
        row = by_path[f"other{suffix}"]
        assert row["status"] == "unreadable" and "save it as .docx" in row["error"]
    assert "notes.md" not in by_path
    assert data["totals"]["files"] == 4 + len(NOT_READABLE) and data["totals"]["unreadable"] == len(NOT_READABLE)
    html = (out / "summary.html").read_text()
    assert "other.doc" in html and "save it as .docx" in html


def test_paths_are_relative_to_the_folder_given(run):
    folder, _, data = run
    paths = [s["path"] for s in data["submissions"]]
    assert "group2/gap_06.docx" in paths and "Jane Smith_4471_assignsubmission_file_/ml25 final.docx" in paths
    assert not [p for p in paths if str(folder) in p or p.startswith("/")]
    rows = list(csv.DictReader((run[1] / "summary.csv").open()))
    assert {r["file"] for r in rows} == set(paths)


def test_learner_column_from_the_csv_or_the_file_name(run):
    _, out, data = run
    learners = {s["path"]: s["learner"] for s in data["submissions"]}
    assert learners["amir_khan.docx"] == {"name": "Amir Khan", "id": "A101"}  # --learners
    assert learners["group2/gap_06.docx"] == {"name": "Gwen Price", "id": "G606"}  # matched on the shown path
    assert learners["Jane Smith_4471_assignsubmission_file_/ml25 final.docx"] == {"name": "Jane Smith", "id": "4471"}
    assert learners["beth_jones.docx"]["name"] == "beth jones"  # from the file name
    rows = {r["file"]: r for r in csv.DictReader((out / "summary.csv").open())}
    assert rows["amir_khan.docx"]["learner"] == "Amir Khan" and rows["amir_khan.docx"]["learner_id"] == "A101"
    assert "Gwen Price" in (out / "summary.html").read_text()


def test_totals_row_per_criterion(run):
    _, out, data = run
    readable = [s for s in data["submissions"] if s["status"] != "unreadable"]
    for cid, t in data["criterion_totals"].items():
        for status in ("met", "gap", "missing"):
            assert t[status] == sum(s["criteria"][cid] == status for s in readable)
        assert sum(t.values()) == len(readable)
    html = (out / "summary.html").read_text()
    t = data["criterion_totals"]["2.2"]
    assert f'title="2.2: {t["met"]} met, {t["gap"]} gap, {t["missing"]} missing"' in html and "<tfoot>" in html


def test_similar_answers_grouped_by_pair_quoted_as_written_no_placeholders(run):
    _, out, data = run
    assert data["similar"], "learner_a and learner_b share their 1.2 answer"
    for pair in data["similar"]:
        assert len(pair["files"]) == 2 and len(pair["learners"]) == 2 and pair["criteria"]
        for c in pair["criteria"]:
            assert c["criterion"] in data["criteria"] and c["similarity"] > 0 and c["passage"]
    pair = next(p for p in data["similar"] if set(p["files"]) == {"amir_khan.docx", "beth_jones.docx"})
    assert set(pair["learners"]) == {"Amir Khan", "beth jones"}
    passage = next(c["passage"] for c in pair["criteria"] if c["criterion"] == "1.2")
    assert passage.startswith("I choose which networks") and "mutual benefit, because" in passage  # as written
    assert data["similar_not_listed"] == {}
    html = (out / "summary.html").read_text()
    assert "Amir Khan and beth jones" in html or "beth jones and Amir Khan" in html


def test_summary_cells_link_to_the_criterion_in_the_report(run):
    _, out, data = run
    html = (out / "summary.html").read_text()
    links = re.findall(r'href="([^"#]+)#(ac-[0-9.]+)"', html)
    assert links
    for report, anchor in links:  # links are quoted relative paths ("./ml25%20final.html")
        assert f'id="{anchor}"' in (out / unquote(report)).read_text(), (report, anchor)


def test_summary_json_and_html_carry_the_stamp(run):
    _, out, data = run
    assert data["checker"]["version"] and len(data["pack"]["sha256"]) == 64
    assert all(len(s["sha256"]) == 64 for s in data["submissions"] if s["status"] != "unreadable")
    assert data["pack"]["sha256"] in (out / "summary.html").read_text()


def test_passage_keeps_case_and_punctuation():
    a = "Intro text. Networks matter, because Mutual Benefit keeps them alive; without it they fade."
    b = "networks matter because mutual benefit keeps them alive without it they fade"
    assert passage_as_written(a, b) == "Networks matter, because Mutual Benefit keeps them alive; without it they fade."


def test_learner_from_name():
    assert learner_from_name("jo_bloggs-ml25.docx") == {"name": "jo bloggs-ml25", "id": ""}
    assert learner_from_name("A B_12_assignsubmission_onlinetext_/x.docx") == {"name": "A B", "id": "12"}


def test_bad_learners_csv_is_one_line_exit_2(built, tmp_path, capsys):
    bad = tmp_path / "learners.csv"
    bad.write_text("filename;learner\nx;y\n")
    assert main(["batch", str(built / "submissions" / "clean_headings.docx"), "--out", str(tmp_path / "o"),
                 "--learners", str(bad), "--no-progress", "--jobs", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "learners.csv" in err[0] and "'file' and 'name'" in err[0]
