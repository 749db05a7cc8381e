"""Batch runs over a cohort folder: summaries, exit codes, configuration, cross-learner similarity."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from checker.cli import main


@pytest.fixture()
def cohort(built, tmp_path) -> Path:
    folder = tmp_path / "cohort"
    (folder / "group2").mkdir(parents=True)
    for name in ("clean_headings", "clean_table", "gap_03_hospice_fundraising"):
        shutil.copy(built / "submissions" / f"{name}.docx", folder / f"{name}.docx")
    shutil.copy(built / "submissions" / "gap_06_logistics_q_labels.docx", folder / "group2" / "gap_06.docx")
    (folder / "broken.docx").write_bytes(b"%PDF-1.5 renamed")
    (folder / "~$clean_table.docx").write_bytes(b"\x00lock")  # Word's lock file: not a submission
    return folder


def _summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text())


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_over_a_mixed_folder(cohort, tmp_path, capsys, jobs):
    out = tmp_path / "out"
    code = main(["batch", str(cohort), "--pack", "ml25", "--out", str(out), "--jobs", jobs, "--no-progress"])
    assert code == 2  # one file could not be read
    data = _summary(out)
    by_name = {Path(s["path"]).name: s for s in data["submissions"]}
    assert set(by_name) == {"broken.docx", "clean_headings.docx", "clean_table.docx",
                            "gap_03_hospice_fundraising.docx", "gap_06.docx"}
    assert data["totals"] == {"files": 5, "met": 2, "gap": 2, "unreadable": 1}
    assert by_name["broken.docx"]["status"] == "unreadable" and "PDF" in by_name["broken.docx"]["error"]
    assert by_name["clean_headings.docx"]["criteria"]["1.1"] == "met"
    gap06 = by_name["gap_06.docx"]
    assert gap06["criteria"]["2.2"] == "gap" and "too-short" in gap06["gaps"]["2.2"]
    for s in data["submissions"]:  # one report per submission, in the formats chosen
        assert (out / s["reports"]["html"]).is_file() and (out / s["reports"]["json"]).is_file()
    rows = list(csv.DictReader((out / "summary.csv").open()))
    assert len(rows) == 5 and {r["status"] for r in rows} == {"met", "gap", "unreadable"}
    html = (out / "summary.html").read_text()
    assert 'href="./gap_06.html#ac-2.2"' in html and "UNREADABLE" in html
    assert "PDF" in capsys.readouterr().err


def test_unreadable_files_can_be_a_warning(cohort, tmp_path):
    (cohort / "clean_headings.docx").unlink()
    for f in ("gap_03_hospice_fundraising.docx",):
        (cohort / f).unlink()
    shutil.rmtree(cohort / "group2")
    out = tmp_path / "out"
    assert main(["batch", str(cohort), "--out", str(out), "--jobs", "1", "--no-progress"]) == 2
    assert main(["batch", str(cohort), "--out", str(out), "--jobs", "1", "--no-progress", "--unreadable-ok"]) == 0


def test_all_met_is_exit_0_and_gaps_exit_1(built, tmp_path):
    clean = str(built / "submissions" / "clean_*.docx")
    assert main(["batch", clean, "--out", str(tmp_path / "a"), "--jobs", "1", "--no-progress"]) == 0
    gap = str(built / "submissions" / "gap_07_vet_practice_short.docx")
    assert main(["batch", gap, "--out", str(tmp_path / "b"), "--jobs", "1", "--no-progress"]) == 1


def test_config_file_sets_defaults_and_flags_override(built, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "checker.toml").write_text('formats = ["markdown"]\naudience = "learner"\nfail_level = "none"\n')
    gap = str(built / "submissions" / "gap_07_vet_practice_short.docx")
    assert main(["batch", gap, "--out", "o1", "--jobs", "1", "--no-progress"]) == 0  # fail_level none
    report = (tmp_path / "o1" / "gap_07_vet_practice_short.md").read_text()
    assert "What to add" in report
    assert main(["batch", gap, "--out", "o2", "--jobs", "1", "--no-progress", "--format", "json"]) == 0
    assert (tmp_path / "o2" / "gap_07_vet_practice_short.json").is_file()
    (tmp_path / "checker.toml").write_text('colour = "blue"\n')
    assert main(["batch", gap, "--out", "o3", "--jobs", "1", "--no-progress"]) == 2


def test_pyproject_tool_checker_section(built, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.checker]\nfail_level = "missing"\nformats = ["json"]\n')
    gap = str(built / "submissions" / "gap_06_logistics_q_labels.docx")  # gaps but nothing missing
    assert main(["batch", gap, "--out", "o", "--jobs", "1", "--no-progress"]) == 0
    missing = str(built / "submissions" / "gap_04_fe_college_table.docx")  # 3.3 missing
    assert main(["batch", missing, "--out", "o", "--jobs", "1", "--no-progress"]) == 1


def test_near_identical_answers_between_learners_are_flagged(built, tmp_path):
    out = tmp_path / "out"
    main(["batch", str(built / "batch"), str(built / "submissions" / "clean_labels.docx"),
          "--out", str(out), "--jobs", "2", "--no-progress"])
    similar = _summary(out)["similar"]
    assert len(similar) == 1, similar  # one learner pair, with the criteria they share
    pair = similar[0]
    assert [c["criterion"] for c in pair["criteria"]] == ["1.2"]
    assert sorted(Path(f).name for f in pair["files"]) == ["learner_a.docx", "learner_b.docx"]
    assert "mutual benefit, because a network only lasts" in pair["criteria"][0]["passage"]  # as written
    # Both copied the unit's guidance for 1.3: that is copied-guidance, not copying each other.
    assert not [c for p in similar for c in p["criteria"] if c["criterion"] == "1.3"]
    assert "learner a and learner b" in (out / "summary.html").read_text()


def test_no_files_is_a_usage_error(tmp_path, capsys):
    assert main(["batch", str(tmp_path / "nothing-*.docx"), "--out", str(tmp_path / "o")]) == 2
    assert "no .docx files found" in capsys.readouterr().err


def test_resume_skips_unchanged_submissions_and_rechecks_changed_ones(built, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("clean_headings", "clean_table", "gap_06_logistics_q_labels"):
        shutil.copy(built / "submissions" / f"{name}.docx", folder / f"{name}.docx")
    out = tmp_path / "out"
    args = ["batch", str(folder), "--out", str(out), "--jobs", "1", "--no-progress", "--format", "json"]
    assert main(args) == 1
    mtimes = {p.name: p.stat().st_mtime_ns for p in out.glob("*.json") if p.name != "summary.json"}
    # the learner sends a new version of one file: only that one is checked again
    shutil.copy(built / "submissions" / "gap_06_logistics_q_labels.docx", folder / "clean_table.docx")
    assert main([*args, "--resume"]) == 1
    after = {p.name: p.stat().st_mtime_ns for p in out.glob("*.json") if p.name != "summary.json"}
    assert after["clean_headings.json"] == mtimes["clean_headings.json"]
    assert after["gap_06_logistics_q_labels.json"] == mtimes["gap_06_logistics_q_labels.json"]
    assert after["clean_table.json"] != mtimes["clean_table.json"]
    resumed = _summary(out)
    fresh = tmp_path / "fresh"
    assert main(["batch", str(folder), "--out", str(fresh), "--jobs", "1", "--no-progress", "--format", "json"]) == 1
    assert resumed == _summary(fresh)
    assert {s["path"]: s["status"] for s in resumed["submissions"]}["clean_table.docx"] == "gap"
    # another audience is another report: nothing recorded under the old one is reused
    assert main([*args, "--resume", "--audience", "learner"]) == 1
    assert all(p.stat().st_mtime_ns != after[p.name] for p in out.glob("*.json") if p.name in after)
