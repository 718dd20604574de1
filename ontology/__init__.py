"""The habitat-kg OWL ontology and SKOS concept schemes, shipped as package data.

``habitat.ttl`` holds the classes, properties and schemes of the record; the files beside it
(``operative-actions.ttl`` ...) add the parts of one domain. Every reader takes them all from
here: ``paths`` for a store that loads files, ``turtle`` for the text, ``graph`` for rdflib.
"""

from __future__ import annotations

import pathlib
from importlib.resources import files

from rdflib import Graph

MAIN = "habitat.ttl"


def paths() -> list[pathlib.Path]:
    """The ontology's Turtle files: ``habitat.ttl`` first, then the others by name."""
    folder = pathlib.Path(str(files("habitat_kg.ontology")))
    others = sorted(p for p in folder.glob("*.ttl") if p.name != MAIN)
    return [folder / MAIN, *others]


def path() -> pathlib.Path:
    """The file system path of ``habitat.ttl``, the ontology's main file."""
    return paths()[0]


def turtle() -> str:
    """The whole ontology as one Turtle text (the files one after the other)."""
    return "\n".join(p.read_text(encoding="utf-8") for p in paths())


def graph() -> Graph:
    """The whole ontology, parsed."""
    ontology = Graph()
    for source in paths():
        ontology.parse(data=source.read_text(encoding="utf-8"), format="turtle")
    return ontology
