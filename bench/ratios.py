"""The ratios of issue 18, measured on realistic submissions (bench/realistic.py) beside other .docx readers.

Used by bench/run.py (rows R1-R6); see bench/README.md for what each measures and how.
"""

from __future__ import annotations

import gc
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

Reader = Callable[[Path], Any]


def docx2python_read(path: Path) -> int:
    """docx2python: the whole text (paragraphs, tables, headers, footnotes)."""
    from docx2python import docx2python

    with docx2python(str(path)) as doc:
        return len(doc.text)


def mammoth_read(path: Path) -> int:
    """mammoth: the raw text of the body."""
    import mammoth

    with open(path, "rb") as f:
        return len(mammoth.extract_raw_text(f).value)


def other_readers() -> dict[str, Reader]:
    """The other readers that are installed (`pip install docx2python mammoth`; neither is a dependency)."""
    out: dict[str, Reader] = {}
    for name, module, fn in (("docx2python", "docx2python", docx2python_read), ("mammoth", "mammoth", mammoth_read)):
        try:
            __import__(module)
        except ImportError:
            continue
        out[name] = fn
    return out


# ------------------------------------------------------------------------------------------------------
# Cold start: a fresh process that checks one file against one that only opens it


OPEN_SNIPPETS = {
    "python-docx": "import sys, docx; docx.Document(sys.argv[1])",
    "docx2python": "import sys; from docx2python import docx2python; docx2python(sys.argv[1]).close()",
    "mammoth": "import sys, mammoth; mammoth.extract_raw_text(open(sys.argv[1], 'rb'))",
}


def cold_starts(check_cmd: list[str], path: Path, repeat: int, readers: Sequence[str]) -> dict[str, Any]:
    """Median wall time of `checker check FILE --format json` and of a process that only opens FILE."""
    from run import wall_times  # bench/run.py: one unmeasured run, then `repeat` timed ones

    cmds = {"checker": [*check_cmd, "check", str(path), "--format", "json"]}
    for name in ("python-docx", *readers):
        cmds[name] = [sys.executable, "-c", OPEN_SNIPPETS[name], str(path)]
    out: dict[str, Any] = {"file": path.name}
    for _ in range(repeat):  # interleaved, so load on the machine hits them alike
        for name, cmd in cmds.items():
            out.setdefault(name, []).extend(wall_times(cmd, 1))
    return {"file": path.name, **{k: {"wall_s": v, "median_s": statistics.median(v)}
                                  for k, v in out.items() if k != "file"}}


# ------------------------------------------------------------------------------------------------------
# Cost per word in library use, with the caller's collector as it is and paused as the CLI runs it


def per_word(files: Sequence[Path], manifest: Sequence[dict[str, Any]], repeat: int,
             log: Callable[[str], None]) -> list[dict[str, Any]]:
    from run import baseline_read

    from checker.engine import check
    from checker.packs import load_pack

    pack = load_pack("ml25")
    check(files[0], pack)
    rows = []
    for path, entry in zip(files, manifest, strict=True):
        log(f"cost per word: {entry['words']:,} words ...")
        times: dict[str, list[float]] = {"library": [], "python-docx": []}
        for _ in range(repeat):
            gc.collect()
            for name in times:
                t0 = time.perf_counter()
                if name == "library":
                    check(path, pack)  # as a library caller calls it, the caller's collector on
                else:
                    baseline_read(path)
                times[name].append(time.perf_counter() - t0)
        row = {"words": entry["words"], "xml_bytes": entry["xml_bytes"]}
        for name, ts in times.items():
            med = statistics.median(ts)
            row[name] = {"median_s": med, "us_per_word": med * 1e6 / entry["words"]}
        rows.append(row)
    return rows


# ------------------------------------------------------------------------------------------------------
# Peak memory against the size of word/document.xml, each file in a child forked from a warmed process


# A fresh process per file and reader: a forked child would reuse pages its parent freed (an earlier, larger
# file), which never show as growth. The process loads everything, reads a small file once, resets its peak
# (VmHWM) to its RSS (`5 > /proc/self/clear_refs`, Linux 4.0+), and prints how far the file took it above.
PEAK_SNIPPET = """
import sys
from pathlib import Path
def kib(field):
    return next(int(x.split()[1]) for x in Path("/proc/self/status").read_text().splitlines() if x.startswith(field))
import docx
from checker.engine import check
from checker.packs import load_pack
from checker.report import to_json
pack = load_pack("ml25")
warm, path, what = sys.argv[1:4]
run = (lambda p: to_json([check(p, pack)])) if what == "checker" else (lambda p: docx.Document(p))
run(warm)
Path("/proc/self/clear_refs").write_text("5")
before = kib("VmRSS:")
run(path)
print(kib("VmHWM:") - before)
"""


def _peak_kib(path: Path, warm: Path, what: str) -> int:
    out = subprocess.run([sys.executable, "-c", PEAK_SNIPPET, str(warm), str(path), what], capture_output=True,
                         text=True, check=True)
    return int(out.stdout.split()[-1])


def memory_vs_xml(files: Sequence[Path], manifest: Sequence[dict[str, Any]], warm: Path,
                  log: Callable[[str], None]) -> list[dict[str, Any]]:
    """Peak RSS growth of one check (JSON rendered) and of one python-docx read, per file, in fresh processes."""
    rows = []
    for path, entry in zip(files, manifest, strict=True):
        log(f"peak memory: {entry['words']:,} words ...")
        rows.append({"words": entry["words"], "xml_bytes": entry["xml_bytes"],
                     "checker_kib": _peak_kib(path, warm, "checker"),
                     "python_docx_kib": _peak_kib(path, warm, "python-docx")})
    return rows
