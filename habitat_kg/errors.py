"""Errors that point at a place in a source file, so that an analyst can go and fix it."""

from __future__ import annotations

from pathlib import Path


class SourceError(Exception):
    """A source file that cannot be read as intended: names the file, the line and the problem.

    The command line prints ``str(error)`` as a single line (``PATH:LINE: problem``), the
    format editors and terminals recognise as a jump target.
    """

    # Field order as in the message: path, line, problem (``line`` is None for whole-file problems).
    def __init__(self, path: Path | str, line: int | None, problem: str) -> None:
        self.path = Path(path)
        self.line = line
        self.problem = problem
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.problem}"
        return f"{self.path}:{self.line}: {self.problem}"
