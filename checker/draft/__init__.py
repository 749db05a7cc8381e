"""Draft a rule pack from a unit specification (`checker pack draft SPEC`).

read/ turns a .txt, .docx, .pdf or .html into lines; parse.py finds outcomes, criteria and their guidance
in whichever layout the awarding body used; analyse.py reads each criterion for its verb, kind, quantity
and parts; emit.py writes the pack's YAML with `# check:` comments for what a person must decide.
"""

from __future__ import annotations

import re
from pathlib import Path

from .emit import render
from .parse import Spec, parse
from .read import read_spec


def draft(path: Path | str, pack_id: str | None = None) -> str:
    """The YAML text of a draft pack for the specification at `path` (CheckerError if it has no criteria)."""
    path = Path(path)
    source = read_spec(path)
    spec = parse(source.lines, source.meta)
    return render(spec, path, pack_id or slug(path.stem), "\n".join(source.lines))


def draft_spec(path: Path | str) -> Spec:
    source = read_spec(path)
    return parse(source.lines, source.meta)


def slug(stem: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return s if re.match(r"^[a-z0-9]", s) else f"pack-{s}"
