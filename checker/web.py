"""The learner pre-check web page: choose the unit, upload a draft .docx, read the learner report in the browser,
or download it as HTML or as the annotated .docx.

Nothing about a learner is kept. The upload is read into memory with a size cap enforced while the body arrives,
checked off the event loop, rendered and dropped; the annotated copy is made in memory too. The only log line
per request is uvicorn's access line (method, path, status: no client address, no file name). Plain HTML and
one multipart form: no JavaScript, no external requests.
"""

from __future__ import annotations

import base64
import copy
import functools
import logging
import re
import traceback
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from .errors import CheckerError
from .isolate import JobFailed

try:
    import anyio
    from starlette.applications import Starlette
    from starlette.datastructures import UploadFile
    from starlette.formparsers import MultiPartException, MultiPartParser
    from starlette.requests import ClientDisconnect, Request
    from starlette.responses import HTMLResponse, Response
    from starlette.routing import Route
    from starlette.types import Receive
except ImportError as e:  # pragma: no cover - the optional 'web' extra is missing
    from .extras import web_extra_missing

    raise web_extra_missing(e.name) from None

from .engine import check
from .packs import ResolvedPack, builtin_ids, load_pack
from .report import environment, render
from .result import Result

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
EMBED_MAX_BYTES = 8 * 1024 * 1024  # the annotated copy rides in the page (base64) up to this size
EXTENSIONS = (".docx", ".docm", ".dotx")
FORM_SLACK = 64 * 1024  # multipart boundaries, part headers and the small fields around the file
DRAIN_BYTES = 64 * 1024 * 1024  # after a 413, read and discard this much more so the browser gets the page
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ACTIONS = ("check", "html", "docx")
CHECKS_AT_ONCE = 2  # checks running side by side, each its own process (the machine's cores, not more)
CHECK_SECONDS = 20.0  # one check, annotated copy included; an ordinary draft takes well under a second
CHECK_MEMORY = 300 * 2**20  # what one check may allocate on top of the server it is forked from
# One address may have this many checks waiting or running: a class behind one school NAT shares an address,
# so it is a brake on one client flooding the queue, not a per-learner limit.
PER_CLIENT = 12
BODY_SECONDS = 60.0  # a 20 MB upload on a slow (3 Mbit/s) line takes about 55 s
NO_FILE = "Choose your draft (a .docx file) to check."
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
log = logging.getLogger("checker.web")
T = TypeVar("T")


