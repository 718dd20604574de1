"""The one reader of the data tables a room keeps beside its modules as TOML (word lists, date
grammars): data a reader edits without touching the code that uses it."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def load_table(package: str, name: str) -> dict[str, Any]:
    """The TOML file ``<name>.toml`` of ``package`` (an import name: the room's folder), read
    once per process; a table that does not read is a bug of the package, named with its file."""
    resource = files(package) / f"{name}.toml"
    try:
        return tomllib.loads(resource.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{package}/{name}.toml: {error}") from None
