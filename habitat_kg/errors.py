"""The errors every room may meet, and the one way a command reports them.

A source error points at a place in a source file, so that an analyst can go and fix it; a
missing dataset or a store that cannot answer is named with where it was looked for.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

#: Exit status for bad input (a file, an option, a date), as click uses for usage errors.
BAD_INPUT = 2
#: Exit status when a store's server cannot be reached or fails (not the user's input).
SERVER_FAILURE = 1


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


class StoreUnavailable(RuntimeError):
    """The store cannot answer now, not through the query's fault: a query worker could not
    start or ended, or a store's server could not be reached or failed (the message then names
    the server's URL and, when there was one, its HTTP status)."""


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


#: Errors that mean the user's input is wrong: shown as one line, never as a traceback.
INPUT_ERRORS: tuple[type[Exception], ...] = (SourceError, DatasetMissing, ValueError)


def reports_bad_input(command: F) -> F:
    """Bad input is one line on stderr naming the file and the problem, and exit status 2; a
    store's server that is down or fails is one line naming its URL, and exit status 1. So is a
    place the system will not let us write (a full disk, a read-only file system): exit 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except INPUT_ERRORS as error:
            click.echo(f"habitat-kg: error: {error}", err=True)
            sys.exit(BAD_INPUT)
        except StoreUnavailable as error:
            click.echo(f"habitat-kg: error: {error}", err=True)
            sys.exit(SERVER_FAILURE)
        except OSError as error:  # a full disk, a read-only file system: the place, the reason
            click.echo(f"habitat-kg: error: {os_error_line(error)}", err=True)
            sys.exit(BAD_INPUT)

    return wrapper  # type: ignore[return-value]


def os_error_line(error: OSError) -> str:
    """``PATH: reason`` for an error the operating system gave while reading or writing."""
    reason = error.strerror or str(error)
    return f"{error.filename}: {reason}" if error.filename else reason


class OneLineErrors(click.Group):
    """A command group whose usage errors (an unknown choice, a missing argument) are one line,
    ``habitat-kg: error: …`` and exit status 2, like every other piece of bad input."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except click.UsageError as error:
            message = " ".join(error.format_message().split())
            hint = f" (try '{error.ctx.command_path} --help')" if error.ctx else ""
            click.echo(f"habitat-kg: error: {message}{hint}", err=True)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)