class Rejected(Exception):
    """An upload refused with an HTTP status and a message for the learner."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class _TooLarge(Exception):
    """The body passed the cap while it was being read."""


@dataclass(frozen=True)
class Upload:
    name: str  # the learner's file name, base name only: shown back to them, never logged
    data: bytes
    pack_id: str
    action: str


@dataclass
class Settings:
    max_bytes: int
    packs: dict[str, ResolvedPack]
    limiter: anyio.CapacityLimiter
    queue: CheckQueue


def _mb(n: int) -> str:
    return f"{n / 2**20:.0f} MB" if n >= 2**20 else f"{max(n // 1024, 1)} KB"


async def _capped_body(receive: Receive, limit: int, state: dict[str, bool]) -> AsyncIterator[bytes]:
    """The request body as it arrives; Rejected(413) as soon as more than `limit` bytes have come."""
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk = message.get("body", b"")
        size += len(chunk)
        state["done"] = not message.get("more_body", False)
        if size > limit:
            raise _TooLarge
        if chunk:
            yield chunk
        if state["done"]:
            return


async def _drain(receive: Receive, state: dict[str, bool]) -> None:
    """Discard (never keep) the rest of a refused body, up to DRAIN_BYTES, so the client reads our answer
    instead of a reset connection."""
    seen = 0
    while not state.get("done") and seen <= DRAIN_BYTES:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        seen += len(message.get("body", b""))
        state["done"] = not message.get("more_body", False)


def _base_name(filename: str | None) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return "".join(ch for ch in name if ch.isprintable())[:200]


async def read_upload(request: Request, settings: Settings) -> Upload:
    """Parse the multipart form with the size cap applied while reading; Rejected for every bad upload."""
    too_large = Rejected(413, f"This file is larger than the {_mb(settings.max_bytes)} limit. Save a copy without "
                              "large pictures or videos (or compress the pictures in Word) and try again.")
    limit = settings.max_bytes + FORM_SLACK
    state = {"done": False}
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        if int(declared) <= limit + DRAIN_BYTES:
            await _drain(request.receive, state)
        raise too_large
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        if content_type and not content_type.startswith("application/x-www-form-urlencoded"):
            raise Rejected(415, "Send the form from the page: a file upload (multipart/form-data) was expected.")
        raise Rejected(422, NO_FILE)
    parser = MultiPartParser(request.headers, _capped_body(request.receive, limit, state), max_files=1,
                             max_fields=8, max_part_size=4096)
    parser.spool_max_size = limit  # the file stays in memory: never rolled over to a disk file
    try:
        form = await parser.parse()
    except _TooLarge:
        await _drain(request.receive, state)
        raise too_large from None
    except MultiPartException:
        raise Rejected(400, "The upload was not a valid form. Reload the page and try again.") from None
    action = form.get("action")
    action = action if isinstance(action, str) and action in ACTIONS else "check"
    pack_id = form.get("pack")
    pack_id = pack_id if isinstance(pack_id, str) else ""
    file = form.get("file")
    try:
        if not isinstance(file, UploadFile) or not (file.filename or "").strip():
            raise Rejected(422, NO_FILE)
        if pack_id not in settings.packs:
            raise Rejected(422, "Choose your unit from the list.")
        name = _base_name(file.filename)
        if not name.lower().endswith(EXTENSIONS):
            raise Rejected(415, f"“{name}” is not a Word document. Choose a .docx file: in Word use "
                                "File > Save As and pick “Word Document (.docx)”. PDF, .doc, .odt and text "
                                "files cannot be checked.")
        data = await file.read()
    finally:
        await form.close()
    if len(data) > settings.max_bytes:
        raise too_large
    return Upload(name, data, pack_id, action)


def _report_parts(html: str) -> tuple[str, str]:
    """The rendered learner report's inline CSS and the contents of its <main>, to show inside the page."""
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    main = html.split("<main>", 1)[1].rsplit("</main>", 1)[0]
    return style, main


def _download_name(name: str, suffix: str) -> str:
    stem = name.rsplit(".", 1)[0] or "draft"
    return f"{stem}{suffix}"


def _attachment(body: bytes | str, filename: str, media_type: str) -> Response:
    ascii_name = re.sub(r"[^A-Za-z0-9._ -]", "_", filename).strip() or "download"
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
    return Response(body, media_type=media_type, headers={**SECURITY_HEADERS, "Content-Disposition": disposition})


def annotated_bytes(result: Result, upload: Upload) -> bytes:
    """The annotated copy, made in memory from the upload's bytes: nothing touches the disk."""
    from .report.annotate import annotated_copy

    return annotated_copy(result, upload.data, upload.name, "learner")[0]


def _data_url(body: bytes, media_type: str) -> str:
    return f"data:{media_type};base64,{base64.b64encode(body).decode('ascii')}"


def page_downloads(result: Result, upload: Upload, annotated: bytes | None = None) -> list[dict[str, str]]:
    """The report and the annotated copy carried in the page itself, so the learner downloads them without
    choosing the file again and nothing is kept on the server. An annotated copy too large to carry (or
    that cannot be made) is left to the form's button."""
    html = render([result], "html", "learner").encode("utf-8")
    out = [{"label": "Download report (HTML)", "file": _download_name(upload.name, "-precheck.html"),
            "href": _data_url(html, "text/html")}]
    if len(upload.data) <= EMBED_MAX_BYTES:
        data = annotated  # made beside the check, in its own bounded process
        if data is None:
            return out
        suffix = Path(upload.name).suffix.lower()
        out.append({"label": "Download annotated .docx", "file": _download_name(upload.name, f"-annotated{suffix}"),
                    "href": _data_url(data, DOCX_TYPE)})
    return out


