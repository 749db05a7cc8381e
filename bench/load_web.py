#!/usr/bin/env python
"""A bounded load test of the learner pre-check page on loopback.

    python bench/load_web.py [--uploads 50] [--clients 10] [--file DRAFT.docx] [--pack ml25]
                             [--annotated 150] [--heavy 2]

Starts `checker serve` on a free loopback port (its own process, as deployed), posts the draft --uploads times
from --clients concurrent threads (urllib, multipart by hand), checks every answer is 200 with the same
criterion states as the library gives for that file, and prints the latency distribution and the total time.
The default draft is fixtures/submissions/gap_04_fe_college_table.yaml, built into a temporary folder.
Meanwhile a second thread downloads the annotated .docx --annotated times and posts --heavy "heavy" uploads
(the draft with a 60 MB numbering.xml, about 4 MB zipped). The server's memory is sampled every 50 ms from
/proc (VmRSS of the server process, and the sum over it and its children, the forked checks) and the peaks
are printed with the ordinary checks' latencies.
"""

from __future__ import annotations

import argparse
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from corpus import load_builder  # bench/ is on sys.path when a bench script runs

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT / "fixtures" / "submissions" / "gap_04_fe_college_table.yaml"
ROW = re.compile(r'<tr class="(met|gap|missing)"[^>]*>\s*<th scope="row">(?:<a [^>]*>)?([0-9.]+)<')


def build_default(folder: Path) -> Path:
    return load_builder().build(DEFAULT_SOURCE, folder / "gap_04_fe_college_table.docx")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen([sys.executable, "-m", "checker.cli", "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                if r.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise SystemExit("the server did not start") from None
            time.sleep(0.1)


def multipart(fields: dict[str, str], name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                 "Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document\r\n\r\n"
                 .encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def upload(url: str, body: bytes, content_type: str) -> tuple[float, int, str]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type}, method="POST")
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as r:
            status, text = r.status, r.read().decode("utf-8", "replace")  # a .docx download is bytes
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read().decode("utf-8", "replace")
    return time.perf_counter() - start, status, text


def heavy_copy(data: bytes) -> bytes:
    """The draft with numbering.xml inflated to about 60 MB of distinct definitions (compresses ~15x)."""
    import io
    import zipfile

    head = b'<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    filler = b"".join(b'<w:abstractNum w:abstractNumId="%d"><w:lvl w:ilvl="0"><w:start w:val="%d"/>'
                      b'<w:numFmt w:val="decimal"/><w:lvlText w:val="%%1."/></w:lvl></w:abstractNum>' % (i, i % 97)
                      for i in range(410_000))
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename != "word/numbering.xml":
                zout.writestr(item, zin.read(item.filename))
        zout.writestr("word/numbering.xml", head + filler + b"</w:numbering>")
    return buffer.getvalue()


class MemorySampler(threading.Thread):
    """Peak VmRSS of a process and of it plus its children, sampled from /proc every 50 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.main_peak, self.tree_peak, self.stop = pid, 0, 0, threading.Event()

    @staticmethod
    def rss_kb(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/status") as f:
                return next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
        except OSError:
            return 0

    def children(self) -> list[int]:
        """Children of every thread: the checks are forked from the server's worker threads."""
        found = []
        for task in Path(f"/proc/{self.pid}/task").glob("*"):
            try:
                found += [int(p) for p in (task / "children").read_text().split()]
            except OSError:
                continue
        return found

    def run(self) -> None:
        while not self.stop.is_set():
            main = self.rss_kb(self.pid)
            self.main_peak = max(self.main_peak, main)
            self.tree_peak = max(self.tree_peak, main + sum(self.rss_kb(c) for c in self.children()))
            time.sleep(0.05)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uploads", type=int, default=50)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--file", type=Path, help="the draft to upload (default: a built fixture)")
    parser.add_argument("--pack", default="ml25")
    parser.add_argument("--annotated", type=int, default=0, help="annotated .docx downloads meanwhile")
    parser.add_argument("--heavy", type=int, default=0, help="heavy uploads (60 MB numbering.xml) meanwhile")
    args = parser.parse_args(argv)

    from checker.engine import check

    with tempfile.TemporaryDirectory() as folder:
        path = args.file or build_default(Path(folder))
        data = path.read_bytes()
    expected = {c.id: c.status for c in check(path.name, args.pack, data=data).criteria}
    body, content_type = multipart({"pack": args.pack, "action": "check"}, path.name, data)
    port = free_port()
    server = start_server(port)
    try:
        url = f"http://127.0.0.1:{port}/check"
        upload(url, body, content_type)  # one request first: connections and caches, not part of the numbers
        sampler = MemorySampler(server.pid)
        sampler.start()
        side: list[tuple[str, float, int]] = []

        def side_load() -> None:
            heavy_body = multipart({"pack": args.pack, "action": "check"}, "heavy.docx", heavy_copy(data))
            docx_body = multipart({"pack": args.pack, "action": "docx"}, path.name, data)
            for i in range(max(args.annotated, args.heavy)):
                if i < args.heavy:
                    t, status, _ = upload(url, *heavy_body)
                    side.append(("heavy", t, status))
                if i < args.annotated:
                    t, status, _ = upload(url, *docx_body)
                    side.append(("annotated", t, status))

        extra = threading.Thread(target=side_load)
        start = time.perf_counter()
        extra.start()
        with ThreadPoolExecutor(args.clients) as pool:
            answers = list(pool.map(lambda _: upload(url, body, content_type), range(args.uploads)))
        total = time.perf_counter() - start
        extra.join()
        sampler.stop.set()
        sampler.join()
    finally:
        server.terminate()
        server.wait(10)
    bad = [(status, {c: s for s, c in ROW.findall(text)}) for _, status, text in answers
           if status != 200 or {c: s for s, c in ROW.findall(text)} != expected]
    latencies = [t * 1000 for t, _, _ in answers]
    print(f"{args.uploads} uploads of {path.name} ({len(data) // 1024} KB, pack {args.pack}) "
          f"from {args.clients} concurrent clients on loopback")
    print(f"latency ms: min {min(latencies):.0f}  median {statistics.median(latencies):.0f}  "
          f"p90 {percentile(latencies, 90):.0f}  p99 {percentile(latencies, 99):.0f}  max {max(latencies):.0f}")
    print(f"total {total:.2f} s, {args.uploads / total:.1f} uploads/s; "
          f"{args.uploads - len(bad)}/{args.uploads} answered 200 with the expected report")
    for kind in ("annotated", "heavy"):
        done = [(t, status) for k, t, status in side if k == kind]
        if done:
            print(f"{len(done)} {kind} uploads meanwhile: statuses {sorted(set(s for _, s in done))}, "
                  f"max {max(t for t, _ in done):.2f} s")
    print(f"server memory peak: {sampler.main_peak / 1024:.0f} MB (server process), "
          f"{sampler.tree_peak / 1024:.0f} MB (with its forked checks, RSS summed, shared pages counted twice)")
    assert not bad, f"{len(bad)} wrong answers, first: {bad[0]}"
    return 0


if __name__ == "__main__":
    sys.exit(main())
