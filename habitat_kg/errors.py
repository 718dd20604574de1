"""Errors that point at a place in a source file, so that an analyst can go and fix it, and the
missing dataset every reader of a built graph may meet."""

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


class TargetError(SourceError):
    """A place the tool would write that it must not (someone else's files are there) or cannot
    (a full disk, a read-only file system): ``PATH: problem``, reported as bad input."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(path, None, problem)


class DatasetMissing(FileNotFoundError):
    """There is no built dataset where one was expected."""

    def __init__(self, path: Path) -> None:
        if path.parent.is_file():  # --data names the dataset file instead of its folder
            super().__init__(
                f"--data {path.parent}: a file; --data takes the folder the build writes "
                f"{path.name} to"
            )
        else:
            super().__init__(f"{path}: no built graph here; run 'habitat-kg build' first")


def source_text(path: Path) -> str:
    """The text of a source file; a file that is not UTF-8 text (a binary file, another
    encoding, a NUL byte) is a SourceError naming the file and the line of the first bad byte."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(path, None, f"cannot be read: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problem = f"not UTF-8 text: byte 0x{data[error.start]:02x} cannot be decoded"
        raise SourceError(path, line, f"{problem}; save the file as UTF-8") from None
    if "\0" in text:
        line = text.count("\n", 0, text.index("\0")) + 1
        raise SourceError(path, line, "a NUL byte: this is a binary file, not text")
    return text
