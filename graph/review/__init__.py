"""The review of a report's proposals, and the curated statements it yields.

``load_review`` and ``save_review`` read and write a report's review in a project's sources;
``ingest_with_proposals`` makes or updates one from a text.
"""

from habitat_kg.graph.review.ingesting import IngestResult, default_curator, ingest_with_proposals
from habitat_kg.graph.review.model import ANALYST_RULE, STATES, Review, ReviewItem, merge
from habitat_kg.graph.review.store import (
    accepted_path,
    legacy_accepted_path,
    list_reviews,
    load_review,
    nt_term,
    review_path,
    save_review,
    term_from_nt,
    update_review,
)
from habitat_kg.graph.review.trig import statement_of

__all__ = [
    "ANALYST_RULE",
    "STATES",
    "IngestResult",
    "Review",
    "ReviewItem",
    "accepted_path",
    "default_curator",
    "ingest_with_proposals",
    "legacy_accepted_path",
    "list_reviews",
    "load_review",
    "merge",
    "nt_term",
    "review_path",
    "save_review",
    "statement_of",
    "term_from_nt",
    "update_review",
]
