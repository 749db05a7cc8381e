"""The reproducibility stamp: checker version, pack hash and submission hash. Same three, same result.

The pack hash covers the pack file and the shared verb library it resolves against, byte for byte, so a
verifier can recompute it: `cat rules/ml25.yaml rules/verbs.yaml | sha256sum`.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from . import __version__
from .packs import ResolvedPack, rules_dir


@cache
def _files_sha256(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def pack_sha256(pack: ResolvedPack) -> str:
    return _files_sha256(pack.path.resolve(), (rules_dir() / "verbs.yaml").resolve())


def checker_info() -> dict[str, str]:
    return {"version": __version__}