def warm(packs: Mapping[str, ResolvedPack]) -> None:
    """Build each pack's pipeline and run one tiny check, so the first learner does not wait for loading."""
    import io

    import docx

    document = docx.Document()
    document.add_heading("1.1 Describe", level=1)
    document.add_paragraph("I listen to people and I build rapport with them at events.")
    buffer = io.BytesIO()
    document.save(buffer)
    for pack in packs.values():
        check("warm-up.docx", pack, data=buffer.getvalue())


def _job(upload: Upload, pack: ResolvedPack) -> tuple[Result, bytes | None, str]:
    """One request's work, run in its own forked process (checker/isolate.py): the check and the annotated
    copy (or why it cannot be made), which the result page carries for download when it is small enough."""
    from .runtime import gc_paused

    with gc_paused():
        result = check(upload.name, pack, data=upload.data)
    if result.errors or (upload.action != "docx" and len(upload.data) > EMBED_MAX_BYTES):
        return result, None, ""
    try:
        return result, annotated_bytes(result, upload), ""
    except CheckerError as e:
        return result, None, e.reason


class CheckQueue:
    """Checks run at most `slots` at a time, each in its own process with a deadline and a memory budget,
    taken in arrival order (anyio's semaphore is first come, first served); one client may have at most
    `per_client` checks waiting or running, and at most `waiting` may wait in all, so a few heavy or
    repeated uploads cannot keep everyone else out."""

    def __init__(self, slots: int, timeout: float, memory: int, per_client: int = PER_CLIENT,
                 waiting: int = 64) -> None:
        self.slots = anyio.Semaphore(slots)
        self.timeout, self.memory = timeout, memory
        self.per_client, self.waiting = per_client, waiting
        self.clients: dict[str, int] = {}
        self.queued = 0

    async def run(self, client: str, upload: Upload, pack: ResolvedPack) -> tuple[Result, bytes | None, str]:
        from . import isolate

        if self.clients.get(client, 0) >= self.per_client:
            raise Rejected(429, "Your earlier upload is still being checked. Wait for its report, then try again.")
        if self.queued >= self.waiting:
            raise Rejected(503, "The checker is busy right now. Please try again in a minute.")
        self.clients[client] = self.clients.get(client, 0) + 1
        self.queued += 1
        try:
            async with self.slots:
                return await anyio.to_thread.run_sync(isolate.run, _job, (upload, pack), self.timeout, self.memory)
        finally:
            self.queued -= 1
            self.clients[client] -= 1
            if not self.clients[client]:
                del self.clients[client]


def security_headers(app: Callable[..., Any]) -> Callable[..., Any]:
    """ASGI middleware: every HTTP answer carries the page's security headers, Starlette's own 404 and 405
    included, unless the route set them itself."""

    async def wrapped(scope: dict[str, Any], receive: Receive, send: Callable[..., Any]) -> None:
        if scope["type"] != "http":
            return await app(scope, receive, send)

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()
                            if k.lower().encode() not in present]
                message = {**message, "headers": headers}
            await send(message)

        await app(scope, receive, send_with_headers)

    return wrapped


