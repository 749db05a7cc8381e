"""Renderers: a Result becomes json, text, markdown, html, junit, line or github. Human-facing text comes from
Jinja2 templates in reports/templates/; renderers never re-read the document."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from .. import __version__
from ..result import Result
from ..safetext import escape_controls, url_path
from .wording import guidance_blocks, stamp, to_learner, words_phrase

STATUS_LABEL = {"met": "MET", "gap": "GAP", "missing": "MISSING"}


def templates_dir() -> Path:
    """reports/templates/ in a checkout, checker/templates/ when installed from a wheel."""
    package = Path(__file__).resolve().parents[1]
    checkout = package.parent / "reports" / "templates"
    return checkout if checkout.is_dir() else package / "templates"


@cache
def environment():  # noqa: ANN201 - jinja2.Environment, imported lazily
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=jinja2.select_autoescape(["html", "html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["STATUS_LABEL"] = STATUS_LABEL
    env.globals["CHECKER_VERSION"] = __version__
    env.filters["guidance_blocks"] = guidance_blocks
    env.filters["to_learner"] = to_learner
    env.globals["stamp"] = stamp
    env.globals["words_phrase"] = words_phrase
    env.filters["url_path"] = url_path  # report links: relative and quoted, never a scheme ("javascript:")
    return env


def to_json(results: list[Result]) -> str:
    data = [r.to_json() for r in results]
    return json.dumps(data[0] if len(data) == 1 else data, indent=2, ensure_ascii=False)


def render(results: list[Result], fmt: str, audience: str = "assessor") -> str:
    if fmt == "json":
        return to_json(results)
    if fmt in ("line", "github"):
        from .line import to_github, to_line

        return (to_line if fmt == "line" else to_github)(results, audience)
    if fmt == "junit":
        from .junit import to_junit

        return to_junit(results)
    template = {"text": "text.j2", "markdown": "markdown.md.j2", "html": "report.html.j2"}[fmt]
    text = environment().get_template(template).render(results=results, audience=audience)
    # text and markdown go to terminals: a crafted file name must not carry escape sequences there
    return text if fmt == "html" else escape_controls(text)
