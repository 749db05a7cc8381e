"""Run one job in a forked child with a deadline and a memory budget (the web page's per-request bounds).

The child starts as a copy of the warmed server (pack and pipeline loaded, nothing to import), does the
job, sends back the pickled answer and exits: whatever the job allocated, cyclic garbage included, goes
with it, so the server does not grow with the number of checks. A job over its time is killed; one over
its memory gets MemoryError (RLIMIT_DATA) or is killed. POSIX only; elsewhere the job runs in-process.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any


class JobFailed(Exception):
    """The job raised, ran out of time or memory, or its process died. `kind` says which; `where` holds
    the frames (file:line function) of an exception, without its message, for the log."""

    def __init__(self, kind: str, where: str = "") -> None:
        super().__init__(kind)
        self.kind = kind  # "timeout" | "memory" | "died" | an exception type name
        self.where = where


def _data_size() -> int:
    """This process's data segment now (VmData, bytes): the budget is on top of what the fork inherits."""
    with open("/proc/self/status", "rb") as f:
        for line in f:
            if line.startswith(b"VmData:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(fn: Callable[..., Any], args: tuple[Any, ...], memory: int, out: int) -> None:
    try:
        if memory:
            import resource

            limit = _data_size() + memory
            resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
        answer: tuple[str, Any] = ("ok", fn(*args))
    except MemoryError:
        answer = ("memory", "")
    except BaseException as e:  # the parent decides what the learner sees; the message may hold a file name
        frames = " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}"
                            for f in reversed(traceback.extract_tb(e.__traceback__)))
        answer = (type(e).__name__, frames)
    try:
        data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as e:
        data = pickle.dumps((type(e).__name__, "pickling the answer"))
    with contextlib.suppress(OSError):
        view = memoryview(data)
        while view:
            view = view[os.write(out, view):]
    os._exit(0)


def run(fn: Callable[..., Any], args: tuple[Any, ...], timeout: float, memory: int) -> Any:
    """fn(*args) in a forked child; JobFailed if it raises, passes `timeout` seconds or `memory` bytes."""
    if not hasattr(os, "fork"):  # pragma: no cover - Windows: no isolation, no bounds
        return fn(*args)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child (coverage does not follow it)
        os.close(r)
        _child(fn, args, memory, w)
    os.close(w)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    timed_out = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([r], [], [], left)
            if ready:
                chunk = os.read(r, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(r)
        if timed_out:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)  # never leave a zombie
    if timed_out:
        raise JobFailed("timeout")
    if not chunks:
        raise JobFailed("died")
    kind, value = pickle.loads(b"".join(chunks))  # our own child's bytes
    if kind == "ok":
        return value
    raise JobFailed(kind, value)
