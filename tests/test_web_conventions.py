"""The learner web page and `checker serve` (issue 15): downloads carried in the page, the result first,
the unit's guidance as written and spoken to the learner; a port in use and a missing extra in one line."""

from __future__ import annotations

import base64
import builtins
import importlib
import io
import re
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from starlette.testclient import TestClient

from checker import web
from checker.cli import main

SAMPLE = Path("submissions") / "gap_04_fe_college_table.docx"
LINK = re.compile(r'<a class="download" href="data:([^;]+);base64,([A-Za-z0-9+/=]+)" download="([^"]+)">')


@pytest.fixture(scope="module")
def page(built) -> Iterator[str]:
    path = built / SAMPLE
    with TestClient(web.create_app()) as client:
        r = client.post("/check", data={"pack": "ml25", "action": "check"},
                        files={"file": (path.name, path.read_bytes())})
    assert r.status_code == 200
    yield r.text


def test_downloads_ride_in_the_page(page):
    links = {name: (media, base64.b64decode(body)) for media, body, name in LINK.findall(page)}
    assert set(links) == {"gap_04_fe_college_table-precheck.html", "gap_04_fe_college_table-annotated.docx"}
    media, report = links["gap_04_fe_college_table-precheck.html"]
    assert media == "text/html" and report.startswith(b"<!DOCTYPE html>") and b"MISSING" in report
    media, annotated = links["gap_04_fe_college_table-annotated.docx"]
    assert media == web.DOCX_TYPE
    comments = list(docx.Document(io.BytesIO(annotated)).comments)
    assert any("3.3" in c.text for c in comments)
    assert "choose the file again" not in page


def test_the_result_comes_before_the_form(page):
    assert page.index('id="report"') < page.index('<form class="upload"')


def test_guidance_is_laid_out_as_the_unit_wrote_it_and_speaks_to_the_learner():
    example = Path(__file__).resolve().parents[1] / "examples" / "draft-submission.docx"  # 1.1 has a gap
    with TestClient(web.create_app()) as client:
        page = client.post("/check", data={"pack": "ml25", "action": "check"},
                           files={"file": (example.name, example.read_bytes())}).text
    assert "the learner is required to" not in page.lower() and "he or she" not in page.lower()
    assert "you need to" in page
    # 1.1's guidance lists three skills on their own lines after "in addition:": a list, not a run-on line
    found = re.search(r"in addition:</p>\s*<ul>(.*?)</ul>", page, re.S)
    assert found, "1.1's guidance list"
    items = re.findall(r"<li>(.*?)</li>", found.group(1))
    assert items == ["Influencing and persuading skills",
                     "The ability to create rapport and build trust with new contacts",
                     "Feeling comfortable and confident in networking situations"]


def test_learner_voice_and_lists_in_the_report(built):
    from checker.engine import check
    from checker.report import render

    html = render([check(built / SAMPLE, "ml25")], "html", "learner")
    assert "the learner is required to" not in html.lower()
    assert html.count("What the unit asks for") == sum(
        c.status != "met" and bool(c.advice) for c in check(built / SAMPLE, "ml25").criteria)


def test_serve_on_a_port_in_use_says_so_in_one_line(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"127.0.0.1:{port}" in err[0] and "already in use" in err[0] and "--port" in err[0]


def test_serve_without_the_web_extra_gives_the_install_command(monkeypatch, capsys):
    real_import = builtins.__import__

    def no_starlette(name, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if name.startswith("starlette"):
            raise ImportError(f"No module named '{name}'", name=name)
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "checker.web")
    monkeypatch.setattr(builtins, "__import__", no_starlette)
    try:
        assert main(["serve"]) == 2
    finally:
        monkeypatch.setattr(builtins, "__import__", real_import)
        importlib.import_module("checker.web")
    err = capsys.readouterr().err.strip().splitlines()
    root = Path(__file__).resolve().parents[1]
    assert len(err) == 1 and f"-m pip install -e '{root}[web]'" in err[0] and sys.executable in err[0]
