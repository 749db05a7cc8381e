"""Shipped packs other than ML25 on blind labelled writing, criterion by criterion, as tests/test_checks.py does
for ML25. Each set (othm-u3-blind/ and btec-u7-blind/ to othm-u3-blind5/ and btec-u7-blind5/) was written blind
and scored first on arrival (the README gives those figures); all are tuning sets now. Each source's `pack` key
names the pack it is checked against."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from checker.engine import check
from checker.packs import load_pack

from .conftest import FIXTURES
from .labelled import assert_as_labelled
from .labelled import docx_of as _docx
from .labelled import stem as _stem

SETS = ("othm-u3-blind", "btec-u7-blind", "othm-u3-blind2", "btec-u7-blind2", "othm-u3-blind3", "btec-u7-blind3",
        "othm-u3-blind4", "btec-u7-blind4", "othm-u3-blind5", "btec-u7-blind5",
        "othm-u3-blind6", "btec-u7-blind6", "othm-u3-blind7", "btec-u7-blind7", "othm-u3-blind8", "btec-u7-blind8",
        "othm-u3-blind9", "othm-u2-blind")
SOURCES = [s for d in SETS for s in sorted((FIXTURES / d).glob("*.yaml"))]

# Remaining disagreements with the assessor, each with its reason (strict: one that starts passing fails).
KNOWN_DISAGREEMENTS = {
    ("g88_inline-labels", "4.4"): "first run: labelled gap (hypothetical); found gap (part-not-covered, verb-not-met)",
    ("g88_pandoc-footnotes", "4.4"): "first run: labelled gap (hypothetical); found gap (part-not-covered, "
                                     "verb-not-met)",
    ("g88_inline-labels", "6.4"): "first run: labelled gap (few); found gap (verb-not-met)",
    ("g88_pandoc-footnotes", "6.4"): "first run: labelled gap (few); found gap (verb-not-met)",
    ("g89_headings-reworded", "3.3"): "first run: labelled gap (hypothetical); found gap (too-short, verb-not-met)",
    ("g89_workbook-qa", "3.3"): "first run: labelled gap (hypothetical); found gap (too-short, verb-not-met)",
    ("g86_headings-full", "3.4"): "first run: labelled met (met); found gap (part-not-covered)",
    ("g86_headings-full", "4.1"): "first run: labelled met (met); found gap (verb-not-met)",
    ("g86_headings-full", "5.2"): "first run: labelled gap (few); found met (none)",
    ("g86_headings-full", "6.4"): "first run: labelled met (met); found gap (part-not-covered, verb-not-met)",
    ("g86_headings-full", "6.5"): "first run: labelled met (met); found gap (verb-not-met)",
    ("g86_trailing-refs", "3.4"): "first run: labelled met (met); found gap (part-not-covered)",
    ("g86_trailing-refs", "4.1"): "first run: labelled met (met); found gap (verb-not-met)",
    ("g86_trailing-refs", "5.2"): "first run: labelled gap (few); found met (none)",
    ("g86_trailing-refs", "6.4"): "first run: labelled met (met); found gap (part-not-covered, verb-not-met)",
    ("g86_trailing-refs", "6.5"): "first run: labelled met (met); found gap (verb-not-met)",
    ("g87_bold-normal", "3.1"): "first run: labelled met (met); found gap (verb-not-met)",
    ("g87_bold-normal", "4.4"): "first run: labelled met (met); found gap (verb-not-met)",
    ("g87_bold-normal", "5.2"): "first run: labelled gap (few); found met (none)",
    ("g87_bold-normal", "6.3"): "first run: labelled met (met); found gap (part-not-covered)",
    ("g87_bold-normal", "6.4"): "first run: labelled met (met); found gap (verb-not-met)",
    ("g87_evidence-table-3col", "3.1"): "first run: labelled met (met); found gap (verb-not-met)",
    ("g87_evidence-table-3col", "4.4"): "first run: labelled met (met); found gap (verb-not-met)",
    ("g87_evidence-table-3col", "5.2"): "first run: labelled gap (few); found met (none)",
    ("g87_evidence-table-3col", "6.3"): "first run: labelled met (met); found gap (part-not-covered)",
    ("g87_evidence-table-3col", "6.4"): "first run: labelled met (met); found gap (verb-not-met)",
    ("g88_inline-labels", "6.2"): "first run: labelled gap (partial); found met (none)",
    ("g88_inline-labels", "6.5"): "first run: labelled met (met); found gap (verb-not-met)",
    ("g88_pandoc-footnotes", "6.2"): "first run: labelled gap (partial); found met (none)",
    ("g88_pandoc-footnotes", "6.5"): "first run: labelled met (met); found gap (verb-not-met)",
    ("g89_headings-reworded", "2.3"): "first run: labelled gap (few); found met (none)",
    ("g89_headings-reworded", "3.4"): "first run: labelled met (met); found gap (part-not-covered, verb-not-met)",
    ("g89_headings-reworded", "4.2"): "first run: labelled met (met); found gap (too-few-items)",
    ("g89_headings-reworded", "6.3"): "first run: labelled met (met); found gap (part-not-covered)",
    ("g89_headings-reworded", "6.4"): "first run: labelled met (met); found gap (part-not-covered, verb-not-met)",
    ("g89_workbook-qa", "2.3"): "first run: labelled gap (few); found met (none)",
    ("g89_workbook-qa", "3.2"): "first run: labelled missing (missing); found gap (too-short, part-not-covered, "
                                "verb-not-met)",
    ("g89_workbook-qa", "3.4"): "first run: labelled met (met); found gap (part-not-covered, verb-not-met)",
    ("g89_workbook-qa", "4.2"): "first run: labelled met (met); found gap (too-few-items)",
    ("g89_workbook-qa", "6.3"): "first run: labelled met (met); found gap (part-not-covered)",
    ("g89_workbook-qa", "6.4"): "first run: labelled met (met); found gap (part-not-covered, verb-not-met)",
    ("o04_bold-normal", "3.3"): "needs and impacts in the learner's words ('we have to report', 'the downside') "
                                "are not recognised as the parts",
    ("o04_headings-reworded", "3.3"): "needs and impacts in the learner's words ('we have to report', 'the "
                                      "downside') are not recognised as the parts",
    ("k01_evidence-table-3col", "D.P8"): "a review missing others' feedback is judged on its appraisal words, "
                                         "and the pack has no part for feedback from others",
    ("k01_headings-full", "D.P8"): "a review missing others' feedback is judged on its appraisal words, and the "
                                   "pack has no part for feedback from others",
    ("k04_bold-normal", "B.P4"): "the explanation is a 'How it works' table column, with one reason word in prose",
    ("k04_headings-reworded", "B.P4"): "the explanation is a 'How it works' table column, with one reason word in "
                                       "prose",
    ("p02_headings-full", "1.3"): "first run: labelled met (met); found gap (verb-not-met)",
    ("p02_trailing-refs", "1.3"): "first run: labelled met (met); found gap (verb-not-met)",
    ("p03_headings-reworded", "4.4"): "first run: labelled gap (hypothetical); found gap (verb-not-met)",
    ("p03_pandoc-footnotes", "4.4"): "first run: labelled gap (hypothetical); found gap (verb-not-met)",
    ("m01_headings-reworded", "A.M1"): "first run: labelled met (met); found gap (too-few-items)",
    ("m01_trailing-refs", "A.M1"): "first run: labelled met (met); found gap (too-few-items)",
    ("m02_evidence-table-3col", "AB.D1"): "first run: labelled missing (missing); found gap (too-short, "
                                          "verb-not-met, copied-guidance)",
    ("m02_evidence-table-3col", "D.P8"): "first run: labelled met (met); found gap (verb-not-met)",
    ("m02_inline-labels", "D.P8"): "first run: labelled met (met); found gap (verb-not-met)",
    ("m03_bold-normal", "A.M1"): "first run: labelled met (met); found gap (verb-not-met)",
    ("m03_bold-normal", "C.M3"): "first run: labelled gap (shallow); found met (none)",
    ("m03_bold-normal", "D.P8"): "first run: labelled met (met); found gap (no-practice-evidence)",
    ("m03_headings-full", "C.M3"): "first run: labelled gap (shallow); found met (none)",
    ("m03_headings-full", "D.P8"): "first run: labelled met (met); found gap (no-practice-evidence)",
    ("q01_headings-reworded", "2.3"): "first run: labelled met (met); found gap (verb-not-met)",
    ("q01_trailing-refs", "2.3"): "first run: labelled met (met); found gap (verb-not-met)",
    ("q02_bold-normal", "4.4"): "first run: labelled gap (hypothetical); found gap (verb-not-met)",
    ("q02_inline-labels", "4.4"): "first run: labelled gap (hypothetical); found gap (verb-not-met)",
    ("n02_headings-full", "A.M1"): "first run: labelled gap (partial); found gap (too-few-items)",
    ("n02_headings-full", "D.P8"): "first run: labelled met (met); found gap (verb-not-met)",
    ("n02_trailing-refs", "A.M1"): "first run: labelled gap (partial); found gap (too-few-items)",
    ("n02_trailing-refs", "D.P8"): "first run: labelled met (met); found gap (verb-not-met)",
    ("n03_evidence-table-3col", "CD.D3"): "first run: labelled met (met); found gap (part-not-covered)",
    ("n03_pandoc-footnotes", "CD.D3"): "first run: labelled met (met); found gap (part-not-covered)",
    ("n04_evidence-table-3col", "B.M2"): "first run: labelled missing (missing); found gap (too-short, "
                                         "part-not-covered, verb-not-met)",
    ("n04_evidence-table-3col", "AB.D1"): "first run: labelled missing (missing); found gap (too-short, "
                                          "verb-not-met, copied-guidance)",
    ("n04_evidence-table-3col", "D.M4"): "first run: labelled missing (missing); found gap (too-short, "
                                         "no-practice-evidence)",
    ("r03_evidence-table-3col", "4.4"): "an evaluation the learner says they would make, on a knowledge criterion: "
                                        "a gap (short, no judgement), but the practice check does not run on "
                                        "knowledge criteria, so not reported as hypothetical",
    ("r03_inline-labels", "4.4"): "an evaluation the learner says they would make, on a knowledge criterion: a gap "
                                  "(short, no judgement), but the practice check does not run on knowledge "
                                  "criteria, so not reported as hypothetical",
    ("s04_bold-normal", "A.P1"): "too few threats: a gap (internal, physical and social engineering threats not "
                                 "covered), but A.P1 has no quantity, so reported as parts, not as too few",
    ("s04_trailing-refs", "A.P1"): "too few threats: a gap (internal, physical and social engineering threats not "
                                   "covered), but A.P1 has no quantity, so reported as parts, not as too few",
    ("v23_bold-normal", "4.4"): "first run: labelled gap (hypothetical); found gap (verb-not-met)",
    ("v23_pandoc-footnotes", "4.4"): "first run: labelled gap (hypothetical); found gap (verb-not-met)",
    ("y22_evidence-table-3col", "A.M1"): "first run: labelled met (met); found gap (too-few-items)",
    ("y22_trailing-refs", "A.M1"): "first run: labelled met (met); found gap (too-few-items)",
    ("y23_bold-normal", "A.P1"): "first run: labelled gap (few); found gap (two parts not covered)",
    ("y23_pandoc-footnotes", "A.P1"): "first run: labelled gap (few); found gap (two parts not covered)",
    ("y23_pandoc-footnotes", "B.M2"): "first run: labelled gap (shallow); found met (none)",
    ("y24_bold-normal", "C.P6"): "first run: labelled gap (few); found met (none)",
    ("y24_headings-reworded", "C.P6"): "first run: labelled gap (few); found met (none)",
    ("w33_headings-reworded", "1.1"): "first run: labelled gap (few); found met (none)",
    ("w33_inline-labels", "1.1"): "first run: labelled gap (few); found met (none)",
    ("w34_headings-full", "1.2"): "first run: labelled gap (few); found met (none)",
    ("w34_headings-full", "4.4"): "first run: labelled gap (hypothetical); found gap (verb-not-met)",
    ("w34_pandoc-footnotes", "1.2"): "first run: labelled gap (few); found met (none)",
    ("w34_pandoc-footnotes", "4.4"): "first run: labelled gap (hypothetical); found gap (verb-not-met)",
    ("x31_evidence-table-3col", "A.M1"): "first run: labelled met (met); found gap (too-few-items, verb-not-met)",
    ("x31_evidence-table-3col", "AB.D1"): "first run: labelled gap (shallow); found met (none)",
    ("x31_inline-labels", "A.M1"): "first run: labelled met (met); found gap (too-few-items, verb-not-met)",
    ("x31_inline-labels", "AB.D1"): "first run: labelled gap (shallow); found met (none)",
    ("x33_headings-full", "A.P2"): "first run: labelled gap (partial); found met (none)",
    ("x33_pandoc-footnotes", "A.P2"): "first run: labelled gap (partial); found met (none)",
    ("x34_bold-normal", "C.P6"): "first run: labelled gap (few); found met (none)",
    ("x34_bold-normal", "D.P8"): "first run: labelled gap (partial); found gap (verb-not-met, no-practice-evidence)",
    ("x34_inline-labels", "D.P8"): "first run: labelled gap (partial); found gap (verb-not-met, no-practice-evidence)",
    ("v33_bold-normal", "4.4"): "a knowledge criterion's plan is caught as verb-not-met (its signal phrases follow "
                                  "'I will'), not as no-practice-evidence",
    ("v33_pandoc-footnotes", "4.4"): "a knowledge criterion's plan is caught as verb-not-met (its signal phrases "
                                       "follow 'I will'), not as no-practice-evidence",
    ("v34_headings-full", "3.1"): "first run: labelled gap (few); found met (none)",
    ("v34_trailing-refs", "3.1"): "first run: labelled gap (few); found met (none)",
    ("y31_headings-full", "CD.D3"): "first run: labelled met (met); found gap (part-not-covered)",
    ("y31_trailing-refs", "CD.D3"): "first run: labelled met (met); found gap (part-not-covered)",
    ("y33_inline-labels", "A.P1"): "first run: labelled met (met); found gap (part-not-covered)",
    ("y33_pandoc-footnotes", "A.P1"): "first run: labelled met (met); found gap (part-not-covered)",
    ("y34_bold-normal", "A.P1"): "first run: labelled gap (few); found gap (part-not-covered)",
    ("y34_headings-reworded", "A.P1"): "first run: labelled gap (few); found gap (part-not-covered)",
    ("r21_inline-labels", "3.2"): "first run: labelled gap (shallow); found met (none)",
    ("r21_pandoc-footnotes", "3.2"): "first run: labelled gap (shallow); found met (none)",
    ("r22_bold-normal", "3.3"): "first run: labelled gap (shallow); found gap (part-not-covered)",
    ("r22_headings-full", "3.3"): "first run: labelled gap (shallow); found gap (part-not-covered)",
    ("r23_evidence-table-3col", "3.1"): "first run: labelled gap (few); found met (none)",
    ("r23_trailing-refs", "3.1"): "first run: labelled gap (few); found met (none)",
    ("s24_headings-reworded", "A.P1"): "first run: labelled gap (few); found gap (part-not-covered)",
    ("s24_headings-reworded", "C.M3"): "first run: labelled gap (shallow); found gap (part-not-covered x2)",
    ("s24_trailing-refs", "A.P1"): "first run: labelled gap (few); found gap (part-not-covered)",
    ("s24_trailing-refs", "C.M3"): "first run: labelled gap (shallow); found gap (part-not-covered)",
    ("q22_inline-labels", "2.3"): "first run: labelled met (met); found gap (verb-not-met)",
    ("q22_inline-labels", "4.4"): "first run: labelled gap (shallow); found met (none)",
    ("q22_pandoc-footnotes", "2.3"): "first run: labelled met (met); found gap (verb-not-met)",
    ("q22_pandoc-footnotes", "4.4"): "first run: labelled gap (shallow); found met (none)",
    ("q24_bold-normal", "3.3"): "first run: labelled gap (shallow); found gap (part-not-covered)",
    ("q24_headings-full", "3.3"): "first run: labelled gap (shallow); found gap (part-not-covered)",
}


def _data(source: Path) -> dict:
    return yaml.safe_load(source.read_text(encoding="utf-8"))


@cache
def _pack(pack_id: str):
    return load_pack(pack_id)


@pytest.fixture(scope="module")
def results(built) -> dict[str, object]:
    return {_stem(s): check(_docx(s, built), _pack(_data(s)["pack"])) for s in SOURCES}


CASES = [(_stem(s), cid) for s in SOURCES for cid, label in _data(s)["expect"].items()
         if isinstance(label, dict) and "status" in label]


def test_every_source_names_a_shipped_pack():
    assert {_data(s)["pack"] for s in SOURCES} == {"othm-ohs-u3", "btec-it-u7", "othm-ohs-u2"}
    assert len(SOURCES) == 8 * len(SETS)


@pytest.mark.parametrize(("name", "cid"), CASES, ids=[f"{n}-{c}" for n, c in CASES])
def test_criterion_status_matches_the_assessor_label(name, cid, results, request):
    if (name, cid) in KNOWN_DISAGREEMENTS:
        request.applymarker(pytest.mark.xfail(reason=KNOWN_DISAGREEMENTS[(name, cid)], strict=True))
    want = _data(next(s for s in SOURCES if _stem(s) == name))["expect"][cid]
    assert_as_labelled(want, next(c for c in results[name].criteria if c.id == cid))


def test_btec_references_closing_paragraphs_locate_each_answer(results):
    """'(A.P2)' at the end of a paragraph closes that answer, as '(AC 1.3)' does for numbered ids."""
    by_id = {c.id: c for c in results["k02_trailing-refs"].criteria}
    for cid in ("A.P2", "A.P3", "B.P4", "C.P5", "D.P7", "D.P8"):
        assert by_id[cid].status == "met" and by_id[cid].section.located_by == "label", cid


def test_a_learner_table_column_headed_feedback_stays_in_the_answer(results):
    d_p8 = {c.id: c for c in results["k04_bold-normal"].criteria}["D.P8"]
    assert d_p8.status == "met" and d_p8.section.words > 100


def test_a_plan_to_weigh_is_not_a_weighing(results):
    """'After this I will write the strengths and weaknesses and I would make judgement ...' plans an evaluation:
    its signal phrases do not count, so 4.4 is a gap for want of strengths; a stated 'What works:' and 'What does
    not:' in the learner's plain words is an evaluation (met)."""
    planned = {c.id: c for c in results["v33_bold-normal"].criteria}["4.4"]
    assert planned.status == "gap"
    assert any(f.code == "verb-not-met" and "no strengths" in f.message for f in planned.findings)
    weighed = {c.id: c for c in results["v32_inline-labels"].criteria}["4.4"]
    assert weighed.status == "met"


def test_a_reliability_figure_alone_leaves_failure_tracing_out(results):
    by_id = {c.id: c for c in results["v31_headings-reworded"].criteria}
    assert any(f.code == "part-not-covered" and "failure tracing" in f.message for f in by_id["1.6"].findings)


def test_formal_prose_gives_reasons_without_because(results):
    """A strong learner's formal prose explains by what a fact shows ('which shows that the round ... is
    carrying most of the protection') and how a thing is done ('We developed it ... by watching the handlers
    clear jams'): each counts as a reason, so 1.6 and 2.3 are met with one 'because' or 'therefore' beside."""
    formal = {c.id: c for c in results["r22_bold-normal"].criteria}
    assert formal["1.6"].status == "met" and formal["1.3"].status == "met"
    reflective = {c.id: c for c in results["r23_trailing-refs"].criteria}
    assert reflective["2.3"].status == "met"
    # a description with no reason stays a gap: 2.1's fluent account of ISO 31000 weighs nothing
    assert formal["2.1"].status == "gap"
