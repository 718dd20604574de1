"""What every command shares: options made from settings, and one way to report bad input."""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from habitat_kg.errors import DatasetMissing, SourceError
from habitat_kg.server.store.base import StoreUnavailable
from habitat_kg.settings import SETTINGS

F = TypeVar("F", bound=Callable[..., Any])

#: Exit status for bad input (a file, an option, a date), as click uses for usage errors.
BAD_INPUT = 2
#: Exit status when a store's server cannot be reached or fails (not the user's input).
SERVER_FAILURE = 1

#: Errors that mean the user's input is wrong: shown as one line, never as a traceback.
INPUT_ERRORS: tuple[type[Exception], ...] = (SourceError, DatasetMissing, ValueError)


def setting_option(name: str, **kwargs: Any) -> Callable[[F], F]:
    """A click option for a setting: its help, default and environment variable come from
    ``SETTINGS``, so that the option, the variable and the README say the same thing."""
    setting = SETTINGS[name]
    return click.option(
        f"--{name}",
        envvar=setting.env,
        # An empty default (the project's sources/ and build/) is None, not Path("").
        default=setting.default or None,
        show_default=bool(setting.default),
        help=f"{setting.help} [env: {setting.env}]",
        **kwargs,
    )


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


class LazyGroup(click.Group):
    """A group whose commands live in their feature packages and load only when used."""

    def __init__(self, *args: Any, lazy_commands: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands:
            module_name, attribute = self.lazy_commands[cmd_name].split(":")
            return getattr(importlib.import_module(module_name), attribute)
        return super().get_command(ctx, cmd_name)
