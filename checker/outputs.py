"""Where the checker writes: never onto a submission, never half a file, and one clear line when it cannot.

A report is written to a temporary file beside its target and renamed over it, so a full disk or a killed
process leaves the previous file (or none), never a truncated one; and the rename replaces a symlink or a
hard link at the target instead of writing through it into whatever file it points at.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from .errors import CheckerError


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()  # follows symlinks: a link to the submission is the submission
    except OSError:
        return None
    return st.st_dev, st.st_ino


def same_file(a: Path | str, b: Path | str) -> bool:
    """The same path, a symlink to it, or a hard link (same inode)."""
    a, b = Path(a), Path(b)
    a_id = _identity(a)
    return a.resolve() == b.resolve() or (a_id is not None and a_id == _identity(b))


def guard_output(output: Path | str, inputs: Iterable[Path | str]) -> None:
    """Refuse an output that is an input: the same path, a symlink to it, or a hard link (same inode)."""
    out = Path(output)
    for src in map(Path, inputs):
        if same_file(out, src):
            raise CheckerError(out, f"is the submission {src}: refusing to overwrite it; choose another file name")


def check_target(path: Path | str) -> Path:
    """A file path we can write to: its folder exists and it is not itself a folder."""
    target = Path(path)
    if target.is_dir():
        raise CheckerError(target, "cannot write the report: this is a folder, give a file name")
    parent = target.parent
    if not parent.is_dir():
        raise CheckerError(target, f"cannot write the report: folder {parent} does not exist")
    return target


def check_folder(path: Path | str) -> Path:
    """An output folder, created if missing; a file in its place is one clear error."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise CheckerError(folder, "--out must be a folder, and this is a file")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise CheckerError(folder, f"cannot create the output folder: {e.strerror or e}") from None
    return folder


@contextlib.contextmanager
def atomic_open(path: Path | str, mode: str = "w") -> Iterator[IO]:
    """Open a temporary file beside `path`; on success it replaces `path` in one rename, on any failure it
    is removed and an OSError becomes a CheckerError naming `path`."""
    target = check_target(path)
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name[:100]}.", suffix=".tmp")
        kwargs = {} if "b" in mode else {"encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, mode, **kwargs) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
        tmp = ""
    except OSError as e:
        raise CheckerError(target, f"cannot write: {e.strerror or e}") from None
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def write_text(path: Path | str, text: str) -> None:
    with atomic_open(path) as f:
        f.write(text)


def write_bytes(path: Path | str, data: bytes) -> None:
    with atomic_open(path, "wb") as f:
        f.write(data)
