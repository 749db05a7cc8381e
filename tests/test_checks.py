"""Criterion checks on labelled submissions, criterion by criterion; the JSON contract; exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Literal

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field

from checker.cli import main
from checker.engine import check

from .conftest import FIXTURES
from .labelled import assert_as_labelled
from .labelled import docx_of as _docx
from .labelled import stem as _stem

# submissions/: written with the checker in view; holdout/, holdout2/, blind3/ and blind4/: written blind
# by other authors, each measured before any tuning on it (the README gives the first-run figures).
# A source is a YAML file with a body, or NAME.expect.yaml beside a ready-made NAME.docx (pandoc).
SETS = ("submissions", "holdout", "holdout2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8", "blind9",
        "blind10", "blind11", "blind12", "blind13", "blind14", "blind15", "blind16", "blind17", "blind18", "blind19",
        "blind20", "blind21", "blind22", "blind23", "blind24", "blind25", "blind26", "blind27", "blind28", "blind29",
        "blind30", "blind31", "blind32", "blind33", "blind34", "blind35", "blind36", "blind37", "blind38",
        "blind39", "blind40", "blind41", "blind42", "blind43", "blind44", "blind45", "blind46", "blind47",
        "blind48", "blind49")
SUBMISSIONS = [s for d in SETS for s in sorted((FIXTURES / d).glob("*.yaml"))]
GAP_CODES = {"missing-section", "too-short", "too-few-items", "part-not-covered", "verb-not-met",
             "no-practice-evidence", "copied-guidance"}

# Where the checker and the fixture's assessor label still disagree; strict, so a fix is noticed.
KNOWN_DISAGREEMENTS = {
    ("gap_04_fe_college_table", "1.6"): "data protection counted apart from confidentiality of the same data",
    ("gap_06_logistics_q_labels", "3.2"): "skills, knowledge and competence are judged together (as the blind "
                                          "holdout labels do), so promoting skills alone is not flagged",
    ("h02_police_sergeant", "2.3"): "limitations weighed in one sentence each read as mentioned, not weighed",
    ("h06_events_director", "2.2"): "the gap is found, as too few networks rather than no stated criteria",
    ("k07_university_admin", "3.4"): "one section for 3.4 and 3.5: the intentions written for 3.5 count against 3.4",
    ("gap_05_hotel_essay_unlabelled", "3.1"): "found as too few members, labelled as general statements",
    ("k04_planning_officer", "2.2"): "found as a shortlist not made against criteria (verb), labelled as a part",
    ("k07_university_admin", "2.1"): "found as the needs-and-aspirations part missing, not as the verb",
    ("e04_outline-numbering", "2.2"): "criteria stated, not applied to the networks, read as a shortlist against them",
    ("e04_pandoc-footnotes", "2.2"): "criteria stated, not applied to the networks, read as a shortlist against them",
    ("f04_evidence-table-3col", "2.2"): "found as too few networks and too short, labelled as the criteria missing",
    ("f04_outline-numbering", "2.2"): "found as too few networks and too short, labelled as the criteria missing",
    ("j02_evidence-table-3col", "2.1"): "networks weighed in a table beside others only mentioned read as five",
    ("j02_headings-reworded", "2.1"): "networks weighed in a table beside others only mentioned read as five",
    ("j02_evidence-table-3col", "2.3"): "a cost named in passing reads as the limitations weighed",
    ("j02_headings-reworded", "2.3"): "a cost named in passing reads as the limitations weighed",
    ("m04_ac-answer-table-h3", "2.2"): "a body under its old name and its regional group read as two networks",
    ("m04_headings-full", "2.2"): "a body under its old name and its regional group read as two networks",
    ("n02_ac-answer-table-h3", "2.1"): "needs named in passing count as the needs-and-aspirations part",
    ("n02_inline-labels", "2.1"): "needs named in passing count as the needs-and-aspirations part",
    ("p02_trailing-refs", "2.2"): "a shortlist named by descriptions in formal prose is missed",
    ("p02_outline-numbering", "3.5"): "guidelines described as agreed in a formal passive read as evidence",
    ("p02_trailing-refs", "3.5"): "guidelines described as agreed in a formal passive read as evidence",
    ("q01_evidence-table-3col", "2.1"): "a body and its regional branch in separate table rows are counted twice",
    ("q01_pandoc-footnotes", "2.1"): "a body and its regional branch in separate table rows are counted twice",
    ("q01_evidence-table-3col", "2.2"): "a shortlist referred to by descriptions, not names, is missed",
    ("q01_pandoc-footnotes", "2.2"): "a shortlist referred to by descriptions, not names, is missed",
    ("q04_headings-full", "1.4"): "a conclusion phrased as a recommendation in a table",
    ("q04_outline-numbering", "1.4"): "a conclusion phrased as a recommendation in a table",
    ("t04_headings-reworded", "2.2"): "found as no stated criteria (its one mention of time follows 'I will'), "
                                   "labelled as a part missing",
    ("t04_inline-labels", "2.2"): "found as no stated criteria (its one mention of time follows 'I will'), "
                               "labelled as a part missing",
    ("u04_headings-full", "2.2"): "found as too short and too few networks, labelled as the criteria missing",
    ("u04_pandoc-footnotes", "2.2"): "found as too short and too few networks, labelled as the criteria missing",
    ("f04_evidence-table-3col", "2.1"): "a programme named without a kind word ('Elemis partner programme') is missed",
    ("f04_outline-numbering", "2.1"): "a programme named without a kind word ('Elemis partner programme') is missed",
    ("v03_bold-normal", "2.2"): "first run: labelled gap (partial); found gap (too-short, verb-not-met)",
    ("v03_pandoc-footnotes", "2.2"): "first run: labelled gap (partial); found gap (too-short, verb-not-met)",
    ("w04_pandoc-footnotes", "1.5"): "first run: labelled gap (partial); found met (none)",
    ("w04_trailing-refs", "1.5"): "first run: labelled gap (partial); found met (none)",
    ("x04_ac-answer-table-h3", "2.2"): "first run: labelled gap (partial); found met (none)",
    ("x04_ac-answer-table-h3", "2.3"): "first run: labelled met (met); found gap (part-not-covered)",
    ("x04_pandoc-footnotes", "2.2"): "first run: labelled gap (partial); found met (none)",
    ("x04_pandoc-footnotes", "2.3"): "first run: labelled met (met); found gap (part-not-covered)",
    ("a02_evidence-table-3col", "2.3"): "first run: labelled gap (partial); the checker finds met (none)",
    ("a02_inline-labels", "2.3"): "first run: labelled gap (partial); the checker finds met (none)",
    ("a03_bold-normal", "1.1"): "first run: labelled met (met); the checker finds gap (too-few-items)",
    ("a03_bold-normal", "2.2"): "first run: labelled gap (partial); the checker finds gap (too-few-items)",
    ("a03_pandoc-footnotes", "1.1"): "first run: labelled met (met); the checker finds gap (too-few-items)",
    ("a03_pandoc-footnotes", "2.2"): "first run: labelled gap (partial); the checker finds gap (too-few-items)",
    ("d03_ac-answer-table-h3", "1.4"): "first run: labelled gap (partial); the checker finds met (none)",
    ("d03_inline-labels", "1.4"): "first run: labelled gap (partial); the checker finds met (none)",
    ("d04_bold-normal", "1.5"): "first run: labelled met (met); the checker finds gap (verb-not-met)",
    ("d04_outline-numbering", "1.5"): "first run: labelled met (met); the checker finds gap (verb-not-met)",
    ("w12_evidence-table-3col", "1.5"): "first run: labelled gap (partial); the checker finds met (none)",
    ("w12_outline-numbering", "1.5"): "first run: labelled gap (partial); the checker finds met (none)",
    ("j22_ac-answer-table-h3", "2.2"): "first run: labelled gap (few); the checker finds met (none)",
    ("j22_bold-normal", "2.2"): "first run: labelled gap (few); the checker finds met (none)",
    ("h07_school_business_manager", "1.3"): "advice (\"should\") closing a description reads as its judgement",
    ("f32_bold-normal", "2.3"): "first run: labelled gap (partial); the checker finds met (none)",
    ("f32_evidence-table-3col", "2.3"): "first run: labelled gap (partial); the checker finds met (none)",
    ("k32_bold-normal", "2.1"): "first run: labelled met (met); the checker finds gap (too-few-items)",
    ("k32_trailing-refs", "2.1"): "first run: labelled met (met); the checker finds gap (too-few-items)",
    ("e44_outline-numbering", "1.4"): "first run: labelled gap (partial); found gap (verb-not-met)",
    ("e44_pandoc-footnotes", "1.4"): "first run: labelled gap (partial); found gap (verb-not-met)",
    ("h23_bold-normal", "2.1"): "first run: labelled gap (few); found met (none)",
    ("h23_trailing-refs", "2.1"): "first run: labelled gap (few); found met (none)",
    ("i23_ac-answer-table-h3", "1.5"): "first run: labelled gap (partial); found met (none)",
    ("i23_headings-full", "1.5"): "first run: labelled gap (partial); found met (none)",
    ("i24_evidence-table-3col", "2.1"): "first run: labelled gap (shallow); found gap (few, parts, parts, practice)",
    ("i24_headings-reworded", "2.1"): "first run: labelled gap (shallow); found gap (few, parts, parts, practice)",
    ("i04_ac-answer-table-h3", "1.4"): "a verdict as 'good at widening, poor at deepening': no marker, no 'but'",
    ("i04_inline-labels", "1.4"): "a verdict as 'good at widening, poor at deepening': no marker, no 'but'",
    ("u44_bold-normal", "1.5"): "first run: labelled gap (partial); found met (none)",
    ("u44_headings-full", "1.5"): "first run: labelled gap (partial); found met (none)",
    ("z43_ac-answer-table-h3", "1.4"): "first run: labelled gap (partial); found gap (verb-not-met)",
    ("z43_bold-normal", "1.4"): "first run: labelled gap (partial); found gap (verb-not-met)",
    ("t72_evidence-table-3col", "2.2"): "first run: labelled gap (few); found met (none)",
    ("l84_inline-labels", "1.4"): "first run: labelled gap (partial); found gap (verb-not-met)",
    ("l84_outline-numbering", "1.4"): "first run: labelled gap (partial); found gap (verb-not-met)",
    ("t83_ac-answer-table-h3", "1.6"): "first run: labelled gap (shallow); found met (none)",
    ("t83_inline-labels", "1.6"): "first run: labelled gap (shallow); found met (none)",
    ("z51_headings-reworded", "1.5"): "first run: labelled gap (partial); found met (none)",
    ("z51_headings-reworded", "2.1"): "first run: labelled met (met); found gap (too-few-items)",
    ("z51_trailing-refs", "1.5"): "first run: labelled gap (partial); found met (none)",
    ("z51_trailing-refs", "2.1"): "first run: labelled met (met); found gap (too-few-items)",
    ("z54_headings-full", "1.3"): "first run: labelled met (met); found gap (verb-not-met)",
    ("z54_headings-full", "2.2"): "first run: labelled gap (few); found met (none)",
    ("z54_headings-full", "2.3"): "first run: labelled met (met); found gap (part-not-covered)",
    ("z54_pandoc-footnotes", "1.3"): "first run: labelled met (met); found gap (verb-not-met)",
    ("z54_pandoc-footnotes", "2.2"): "first run: labelled gap (few); found met (none)",
    ("z54_pandoc-footnotes", "2.3"): "first run: labelled met (met); found gap (part-not-covered)",
    ("l92_ac-answer-table-h3", "2.2"): "first run: labelled met (met); found gap (too-few-items)",
    ("l92_trailing-refs", "2.2"): "first run: labelled met (met); found gap (too-few-items)",
    ("t93_ac-answer-table-h3", "2.3"): "first run: labelled met (met); found gap (too-few-items)",
    ("t93_evidence-table-3col", "2.3"): "first run: labelled met (met); found gap (too-few-items)",
    ("u62_bold-normal", "2.2"): "first run: labelled met (met); found gap (too-few-items)",
    ("u62_headings-full", "2.2"): "first run: labelled met (met); found gap (too-few-items)",
    ("u64_evidence-table-3col", "1.6"): "first run: labelled met (met); found gap (verb-not-met)",
    ("u64_evidence-table-3col", "2.3"): "first run: labelled gap (shallow); found gap (too-short, part-not-covered, "
                                        "part-not-covered)",
    ("u64_inline-labels", "1.6"): "first run: labelled met (met); found gap (verb-not-met)",
    ("u64_inline-labels", "2.3"): "first run: labelled gap (shallow); found gap (too-short, part-not-covered, "
                                  "part-not-covered)",
    ("z63_headings-full", "1.5"): "first run: labelled gap (partial); found met (none)",
    ("z63_headings-full", "2.3"): "first run: labelled met (met); found gap (verb-not-met)",
    ("z63_headings-full", "3.5"): "first run: labelled met (met); found gap (no-practice-evidence)",
    ("z63_outline-numbering", "1.5"): "first run: labelled gap (partial); found met (none)",
    ("z63_outline-numbering", "2.3"): "first run: labelled met (met); found gap (verb-not-met)",
    ("z63_outline-numbering", "3.5"): "first run: labelled met (met); found gap (no-practice-evidence)",
    ("a42_evidence-table-3col", "3.6"): "first run: labelled gap (partial); found met (none)",
    ("a42_pandoc-footnotes", "3.6"): "first run: labelled gap (partial); found met (none)",
    ("c41_bold-normal", "1.6"): "first run: labelled gap (few); found met (none)",
    ("c41_evidence-table-3col", "1.6"): "first run: labelled gap (few); found met (none)",
    ("d43_ac-answer-table-h3", "1.5"): "first run: labelled gap (partial); found met (none)",
    ("d43_pandoc-footnotes", "1.5"): "first run: labelled gap (partial); found met (none)",
    ("g41_bold-normal", "2.1"): "first run: labelled gap (few); found met (none)",
    ("g41_pandoc-footnotes", "2.1"): "first run: labelled gap (few); found met (none)",
    ("g44_headings-full", "1.4"): "first run: labelled gap (partial); found met (none)",
    ("g44_outline-numbering", "1.4"): "first run: labelled gap (partial); found met (none)",
    ("e61_headings-full", "1.4"): "first run: labelled met (met); found gap (verb-not-met)",
    ("e61_headings-full", "2.1"): "first run: labelled met (met); found gap (too-few-items)",
    ("e61_trailing-refs", "1.4"): "first run: labelled met (met); found gap (verb-not-met)",
    ("e61_trailing-refs", "2.1"): "first run: labelled met (met); found gap (too-few-items)",
    ("e63_bold-normal", "2.2"): "first run: labelled met (met); found gap (too-few-items)",
    ("e63_outline-numbering", "2.2"): "first run: labelled met (met); found gap (too-few-items)",
    ("e64_ac-answer-table-h3", "1.5"): "first run: labelled gap (partial); found met (none)",
    ("e64_pandoc-footnotes", "1.5"): "first run: labelled gap (partial); found met (none)",
    ("f61_bold-normal", "2.3"): "first run: labelled gap (partial); found met (none)",
    ("f61_headings-reworded", "2.3"): "first run: labelled gap (partial); found met (none)",
    ("f62_ac-answer-table-h3", "2.1"): "first run: labelled gap (few); found met (none)",
    ("f62_evidence-table-3col", "2.1"): "first run: labelled gap (few); found met (none)",
    ("f63_inline-labels", "1.4"): "first run: labelled gap (partial); found gap (verb-not-met)",
    ("f63_inline-labels", "1.6"): "first run: labelled gap (few); found met (none)",
    ("f63_outline-numbering", "1.4"): "first run: labelled gap (partial); found gap (verb-not-met)",
    ("f63_outline-numbering", "1.6"): "first run: labelled gap (few); found met (none)",
    ("f64_pandoc-footnotes", "1.3"): "first run: labelled gap (shallow); found met (none)",
    ("f64_trailing-refs", "1.3"): "first run: labelled gap (shallow); found met (none)",
    ("h61_evidence-table-3col", "1.1"): "first run: labelled gap (few); found met (none)",
    ("h61_evidence-table-3col", "3.5"): "first run: labelled gap (hypothetical); found met (none)",
    ("h61_headings-full", "1.1"): "first run: labelled gap (few); found met (none)",
    ("h61_headings-full", "3.5"): "first run: labelled gap (hypothetical); found met (none)",
    ("h62_inline-labels", "3.1"): "first run: labelled met (met); found gap (too-few-items)",
    ("h62_pandoc-footnotes", "3.1"): "first run: labelled met (met); found gap (too-few-items)",
    ("h64_headings-reworded", "1.6"): "first run: labelled met (met); found gap (verb-not-met)",
    ("h64_outline-numbering", "1.6"): "first run: labelled met (met); found gap (verb-not-met)",
    ("i61_ac-answer-table-h3", "1.4"): "first run: labelled met (met); found gap (verb-not-met)",
    ("i61_trailing-refs", "1.4"): "first run: labelled met (met); found gap (verb-not-met)",
    ("i62_evidence-table-3col", "3.1"): "first run: labelled gap (few); found met (none)",
    ("i62_outline-numbering", "3.1"): "first run: labelled gap (few); found met (none)",
    ("i64_bold-normal", "2.2"): "first run: labelled gap (few); found met (none)",
    ("i64_headings-full", "2.2"): "first run: labelled gap (few); found met (none)",
    ("j41_inline-labels", "2.2"): "first run: labelled met (met); found gap (too-few-items)",
    ("j41_pandoc-footnotes", "2.2"): "first run: labelled met (met); found gap (too-few-items)",
    ("k41_headings-reworded", "2.1"): "first run: labelled met (met); found gap (too-few-items)",
    ("k41_trailing-refs", "2.1"): "first run: labelled met (met); found gap (too-few-items)",
    ("k43_outline-numbering", "2.2"): "first run: labelled gap (few); found met (none)",
    ("k43_outline-numbering", "3.6"): "first run: labelled gap (partial); found met (none)",
    ("k43_pandoc-footnotes", "2.2"): "first run: labelled gap (few); found met (none)",
    ("k43_pandoc-footnotes", "3.6"): "first run: labelled gap (partial); found met (none)",
    ("c63_headings-reworded", "1.3"): "first run: labelled met (met); found gap (part-not-covered)",
    ("c63_headings-reworded", "2.3"): "first run: labelled met (met); found gap (part-not-covered)",
    ("c63_inline-labels", "1.3"): "first run: labelled met (met); found gap (part-not-covered)",
    ("c63_inline-labels", "2.3"): "first run: labelled met (met); found gap (part-not-covered)",
    ("d62_evidence-table-3col", "2.3"): "first run: labelled gap (partial); found met (none)",
    ("d62_outline-numbering", "2.3"): "first run: labelled gap (partial); found met (none)",
    ("g63_evidence-table-3col", "1.4"): "first run: labelled gap (partial); found met (none)",
    ("g63_evidence-table-3col", "2.1"): "first run: labelled gap (few); found met (none)",
    ("g63_evidence-table-3col", "2.3"): "first run: labelled met (met); found gap (verb-not-met)",
    ("g63_evidence-table-3col", "3.1"): "first run: labelled met (met); found gap (no-practice-evidence)",
    ("g63_headings-reworded", "1.4"): "first run: labelled gap (partial); found met (none)",
    ("g63_headings-reworded", "2.1"): "first run: labelled gap (few); found met (none)",
    ("g63_headings-reworded", "2.3"): "first run: labelled met (met); found gap (verb-not-met)",
    ("g64_outline-numbering", "3.1"): "first run: labelled gap (few); found met (none)",
    ("g64_outline-numbering", "3.5"): "first run: labelled gap (partial); found met (none)",
    ("g64_pandoc-footnotes", "3.1"): "first run: labelled gap (few); found met (none)",
    ("g64_pandoc-footnotes", "3.5"): "first run: labelled gap (partial); found met (none)",
    ("j61_bold-normal", "2.3"): "first run: labelled gap (shallow); found met (none)",
    ("j61_evidence-table-3col", "2.3"): "first run: labelled gap (shallow); found met (none)",
    ("j62_headings-reworded", "2.3"): "first run: labelled met (met); found gap (too-few-items)",
    ("j63_outline-numbering", "2.1"): "first run: labelled met (met); found gap (too-few-items)",
    ("j63_outline-numbering", "2.2"): "first run: labelled met (met); found gap (too-few-items)",
    ("j63_trailing-refs", "2.1"): "first run: labelled met (met); found gap (too-few-items)",
    ("j63_trailing-refs", "2.2"): "first run: labelled met (met); found gap (too-few-items)",
    ("h42_ac-answer-table-h3", "2.1"): "first run: labelled gap (few); found met (none)",
    ("h42_trailing-refs", "2.1"): "first run: labelled gap (few); found met (none)",
    ("h44_headings-reworded", "1.4"): "first run: labelled gap (partial); found gap (verb-not-met)",
    ("h44_inline-labels", "1.4"): "first run: labelled gap (partial); found gap (verb-not-met)",
    ("i41_pandoc-footnotes", "2.3"): "first run: labelled gap (partial); found met (none)",
    ("i41_trailing-refs", "2.3"): "first run: labelled gap (partial); found met (none)",
    ("i43_bold-normal", "1.5"): "first run: labelled gap (partial); found met (none)",
    ("i43_headings-full", "1.5"): "first run: labelled gap (partial); found met (none)",
    ("i44_ac-answer-table-h3", "2.2"): "first run: labelled met (met); found gap (no-practice-evidence)",
    ("i44_outline-numbering", "2.2"): "first run: labelled met (met); found gap (no-practice-evidence)",
    ("f84_bold-normal", "1.5"): "first run: labelled gap (partial); found met (none)",
    ("f84_outline-numbering", "1.5"): "first run: labelled gap (partial); found met (none)",
    ("f84_outline-numbering", "3.4"): "first run: labelled missing (missing); found met (none)",
    ("f84_outline-numbering", "3.6"): "first run: labelled met (met); found gap (part-not-covered)",
    ("f84_outline-numbering", "3.7"): "first run: labelled met (met); found missing (missing-section)",
    ("g83_ac-answer-table-h3", "1.6"): "first run: labelled met (met); found gap (verb-not-met)",
    ("g83_pandoc-footnotes", "1.6"): "first run: labelled met (met); found gap (verb-not-met)",
    ("a63_inline-labels", "1.4"): "first run: labelled gap (partial); found gap (verb-not-met)",
    ("a63_pandoc-footnotes", "1.4"): "first run: labelled gap (partial); found gap (verb-not-met)",
    ("b61_bold-normal", "1.5"): "first run: labelled gap (shallow); found met (none)",
    ("b61_pandoc-footnotes", "1.5"): "first run: labelled gap (shallow); found met (none)",
    ("k62_headings-full", "2.1"): "first run: labelled gap (partial); found gap (too-few-items)",
    ("k62_trailing-refs", "2.1"): "first run: labelled gap (partial); found gap (too-few-items)",
    ("n63_outline-numbering", "1.3"): "first run: labelled gap (shallow); found met (none)",
    ("n63_outline-numbering", "1.5"): "first run: labelled gap (partial); found met (none)",
    ("n63_pandoc-footnotes", "1.3"): "first run: labelled gap (shallow); found met (none)",
    ("n63_pandoc-footnotes", "1.5"): "first run: labelled gap (partial); found met (none)",
    ("f87_evidence-table-3col", "2.2"): "first run: labelled gap (partial); found gap (too-short, verb-not-met)",
    ("f87_inline-labels", "2.2"): "first run: labelled gap (partial); found gap (too-short, verb-not-met)",
    ("c84_headings-reworded", "1.5"): "first run: labelled gap (partial); found met (none)",
    ("c84_inline-labels", "1.5"): "first run: labelled gap (partial); found met (none)",
    ("c89_ac-answer-table-h3", "1.4"): "first run: labelled gap (partial); found gap (verb-not-met)",
    ("c89_headings-full", "1.4"): "first run: labelled gap (partial); found gap (verb-not-met)",
    ("d83_ac-answer-table-h3", "1.5"): "first run: labelled gap (partial); found met (none)",
    ("d83_trailing-refs", "1.5"): "first run: labelled gap (partial); found met (none)",
    ("d84_bold-normal", "2.2"): "first run: labelled gap (partial); found gap (too-short)",
    ("d84_pandoc-footnotes", "2.2"): "first run: labelled gap (partial); found gap (too-short)",
    ("d89_evidence-table-3col", "1.4"): "first run: labelled gap (partial); found gap (verb-not-met)",
    ("d89_headings-full", "1.4"): "first run: labelled gap (partial); found gap (verb-not-met)",
    ("i83_bold-normal", "2.2"): "first run: labelled gap (partial); found met (none)",
    ("i83_inline-labels", "2.2"): "first run: labelled gap (partial); found met (none)",
    ("i84_ac-answer-table-h3", "3.6"): "first run: labelled gap (partial); found met (none)",
    ("i88_bold-normal", "1.5"): "first run: labelled gap (shallow); found met (none)",
    ("i88_headings-reworded", "1.5"): "first run: labelled gap (shallow); found met (none)",
    ("i89_evidence-table-3col", "1.5"): "first run: labelled gap (partial); found met (none)",
    ("i89_evidence-table-3col", "2.3"): "first run: labelled gap (shallow); found met (none)",
    ("i89_trailing-refs", "1.5"): "first run: labelled gap (partial); found met (none)",
    ("i89_trailing-refs", "2.3"): "first run: labelled gap (shallow); found met (none)",
    ("j84_headings-full", "3.6"): "first run: labelled gap (partial); found met (none)",
    ("j84_outline-numbering", "3.6"): "first run: labelled gap (partial); found met (none)",
    ("j86_bold-normal", "1.3"): "first run: labelled met (met); found gap (verb-not-met)",
    ("j86_headings-reworded", "1.3"): "first run: labelled met (met); found gap (verb-not-met)",
    ("a81_headings-full", "2.1"): "first run: labelled gap (few); found met (none)",
    ("a81_workbook-qa", "2.1"): "first run: labelled gap (few); found met (none)",
    ("a82_bold-normal", "1.6"): "first run: labelled gap (few); found met (none)",
    ("a82_pandoc-footnotes", "1.6"): "first run: labelled gap (few); found met (none)",
    ("a83_evidence-table-3col", "2.3"): "first run: labelled met (met); found gap (verb-not-met)",
    ("a83_trailing-refs", "2.3"): "first run: labelled met (met); found gap (verb-not-met)",
    ("a83_trailing-refs", "3.7"): "first run: labelled met (met); found gap (too-few-items)",
    ("a84_inline-labels", "1.1"): "first run: labelled gap (few); found met (none)",
    ("a84_outline-numbering", "1.1"): "first run: labelled gap (few); found met (none)",
    ("a86_ac-answer-table-h3", "2.1"): "first run: labelled gap (few); found met (none)",
    ("a86_headings-reworded", "2.1"): "first run: labelled gap (few); found met (none)",
    ("a88_evidence-table-3col", "3.5"): "first run: labelled gap (partial); found met (none)",
    ("a88_evidence-table-3col", "3.7"): "first run: labelled met (met); found gap (too-few-items)",
    ("a88_pandoc-footnotes", "3.5"): "first run: labelled gap (partial); found met (none)",
    ("a88_pandoc-footnotes", "3.7"): "first run: labelled met (met); found gap (too-few-items)",
    ("b81_evidence-table-3col", "2.1"): "first run: labelled gap (few); found met (none)",
    ("b81_workbook-qa", "1.3"): "first run: labelled gap (partial); found met (none)",
    ("b81_workbook-qa", "2.1"): "first run: labelled gap (few); found met (none)",
    ("b82_headings-reworded", "2.3"): "first run: labelled met (met); found gap (part-not-covered)",
    ("b82_headings-reworded", "3.7"): "first run: labelled gap (few); found met (none)",
    ("b82_trailing-refs", "2.3"): "first run: labelled met (met); found gap (part-not-covered)",
    ("b82_trailing-refs", "3.7"): "first run: labelled gap (few); found met (none)",
    ("b83_outline-numbering", "1.4"): "first run: labelled met (met); found gap (verb-not-met)",
    ("b83_outline-numbering", "1.6"): "first run: labelled met (met); found gap (verb-not-met)",
    ("b83_pandoc-footnotes", "1.4"): "first run: labelled met (met); found gap (verb-not-met)",
    ("b83_pandoc-footnotes", "1.6"): "first run: labelled met (met); found gap (verb-not-met)",
    ("b84_ac-answer-table-h3", "2.2"): "first run: labelled gap (partial); found met (none)",
    ("b84_bold-normal", "2.2"): "first run: labelled gap (partial); found met (none)",
    ("b86_headings-full", "2.1"): "first run: labelled gap (few); found met (none)",
    ("b86_inline-labels", "2.1"): "first run: labelled gap (few); found met (none)",
    ("b87_bold-normal", "3.7"): "first run: labelled gap (few); found met (none)",
    ("b87_trailing-refs", "3.7"): "first run: labelled gap (few); found met (none)",
    ("b88_outline-numbering", "1.1"): "first run: labelled gap (few); found met (none)",
    ("b88_workbook-qa", "1.1"): "first run: labelled gap (few); found met (none)",
    ("b88_workbook-qa", "3.5"): "first run: labelled missing (missing); found gap (too-short, no-practice-evidence)",
    ("b89_evidence-table-3col", "2.1"): "first run: labelled met (met); found gap (too-few-items)",
    ("b89_pandoc-footnotes", "2.1"): "first run: labelled met (met); found gap (too-few-items)",
}


def _labels(source: Path) -> dict:
    return yaml.safe_load(source.read_text(encoding="utf-8"))["expect"]


@pytest.fixture(scope="module")
def results(built, pack) -> dict[str, object]:
    return {_stem(s): check(_docx(s, built), pack) for s in SUBMISSIONS}


CASES = [(_stem(s), cid) for s in SUBMISSIONS for cid, label in _labels(s).items()
         if cid != "document" and isinstance(label, dict) and "status" in label]


@pytest.mark.parametrize(("name", "cid"), CASES, ids=[f"{n}-{c}" for n, c in CASES])
def test_criterion_status_matches_the_assessor_label(name, cid, results, request):
    if (name, cid) in KNOWN_DISAGREEMENTS:
        request.applymarker(pytest.mark.xfail(reason=KNOWN_DISAGREEMENTS[(name, cid)], strict=True))
    want = _labels(next(s for s in SUBMISSIONS if _stem(s) == name))[cid]
    assert_as_labelled(want, next(c for c in results[name].criteria if c.id == cid))


@pytest.mark.parametrize("name", [s.stem for s in SUBMISSIONS if s.stem.startswith("clean_")])
def test_clean_submissions_raise_no_gap_at_all(name, results):
    result = results[name]
    assert result.summary == {"criteria": 16, "met": 16, "gap": 0, "missing": 0}
    assert not [f for c in result.criteria for f in c.findings if f.severity == "gap"]


def test_quantities_count_distinct_developed_items(results):
    by_id = {c.id: c for c in results["clean_headings"].criteria}
    # each item as the learner named it, case kept
    assert by_id["1.1"].items == ["Listening attentively", "Building rapport and trust", "Influencing and persuading",
                                  "Confidence and composure", "Body language"]
    # Rapport described twice under two names counts once.
    gap = {c.id: c for c in results["gap_02_civils_site_manager"].criteria}["1.1"]
    assert gap.status == "gap" and gap.items == ["Rapport", "Active listening"]
    bare = {c.id: c for c in results["gap_06_logistics_q_labels"].criteria}["1.1"]
    assert bare.items == [] and {f.code for f in bare.findings} >= {"verb-not-met", "too-few-items"}


def test_document_level_findings(results):
    assert "no-references" in {f.code for f in results["gap_03_hospice_fundraising"].findings}
    assert "unlabelled-sections" in {f.code for f in results["gap_05_hotel_essay_unlabelled"].findings}
    assert "word-count" in {f.code for f in results["gap_07_vet_practice_short"].findings}
    assert not {f.code for f in results["clean_headings"].findings}
    assert all(f.severity == "warning" for r in results.values() for f in r.findings)


# --- the JSON contract ------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FindingJ(_Strict):
    code: str
    severity: Literal["gap", "warning", "info"]
    message: str
    evidence: list[str]


class SectionJ(_Strict):
    heading: str
    located_by: Literal["heading", "label", "table", "numbering", "content"]
    words: int


class EvidenceJ(_Strict):
    quote: str = Field(min_length=1)
    supports: str = Field(pattern=r"^(verb|practice|length|item:.+|part:.+)$")


class CriterionJ(BaseModel):  # contract keys below; further keys (text, verb, kind) are allowed
    id: str
    status: Literal["met", "gap", "missing"]
    section: SectionJ | None
    items: list[str] | None = None
    evidence: list[EvidenceJ]
    findings: list[FindingJ]


class SubmissionJ(_Strict):
    path: str
    sha256: str = Field(pattern=r"^([0-9a-f]{64})?$")
    words: int
    set_aside: dict[str, int]  # words not counted, by reason (contents, references, appendix)


class PackJ(_Strict):
    id: str
    unit: str
    title: str
    version: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class CheckerJ(_Strict):
    version: str


class SummaryJ(_Strict):
    criteria: int
    met: int
    gap: int
    missing: int


class ResultJ(_Strict):
    schema_: Literal["checker.result/1"]
    checker: CheckerJ
    submission: SubmissionJ
    pack: PackJ
    summary: SummaryJ
    criteria: list[CriterionJ]
    findings: list[FindingJ]
    errors: list[dict]

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @classmethod
    def parse(cls, data: dict) -> ResultJ:
        return cls.model_validate({**{k: v for k, v in data.items() if k != "schema"}, "schema_": data["schema"]})


def _json(argv: list[str], capsys) -> tuple[int, object]:
    code = main(argv)
    return code, json.loads(capsys.readouterr().out)


def test_json_output_follows_the_contract(built, capsys):
    path = built / "submissions" / "gap_04_fe_college_table.docx"
    code, data = _json(["check", str(path), "--pack", "ml25", "--format", "json"], capsys)
    assert code == 1
    result = ResultJ.parse(data)
    assert result.submission.path == str(path) and len(result.submission.sha256) == 64
    assert result.pack.id == "ml25" and result.pack.unit == "M&L 25"
    s = result.summary
    assert s.criteria == 16 == s.met + s.gap + s.missing == len(result.criteria)
    for c in result.criteria:
        assert (c.section is None) == (c.status == "missing")
        has_gap = any(f.severity == "gap" for f in c.findings)
        assert c.status == ("missing" if c.section is None else "gap" if has_gap else "met")
        assert all(f.code in GAP_CODES for f in c.findings)
        if c.id in {"1.1", "1.6", "2.1", "2.2", "2.3", "3.1", "3.7"}:
            assert c.items is not None
    missing = next(c for c in result.criteria if c.id == "3.3")
    assert missing.status == "missing" and missing.findings[0].code == "missing-section"
    short = next(c for c in result.criteria if c.id == "3.6")
    assert short.findings[0].code == "too-short" and "I reviewed my networks" in short.findings[0].evidence[0]


def test_json_is_identical_across_runs_and_processes(built, capsys):
    path = str(built / "submissions" / "clean_labels.docx")
    _, first = _json(["check", path, "--format", "json"], capsys)
    _, second = _json(["check", path, "--format", "json"], capsys)
    other = subprocess.run([sys.executable, "-m", "checker.cli", "check", path, "--format", "json"],
                           capture_output=True, text=True, check=False)
    assert first == second == json.loads(other.stdout)
    assert other.returncode == 0


def test_one_set_checked_alone_in_a_fresh_process(built):
    """A library caller checking one folder in a fresh process: what a check reads of a word (a lemma set from
    the lookup table) must not depend on strings an earlier file happened to add."""
    files = sorted(str(p) for p in (built / "holdout2").glob("*.docx"))
    code = ("import sys; from checker.engine import check; from checker.packs import load_pack; p = load_pack('ml25'); "
            "[check(f, p) for f in sys.argv[1:]]; print('ok')")
    done = subprocess.run([sys.executable, "-c", code, *files], capture_output=True, text=True, check=False)
    assert done.stdout.strip() == "ok", done.stderr[-500:]


def test_several_files_give_a_json_array_and_the_worst_exit_code(built, capsys):
    files = [str(built / "submissions" / n) for n in ("clean_table.docx", "gap_07_vet_practice_short.docx")]
    code, data = _json(["check", *files, "--format", "json"], capsys)
    assert code == 1 and isinstance(data, list) and len(data) == 2
    assert [d["summary"]["gap"] + d["summary"]["missing"] > 0 for d in data] == [False, True]
    assert main(["check", files[0]]) == 0


def test_text_summary_lists_one_line_per_criterion_then_findings(built, capsys):
    assert main(["check", str(built / "submissions" / "gap_06_logistics_q_labels.docx")]) == 1
    out = capsys.readouterr().out
    for cid in ("1.1", "2.2", "3.7"):
        assert f" {cid} " in out
    assert "Findings:" in out and "too-short" in out
    assert out.index("Findings:") > out.index("3.7")


def test_output_file_and_learner_advice(built, tmp_path, capsys):
    out = tmp_path / "report.txt"
    path = str(built / "submissions" / "gap_02_civils_site_manager.docx")
    assert main(["check", path, "--audience", "learner", "--output", str(out)]) == 1
    text = out.read_text()
    assert "What to add" in text and "your draft develops two" in text
    assert not re.search(r"\brefer(ral|red|s)?\b", text.lower())  # no referral language ("references" is fine)


def test_every_decision_has_the_learners_own_words_behind_it(results, pack):
    """Every met criterion has evidence; every quote is verbatim learner text (whitespace aside), never the
    criterion's own text or the unit's guidance; a missing criterion quotes nothing of its own text."""
    from checker.reader import read

    by_id = {c.id: c for c in pack.criteria}
    flat = " ".join  # whitespace normalised
    checked = 0
    for name, result in results.items():
        body = flat(flat(b.text.split()) for b in read(result.path).blocks)
        for c in result.criteria:
            if c.status == "met":
                assert c.evidence, (name, c.id)
            own = flat(f"{by_id[c.id].text} {by_id[c.id].guidance}".split()).lower()
            for e in c.evidence:
                quote = flat(e.quote.split())
                assert quote in body, (name, c.id, e.quote)
                assert quote.lower().strip(" .") not in own, (name, c.id, e.quote)
                assert e.supports in ("verb", "practice", "length") or e.supports.startswith(("item:", "part:"))
                checked += 1
            if c.status == "missing":
                assert not any(by_id[c.id].text in q for f in c.findings for q in f.evidence), (name, c.id)
    assert checked > 1000


def test_counted_items_each_have_their_sentence(results):
    c = {c.id: c for c in results["clean_headings"].criteria}["3.1"]
    items = [e for e in c.evidence if e.supports.startswith("item:")]
    assert [e.supports for e in items] == [f"item:{n}" for n in c.items]
    assert all(n.split()[-1] in e.quote for n, e in zip(c.items, items, strict=True))
