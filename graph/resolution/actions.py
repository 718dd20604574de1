"""The operative verb that opens a paragraph, read with the concept scheme's own labels.

The scheme (``ontology/operative-actions.ttl``) is the one list of verbs: every preferred and
alternative label, English or Chinese, is an opening the reader recognises, longest first (so
that "also requests" is not read as "requests" and 又邀请 not as 又请).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

from habitat_kg.namespaces import BASE

ACTION = Namespace(BASE + "concept/action/")
ACTION_SCHEME = URIRef(BASE + "concept/action")
REQUESTING = URIRef(BASE + "concept/action/requesting")
ACTIONS_FILE = "operative-actions.ttl"


@dataclass(frozen=True)
class ActionMatch:
    """The action a paragraph opens with: concept local name, the opening as written, and the
    offset in the paragraph's text where the rest (addressee, object) begins."""

    name: str
    written: str
    end: int


def actions_path() -> Path:
    """The file system path of the operative action scheme (shipped beside habitat.ttl)."""
    return Path(str(files("habitat_kg.ontology") / ACTIONS_FILE))


@cache
def actions_graph() -> Graph:
    """The new ontology terms and the action scheme, parsed once."""
    graph = Graph()
    graph.parse(data=actions_path().read_text(encoding="utf-8"), format="turtle")
    return graph


@cache
def requesting_actions() -> frozenset[str]:
    """The actions that ask someone to act (members of the ``requesting`` collection)."""
    members = actions_graph().objects(REQUESTING, SKOS.member)
    return frozenset(_local(member) for member in members)


@cache
def action_labels(name: str) -> dict[str, str]:
    """The preferred labels of an action by language: ``{"en": "also requests", "zh": "又请"}``."""
    graph = actions_graph()
    return {
        label.language: str(label)
        for label in graph.objects(ACTION[name], SKOS.prefLabel)
        if isinstance(label, Literal) and label.language
    }


@cache
def _openings(language: str) -> tuple[tuple[str, str], ...]:
    """(opening, action) for every label in ``language``, longest first."""
    graph = actions_graph()
    found = []
    for predicate in (SKOS.prefLabel, SKOS.altLabel):
        for concept, label in graph.subject_objects(predicate):
            in_scheme = (concept, SKOS.inScheme, ACTION_SCHEME) in graph
            if in_scheme and isinstance(label, Literal) and label.language == language:
                found.append((str(label).lower(), _local(concept)))
    return tuple(sorted(set(found), key=lambda pair: (-len(pair[0]), pair[0])))


_EN_BOUNDARY = re.compile(r"[A-Za-z-]")


def find_action(text: str, language: str) -> ActionMatch | None:
    """The action ``text`` opens with, or None (a sub-paragraph continuing its chapeau)."""
    lowered = text.lower()
    for opening, name in _openings(language):
        if not lowered.startswith(opening):
            continue
        after = text[len(opening) : len(opening) + 1]
        if language == "en" and after and _EN_BOUNDARY.match(after):
            continue  # "Notes" is not "Notesworthy"; "Requests" not "Requested"
        rest = len(opening)
        while rest < len(text) and text[rest] in " \t,，":
            rest += 1
        return ActionMatch(name, text[: len(opening)], rest)
    return None


def _local(concept: object) -> str:
    return str(concept).rsplit("/", 1)[-1]
