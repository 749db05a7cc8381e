"""Assessors' decisions: the CSV contract and its errors, Cohen's kappa on known tables, agreement in a
real batch's summary, and the IQA sample's properties."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from checker.cli import main
from checker.decisions import add_agreement, kappa, parse_decisions, read_decisions
from checker.errors import CheckerError
from checker.sample import draw, load_summary

HEADER = "submission,criterion,decision,assessor\n"

# --- kappa on known tables: (both met, checker met / assessor not, checker not / assessor met, both not) ----


def test_kappa_all_agree_is_one():
    assert kappa((7, 0, 0, 3)) == (Fraction(1), "")


def test_kappa_all_disagree_with_both_classes_is_minus_one():
    assert kappa((0, 4, 4, 0)) == (Fraction(-1), "")


def test_kappa_all_disagree_each_side_one_class_is_zero():
    # the checker always met, the assessor always not met: p_o = 0 = p_e
    assert kappa((0, 5, 0, 0)) == (Fraction(0), "")


def test_kappa_one_class_only_is_undefined_not_one():
    for table, said in (((9, 0, 0, 0), "met"), ((0, 0, 0, 4), "not met")):
        k, note = kappa(table)
        assert k is None and note.startswith("undefined") and f"said {said} for every" in note


def test_kappa_one_side_one_class_is_zero():
    # the checker said met every time, the assessor 8 met and 2 not: agreement is only what chance gives
    assert kappa((8, 2, 0, 0)) == (Fraction(0), "")


def test_kappa_no_decisions():
    assert kappa((0, 0, 0, 0)) == (None, "no decisions")


@pytest.mark.parametrize("table, expected", [
    ((20, 5, 10, 15), Fraction(2, 5)),  # Cohen's kappa, Wikipedia's worked example: p_o 0.7, p_e 0.5
    ((45, 15, 25, 15), Fraction(3, 23)),  # the same page's second example: p_o 0.6, p_e 0.54
])
def test_kappa_textbook_examples_exactly(table, expected):
    assert kappa(table) == (expected, "")


# --- the CSV contract ---------------------------------------------------------------------------------


def test_parse_with_optional_columns_bom_case_and_blank_lines():
    text = ("\ufeffSubmission, Criterion ,Decision,Assessor,date,note\n"
            "a.docx,1.1,Met,Ann,2025-01-10,\n"
            "\n"
            ",,,,,\n"
            'b.docx,1.2,NOT MET,Bob,,"thin, no reasons"\n')
    rows = parse_decisions(text, "d.csv")
    assert [(r.line, r.submission, r.criterion, r.decision, r.assessor) for r in rows] == [
        (2, "a.docx", "1.1", "met", "Ann"), (5, "b.docx", "1.2", "not-met", "Bob")]
    assert rows[0].date == "2025-01-10" and rows[1].note == "thin, no reasons"


def test_parse_semicolon_csv():
    rows = parse_decisions("submission;criterion;decision;assessor\na.docx;1.1;not-met;Ann\n")
    assert rows[0].decision == "not-met"


@pytest.mark.parametrize("text, line, says", [
    ("", 1, "empty"),
    (HEADER, 1, "no decisions"),
    ("submission,criterion,assessor\na.docx,1.1,Ann\n", 1, "missing column(s) decision"),
    ("submission,criterion,decision,assessor,grade\na,1.1,met,Ann,P\n", 1, "unknown column 'grade'"),
    ("submission,criterion,decision,assessor,note,note\n", 1, "appears twice"),
    (HEADER + "a.docx,1.1,met,Ann\nb.docx,1.1,pass,Ann\n", 3, "decision 'pass' is not met or not-met"),
    (HEADER + "a.docx,1.1,met,\n", 2, "empty assessor"),
    (HEADER + "a.docx,1.1,met\n", 2, "empty assessor"),
    (HEADER + "a.docx,,met,Ann\n", 2, "empty criterion"),
    (HEADER + "a.docx,1.1,met,Ann,too thin\n", 2, "5 fields where the header has 4"),
    (HEADER + 'a.docx,1.1,met,"Ann\n', 2, "not valid CSV"),
    (HEADER + "a.docx,1.1,met,A\x00nn\n", 2, "NUL"),
])
def test_malformed_is_one_error_naming_the_line(text, line, says):
    with pytest.raises(CheckerError) as e:
        parse_decisions(text, "d.csv")
    assert e.value.line == line and says in e.value.reason
    assert str(e.value).startswith(f"d.csv:{line}: ") and "\n" not in str(e.value)


def test_not_utf8_names_the_line(tmp_path):
    p = tmp_path / "d.csv"
    p.write_bytes((HEADER + "a.docx,1.1,met,Ann\n").encode() + "b.docx,1.1,met,Zoë\n".encode("latin-1"))
    with pytest.raises(CheckerError) as e:
        read_decisions(p)
    assert e.value.line == 3 and "UTF-8" in e.value.reason


def test_missing_file_is_one_line(tmp_path):
    with pytest.raises(CheckerError, match="cannot read the decisions file"):
        read_decisions(tmp_path / "nope.csv")


# --- matching to a batch (a summary as batch writes it) ------------------------------------------------


def _data() -> dict:
    subs = [("in/a.docx", "aa11", {"1.1": "met", "1.2": "gap"}),
            ("in/b.docx", "bb22", {"1.1": "missing", "1.2": "met"}),
            ("in/x/c.docx", "cc33", {"1.1": "met", "1.2": "met"}),
            ("in/y/c.docx", "dd44", {"1.1": "gap", "1.2": "gap"}),
            ("in/broken.docx", "", {})]
    return {"schema": "checker.batch/1", "pack": {"id": "toy"}, "criteria": ["1.1", "1.2"],
            "submissions": [{"path": p, "sha256": h, "status": "unreadable" if not c else "gap", "criteria": c}
                            for p, h, c in subs]}


def test_matching_by_path_name_and_sha256_with_warnings_for_the_rest():
    data = _data()
    decisions = parse_decisions(HEADER + "\n".join([
        "in/a.docx,1.1,met,Ann",          # 2 path: agree
        "a.docx,1.2,met,Ann",             # 3 file name: checker gap, a disagreement
        "BB22,1.1,not-met,Bob",           # 4 sha256, any case: agree
        "./in/b.docx,1.2,not-met,Bob",    # 5 path spelled another way: disagreement
        "c.docx,1.1,met,Bob",             # 6 two files are called c.docx
        "z.docx,1.1,met,Bob",             # 7 not in the batch
        "a.docx,2.9,met,Bob",             # 8 not in the pack
        "broken.docx,1.1,met,Bob",        # 9 unreadable: no verdict to compare
        "in/a.docx,1.1,not-met,Ann",      # 10 Ann again on the same: replaces line 2
    ]) + "\n", "d.csv")
    warnings = add_agreement(data, decisions, [{"1.2": "too-short: 12 words"}, {"1.2": "met: under '1.2'"}, {}, {}, {}],
                             "d.csv")
    ag = data["agreement"]
    assert [w.split(":")[1] for w in warnings] == ["6", "7", "8", "9", "10"]
    assert "names 2 submissions" in warnings[0] and "no submission 'z.docx'" in warnings[1]
    assert "not in pack toy" in warnings[2] and "could not be read" in warnings[3] and "replaces line 2" in warnings[4]
    assert ag["warnings"] == warnings
    assert ag["overall"]["n"] == 4 and ag["overall"]["agree"] == 1
    assert [(d["submission"], d["criterion"], d["decision"]) for d in ag["decisions"]] == [
        ("in/a.docx", "1.1", "not-met"), ("in/a.docx", "1.2", "met"), ("in/b.docx", "1.1", "not-met"),
        ("in/b.docx", "1.2", "not-met")]
    dis = {(d["submission"], d["criterion"]): d for d in ag["disagreements"]}
    assert set(dis) == {("in/a.docx", "1.1"), ("in/a.docx", "1.2"), ("in/b.docx", "1.2")}
    assert dis[("in/a.docx", "1.2")]["kind"] == "assessor met, checker found a gap"
    assert dis[("in/a.docx", "1.2")]["evidence"] == "too-short: 12 words"
    assert dis[("in/b.docx", "1.2")]["kind"] == "assessor not met, checker found it met"
    assert ag["by_assessor"]["Bob"] == {**ag["by_assessor"]["Bob"], "n": 2, "agree": 1}
    assert list(ag["by_criterion"]) == ["1.1", "1.2"]


# --- a real batch -------------------------------------------------------------------------------------


@pytest.fixture()
def cohort(built, tmp_path) -> Path:
    folder = tmp_path / "cohort"
    folder.mkdir()
    for name in ("clean_headings", "gap_03_hospice_fundraising", "gap_06_logistics_q_labels"):
        shutil.copy(built / "submissions" / f"{name}.docx", folder / f"{name}.docx")
    return folder


def test_batch_with_decisions(cohort, tmp_path, capsys):
    gap06 = cohort / "gap_06_logistics_q_labels.docx"
    sha = __import__("hashlib").sha256(gap06.read_bytes()).hexdigest()
    dec = tmp_path / "decisions.csv"
    dec.write_text(HEADER.rstrip() + ",note\n"
                   "clean_headings.docx,1.1,met,Ann,\n"
                   "clean_headings.docx,1.2,not-met,Ann,no reasons given\n"
                   "gap_03_hospice_fundraising.docx,1.2,met,Ann,\n"  # the path as the batch lists it
                   f"{sha},1.1,met,Bob,\n"
                   f"{sha},2.2,not-met,Bob,\n"
                   "someone_else.docx,1.1,met,Bob,\n")
    before = (dec.read_bytes(), os.stat(dec).st_mtime_ns)
    out = tmp_path / "out"
    code = main(["batch", str(cohort), "--out", str(out), "--jobs", "1", "--no-progress", "--decisions", str(dec)])
    assert code == 1  # the exit code is the checker's, as without decisions
    assert (dec.read_bytes(), os.stat(dec).st_mtime_ns) == before  # read only
    err = capsys.readouterr().err
    assert f"warning: {dec}:7: no submission 'someone_else.docx'" in err
    data = json.loads((out / "summary.json").read_text())
    ag = data["agreement"]
    assert ag["overall"]["n"] == 5
    # clean_headings 1.1 met/met; gap_06 2.2 gap/not-met agree. clean 1.2, gap_03 1.2, gap_06 1.1 disagree.
    assert ag["overall"]["agree"] == 2
    assert {(Path(d["submission"]).name, d["criterion"]) for d in ag["disagreements"]} == {
        ("clean_headings.docx", "1.2"), ("gap_03_hospice_fundraising.docx", "1.2"),
        ("gap_06_logistics_q_labels.docx", "1.1")}
    gap06_11 = next(d for d in ag["disagreements"] if d["criterion"] == "1.1")
    assert gap06_11["assessor"] == "Bob" and "too-short" in gap06_11["evidence"]
    assert "Communication Listening" in gap06_11["evidence"]  # the learner's own words
    clean_12 = next(d for d in ag["disagreements"] if d["criterion"] == "1.2" and d["assessor"] == "Ann"
                    and d["decision"] == "not-met")
    assert clean_12["evidence"].startswith("met: answer found under") and clean_12["note"] == "no reasons given"
    assert all(s["sha256"] for s in data["submissions"])
    html = (out / "summary.html").read_text()
    assert "Agreement with assessors' decisions" in html and html.count('disagree"') == 3
    assert "someone_else.docx" in html  # the warning is on the page too

    sample = tmp_path / "sample.csv"
    assert main(["sample", str(out), "--size", "2", "-o", str(sample)]) == 0
    rows = list(csv.DictReader(sample.open()))
    assert {r["assessor"] for r in rows} == {"Ann", "Bob"}
    assert all(r["chosen"] == "disagreement" and r["criteria"] and r["why"] for r in rows)


def test_batch_with_a_malformed_decisions_file_does_nothing(cohort, tmp_path, capsys):
    dec = tmp_path / "d.csv"
    dec.write_text(HEADER + "clean_headings.docx,1.1,maybe,Ann\n")
    out = tmp_path / "out"
    assert main(["batch", str(cohort), "--out", str(out), "--jobs", "1", "--no-progress",
                 "--decisions", str(dec)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"checker: {dec}:2: decision 'maybe' is not met or not-met"]
    assert not out.exists()  # failed before any work


def test_sample_without_decisions_is_one_line(cohort, tmp_path, capsys):
    out = tmp_path / "out"
    main(["batch", str(cohort / "clean_headings.docx"), "--out", str(out), "--jobs", "1", "--no-progress"])
    capsys.readouterr()
    assert main(["sample", str(out), "--size", "3"]) == 2
    assert "run checker batch with --decisions" in capsys.readouterr().err
    assert main(["sample", str(tmp_path / "nothing"), "--size", "3"]) == 2


# --- the sample's properties (a synthetic cohort: 3 assessors, 30 learners, 4 criteria) -----------------


def _cohort_summary() -> dict:
    criteria = ["1.1", "1.2", "2.1", "2.2"]
    subs, decisions = [], []
    for i in range(30):
        path = f"l{i:02}.docx"
        # the checker flags 2.2 often, 1.2 sometimes, the rest never
        st = {"1.1": "met", "1.2": "gap" if i % 5 == 0 else "met", "2.1": "met",
              "2.2": "missing" if i % 2 else "met"}
        subs.append({"path": path, "sha256": f"{i:064x}", "status": "gap", "criteria": st})
        assessor = ["Ann", "Bob", "Cy"][i % 3]
        for cid in criteria:
            decision = "met" if st[cid] == "met" else "not-met"
            if (i, cid) in {(0, "1.1"), (3, "2.1"), (6, "1.2"), (9, "2.2")}:  # Ann's four disagreements
                decision = "not-met" if decision == "met" else "met"
            decisions.append({"line": 0, "submission": path, "criterion": cid, "decision": decision,
                              "assessor": assessor, "date": "", "note": ""})
    data = {"schema": "checker.batch/1", "pack": {"id": "toy"}, "criteria": criteria, "submissions": subs}
    from checker.decisions import Decision

    add_agreement(data, [Decision(n + 2, d["submission"], d["criterion"], d["decision"], d["assessor"])
                         for n, d in enumerate(decisions)], [{} for _ in subs])
    return data


def test_sample_represents_every_assessor_and_puts_disagreements_first():
    data = _cohort_summary()
    rows = draw(data, 6, seed=1)
    assert len(rows) == 6 and {r["assessor"] for r in rows} == {"Ann", "Bob", "Cy"}
    assert [r["chosen"] for r in rows[:4]] == ["disagreement"] * 4
    assert {r["submission"] for r in rows[:4]} == {"l00.docx", "l03.docx", "l06.docx", "l09.docx"}
    assert all(r["assessor"] == "Ann" for r in rows[:4])
    # Bob and Cy agree with the checker throughout: sampled where it flags their most-flagged criterion
    rest = rows[4:]
    assert [r["chosen"] for r in rest] == ["most-flagged"] * 2 and {r["assessor"] for r in rest} == {"Bob", "Cy"}
    for r in rest:
        st = next(s for s in data["submissions"] if s["path"] == r["submission"])["criteria"]
        assert r["criteria"].split()[0] == "2.2" and st["2.2"] != "met"
        assert "flagged in 5 of 10 of" in r["why"]


def test_sample_order_of_tiers_and_the_random_remainder():
    data = _cohort_summary()
    rows = draw(data, 30, seed=3)
    tiers = [r["chosen"] for r in rows]
    assert tiers == sorted(tiers, key=["disagreement", "most-flagged", "random"].index)
    assert tiers.count("disagreement") == 4 and tiers.count("random") > 0
    assert len({(r["submission"], r["assessor"]) for r in rows}) == 30  # no pair twice
    for r in rows:
        if r["chosen"] == "random":
            assert "seed 3" in r["why"] and r["criteria"] == "1.1 1.2 2.1 2.2"


def test_same_seed_same_sample_and_seeds_differ():
    data = _cohort_summary()
    assert draw(data, 12, seed=7) == draw(json.loads(json.dumps(data)), 12, seed=7)
    samples = {tuple(r["submission"] for r in draw(data, 12, seed=s)) for s in range(6)}
    assert len(samples) > 1  # the random remainder depends on the seed


def test_sample_size_limits():
    data = _cohort_summary()
    with pytest.raises(CheckerError, match="fewer than the 3 assessors"):
        draw(data, 2)
    with pytest.raises(CheckerError, match="at least 1"):
        draw(data, 0)
    assert len(draw(data, 500)) == 30  # every pair, no more


def test_sample_csv_neutralises_formulas(tmp_path, capsys):
    data = _cohort_summary()
    for d in data["agreement"]["decisions"]:
        d["assessor"] = "=HYPERLINK(1)" if d["assessor"] == "Ann" else d["assessor"]
    (tmp_path / "summary.json").write_text(json.dumps(data))
    assert load_summary(tmp_path)["schema"] == "checker.batch/1"
    assert main(["sample", str(tmp_path), "--size", "3", "--seed", "2"]) == 0
    out = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out.out)))
    assert "'=HYPERLINK(1)" in {r["assessor"] for r in rows}
    assert out.err.startswith("sampled 3 of 30")
