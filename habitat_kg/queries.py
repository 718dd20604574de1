"""The one reader of the SPARQL the tool asks itself: every room keeps its ``.rq`` files in a
``queries/`` folder beside its modules (``server/queries/``, ``shapes/validation/queries/``)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def load_query(package: str, name: str) -> str:
    """The text of ``queries/<name>.rq`` in ``package`` (an import name: the room's folder);
    read once per process. ``name`` may name a subfolder (``components/minCount``)."""
    resource = files(package) / "queries" / f"{name}.rq"
    if not resource.is_file():
        raise KeyError(f"no query named {name!r} in {package}")
    return resource.read_text(encoding="utf-8")


def queries_in(package: str, folder: str) -> dict[str, str]:
    """Every ``.rq`` file of ``queries/<folder>`` in ``package``, by name (sorted)."""
    found = files(package) / "queries" / folder
    names = sorted(r.name.removesuffix(".rq") for r in found.iterdir() if r.name.endswith(".rq"))
    return {name: load_query(package, f"{folder}/{name}") for name in names}
