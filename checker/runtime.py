"""Process settings for the checker's own processes (the CLI, batch workers, the web server).

A check allocates tens of thousands of short-lived container objects (spaCy spans, blocks, match
tuples). CPython's default collector runs a young-generation pass every 700 net allocations, which
on this workload took about a fifth of a check's time (bench/README.md). These objects rarely form
cycles, so collecting less often costs little memory. The library itself never changes the
collector: only programs that own their process call this.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 50_000


def tune_gc() -> None:
    """Freeze what start-up loaded (the pipeline lives for the process) and collect less often."""
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, 20, 20)
