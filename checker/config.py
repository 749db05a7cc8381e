"""Settings for centres' pipelines: `[tool.checker]` in pyproject.toml, or a checker.toml.

Found as ruff and Vale find theirs: the nearest checker.toml, or pyproject.toml with a [tool.checker] table,
in the current folder or any folder above it. `--config PATH` names one; `--no-config` ignores them all.
Keys: pack, formats (list), audience, fail_level (gap | missing | none), jobs, unreadable (error |
warning). Command-line flags override them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from .errors import CheckerError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

KEYS = {"pack", "formats", "audience", "fail_level", "jobs", "unreadable"}
CHOICES = {"audience": ("assessor", "learner"), "fail_level": ("gap", "missing", "none"),
           "unreadable": ("error", "warning")}
FAIL_LEVELS = CHOICES["fail_level"]
FORMATS = ("text", "json", "html", "markdown", "junit")  # a report file per submission (batch)
MAX_JOBS = 256  # worker processes: more is a typo (or 1e9, which forked until the machine gave out)


def _wrong_type(key: str, value: Any) -> str | None:
    """Why a setting's value cannot be used (a TOML file may give any type), or None."""
    if key == "pack" and not isinstance(value, str):
        return "a pack id or a path in quotes"
    if key == "jobs" and (isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_JOBS):
        return f"a whole number from 1 to {MAX_JOBS}"
    if key == "formats" and (not isinstance(value, list) or not value
                             or any(f not in FORMATS for f in value)):
        return f"a list of one or more of {', '.join(FORMATS)}"
    return None


def _section(candidate: Path, explicit: bool) -> dict[str, Any] | None:
    """The settings in one file, or None when it has none (a pyproject.toml without [tool.checker])."""
    try:
        data = tomllib.loads(candidate.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise CheckerError(candidate, f"not valid TOML: {e}") from None
    except OSError as e:
        raise CheckerError(candidate, f"cannot read config: {e.strerror or e}") from None
    tool = data.get("tool", {}).get("checker") if isinstance(data.get("tool"), dict) else None
    if candidate.name == "pyproject.toml" or tool is not None:
        if tool is None and explicit:
            raise CheckerError(candidate, "no [tool.checker] table in this file")
        section = tool
    else:
        section = data
    if section is None:
        return None
    unknown = set(section) - KEYS
    if unknown:
        raise CheckerError(candidate, f"unknown setting(s): {', '.join(sorted(unknown))}")
    for key, allowed in CHOICES.items():
        if key in section and section[key] not in allowed:
            raise CheckerError(candidate, f"{key} = {section[key]!r}: expected one of {', '.join(allowed)}")
    for key, value in section.items():
        if (expected := _wrong_type(key, value)) is not None:
            raise CheckerError(candidate, f"{key} = {value!r}: expected {expected}")
    return dict(section)


def find_config(cwd: Path | None = None) -> Path | None:
    """The nearest checker.toml or pyproject.toml with [tool.checker], from `cwd` upwards."""
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in ("checker.toml", "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file() and (name == "checker.toml" or _section(candidate, False) is not None):
                return candidate
    return None


def load_config(path: str | None = None, cwd: Path | None = None, disabled: bool = False) -> dict[str, Any]:
    """The settings of the explicit file, else of the nearest one found upwards, else none.

    A `pack` that names a file is resolved against the config file's folder, as the centre wrote it."""
    if disabled:
        return {}
    if path:
        candidate: Path | None = Path(path)
        if not candidate.is_file():
            raise CheckerError(candidate, "config file not found")
    else:
        candidate = find_config(cwd)
    if candidate is None:
        return {}
    section = _section(candidate, bool(path)) or {}
    pack = section.get("pack")
    if isinstance(pack, str) and (pack.endswith((".yaml", ".yml")) or "/" in pack):
        beside = candidate.resolve().parent / pack
        if beside.is_file():
            section["pack"] = str(beside)
    return section


def exit_code(statuses: list[str], errors: bool, fail_level: str) -> int:
    """2 for an unreadable input; else 1 when a criterion is at or past the fail level; else 0.

    `statuses` are criterion statuses (met | gap | missing) across every submission."""
    if errors:
        return 2
    if fail_level == "none":
        return 0
    if fail_level == "missing":
        return 1 if "missing" in statuses else 0
    return 1 if any(s != "met" for s in statuses) else 0
