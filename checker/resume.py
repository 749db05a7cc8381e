"""`checker batch --resume`: a run that stopped at 600,000 of a million goes on from there.

The driver appends each finished row to OUT/.batch-rows.jsonl once its reports are written (one JSON line,
flushed: a killed run loses at most the line being written, which is skipped when read back). A resumed run
skips a submission only when a recorded row has its path, report name and sha256, was made with the same pack
sha256, report formats, audience and checker version, and its reports are still in OUT; anything else is
checked again. Rows keep what the summary needs (run hashes included), so the summary is the same as a
run from scratch.
"""

from __future__ import annotations

import base64
import contextlib
import json
from array import array
from dataclasses import asdict
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from . import __version__
from .errors import CheckerError

if TYPE_CHECKING:
    from .batch import Row

JOURNAL = ".batch-rows.jsonl"


def settings(pack_sha256: str, formats: tuple[str, ...], audience: str) -> dict[str, Any]:
    """What a recorded row must have been made with to be reused."""
    return {"checker": __version__, "pack_sha256": pack_sha256, "formats": sorted(formats), "audience": audience}


def _record(row: Row, stamp: dict[str, Any]) -> dict[str, Any]:
    data = asdict(row)
    data["fingerprints"] = {cid: base64.b64encode(a.tobytes()).decode() for cid, a in row.fingerprints.items()}
    return {"settings": stamp, "row": data}


def _row(data: dict[str, Any]) -> Row:
    from .batch import Row

    prints = {cid: array("I", base64.b64decode(b)) for cid, b in data.pop("fingerprints").items()}
    data["reasons"] = {k: tuple(v) for k, v in data["reasons"].items()}
    data["messages"] = {k: tuple(v) for k, v in data["messages"].items()}
    return Row(**data, fingerprints=prints)


class Done:
    """The rows a previous run recorded, by (path, sha256)."""

    def __init__(self, out: Path, rows: dict[tuple[str, str], dict[str, Any]]) -> None:
        self.out = out
        self.rows = rows

    def get(self, path: str, report_name: str, sha256: str) -> Row | None:
        data = self.rows.get((path, sha256))
        if data is None or data["name"] != report_name:
            return None
        if not all((self.out / fname).is_file() for fname in data["reports"].values()):
            return None
        return _row(dict(data))

    def __len__(self) -> int:
        return len(self.rows)


def load(out: Path, stamp: dict[str, Any]) -> Done:
    """The journal's usable rows; a missing journal means nothing to skip, a torn last line is ignored."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    path = out / JOURNAL
    try:
        f = path.open(encoding="utf-8")
    except FileNotFoundError:
        return Done(out, rows)
    except OSError as e:
        raise CheckerError(path, f"cannot read the record of the previous run: {e.strerror or e}") from None
    with f:
        for line in f:
            try:
                record = json.loads(line)
            except ValueError:
                continue  # the line a killed run was writing
            if isinstance(record, dict) and record.get("settings") == stamp:
                row = record["row"]
                rows[(row["path"], row["sha256"])] = row
    return Done(out, rows)


class Journal:
    """Appends finished rows. A new run (no --resume) starts it afresh; rows without a sha256 (files the safe
    opener refused, checks lost with their worker) are not recorded: they are cheap, or worth trying again."""

    def __init__(self, out: Path, stamp: dict[str, Any], append: bool) -> None:
        self.path = out / JOURNAL
        self.stamp = stamp
        self.append = append
        self.f: IO[str] | None = None

    def __enter__(self) -> Journal:
        try:
            self.f = self.path.open("a" if self.append else "w", encoding="utf-8")
        except OSError as e:
            raise CheckerError(self.path, f"cannot write the record of this run: {e.strerror or e}") from None
        return self

    def add(self, row: Row) -> None:
        if self.f is None or not row.sha256:
            return
        self.f.write(json.dumps(_record(row, self.stamp), ensure_ascii=False) + "\n")
        self.f.flush()

    def __exit__(self, *exc: object) -> None:
        if self.f is not None:
            with contextlib.suppress(OSError):
                self.f.close()
