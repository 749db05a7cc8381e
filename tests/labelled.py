"""What the labelled-set tests share: where a source's .docx is, and how a criterion's result is held to its
assessor label (status, and for a gap the reason the assessor gives)."""

from __future__ import annotations

from pathlib import Path

KIND_CODE = {"few": "too-few-items", "shallow": "verb-not-met", "hypothetical": "no-practice-evidence",
             "copied": "copied-guidance", "short": "too-short", "partial": "part-not-covered",
             "missing": "missing-section"}


def stem(source: Path) -> str:
    return source.name.split(".")[0]


def docx_of(source: Path, built: Path) -> Path:
    """A YAML source's built file, or the ready-made .docx beside a NAME.expect.yaml (pandoc)."""
    if source.name.endswith(".expect.yaml"):
        return source.with_name(f"{stem(source)}.docx")
    return built / source.parent.name / f"{source.stem}.docx"


def assert_as_labelled(want: dict, got) -> None:  # noqa: ANN001 - a result.CriterionResult
    detail = [(f.code, f.message) for f in got.findings]
    assert got.status == want["status"], detail
    if want["status"] == "gap":  # and the reason the assessor gives is among the findings
        codes = set(want.get("codes") or [KIND_CODE[want["kind"]]])
        assert codes & {f.code for f in got.findings}, detail
