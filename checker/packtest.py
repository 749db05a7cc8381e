"""`checker pack test PACK [DIR]`: a pack's own tests, like Vale's and Semgrep's rule tests.

Each test is a small readable submission (fixtures/ source format, built into a real .docx by
fixtures/build.py) annotated with what the checker must say per criterion:

    expect:
      "1.1": met
      "1.2": {status: gap, codes: [too-short]}   # codes: the criterion's gap findings, as a set
      "2.1": {status: met, items: 5}             # items: how many distinct items it counts
    grade: pass                                  # optional: the summary grade of a graded pack

A criterion not listed is not checked. Any difference is a diff line and exit code 1.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from .errors import CheckerError
from .packs import ResolvedPack, load_pack


def default_dir(pack: ResolvedPack) -> Path:
    return pack.path.parent / "tests" / pack.id


def _builder() -> ModuleType:
    path = Path(__file__).resolve().parent.parent / "fixtures" / "build.py"
    if not path.is_file():
        raise CheckerError(path, "pack tests are built with fixtures/build.py from a source checkout")
    if "fixture_build" in sys.modules:
        return sys.modules["fixture_build"]
    spec = importlib.util.spec_from_file_location("fixture_build", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


Expected = tuple[str, frozenset[str] | None, int | None]  # status, gap codes, items counted


def _expected(source: Path, raw: Any) -> dict[str, Expected]:
    if not isinstance(raw, dict) or not raw:
        raise CheckerError(source, "a pack test needs `expect:` with a status per criterion")
    out = {}
    for cid, want in raw.items():
        if isinstance(want, str):
            out[str(cid)] = (want, None, None)
        elif isinstance(want, dict) and want.get("status") in ("met", "gap", "missing") \
                and type(want.get("items")) in (int, type(None)):  # not a bool, which is an int too
            codes = want.get("codes")
            out[str(cid)] = (want["status"], frozenset(codes) if codes is not None else None, want.get("items"))
        else:
            raise CheckerError(source, f"expect {cid!r}: give met, gap or missing (and optionally codes, and "
                                       "items as a whole number)")
    return out


def compare(source: Path, data: dict[str, Any], result: Any) -> list[str]:
    """Differences between a test's annotations and a result, one line each ("" when they agree)."""
    diffs = []
    by_id = {c.id: c for c in result.criteria}
    for cid, (status, codes, items) in _expected(source, data.get("expect")).items():
        got = by_id.get(cid)
        if got is None:
            diffs.append(f"{source.name}: {cid}: the pack has no such criterion")
            continue
        got_codes = frozenset(f.code for f in got.findings if f.severity == "gap")
        got_items = len(got.items) if got.items is not None else None
        if got.status != status or (codes is not None and got_codes != codes) \
                or (items is not None and got_items != items):
            want = f"{status}" + (f" {sorted(codes)}" if codes is not None else "") \
                + (f" {items} items" if items is not None else "")
            diffs.append(f"{source.name}: {cid}: - {want}\n{' ' * (len(source.name) + len(cid) + 4)}"
                         f"+ {got.status} {sorted(got_codes)}"
                         + (f" {got_items} items {got.items}" if items is not None else ""))
    if "grade" in data and result.summary.get("grade") != data["grade"]:
        diffs.append(f"{source.name}: grade: - {data['grade']}  + {result.summary.get('grade')}")
    return diffs


def run_pack_tests(pack_ref: str, directory: str | None = None, out: Any = None) -> int:
    from .engine import check

    out = out or sys.stdout
    pack = load_pack(pack_ref)
    folder = Path(directory) if directory else default_dir(pack)
    sources = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not sources:
        raise CheckerError(folder, f"no pack tests (*.yaml) for {pack.id}")
    build = _builder().build
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for source in sources:
            data = yaml.safe_load(source.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or "body" not in data:
                raise CheckerError(source, "not a test source: needs `body:` and `expect:`")
            docx = build(source, Path(tmp) / (source.stem + ".docx"))
            diffs = compare(source, data, check(docx, pack))
            failed += bool(diffs)
            print(("FAIL " if diffs else "ok   ") + source.name, file=out)
            for d in diffs:
                print("  " + d, file=out)
    print(f"{pack.id}: {len(sources) - failed}/{len(sources)} pack tests pass", file=out)
    return 1 if failed else 0
