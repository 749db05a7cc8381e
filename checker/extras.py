"""Optional extras: when one is missing, the exact command that installs it for this installation."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from .errors import CheckerError


def install_command(extra: str) -> str:
    """Run from a checkout (an editable install), the checkout's own path; else the package by name."""
    root = Path(__file__).resolve().parents[1]
    python = shlex.quote(sys.executable)
    if (root / "pyproject.toml").is_file() and (root / "checker" / "__init__.py").is_file():
        return f"{python} -m pip install -e {shlex.quote(f'{root}[{extra}]')}"
    return f"{python} -m pip install {shlex.quote(f'checker[{extra}]')}"


def web_extra_missing(module: str | None) -> CheckerError:
    missing = f" ({module} is not installed)" if module else ""
    return CheckerError("checker serve", f"the web page needs the 'web' extra{missing}: {install_command('web')}")
