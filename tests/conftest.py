"""Shared fixtures: every readable source in fixtures/ is built into a real .docx once per session."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus" / "realworld"


def _builder():
    spec = importlib.util.spec_from_file_location("fixture_build", FIXTURES / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses in the builder look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """Folder holding fixtures/**/*.yaml built into .docx (same relative paths)."""
    out = tmp_path_factory.mktemp("built")
    _builder().build_all(out)
    return out


@pytest.fixture(scope="session")
def pack():
    from checker.packs import load_pack

    return load_pack("ml25")
