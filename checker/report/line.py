"""CI formats: one line per finding. `line` is `FILE:CRITERION:SEVERITY:CODE: message` (like Vale's line
output, for grep and editors); `github` is GitHub Actions workflow commands, shown as annotations."""

from __future__ import annotations

from collections.abc import Iterator

from ..result import Finding, Result

GITHUB_LEVEL = {"gap": "error", "error": "error", "warning": "warning", "info": "notice"}


def _findings(result: Result, audience: str) -> Iterator[tuple[str, str, str, str]]:
    """(criterion or "document", severity, code, message) for every finding, errors as severity "error"."""
    def one(where: str, severity: str, f: Finding) -> tuple[str, str, str, str]:
        return where, severity, f.code, " ".join(f.text_for(audience).split())

    for e in result.errors:
        yield one("document", "error", e)
    for c in result.criteria:
        for f in c.findings:
            yield one(c.id, f.severity, f)
    for f in result.findings:
        yield one("document", f.severity, f)


def to_line(results: list[Result], audience: str = "assessor") -> str:
    return "".join(f"{r.path}:{where}:{severity}:{code}: {message}\n"
                   for r in results for where, severity, code, message in _findings(r, audience))


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(results: list[Result], audience: str = "assessor") -> str:
    out = []
    for r in results:
        for where, severity, code, message in _findings(r, audience):
            title = f"{code}" if where == "document" else f"AC {where} {code}"
            out.append(f"::{GITHUB_LEVEL.get(severity, 'notice')} file={_escape_property(r.path)},"
                       f"title={_escape_property(title)}::{_escape_data(message)}\n")
    return "".join(out)
