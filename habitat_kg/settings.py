"""Settings, each defined once with its name, default and help; options and environment use them.

Every command that takes a setting reads it from its option, else from the environment variable
``HABITAT_KG_<NAME>``, else the default here. The README's table of settings is checked against
this list by a test.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path


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


def _package_graph_dir() -> Path:
    return Path(str(files("habitat_kg.graph")))


SETTINGS: dict[str, Setting] = {
    setting.name: setting
    for setting in (
        Setting(
            "sources",
            str(_package_graph_dir() / "sources"),
            "folder of the sources: report/ (texts), curated/ (TriG), reference/ (CSV)",
        ),
        Setting(
            "data",
            str(_package_graph_dir() / "build"),
            "folder the build writes the dataset to and the other commands read it from",
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
            "workers",
            "2",
            "query worker processes (each holds the graph; a timed-out one is replaced)",
        ),
        Setting(
            "threads",
            "8",
            "threads of the WSGI server (waitress) answering HTTP requests",
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
            "gsp-url",
            "",
            "Graph Store Protocol URL of a --store server; publish then PUTs each graph there",
        ),
    )
}


def setting(name: str) -> str:
    """The value of a setting from the environment, else its default."""
    return SETTINGS[name].value()
