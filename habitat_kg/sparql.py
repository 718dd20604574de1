"""The SPARQL queries the tool itself asks, kept as ``.rq`` files beside this module."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def load_query(name: str, package: str = "habitat_kg") -> str:
    """The text of ``<package>/queries/<name>.rq``; read once per process."""
    resource = files(package) / "queries" / f"{name}.rq"
    if not resource.is_file():
        raise KeyError(f"no query named {name!r}")
    return resource.read_text(encoding="utf-8")
