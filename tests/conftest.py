"""Shared fixtures: every readable source in fixtures/ is built into a real .docx once per session."""

from __future__ import annotations

import importlib.util
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def serving(app: object, **kwargs: object) -> Iterator[int]:
    """The web app on a free loopback port with the configuration `checker serve` uses; yields the port."""
    import uvicorn

    from checker import web

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(web.server_config(app, "127.0.0.1", port, log_level="warning", **kwargs))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not srv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield port
    finally:
        srv.should_exit = True
        thread.join(10)
