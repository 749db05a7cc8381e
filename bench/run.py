#!/usr/bin/env python
"""Benchmark: how fast a check is, against the cost of merely reading the file.

    python bench/run.py [--files N] [--repeat R] [--quick] [--seed S] [--memory-files M]

Prints a Markdown table and writes bench/out/results.json. See bench/README.md for what each row measures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import corpus  # noqa: E402 - bench/ is not a package
import ratios  # noqa: E402
import realistic  # noqa: E402

RESULTS = corpus.OUT_DIR / "results.json"
W_T = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
PACK = "ml25"

# Runs the command given as arguments and prints the max RSS (KiB) of its largest process: a fresh parent, so
# RUSAGE_CHILDREN covers this command's process tree only.
RSS_WRAPPER = """
import resource, subprocess, sys
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)
"""


# ------------------------------------------------------------------------------------------------------
# The four ways of reading one file (in this process)


def floor_read(path: Path) -> str:
    """zipfile + lxml iterparse of the w:t text runs of word/document.xml: the least any reader must do."""
    from lxml import etree

    parts: list[str] = []
    with zipfile.ZipFile(path) as z, z.open("word/document.xml") as f:
        for _, el in etree.iterparse(f, events=("end",), tag=W_T):
            parts.append(el.text or "")
            el.clear()
    return "".join(parts)


def baseline_read(path: Path) -> int:
    """python-docx: open the file, walk all paragraphs' text and all tables' cells' text."""
    import docx

    doc = docx.Document(str(path))
    n = sum(len(p.text) for p in doc.paragraphs)
    for t in doc.tables:
        for row in t.rows:
            for cell in row.cells:
                n += len(cell.text)
    return n


def make_methods() -> dict[str, Callable[[Path], Any]]:
    from checker.engine import check
    from checker.nlp import pipeline
    from checker.packs import load_pack
    from checker.reader import read
    from checker.report import to_json
    from checker.runtime import gc_paused

    pack = load_pack(PACK)
    pipeline(pack)  # one-time load, excluded from the timings

    def full_check(path: Path) -> str:
        with gc_paused():  # as `checker check` and batch workers run it (checker/runtime.py)
            return to_json([check(path, pack)])

    return {"floor": floor_read, "baseline": baseline_read, **ratios.other_readers(), "reader": read,
            "full": full_check}


LABELS = {
    "floor": "floor: zipfile + lxml iterparse of w:t",
    "baseline": "baseline: python-docx open + paragraphs + table cells",
    "docx2python": "docx2python: open + all text",
    "mammoth": "mammoth: extract_raw_text",
    "reader": "checker reader alone: `reader.read()`",
    "full": "full check: read, section, NLP, checks, JSON",
}


@dataclass
class PerFile:
    name: str
    label: str
    samples_ms: list[list[float]] = field(default_factory=list)  # [file][repeat]

    def medians(self) -> list[float]:
        return [statistics.median(s) for s in self.samples_ms]

    def median_ms(self) -> float:
        return statistics.median(self.medians())

    def words_per_s(self, words: Sequence[int]) -> float:
        return sum(words) / (sum(self.medians()) / 1000)


def time_in_process(files: list[Path], repeat: int, log: Callable[[str], None]) -> dict[str, PerFile]:
    methods = make_methods()
    out = {name: PerFile(name, LABELS[name], [[] for _ in files]) for name in methods}
    log("warm-up pass ...")
    for fn in methods.values():
        for path in files[: min(len(files), 10)]:
            fn(path)
    for r in range(repeat):
        log(f"in-process pass {r + 1}/{repeat} ...")
        for name, fn in methods.items():  # methods interleaved per pass, so drift hits them alike
            for i, path in enumerate(files):
                t0 = time.perf_counter()
                fn(path)
                out[name].samples_ms[i].append((time.perf_counter() - t0) * 1000)
    return out


# ------------------------------------------------------------------------------------------------------
# Subprocesses: batch throughput, cold start, peak memory


def checker_cmd() -> list[str]:
    script = Path(sys.executable).with_name("checker")
    if script.exists():
        return [str(script)]
    found = shutil.which("checker")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from checker.cli import main; sys.exit(main())"]


def run_batch(paths: Sequence[Path], jobs: int) -> tuple[float, dict[str, Any]]:
    """Wall time of one `checker batch ... --jobs N --format json --no-progress`, and its summary.json."""
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as out:
        cmd = [*checker_cmd(), "batch", *map(str, paths), "--out", out, "--jobs", str(jobs),
               "--format", "json", "--no-progress"]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        if proc.returncode not in (0, 1):
            raise RuntimeError(f"checker batch failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}")
        summary = json.loads(Path(out, "summary.json").read_text(encoding="utf-8"))
    return wall, summary


