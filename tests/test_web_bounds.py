"""Issue 14, the web page: the collector left alone, bounded work per part and per request, a fair queue,
slow clients timed out, a connection cap, annotated copies made in memory, security headers on every answer."""

from __future__ import annotations

import gc
import io
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import anyio
import pytest
from starlette.testclient import TestClient

from checker import web
from checker.engine import check

from .conftest import serving

SAMPLE = Path("submissions") / "gap_04_fe_college_table.docx"


def post(client: TestClient, name: str, data: bytes, action: str = "check"):  # noqa: ANN201
    return client.post("/check", data={"pack": "ml25", "action": action}, files={"file": (name, data)})


@pytest.mark.parametrize(("method", "path", "status"), [("GET", "/nope", 404), ("GET", "/check", 405),
                                                        ("DELETE", "/", 405)])
def test_404_and_405_carry_the_security_headers(method, path, status):
    with TestClient(web.create_app(packs=["ml25"])) as client:
        r = client.request(method, path)
    assert r.status_code == status
    for header, value in web.SECURITY_HEADERS.items():
        assert r.headers[header] == value


def test_annotated_copy_never_touches_the_disk(built, monkeypatch):
    def no_disk(*args: object, **kwargs: object) -> None:
        raise AssertionError("a temporary file was made")

    for name in ("TemporaryDirectory", "NamedTemporaryFile", "mkstemp", "mkdtemp", "TemporaryFile"):
        monkeypatch.setattr(tempfile, name, no_disk)
    with TestClient(web.create_app(packs=["ml25"])) as client:
        r = post(client, "draft.docx", (built / SAMPLE).read_bytes(), action="docx")
    assert r.status_code == 200 and r.content[:2] == b"PK"


def test_serve_leaves_the_collector_at_its_defaults():
    code = ("import gc, sys, uvicorn\n"
            "uvicorn.Server.run = lambda self, *a, **k: print(\n"
            "    gc.get_threshold(), gc.get_freeze_count(), gc.isenabled())\n"
            "sys.argv = ['checker', 'serve', '--port', '1']\n"
            "from checker.cli import main\n"
            "main()\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.split("\n")[0] == f"{gc.get_threshold()} 0 True", out.stderr


def _with_numbering(source: bytes, numbering: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename != "word/numbering.xml":
                zout.writestr(item, zin.read(item.filename))
        zout.writestr("word/numbering.xml", numbering)
    return buffer.getvalue()


@pytest.mark.parametrize("bloat", ["bytes", "tags"])
def test_a_bloated_numbering_part_is_left_out_and_the_body_still_checked(built, pack, bloat):
    head = b'<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    filler = (b"".join(b'<w:abstractNum w:abstractNumId="%d"/>' % i for i in range(170_000)) if bloat == "bytes"
              else b"".join(b"<w:x%d/>" % i for i in range(300_000)))  # 6 MB under the tag cap; 3 MB over it
    data = _with_numbering((built / SAMPLE).read_bytes(), head + filler + b"</w:numbering>")
    result = check("bloated.docx", pack, data=data)
    assert not result.errors and result.criteria
    assert any("numbering.xml" in note and "ignored" in note for note in result.notes)


def test_a_check_over_its_time_or_memory_is_stopped_and_the_server_goes_on(built, monkeypatch):
    real = web.check

    def greedy(name: str, *args: object, **kwargs: object):  # noqa: ANN202 - runs in the check's process
        if name.startswith("slow"):
            time.sleep(600)
        if name.startswith("big"):
            _ = bytearray(2**31)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(web, "check", greedy)
    data = (built / SAMPLE).read_bytes()
    with TestClient(web.create_app(packs=["ml25"], check_seconds=3, check_memory=200 * 2**20)) as client:
        for name in ("slow.docx", "big.docx"):
            r = post(client, name, data)
            assert r.status_code == 422 and "too large or complex" in r.text
        assert post(client, "fine.docx", data).status_code == 200


def test_the_queue_caps_each_client_and_serves_others(built, pack, monkeypatch):
    release = threading.Event()
    monkeypatch.setattr("checker.isolate.run", lambda fn, args, timeout, memory: release.wait(30) and "done")
    queue = web.CheckQueue(slots=1, timeout=5, memory=0, per_client=1, waiting=3)
    upload = web.Upload("a.docx", b"", "ml25", "check")
    outcomes: dict[str, object] = {}

    async def one(key: str, client: str) -> None:
        try:
            outcomes[key] = await queue.run(client, upload, pack)
        except web.Rejected as e:
            outcomes[key] = e.status

    async def scenario() -> None:
        async with anyio.create_task_group() as tg:
            tg.start_soon(one, "a1", "10.0.0.1")
            await anyio.sleep(0.05)
            tg.start_soon(one, "a2", "10.0.0.1")  # the same learner again while the first waits: refused
            tg.start_soon(one, "b1", "10.0.0.2")
            tg.start_soon(one, "c1", "10.0.0.3")
            await anyio.sleep(0.05)
            tg.start_soon(one, "d1", "10.0.0.4")  # three waiting already: busy
            await anyio.sleep(0.05)
            release.set()

    anyio.run(scenario)
    assert outcomes == {"a1": "done", "a2": 429, "b1": "done", "c1": "done", "d1": 503}


def _closed_by_server(sock: socket.socket) -> bool:
    sock.settimeout(20)
    try:
        return sock.recv(1024) == b""
    except ConnectionResetError:
        return True


def _get(port: int) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        return s.recv(64)


def test_slow_headers_and_slow_bodies_are_timed_out():
    app = web.create_app(packs=["ml25"], body_seconds=0.5)
    with serving(app, header_seconds=0.5) as port:
        slow = socket.create_connection(("127.0.0.1", port))
        slow.sendall(b"GET / HT")  # and never the rest
        assert _closed_by_server(slow)
        slow.close()
        with socket.create_connection(("127.0.0.1", port)) as body:
            body.sendall(b"POST /check HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                         b"Content-Length: 100000\r\n\r\n--b\r\n")
            body.settimeout(20)
            assert body.recv(64).startswith(b"HTTP/1.1 408")
        assert _get(port).startswith(b"HTTP/1.1 200")


def test_connections_over_the_cap_are_closed_on_arrival():
    with serving(web.create_app(packs=["ml25"]), max_connections=3) as port:
        held = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
        time.sleep(0.2)  # let the server accept them (ordering, not a measurement)
        extra = socket.create_connection(("127.0.0.1", port))
        assert _closed_by_server(extra)
        extra.close()
        for s in held:
            s.close()
        time.sleep(0.2)
        assert _get(port).startswith(b"HTTP/1.1 200")
