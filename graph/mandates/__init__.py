"""The mandate registry's statuses: where each mandate stands, report by report.

``mandate_findings`` reads a report against the mandates the project knows (``known_acts``:
resolution texts in the sources, curated mandates) and says, for every mandate of every act the
report covers, its status with the paragraphs that show it; ``propose_mandate_statuses`` gives
them as proposals for the review. ``ingest_resolution`` adds the text of a resolution or decision
to the sources.
"""

from habitat_kg.graph.mandates.citations import Citation, find_citations
from habitat_kg.graph.mandates.evidence import Evidence, covered_acts, find_evidence
from habitat_kg.graph.mandates.known import (
    SECRETARIAT,
    KnownAct,
    OperativePart,
    acts_of_resolution,
    known_acts,
)
from habitat_kg.graph.mandates.proposing import (
    MandateFinding,
    mandate_findings,
    propose_mandate_statuses,
    session_start,
    status_proposals,
)
from habitat_kg.graph.mandates.status import VALUES, combined, passage_wording

#: Names the status rules, beside the extractor's version, in what a review records.
MANDATES_VERSION = "mandates.1"

__all__ = [
    "MANDATES_VERSION",
    "SECRETARIAT",
    "VALUES",
    "Citation",
    "Evidence",
    "KnownAct",
    "MandateFinding",
    "OperativePart",
    "acts_of_resolution",
    "combined",
    "covered_acts",
    "find_citations",
    "find_evidence",
    "known_acts",
    "mandate_findings",
    "passage_wording",
    "propose_mandate_statuses",
    "session_start",
    "status_proposals",
]