def wall_times(cmd: list[str], repeat: int) -> list[float]:
    subprocess.run(cmd, capture_output=True)  # warm the disk cache; the process itself starts cold each time
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True)
        times.append(time.perf_counter() - t0)
    return times


def descendants(root: int) -> list[int]:
    """The process ids under `root` (from /proc/*/stat; no psutil)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    out, stack = [], [root]
    while stack:
        for child in parents.get(stack.pop(), []):
            out.append(child)
            stack.append(child)
    return out


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class Memory:
    files: int
    jobs: int
    wall_s: float
    max_rss_mib: float  # the largest single process (getrusage RUSAGE_CHILDREN)
    tree_peak_mib: float  # the whole process tree, sampled every 50 ms from /proc
    main_peak_mib: float  # the `checker batch` process itself (sampled)
    worker_peak_mib: float  # the largest worker process (sampled)
    similar_pairs: int


def measure_memory(folder: Path, files: int, jobs: int) -> Memory:
    """Peak memory of `checker batch FOLDER` (the folder holds `files` .docx files)."""
    with tempfile.TemporaryDirectory(prefix="bench-mem-") as out:
        cmd = [*checker_cmd(), "batch", str(folder), "--out", out, "--jobs", str(jobs), "--format", "json",
               "--no-progress"]
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", RSS_WRAPPER, *cmd], stdout=subprocess.PIPE, text=True)
        peak = 0
        per_pid: dict[int, int] = {}
        main_pid: list[int] = []
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                pids = descendants(proc.pid)
                sizes = {p: rss_kib(p) for p in pids}
                peak = max(peak, sum(sizes.values()))
                for p, kib in sizes.items():
                    per_pid[p] = max(per_pid.get(p, 0), kib)
                if not main_pid and pids:
                    main_pid.append(pids[0])  # the wrapper's one child: `checker batch` itself
                done.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        stdout, _ = proc.communicate()
        done.set()
        sampler.join()
        wall = time.perf_counter() - t0
        main_kib = per_pid.get(main_pid[0], 0) if main_pid else 0
        worker_kib = max((v for p, v in per_pid.items() if not main_pid or p != main_pid[0]), default=0)
        maxrss, rc = (int(x) for x in stdout.split())
        if rc not in (0, 1):
            raise RuntimeError(f"checker batch failed with exit code {rc}")
        summary = json.loads(Path(out, "summary.json").read_text(encoding="utf-8"))
    return Memory(files, jobs, wall, maxrss / 1024, peak / 1024, main_kib / 1024, worker_kib / 1024,
                  len(summary["similar"]))


def linked(files: Sequence[Path], n: int, tmp: Path) -> list[Path]:
    """n files in a folder of their own, as symlinks to the corpus (repeating it if it is smaller than n)."""
    folder = tmp / f"files-{n}"
    folder.mkdir()
    out = []
    for i in range(n):
        src = files[i % len(files)]
        link = folder / f"{i:05d}_{src.name}"
        link.symlink_to(src.resolve())
        out.append(link)
    return out


# ------------------------------------------------------------------------------------------------------
# Report


def fmt_ms(ms: float) -> str:
    return f"{ms:,.1f} ms" if ms < 100 else f"{ms:,.0f} ms"


def machine() -> dict[str, Any]:
    import docx
    import lxml.etree
    import spacy

    import checker

    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or "",
        "cpu_count": os.cpu_count(),
        "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "checker": checker.__version__,
        "python-docx": getattr(docx, "__version__", "?"),
        "lxml": ".".join(map(str, lxml.etree.LXML_VERSION)),
        "spacy": spacy.__version__,
        "load_start": load_average(),
    }


def load_average() -> str:
    """1-minute load average: other work on the machine shows up in the subprocess rows."""
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "?"


def render(data: dict[str, Any]) -> str:
    m, c, rows = data["machine"], data["config"], data["rows"]
    lines = [
        f"Machine: Python {m['python']} ({m['implementation']}), {m['cpu_count']} CPUs, {m['platform']}; "
        f"checker {m['checker']}, python-docx {m['python-docx']}, lxml {m['lxml']}, spaCy {m['spacy']}; "
        f"load average {m['load_start']} at start, {data['load_end']} at end",
        f"Corpus: {data['corpus']}",
        f"In-process rows: median over {c['repeat']} runs per file (after a warm-up), then the median over "
        f"{c['files']} files; words/s = total words / sum of per-file medians.",
        "",
        "| # | measure | result | words/s | vs baseline | notes |",
        "|---|---|---|---|---|---|",
    ]
    base = rows["baseline"]["median_ms"]
    lines += in_process_lines(rows)
    b1, b2 = rows["batch_jobs1"], rows["batch_jobs2"]
    for n, b in (("5a", b1), ("5b", b2)):
        lines.append(f"| {n} | batch `--jobs {b['jobs']}` ({b['files']} files, JSON reports) | "
                     f"{b['files_per_s']:.2f} files/s | {b['words_per_s']:,.0f} | | median wall {b['median_s']:.2f} s "
                     f"of {len(b['wall_s'])} ({min(b['wall_s']):.2f}-{max(b['wall_s']):.2f}); "
                     f"{b['similar_pairs']} similar pairs flagged |")
    lines.append(f"| 5c | batch speed-up jobs2 / jobs1 | {rows['batch_speedup']:.2f}x | | | "
                 f"{m['cpu_count']} CPUs |")
    cs, cv = rows["cold_check"], rows["cold_version"]
    lines.append(f"| 6a | cold start `checker check FILE --format json` | {cs['median_s']:.2f} s | | | "
                 f"median of {len(cs['wall_s'])} (min {min(cs['wall_s']):.2f}, max {max(cs['wall_s']):.2f}) |")
    lines.append(f"| 6b | cold start `checker --version` | {cv['median_s']:.3f} s | | | "
                 f"median of {len(cv['wall_s'])} |")
    for n, mem in (("7a", rows["memory_small"]), ("7b", rows["memory_large"])):
        lines.append(f"| {n} | peak memory, batch of {mem['files']:,} files `--jobs {mem['jobs']}` | "
                     f"{mem['max_rss_mib']:.0f} MiB max RSS | | | tree peak {mem['tree_peak_mib']:.0f} MiB "
                     f"(main {mem['main_peak_mib']:.0f}, largest worker {mem['worker_peak_mib']:.0f}); "
                     f"wall {mem['wall_s']:.0f} s; {mem['similar_pairs']} similar pairs; {mem['source']} |")
    t = data["targets"]
    lines += [
        "",
        f"Ratios: full check / baseline = **{rows['full']['median_ms'] / base:.2f}x**; "
        f"full check / floor = **{rows['full']['median_ms'] / rows['floor']['median_ms']:.1f}x**; "
        f"reader / baseline = {rows['reader']['median_ms'] / base:.2f}x.",
        "",
        "| target | measured | met |",
        "|---|---|---|",
        *[f"| {x['target']} | {x['measured']} | {'yes' if x['met'] else '**no**'} |" for x in t],
    ]
    return "\n".join(lines)


def in_process_lines(rows: dict[str, Any]) -> list[str]:
    base = rows["baseline"]["median_ms"]
    keys = [k for k in LABELS if k in rows]
    return [f"| {i} | {rows[k]['label']} | "
            f"{fmt_ms(rows[k]['median_ms'])} / file | {rows[k]['words_per_s']:,.0f} | "
            f"{rows[k]['median_ms'] / base:.2f}x | p90 {fmt_ms(rows[k]['p90_ms'])} |"
            for i, k in enumerate(keys, 1)]


def render_issue18(data: dict[str, Any]) -> str:
    """The ratios of issue 18: realistic files, cold start, cost per word, memory per XML byte."""
    real, rows = data["realistic"], data["realistic"]["rows"]
    cold = real["cold"]
    lines = [f"Realistic submissions: {real['corpus']}", "",
             "| # | measure | result | words/s | vs python-docx | notes |", "|---|---|---|---|---|---|",
             *in_process_lines(rows),
             f"| B | batch `--jobs 1` / `--jobs 2` ({rows['batch_jobs1']['files']} files) | "
             f"{rows['batch_jobs1']['files_per_s']:.1f} / {rows['batch_jobs2']['files_per_s']:.1f} files/s | | | "
             f"speed-up **{rows['batch_speedup']:.2f}x** |",
             "", f"Cold start on {cold['file']} (median wall of fresh processes):", "",
             "| process | wall | vs python-docx open |", "|---|---|---|"]
    base = cold["python-docx"]["median_s"]
    for name, label in (("checker", "`checker check FILE --format json`"), ("python-docx", "`docx.Document(FILE)`"),
                        ("docx2python", "`docx2python(FILE)`"), ("mammoth", "`mammoth.extract_raw_text`")):
        if name in cold:
            med = cold[name]["median_s"]
            lines.append(f"| {label} | {med * 1000:,.0f} ms | {med / base:.2f}x |")
    lines += ["", "Cost per word and peak memory, one submission scaled up (library calls in this process; memory "
              "in a fresh process per file):", "",
              "| words | document.xml | library `check()` | python-docx | "
              "check peak RSS / XML | python-docx peak / XML |", "|---|---|---|---|---|---|"]
    for pw, mem in zip(data["scaled"]["per_word"], data["scaled"]["memory"], strict=True):
        xml = mem["xml_bytes"] / 1024
        lines.append(f"| {pw['words']:,} | {xml:,.0f} KiB | {pw['library']['us_per_word']:.1f} us/word | "
                     f"{pw['python-docx']['us_per_word']:.1f} us/word | "
                     f"{mem['checker_kib'] / xml:.1f}x | {mem['python_docx_kib'] / xml:.1f}x |")
    mem = data["realistic"]["memory"]
    per_xml = statistics.median(m["checker_kib"] * 1024 / m["xml_bytes"] for m in mem)
    docx_per_xml = statistics.median(m["python_docx_kib"] * 1024 / m["xml_bytes"] for m in mem)
    lines += ["", f"Peak memory on {len(mem)} realistic files (every 8th): check "
              f"{statistics.median(m['checker_kib'] / 1024 for m in mem):.1f} MiB median above the warmed process, "
              f"**{per_xml:.0f}x** their document.xml; python-docx {docx_per_xml:.0f}x."]
    return "\n".join(lines)


def issue18_targets(data: dict[str, Any]) -> list[dict[str, Any]]:
    rows, cold, pw = data["realistic"]["rows"], data["realistic"]["cold"], data["scaled"]["per_word"]
    ratio = rows["full"]["median_ms"] / rows["baseline"]["median_ms"]
    cold_ratio = cold["checker"]["median_s"] / cold["python-docx"]["median_s"]
    growth = pw[-1]["library"]["us_per_word"] / min(r["library"]["us_per_word"] for r in pw)
    mem = max(m["checker_kib"] * 1024 / m["xml_bytes"] for m in data["scaled"]["memory"][-2:])
    speedup = rows["batch_speedup"]
    return [
        {"target": "realistic: full check <= 2.0x python-docx's read", "measured": f"{ratio:.2f}x", "met": ratio <= 2},
        {"target": "cold start <= 4x a python-docx open", "measured": f"{cold_ratio:.2f}x", "met": cold_ratio <= 4},
        {"target": f"cost linear to {pw[-1]['words']:,} words (library; per word within 1.25x of the lowest)",
         "measured": f"{growth:.2f}x", "met": growth <= 1.25},
        {"target": "peak memory <= 10x document.xml (two largest files)", "measured": f"{mem:.1f}x",
         "met": mem <= 10},
        {"target": "batch speed-up on 2 cores >= 1.8x (realistic)", "measured": f"{speedup:.2f}x",
         "met": speedup >= 1.8},
    ]


def targets(rows: dict[str, Any]) -> list[dict[str, Any]]:
    ratio = rows["full"]["median_ms"] / rows["baseline"]["median_ms"]
    cold = rows["cold_check"]["median_s"]
    small, large = rows["memory_small"], rows["memory_large"]
    growth = large["max_rss_mib"] / small["max_rss_mib"]
    tree_growth = large["tree_peak_mib"] / small["tree_peak_mib"]
    return [
        {"target": "full check <= 2x python-docx reading", "measured": f"{ratio:.2f}x", "met": ratio <= 2},
        {"target": "cold start of `checker check` < 1.5 s", "measured": f"{cold:.2f} s", "met": cold < 1.5},
        {"target": f"batch memory flat ({large['files']:,} vs {small['files']:,} files, within 10%)",
         "measured": f"max RSS x{growth:.2f}, tree peak x{tree_growth:.2f}",
         "met": growth <= 1.10 and tree_growth <= 1.10},
    ]


# ------------------------------------------------------------------------------------------------------


def in_process_rows(files: list[Path], words: Sequence[int], repeat: int,
                    log: Callable[[str], None]) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    for key, pf in time_in_process(files, repeat, log).items():
        meds = sorted(pf.medians())
        rows[key] = {"label": pf.label, "median_ms": pf.median_ms(), "p90_ms": meds[int(0.9 * (len(meds) - 1))],
                     "words_per_s": pf.words_per_s(words), "per_file_median_ms": pf.medians(),
                     "samples_ms": pf.samples_ms}
    return rows


def batch_rows(files: list[Path], words: Sequence[int], repeat: int, log: Callable[[str], None]) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    for jobs in (1, 2):
        log(f"batch --jobs {jobs}: {repeat} runs over {len(files)} files ...")
        runs = [run_batch(files, jobs) for _ in range(repeat)]
        walls = [w for w, _ in runs]
        med = statistics.median(walls)
        rows[f"batch_jobs{jobs}"] = {"jobs": jobs, "files": len(files), "wall_s": walls, "median_s": med,
                                     "files_per_s": len(files) / med, "words_per_s": sum(words) / med,
                                     "similar_pairs": len(runs[0][1]["similar"])}
    rows["batch_speedup"] = rows["batch_jobs2"]["files_per_s"] / rows["batch_jobs1"]["files_per_s"]
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, help="corpus size for rows 1-5 (default 100; --quick 10)")
    parser.add_argument("--repeat", type=int, help="runs per measurement (default 5; --quick 3)")
    parser.add_argument("--memory-files", type=int, help="files in the large memory batch (default 1000; --quick 50)")
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED, help="corpus seed")
    parser.add_argument("--quick", action="store_true", help="small numbers, for a smoke run")
    args = parser.parse_args(argv)
    files_n = args.files or (10 if args.quick else 100)
    repeat = args.repeat or (3 if args.quick else 5)
    mem_large = args.memory_files or (50 if args.quick else 1000)
    mem_small = min(10 if args.quick else 100, mem_large)

    def log(msg: str) -> None:
        print(f"[bench] {msg}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    files, manifest = corpus.ensure_corpus(files_n, args.seed, log)
    words = [f["words"] for f in manifest["files"]]
    data: dict[str, Any] = {"machine": machine(), "corpus": corpus.describe(manifest) + f" (seed {args.seed})",
                            "config": {"files": files_n, "repeat": repeat, "memory_files": [mem_small, mem_large],
                                       "seed": args.seed, "quick": args.quick, "pack": PACK}}
    rows: dict[str, Any] = in_process_rows(files, words, repeat, log)
    rows.update(batch_rows(files, words, repeat, log))

    # Issue 18's ratios, on the learners' files as written (bench/realistic.py) and one of them scaled up
    real_files, real_manifest = realistic.realistic(log)
    real_words = [f["words"] for f in real_manifest]
    data["realistic"] = {"corpus": f"{len(real_files)} labelled fixtures ({min(real_words):,}-{max(real_words):,} "
                                   f"words, median {statistics.median(real_words):,.0f})",
                         "rows": in_process_rows(real_files, real_words, repeat, log)}
    data["realistic"]["rows"].update(batch_rows(real_files, real_words, repeat, log))
    log("cold starts against opening the file ...")
    data["realistic"]["cold"] = ratios.cold_starts(checker_cmd(), real_files[0], max(repeat, 5),
                                                   list(ratios.other_readers()))
    scaled_files, scaled_manifest = realistic.scaled(log=log)
    data["scaled"] = {"per_word": ratios.per_word(scaled_files, scaled_manifest, max(1, repeat // 2), log),
                      "memory": ratios.memory_vs_xml(scaled_files, scaled_manifest, real_files[-1], log)}
    data["realistic"]["memory"] = ratios.memory_vs_xml(real_files[::8], real_manifest[::8], real_files[-1], log)

    log("cold starts ...")
    cold_n = max(repeat, 5)
    check_walls = wall_times([*checker_cmd(), "check", str(files[0]), "--format", "json"], cold_n)
    version_walls = wall_times([*checker_cmd(), "--version"], cold_n)
    rows["cold_check"] = {"file": files[0].name, "wall_s": check_walls, "median_s": statistics.median(check_walls)}
    rows["cold_version"] = {"wall_s": version_walls, "median_s": statistics.median(version_walls)}

    mem_files, mem_manifest = corpus.ensure_corpus(mem_large, args.seed, log)
    with tempfile.TemporaryDirectory(prefix="bench-links-") as tmp:
        for key, n in (("memory_small", mem_small), ("memory_large", mem_large)):
            log(f"peak memory: batch of {n} files --jobs 2 ...")
            paths = linked(mem_files, n, Path(tmp))
            mem = asdict(measure_memory(paths[0].parent, n, 2))
            unique = min(n, len(mem_files))
            mem["source"] = (f"{unique} distinct generated files" if unique == n
                             else f"{unique} distinct files repeated to {n}")
            rows[key] = mem

    data["rows"] = rows
    data["load_end"] = load_average()
    data["targets"] = targets(rows) + issue18_targets(data)
    data["elapsed_s"] = time.perf_counter() - started
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(data, indent=1), encoding="utf-8")
    print(render(data))
    print()
    print(render_issue18(data))
    print(f"\n(total {data['elapsed_s']:.0f} s; raw numbers in {RESULTS.relative_to(corpus.ROOT)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
