"""What a check returns: findings per criterion and for the document, in the JSON contract's shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import __version__

RESULT_SCHEMA = "checker.result/1"
_NUMBERS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def number(n: int) -> str:
    return _NUMBERS[n] if 0 <= n < len(_NUMBERS) else str(n)
SEVERITIES = ("gap", "warning", "info")
GRADE_WORDS = {"refer": "not yet a pass", "pass": "pass", "merit": "merit", "distinction": "distinction"}


def supported_grade(criteria: list[tuple[str | None, bool]]) -> str:
    """The highest grade the criteria support on this evidence, by the BTEC rule: every pass criterion
    for a pass, every pass and merit for a merit, every pass, merit and distinction for a distinction.
    A grade the unit has no criteria for is never reached (an end-point plan with P and D only)."""
    met = {g: [ok for grade, ok in criteria if grade == g] for g in ("pass", "merit", "distinction")}
    if not met["pass"] or not all(met["pass"]):
        return "refer"
    best = "pass"
    for g, lower in (("merit", ["merit"]), ("distinction", ["merit", "distinction"])):
        if met[g] and all(all(met[x]) for x in lower):
            best = g
    return best


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str  # gap | warning | info
    message: str
    evidence: tuple[str, ...] = ()
    advice: str = ""  # the same finding phrased for the learner, as what to add

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "message": self.message,
                "evidence": list(self.evidence)}

    def text_for(self, audience: str) -> str:
        return self.advice if audience == "learner" and self.advice else self.message


@dataclass(frozen=True)
class Evidence:
    """The learner's own words behind a decision: a verbatim sentence and what it supports
    (verb | item:NAME | part:NAME | practice | length)."""

    quote: str
    supports: str

    def to_json(self) -> dict[str, str]:
        return {"quote": self.quote, "supports": self.supports}


@dataclass(frozen=True)
class Located:
    """Where the answer to a criterion was found, for the report and for annotating the .docx."""

    heading: str
    located_by: str
    words: int
    anchor_text: str  # text of the anchoring paragraph (or the first answer paragraph)
    first_words: str
    shared_with: tuple[str, ...] = ()


@dataclass
class CriterionResult:
    id: str
    text: str
    verb: str
    kind: str
    section: Located | None
    items: list[str] | None
    findings: list[Finding] = field(default_factory=list)
    advice: str = ""  # the pack's guidance, for learners
    grade: str | None = None  # graded units: pass | merit | distinction
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.section is None:
            return "missing"
        return "gap" if any(f.severity == "gap" for f in self.findings) else "met"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "status": self.status, "text": self.text, "verb": self.verb,
                               "kind": self.kind}
        if self.grade:
            out["grade"] = self.grade
        out["section"] = None if self.section is None else {
            "heading": self.section.heading, "located_by": self.section.located_by, "words": self.section.words}
        if self.items is not None:
            out["items"] = list(self.items)
        out["evidence"] = [e.to_json() for e in self.evidence]
        out["findings"] = [f.to_json() for f in self.findings]
        return out


@dataclass
class Result:
    path: str
    sha256: str
    words: int
    pack: dict[str, str]  # id, unit, title, version
    criteria: list[CriterionResult]
    findings: list[Finding] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    set_aside: dict[str, int] = field(default_factory=dict)  # words not counted, by reason (contents, ...)

    @property
    def summary(self) -> dict[str, int | str]:
        counts: dict[str, int | str] = {"criteria": len(self.criteria), "met": 0, "gap": 0, "missing": 0}
        for c in self.criteria:
            counts[c.status] += 1
        if any(c.grade for c in self.criteria):
            counts["grade"] = supported_grade([(c.grade, c.status == "met") for c in self.criteria])
        return counts

    @property
    def ok(self) -> bool:
        return not self.errors and all(c.status == "met" for c in self.criteria)

    @property
    def exit_code(self) -> int:
        return 2 if self.errors else (0 if self.ok else 1)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": RESULT_SCHEMA,
            "checker": {"version": __version__},
            "submission": {"path": self.path, "sha256": self.sha256, "words": self.words,
                           "set_aside": dict(self.set_aside)},
            "pack": dict(self.pack),
            "summary": self.summary,
            "criteria": [c.to_json() for c in self.criteria],
            "findings": [f.to_json() for f in self.findings],
            "errors": [e.to_json() for e in self.errors],
        }
