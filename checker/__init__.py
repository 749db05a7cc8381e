"""checker: an offline, rules-based checker of learners' .docx assignments against a unit's criteria.

Library API (mirrors the CLI): ``checker.check(path, pack) -> Result``, ``checker.load_pack(id_or_path)``.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["check", "load_pack", "__version__"]


def __getattr__(name: str) -> Any:  # imported lazily: `checker --help` must not pay for spaCy
    if name == "check":
        from .engine import check

        return check
    if name == "load_pack":
        from .packs import load_pack

        return load_pack
    raise AttributeError(name)
