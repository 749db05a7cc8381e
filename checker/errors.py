"""The one error type users see: a single line naming the file and the reason."""

from __future__ import annotations


class CheckerError(Exception):
    """An input the checker cannot use (bad file, broken pack). Printed as one line, exit code 2."""

    def __init__(self, path: object, reason: str, line: int | None = None) -> None:
        self.path = str(path)
        self.reason = reason
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.reason}"