def create_app(max_bytes: int = DEFAULT_MAX_BYTES, workers: int = 8, packs: list[str] | None = None,
               checks: int = CHECKS_AT_ONCE, check_seconds: float = CHECK_SECONDS,
               check_memory: int = CHECK_MEMORY, body_seconds: float = BODY_SECONDS) -> Any:
    """The ASGI app. `max_bytes` caps an upload; `workers` caps threads off the event loop (rendering);
    `checks` caps checks running at once, each within `check_seconds` and `check_memory` bytes; an upload
    must arrive within `body_seconds`."""
    ids = packs if packs is not None else builtin_ids()
    settings = Settings(max_bytes, {pid: load_pack(pid) for pid in ids}, anyio.CapacityLimiter(workers),
                        CheckQueue(checks, check_seconds, check_memory))
    choices = [(pid, f"{p.pack.unit} {p.pack.title}") for pid, p in settings.packs.items()]
    default = "ml25" if "ml25" in settings.packs else (choices[0][0] if choices else "")  # as the CLI's --pack
    env = environment()
    report_style = _report_parts(render([], "html", "learner"))[0]

    async def off_loop(func: Callable[..., T], *args: Any) -> T:
        return await anyio.to_thread.run_sync(functools.partial(func, *args), limiter=settings.limiter)

    def page(status: int = 200, selected: str = "", error: str = "", result: Result | None = None,
             name: str = "", downloads: list[dict[str, str]] | None = None) -> HTMLResponse:
        report_main = _report_parts(render([result], "html", "learner"))[1] if result is not None else ""
        html = env.get_template("web_page.html.j2").render(
            packs=choices, selected=selected or default, error=error, name=name,
            max_size=_mb(settings.max_bytes), accept=",".join([*EXTENSIONS, DOCX_TYPE]),
            report_style=report_style, report_main=report_main, result=result, downloads=downloads or [])
        return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)

    async def home(request: Request) -> Response:
        return page()

    async def submit(request: Request) -> Response:
        selected = ""
        try:
            try:
                with anyio.fail_after(body_seconds):  # a client sending a byte a second is not waited for
                    upload = await read_upload(request, settings)
            except TimeoutError:
                raise Rejected(408, "The upload took too long to arrive. Check your connection and try "
                                    "again.") from None
            selected = upload.pack_id
            client = request.client.host if request.client else ""  # used for fairness only, never logged
            try:
                result, annotated, cannot = await settings.queue.run(client, upload, settings.packs[upload.pack_id])
            except JobFailed as e:
                if e.kind not in ("timeout", "memory", "died"):
                    raise
                raise Rejected(422, f"“{upload.name}” is too large or complex to check here. Save a copy "
                                    "without large pictures, long lists or embedded objects and try again.") from e
            if result.errors:
                reason = result.errors[0].text_for("learner").rstrip(".")
                raise Rejected(400, f"“{upload.name}” could not be read as a Word document: {reason}. "
                                    "Open it in Word, save it as a .docx file, close it and try again.")
            if upload.action == "html":
                html = await off_loop(render, [result], "html", "learner")
                return _attachment(html, _download_name(upload.name, "-precheck.html"), "text/html; charset=utf-8")
            if upload.action == "docx":
                if annotated is None:
                    raise Rejected(400, f"This file was checked but a commented copy cannot be made: {cannot}. "
                                        "Use “Check” to read the report instead.")
                suffix = Path(upload.name).suffix.lower()
                return _attachment(annotated, _download_name(upload.name, f"-annotated{suffix}"), DOCX_TYPE)
            downloads = await off_loop(page_downloads, result, upload, annotated)
            return page(selected=upload.pack_id, result=result, name=upload.name, downloads=downloads)
        except Rejected as e:
            return page(e.status, selected, e.message)
        except ClientDisconnect:
            return Response(status_code=400)
        except Exception as e:  # no stack trace for the learner; in the log, frames without the message (a file name?)
            if isinstance(e, JobFailed):  # raised in the check's own process: its type and frames came back
                kind, frames = e.kind, e.where
            else:
                kind, frames = type(e).__name__, " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}"
                                                            for f in reversed(traceback.extract_tb(e.__traceback__)))
            log.error("check failed: %s at %s", kind, frames)
            return page(500, selected, "Something went wrong while checking this file. Please try again; "
                                       "if it keeps happening, tell your tutor.")

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(warm, settings.packs)
        yield

    return security_headers(Starlette(routes=[Route("/", home, methods=["GET"]),
                                              Route("/check", submit, methods=["POST"])], lifespan=lifespan))


