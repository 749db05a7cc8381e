#!/usr/bin/env python
"""Realistic submissions for the benchmark: the labelled fixtures as built, and one of them scaled up.

    python bench/realistic.py            # build (or show) both sets

The generated bench corpus (corpus.py) recombines answers sentence by sentence into files with many tables,
where python-docx is slow; these are the learners' files as written (1,000-5,000 words, every layout), so the
ratio to python-docx's read is the one a user sees. `scaled()` repeats every paragraph of one clean
headings-layout submission k times, giving files of 3,000 to 200,000 words with the same structure, for the
cost per word. Both are built once into bench/out/ and rebuilt when a source or fixtures/build.py changes.
"""

from __future__ import annotations

import copy
import hashlib
import json
import sys
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from corpus import BUILD_PY, OUT_DIR, ROOT, load_builder  # noqa: E402

SETS = ("submissions", "holdout", "holdout2", "blind3", "blind4", "blind5")
SCALE_SOURCE = ROOT / "fixtures" / "submissions" / "clean_headings.yaml"
SCALE_WORDS = (3_000, 10_000, 30_000, 60_000, 100_000, 200_000)
VERSION = 2  # bump when the built files change: cached ones are then rebuilt
W_T = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"


def words_of(path: Path) -> int:
    """Words of the text runs of word/document.xml (whitespace-separated), the same count for every reader."""
    from lxml import etree

    parts: list[str] = []
    with zipfile.ZipFile(path) as z, z.open("word/document.xml") as f:
        for _, el in etree.iterparse(f, events=("end",), tag=W_T):
            parts.append(el.text or "")
            parts.append(" ")  # runs may split a word; counted the same way for every file
            el.clear()
    return len("".join(parts).split())


def xml_bytes(path: Path) -> int:
    with zipfile.ZipFile(path) as z:
        return z.getinfo("word/document.xml").file_size


def _stamp(sources: Sequence[Path], extra: str = "") -> str:
    h = hashlib.sha256(BUILD_PY.read_bytes() + f"{VERSION}:{extra}".encode())
    for s in sorted(sources):
        h.update(s.name.encode() + s.read_bytes())
    return h.hexdigest()[:12]


def _cached(folder: Path, stamp: str, make: Callable[[Path], list[dict[str, Any]]],
            log: Callable[[str], None]) -> list[dict[str, Any]]:
    manifest = folder / "manifest.json"
    if manifest.exists():
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if data.get("stamp") == stamp and all((folder / f["name"]).exists() for f in data["files"]):
            return data["files"]
    log(f"building {folder.name} ...")
    folder.mkdir(parents=True, exist_ok=True)
    files = make(folder)
    manifest.write_text(json.dumps({"stamp": stamp, "files": files}, indent=1), encoding="utf-8")
    return files


def _entry(path: Path, **extra: Any) -> dict[str, Any]:
    return {"name": path.name, "words": words_of(path), "xml_bytes": xml_bytes(path), **extra}


def realistic(log: Callable[[str], None] = lambda _: None) -> tuple[list[Path], list[dict[str, Any]]]:
    """Every labelled fixture (built from YAML, or the committed .docx of pandoc/LibreOffice sources)."""
    folders = [ROOT / "fixtures" / s for s in SETS if (ROOT / "fixtures" / s).is_dir()]
    sources = [p for d in folders for p in sorted(d.glob("*.yaml")) if not p.name.endswith(".expect.yaml")]
    ready = [p for d in folders for p in sorted(d.glob("*.docx"))]
    folder = OUT_DIR / "realistic"

    def make(out: Path) -> list[dict[str, Any]]:
        build = load_builder().build
        files = []
        for src in [*sources, *ready]:
            target = out / f"{src.parent.name}_{src.stem}.docx"
            if src.suffix == ".docx":
                target.write_bytes(src.read_bytes())
            else:
                build(src, target)
            files.append(_entry(target, set=src.parent.name))
        return files

    files = _cached(folder, _stamp([*sources, *ready]), make, log)
    return [folder / f["name"] for f in files], files


def _scaled_source(data: dict[str, Any], k: int) -> dict[str, Any]:
    """Every paragraph after the first heading repeated k times (headings, tables and lists once)."""
    out = copy.deepcopy(data)
    body: list[Any] = []
    seen_heading = False
    for block in out["body"]:
        if isinstance(block, dict) and any(h in block for h in ("h1", "h2", "h3")):
            seen_heading = True
        repeat = k if seen_heading and isinstance(block, dict) and set(block) <= {"p", "style"} and "p" in block else 1
        body.extend(copy.deepcopy(block) for _ in range(repeat))
    out["body"] = body
    out.pop("expect", None)
    return out


def scaled(targets: Sequence[int] = SCALE_WORDS,
           log: Callable[[str], None] = lambda _: None) -> tuple[list[Path], list[dict[str, Any]]]:
    """One clean submission scaled to about each word target."""
    folder = OUT_DIR / "scaled"

    def make(out: Path) -> list[dict[str, Any]]:
        build = load_builder().build
        data = yaml.safe_load(SCALE_SOURCE.read_text(encoding="utf-8"))
        with tempfile.TemporaryDirectory(prefix="bench-scaled-") as tmp:

            def make_one(k: int, path: Path) -> int:
                src = Path(tmp, f"scaled_{k}.yaml")
                src.write_text(yaml.safe_dump(_scaled_source(data, k), allow_unicode=True, sort_keys=False),
                               encoding="utf-8")
                build(src, path)
                return words_of(path)

            w1, w2 = make_one(1, Path(tmp, "1.docx")), make_one(2, Path(tmp, "2.docx"))
            per, fixed = w2 - w1, 2 * w1 - w2  # words that repeat with k, words that do not
            files = []
            for target in targets:
                k = max(1, round((target - fixed) / per))
                path = out / f"scaled_{target:06d}.docx"
                make_one(k, path)
                files.append(_entry(path, repeat=k))
        return files

    files = _cached(folder, _stamp([SCALE_SOURCE], ",".join(map(str, targets))), make, log)
    return [folder / f["name"] for f in files], files


def main() -> int:
    log = lambda m: print(m, file=sys.stderr)  # noqa: E731
    for name, (_, files) in (("realistic", realistic(log)), ("scaled", scaled(log=log))):
        words = sorted(f["words"] for f in files)
        print(f"{name}: {len(files)} files, {words[0]:,}-{words[-1]:,} words (median {words[len(words) // 2]:,})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
