"""Settings for centres' pipelines: `[tool.checker]` in pyproject.toml, or a checker.toml.

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


def load_config(path: str | None = None, cwd: Path | None = None) -> dict[str, Any]:
    """The explicit file, else ./checker.toml, else ./pyproject.toml's [tool.checker], else nothing."""
    cwd = cwd or Path.cwd()
    candidates = [Path(path)] if path else [cwd / "checker.toml", cwd / "pyproject.toml"]
    for candidate in candidates:
        if not candidate.is_file():
            if path:
                raise CheckerError(candidate, "config file not found")
            continue
        try:
            data = tomllib.loads(candidate.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise CheckerError(candidate, f"not valid TOML: {e}") from None
        tool = data.get("tool", {}).get("checker")
        section = tool if candidate.name == "pyproject.toml" or tool is not None else data
        if section is None:
            continue
        unknown = set(section) - KEYS
        if unknown:
            raise CheckerError(candidate, f"unknown setting(s): {', '.join(sorted(unknown))}")
        return dict(section)
    return {}
