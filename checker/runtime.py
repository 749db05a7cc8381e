"""The collector, paused for the length of one check in the checker's own processes.

A check allocates tens of thousands of short-lived container objects (spaCy spans, blocks, match
tuples). CPython's default collector runs a young-generation pass every 700 net allocations, which
on this workload took about a fifth of a check's time (bench/README.md). These objects rarely form
cycles, so the collector is switched off while a check runs and back on (defaults untouched) as soon
as it ends. It used to be tuned for the whole process (a frozen start-up and a 50,000 threshold):
in the long-running web server that let the cyclic garbage of python-docx and lxml (annotated
downloads) pile up to gigabytes, never given back. `engine.check` pauses it for its own call, so a
library caller gets the CLI's speed (with the collector on, a 60,000-word file cost a quarter more
per word: bench/run.py) and its collector back, untouched, when the call returns; the CLI, batch
workers and the web server also wrap their own work around a check in this (blocks nest).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_LOCK = threading.Lock()
_ACTIVE = 0  # checks running now (the web server runs some side by side in threads)
_WAS_ENABLED = True


@contextmanager
def gc_paused() -> Iterator[None]:
    """No collection inside the block; the collector is restored when the last concurrent block ends."""
    global _ACTIVE, _WAS_ENABLED
    with _LOCK:
        if _ACTIVE == 0:
            _WAS_ENABLED = gc.isenabled()
            gc.disable()
        _ACTIVE += 1
    try:
        yield
    finally:
        with _LOCK:
            _ACTIVE -= 1
            if _ACTIVE == 0 and _WAS_ENABLED:
                gc.enable()
