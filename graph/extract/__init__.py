"""The extractor: statements proposed for every paragraph of a report, for an analyst to review.

``propose(text, report_id, gazetteer)`` reads a parsed report and returns
:class:`~habitat_kg.graph.extract.proposal.Proposal` objects (what they are:
``graph/extract/proposal.py``); ``EXTRACTOR_VERSION`` names the rules that made them.
"""

from habitat_kg.graph.extract.proposal import (
    ENTITY_CATEGORIES,
    KINDS,
    MEASURED_KINDS,
    EntityMatch,
    Proposal,
)
from habitat_kg.graph.extract.propose import EXTRACTOR_VERSION, propose

__all__ = [
    "ENTITY_CATEGORIES",
    "EXTRACTOR_VERSION",
    "KINDS",
    "MEASURED_KINDS",
    "EntityMatch",
    "Proposal",
    "propose",
]
