"""The learner pre-check web page: fast tests through Starlette's TestClient, then a real headless Chromium
(Playwright, Debian's /usr/bin/chromium) against uvicorn on a loopback port."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from starlette.testclient import TestClient

from checker import web
from checker.engine import check

from .conftest import serving

CAP = 200_000  # a small upload cap, so the oversized cases stay small
SAMPLE = Path("submissions") / "gap_04_fe_college_table.docx"
ROW = re.compile(r'<tr class="(met|gap|missing)"[^>]*>\s*<th scope="row">(?:<a [^>]*>)?([0-9.]+)<')


def expected_states(path: Path) -> dict[str, str]:
    return {c.id: c.status for c in check(path, "ml25").criteria}


def page_states(html: str) -> dict[str, str]:
    return {cid: status for status, cid in ROW.findall(html)}


def error_text(html: str) -> str:
    found = re.search(r'<div class="error" role="alert"[^>]*>(.*?)</div>', html, re.S)
    return re.sub(r"<[^>]+>", " ", found.group(1)) if found else ""


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(web.create_app(max_bytes=CAP), raise_server_exceptions=False) as c:
        yield c


def post(client: TestClient, name: str, data: bytes, action: str = "check", pack: str = "ml25"):  # noqa: ANN201
    return client.post("/check", data={"pack": pack, "action": action}, files={"file": (name, data)})


def test_home_page_is_plain_accessible_html(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert '<meta name="viewport"' in html and '<html lang="en-GB">' in html
    assert '<label for="pack">' in html and '<label for="file">' in html
    assert 'enctype="multipart/form-data"' in html and 'method="post"' in html
    assert '<option value="ml25" selected>' in html
    assert [b for b in re.findall(r'value="(\w+)"', html) if b in web.ACTIONS] == ["check", "html", "docx"]
    assert "<script" not in html and not re.search(r'(src|href)="(https?:)?//', html)
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert r.headers["cache-control"] == "no-store"


def test_upload_shows_learner_report_with_criteria_states(client: TestClient, built: Path) -> None:
    path = built / SAMPLE
    r = post(client, path.name, path.read_bytes())
    assert r.status_code == 200
    states = page_states(r.text)
    assert states == expected_states(path)
    assert {"met", "gap", "missing"} <= set(states.values()) and states["3.3"] == "missing"
    for label in ("MET", "GAP", "MISSING"):  # status as text as well as colour
        assert f'">{label}</span>' in r.text
    assert "What to add" in r.text and path.name in r.text
    assert '<option value="ml25" selected>' in r.text


def test_download_html_report(client: TestClient, built: Path) -> None:
    path = built / SAMPLE
    r = post(client, path.name, path.read_bytes(), action="html")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["content-disposition"].startswith('attachment; filename="gap_04_fe_college_table-precheck.html"')
    assert r.text.startswith("<!DOCTYPE html>") and "Assignment pre-check" in r.text
    assert page_states(r.text) == expected_states(path)


def test_download_annotated_docx_reopens_with_comments(client: TestClient, built: Path) -> None:
    path = built / SAMPLE
    r = post(client, "Brouillon élève.docx", path.read_bytes(), action="docx")
    assert r.status_code == 200 and r.headers["content-type"] == web.DOCX_TYPE
    disposition = r.headers["content-disposition"]
    assert disposition.startswith("attachment; ")
    assert "filename*=UTF-8''Brouillon%20%C3%A9l%C3%A8ve-annotated.docx" in disposition
    comments = list(docx.Document(io.BytesIO(r.content)).comments)
    assert comments and {c.author for c in comments} == {"checker"}
    assert any("3.3" in c.text for c in comments)


def test_renamed_pdf_is_a_friendly_400(client: TestClient) -> None:
    r = post(client, "essay.docx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n")
    assert r.status_code == 400
    message = error_text(r.text)
    assert "PDF" in message and "essay.docx" in message and "save it as a .docx" in message
    assert "Traceback" not in r.text and "CheckerError" not in r.text


def test_oversized_upload_is_413(client: TestClient) -> None:
    r = post(client, "big.docx", b"PK\x03\x04" + b"\0" * (CAP + 1))
    assert r.status_code == 413
    assert "larger than the 195 KB limit" in error_text(r.text)


HEAD = b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.docx"\r\n\r\nPK\x03\x04'


def _raw_post(headers: list[tuple[bytes, bytes]], chunk: bytes, chunks: int | None) -> tuple[int, int]:
    """POST straight to the ASGI app with a body of `chunks` chunks (None: endless); (status, bytes consumed)."""
    import anyio

    app = web.create_app(max_bytes=CAP)
    consumed, status, sent = 0, [0], 0
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/check", "raw_path": b"/check", "query_string": b"", "root_path": "",
             "headers": headers, "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}

    async def receive() -> dict:
        nonlocal consumed, sent
        sent += 1
        more = chunks is None or sent < chunks
        body = HEAD if sent == 1 else chunk
        consumed += len(body)
        return {"type": "http.request", "body": body, "more_body": more}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            status[0] = message["status"]

    anyio.run(app, scope, receive, send)
    return status[0], consumed


def test_oversized_body_is_refused_while_reading() -> None:
    """Without a Content-Length the cap holds as the body arrives: an endless upload is cut off (its excess read
    and discarded, bounded, so a browser can read the answer) and never kept."""
    boundary = [(b"content-type", b"multipart/form-data; boundary=b")]
    status, consumed = _raw_post(boundary, b"\0" * 65536, None)
    assert status == 413
    assert consumed <= CAP + web.FORM_SLACK + web.DRAIN_BYTES + 2 * 65536


def test_declared_oversized_body_is_refused_before_reading() -> None:
    headers = [(b"content-type", b"multipart/form-data; boundary=b"),
               (b"content-length", str(CAP + web.FORM_SLACK + web.DRAIN_BYTES + 1).encode())]
    assert _raw_post(headers, b"\0" * 65536, 10**6) == (413, 0)


def test_text_file_is_415(client: TestClient) -> None:
    r = post(client, "notes.txt", b"my essay")
    assert r.status_code == 415
    assert "not a Word document" in error_text(r.text) and "notes.txt" in error_text(r.text)


@pytest.mark.parametrize("how", ["empty file field", "no file field"])
def test_no_file_is_422(client: TestClient, how: str) -> None:
    if how == "empty file field":  # what a browser sends when no file was chosen
        r = client.post("/check", data={"pack": "ml25"}, files={"file": ("", b"")})
    else:
        r = client.post("/check", data={"pack": "ml25"})
    assert r.status_code == 422 and "Choose your draft" in error_text(r.text)


@pytest.mark.parametrize("pack", ["nope", "rules/ml25.yaml", "../tests/data/toy.yaml", ""])
def test_unknown_pack_is_422(client: TestClient, built: Path, pack: str) -> None:
    path = built / SAMPLE
    r = post(client, path.name, path.read_bytes(), pack=pack)
    assert r.status_code == 422 and "Choose your unit" in error_text(r.text)


def test_wrong_content_type_is_415(client: TestClient) -> None:
    r = client.post("/check", content=b"{}", headers={"content-type": "application/json"})
    assert r.status_code == 415


def test_unexpected_failure_is_a_friendly_500_and_logs_no_file_name(
    client: TestClient, built: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret-learner-name.docx went wrong")

    monkeypatch.setattr(web, "check", broken)
    with caplog.at_level(logging.DEBUG):
        r = post(client, "secret-learner-name.docx", (built / SAMPLE).read_bytes())
    assert r.status_code == 500 and "Something went wrong" in error_text(r.text)
    assert "Traceback" not in r.text and "went wrong" not in r.text.replace("Something went wrong", "")
    assert "RuntimeError" in caplog.text and "secret-learner-name" not in caplog.text


def test_access_log_is_the_request_line_only() -> None:
    fmt = web.log_config()["formatters"]["access"]["fmt"]
    assert "request_line" in fmt and "client_addr" not in fmt


# --- a real browser ------------------------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving(web.create_app(max_bytes=CAP)) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (.ci/run installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def test_browser_upload_report_download_and_errors(browser, server: str, built: Path, tmp_path: Path) -> None:  # noqa: ANN001
    path = built / SAMPLE
    context = browser.new_context(java_script_enabled=False, accept_downloads=True)  # the page needs no script
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))

    page.goto(server + "/")
    assert page.title() == "Assignment pre-check"
    page.get_by_label("Unit").select_option("ml25")
    page.get_by_label("Your draft (Word .docx)").set_input_files(str(path))
    with page.expect_navigation() as nav:
        page.get_by_role("button", name="Check", exact=True).click()
    assert nav.value.status == 200
    rows = page.locator("#report table tbody tr")
    shown = {rows.nth(i).locator("th").inner_text(): rows.nth(i).locator(".badge").inner_text()
             for i in range(rows.count())}
    assert shown == {cid: status.upper() for cid, status in expected_states(path).items()}
    assert page.locator("#report tr.missing .badge").first.inner_text() == "MISSING"

    page.get_by_label("Your draft (Word .docx)").set_input_files(str(path))
    with page.expect_download() as download:
        page.get_by_role("button", name="Download annotated .docx").click()
    assert download.value.suggested_filename == "gap_04_fe_college_table-annotated.docx"
    saved = tmp_path / "annotated.docx"
    download.value.save_as(saved)
    assert len(list(docx.Document(str(saved)).comments)) >= 3

    page.get_by_label("Your draft (Word .docx)").set_input_files(
        {"name": "essay.docx", "mimeType": web.DOCX_TYPE, "buffer": b"%PDF-1.7\n1 0 obj <<>> endobj\n"})
    with page.expect_navigation() as nav:
        page.get_by_role("button", name="Check", exact=True).click()
    assert nav.value.status == 400
    alert = page.get_by_role("alert")
    assert "PDF" in alert.inner_text() and "Your file was not checked" in alert.inner_text()

    page.get_by_label("Your draft (Word .docx)").set_input_files(
        {"name": "huge.docx", "mimeType": web.DOCX_TYPE, "buffer": b"PK\x03\x04" + b"\0" * (4 * CAP)})
    with page.expect_navigation() as nav:
        page.get_by_role("button", name="Check", exact=True).click()
    assert nav.value.status == 413
    assert "larger than the 195 KB limit" in page.get_by_role("alert").inner_text()

    assert requests and all(u.startswith(server + "/") for u in requests), "the page made an external request"
    context.close()


def test_browser_page_fits_a_phone(browser, server: str, built: Path) -> None:  # noqa: ANN001
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server + "/")
    page.get_by_label("Your draft (Word .docx)").set_input_files(str(built / SAMPLE))
    with page.expect_navigation():
        page.get_by_role("button", name="Check", exact=True).click()
    assert page.locator("#report").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the report scrolls sideways on a phone ({width}px)"
    context.close()
