"""Counting rules on small annotated examples (fixtures/items/): each `expect` lists the items an assessor
counts for a criterion, as the learner named them, and the checker must count exactly those."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from checker.engine import check

from .conftest import FIXTURES

SOURCES = sorted((FIXTURES / "items").glob("*.yaml"))
CASES = [(s.stem, cid) for s in SOURCES for cid in yaml.safe_load(s.read_text(encoding="utf-8"))["expect"]]


@pytest.fixture(scope="module")
def results(built, pack) -> dict[str, object]:
    return {s.stem: check(built / "items" / f"{s.stem}.docx", pack) for s in SOURCES}


@pytest.mark.parametrize(("name", "cid"), CASES, ids=[f"{n}-{c}" for n, c in CASES])
def test_items_are_those_an_assessor_counts(name, cid, results):
    want = yaml.safe_load((FIXTURES / "items" / f"{name}.yaml").read_text(encoding="utf-8"))["expect"][cid]
    got = next(c for c in results[name].criteria if c.id == cid)
    assert got.items == want["items"], [(f.code, f.message) for f in got.findings]


def test_each_counted_item_quotes_its_own_sentence(results):
    for result in results.values():
        for c in result.criteria:
            quoted = [e for e in c.evidence if e.supports.startswith("item:")]
            assert [e.supports[5:] for e in quoted] == list(c.items or [])


def test_the_word_lists_are_data(tmp_path: Path):
    """A facet word added to rules/items.yaml changes the count without touching code."""
    from checker.packs import load_items

    lib = load_items()
    assert "benefits" in lib.facets and "manager" in lib.roles and "branch" in lib.branch_words
