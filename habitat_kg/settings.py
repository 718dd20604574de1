"""Settings, each defined once with its name, default and help; options and environment use them.

Every command that takes a setting reads it from its option, else from the environment variable
``HABITAT_KG_<NAME>``, else the default here. The README's table of settings is checked against
this list by a test.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from habitat_kg.errors import SourceError

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    @property
    def env(self) -> str:
        return "HABITAT_KG_" + self.name.upper().replace("-", "_")

    def value(self) -> str:
        return os.environ.get(self.env, self.default)


SETTINGS: dict[str, Setting] = {
    setting.name: setting
    for setting in (
        Setting(
            "project",
            "",
            "the project folder (habitat-kg.toml, sources/, build/); default: the current "
            "folder when it holds habitat-kg.toml, else a per-user folder made on first use",
        ),
        Setting(
            "sources",
            "",
            "folder of the sources: report/ (texts), curated/ (TriG), reference/ (CSV); "
            "default: the project's sources/",
        ),
        Setting(
            "data",
            "",
            "folder the build writes the dataset to and the other commands read it from; "
            "default: the project's build/",
        ),
        Setting("host", "127.0.0.1", "address the server listens on"),
        Setting("port", "8080", "port the server listens on"),
        Setting(
            "timeout",
            "30",
            "seconds a query may run before it is stopped and answered with 503",
        ),
        Setting(
            "max-rows",
            "10000",
            "most rows a SELECT answer carries; a longer answer is cut and says so",
        ),
        Setting(
            "max-request-kb",
            "512",
            "largest request body the server accepts, in KiB; larger gets 413",
        ),
        Setting(
            "max-nesting",
            "128",
            "deepest tree a query may build: brackets inside one another plus what is chained "
            "within each (operators, patterns, clauses); deeper gets 400 before it is run",
        ),
        Setting(
            "workers",
            "2",
            "query worker processes (a timed-out one is replaced; see memory-workers)",
        ),
        Setting(
            "memory-workers",
            "1",
            "of the query workers, how many hold the graph in memory (a copy each, the "
            "fastest); the others read one on-disk copy made when the server starts, which "
            "they share",
        ),
        Setting(
            "worker-threads",
            "1",
            "of the workers holding the graph in memory, how many are threads of one process "
            "reading one copy of it (more than 1: no worker is kept for short queries); a query "
            "past the time or memory limit ends its process, whose other queries get 503 with "
            "Retry-After",
        ),
        Setting(
            "worker-memory-mb",
            "0",
            "most memory one query worker may hold, in MiB, the graph included (0: what it "
            "holds with the graph loaded + 1024); past it the query gets 503, the worker is "
            "replaced",
        ),
        Setting(
            "answer-cache-mb",
            "64",
            "memory for the endpoint's answers kept until the next reload, in MiB (0: none); "
            "a request with 'Cache-Control: no-cache' is answered anew",
        ),
        Setting(
            "worker-allocator",
            "mimalloc",
            "memory allocator of the query workers: mimalloc (Debian's libmimalloc2.0; the "
            "engine needs less CPU with it), jemalloc, or system (glibc's); one not installed "
            "is logged and glibc's used",
        ),
        Setting(
            "short-workers",
            "1",
            "of the query workers, how many are kept for short queries while the others are "
            "busy (at most all but one)",
        ),
        Setting(
            "short-limit",
            "1",
            "seconds a query may run on a worker kept for short queries; past it, it is "
            "stopped and waits for another worker",
        ),
        Setting(
            "queue-length",
            "4",
            "queries that may wait for a busy query worker; more get 503 with Retry-After",
        ),
        Setting(
            "client-queries",
            "2",
            "queries one client (remote address) may have running or waiting at once, beside "
            "those on a worker kept for short queries; more get 503 with Retry-After (0: any)",
        ),
        Setting(
            "threads",
            "8",
            "threads of the WSGI server (waitress) answering HTTP requests",
        ),
        Setting(
            "connection-limit",
            "1000",
            "most HTTP connections the server holds open at once; past it new ones wait",
        ),
        Setting(
            "header-timeout",
            "5",
            "seconds a connection has to send a request's line and headers, from when it "
            "opened or its last answer was sent; past it the server closes the connection",
        ),
        Setting(
            "picture-renders",
            "2",
            "most PNG network pictures drawn at once, each in a process of its own; "
            "more get 503 with Retry-After",
        ),
        Setting(
            "store",
            "memory",
            "where the graph is kept for querying: 'memory' (Oxigraph in memory), "
            "'oxigraph:PATH' (Oxigraph on disk), 'rdflib', or the query URL of a SPARQL server",
        ),
        Setting(
            "update-url",
            "",
            "SPARQL Update URL of a --store server, where it is not the query URL",
        ),
        Setting(
            "curator",
            "",
            "the name the curation page (serve --curate) and ingest --accept record as who "
            "accepted or corrected a statement when none is given (ingest: else the login name)",
        ),
        Setting(
            "curation-token",
            "",
            "the token that opens the curation pages of serve --curate (at least 16 "
            "characters); default: a new random one, printed once at start",
        ),
        Setting(
            "gsp-url",
            "",
            "Graph Store Protocol URL of a --store server; publish then PUTs each graph there",
        ),
        Setting(
            "max-report-mb",
            "5",
            "largest report text ingest reads, in MiB; a larger file is refused before it is "
            "read (0: any)",
        ),
    )
}


def setting(name: str) -> str:
    """The value of a setting from the environment, else its default."""
    return SETTINGS[name].value()


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


def read_config_file(path: Path) -> dict[str, str]:
    """Settings from a TOML file of ``name = value`` lines, names as in ``SETTINGS``.

    A command takes a setting from its option, else the environment, else this file, else the
    default. An unreadable file, bad TOML or an unknown name is a SourceError naming the file.
    """
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SourceError(path, None, f"cannot read the config file: {error.strerror}") from None
    except UnicodeDecodeError:
        raise SourceError(path, None, "the config file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))
        raise SourceError(
            path, int(line.group(1)) if line else None, f"not TOML: {error}"
        ) from None
    unknown = sorted(set(values) - set(SETTINGS))
    if unknown:
        known = ", ".join(SETTINGS)
        raise SourceError(path, None, f"no setting is called {unknown[0]!r}; settings: {known}")
    nested = [name for name, value in values.items() if isinstance(value, dict | list)]
    if nested:
        raise SourceError(path, None, f"setting {nested[0]!r} must be a single value")
    return {
        name: str(value).lower() if isinstance(value, bool) else str(value)
        for name, value in values.items()
    }
