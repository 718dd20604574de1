"""The habitat-kg OWL ontology and SKOS concept schemes (habitat.ttl), shipped as package data."""

from __future__ import annotations

import pathlib
from importlib.resources import files


def path() -> pathlib.Path:
    """The file system path of ``habitat.ttl``."""
    return pathlib.Path(str(files("habitat_kg.ontology") / "habitat.ttl"))
