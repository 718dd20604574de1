"""The SPARQL queries the tool itself asks, kept as ``.rq`` files beside this module."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def load_query(name: str) -> str:
    """The text of ``queries/<name>.rq``; parsed once per process."""
    resource = files("habitat_kg") / "queries" / f"{name}.rq"
    if not resource.is_file():
        raise KeyError(f"no query named {name!r}")
    return resource.read_text(encoding="utf-8")