def log_config() -> dict[str, Any]:
    """uvicorn's logging, with the access line reduced to time, request line and status (no client address)."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["access"]["fmt"] = '%(asctime)s %(levelprefix)s "%(request_line)s" %(status_code)s'
    return config


def port_free(host: str, port: int) -> None:
    """One clear line, before any loading, when the address is taken (uvicorn would log and exit)."""
    import errno
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: TIME_WAIT is no clash
        try:
            probe.bind((host, port))
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                raise CheckerError(f"{host}:{port}", "port already in use: stop what is using it, or choose "
                                                     "another with --port") from None
            raise CheckerError(f"{host}:{port}", f"cannot listen here: {e.strerror or e}") from None


HEADER_SECONDS = 10.0  # a request line and headers must arrive within this (uvicorn sets no such limit)
MAX_CONNECTIONS = 200  # open connections; more are closed on arrival (file descriptors are finite)
KEEP_ALIVE_SECONDS = 5


def protocol(header_seconds: float = HEADER_SECONDS, max_connections: int = MAX_CONNECTIONS) -> type:
    """uvicorn's h11 protocol with a deadline for each request's headers and a cap on open connections, so
    clients sending a byte a second cannot hold connections (and the server's files) for ever."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class Guarded(H11Protocol):
        header_timer: Any = None

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            if len(self.connections) > max_connections:
                transport.close()  # before any byte is read: no fd held, no task started
                return
            self._arm()

        def _arm(self) -> None:
            self._disarm()
            self.header_timer = self.loop.call_later(header_seconds, self._too_slow)

        def _disarm(self) -> None:
            if self.header_timer is not None:
                self.header_timer.cancel()
                self.header_timer = None

        def _too_slow(self) -> None:
            self.header_timer = None
            if self.cycle is None or self.cycle.response_complete:  # still waiting for a request's headers
                self.transport.close()

        def handle_events(self) -> None:
            super().handle_events()
            if self.cycle is not None and not self.cycle.response_complete:
                self._disarm()  # the headers are in: the app's own body deadline takes over

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()  # the next request on this connection gets the same deadline

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

    return Guarded


def _raise_file_limit() -> None:
    """Use the file-descriptor allowance the system grants (soft limit up to the hard one)."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if hard == resource.RLIM_INFINITY or soft < hard:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536) if hard != resource.RLIM_INFINITY
                                                        else 65536, hard))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not POSIX, or not allowed
        pass


def server_config(app: Any, host: str, port: int, header_seconds: float = HEADER_SECONDS,
                  max_connections: int = MAX_CONNECTIONS, **kwargs: Any) -> Any:
    """The uvicorn configuration `serve` runs with (tests start the same one)."""
    import uvicorn

    return uvicorn.Config(app, host=host, port=port, log_config=log_config(), access_log=True,
                          server_header=False, proxy_headers=False, http=protocol(header_seconds, max_connections),
                          timeout_keep_alive=KEEP_ALIVE_SECONDS, limit_concurrency=max_connections + 1, **kwargs)


def serve(host: str = "127.0.0.1", port: int = 8000, max_bytes: int = DEFAULT_MAX_BYTES) -> int:
    """Run the page with uvicorn until interrupted (localhost by default)."""
    try:
        import uvicorn
    except ImportError as e:
        from .extras import web_extra_missing

        raise web_extra_missing(e.name) from None
    port_free(host, port)
    _raise_file_limit()
    uvicorn.Server(server_config(create_app(max_bytes=max_bytes), host, port)).run()
    return 0
