"""Resolutions and decisions as sources: their operative paragraphs and the mandates they give.

``read_resolution`` reads the text of a resolution or decision in the UN's form (Chinese or
English) into a :class:`ResolutionText`; ``analyse`` gives each operative paragraph and
sub-paragraph its action, addressees, object and clauses and says whether it is a mandate;
``mandates_graph`` writes them as RDF in the project's ontology (``ontology/habitat.ttl`` and
``ontology/operative-actions.ttl``).
"""

from habitat_kg.graph.resolution.actions import (
    ACTION,
    action_labels,
    actions_graph,
    actions_path,
    find_action,
    requesting_actions,
)
from habitat_kg.graph.resolution.addressees import KNOWN, find_addressees, known_addressee
from habitat_kg.graph.resolution.mandates import analyse
from habitat_kg.graph.resolution.model import (
    Addressee,
    Operative,
    OperativeText,
    Preamble,
    Reporting,
    ResolutionText,
)
from habitat_kg.graph.resolution.rdf import (
    mandate_iri,
    mandates_graph,
    paragraph_iri,
    session_iri,
    text_iri,
)
from habitat_kg.graph.resolution.structure import read_resolution

__all__ = [
    "ACTION",
    "KNOWN",
    "Addressee",
    "Operative",
    "OperativeText",
    "Preamble",
    "Reporting",
    "ResolutionText",
    "action_labels",
    "actions_graph",
    "actions_path",
    "analyse",
    "find_action",
    "find_addressees",
    "known_addressee",
    "mandate_iri",
    "mandates_graph",
    "paragraph_iri",
    "read_resolution",
    "requesting_actions",
    "session_iri",
    "text_iri",
]
