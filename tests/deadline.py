"""A time limit for a test: a hang becomes a failure instead of a stuck test run."""

from __future__ import annotations

import contextlib
import signal


class Hang(BaseException):
    """Raised by the alarm: a BaseException, so that no `except Exception`/`except OSError` in checker/ can
    turn it into a clean-looking CheckerError (TimeoutError is an OSError)."""


@contextlib.contextmanager
def deadline(seconds: float):
    """Raise Hang in the test if its body runs longer than `seconds`."""

    def _alarm(signum, frame):  # noqa: ARG001
        raise Hang(f"still running after {seconds} s: a hang")

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
