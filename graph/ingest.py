"""Adding a report to the sources: see ``habitat_kg.graph.review.ingesting``."""

from habitat_kg.graph.review.files import write_together
from habitat_kg.graph.review.ingesting import IngestResult, default_curator, ingest_with_proposals

__all__ = ["IngestResult", "default_curator", "ingest_with_proposals", "write_together"]
