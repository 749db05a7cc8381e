"""The one error type users see: a single line naming the file and the reason."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def one_line(text: str) -> str:
    """Newlines and control characters (from a crafted part name or parser message) become spaces."""
    return _CONTROL.sub(" ", text).strip()


class CheckerError(Exception):
    """An input the checker cannot use (bad file, broken pack). Printed as one line, exit code 2."""

    def __init__(self, path: object, reason: str, line: int | None = None) -> None:
        self.path = str(path)
        self.reason = one_line(reason)
        self.line = line
        super().__init__(str(self))

    def __reduce__(self) -> tuple:  # raised in a batch worker, re-raised in the parent
        return (type(self), (self.path, self.reason, self.line))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return one_line(f"{where}: {self.reason}")
