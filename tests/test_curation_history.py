"""The undo history of the review pages (server/curation/history.py)."""

from __future__ import annotations

import pytest
from flask import Flask

from habitat_kg.graph.review.model import Review
from habitat_kg.server.curation import history


def test_an_undo_leaves_its_step_until_it_is_saved() -> None:
    """A refused undo (the graph would not build with it) may be asked again."""
    app = Flask("written-for-testing")
    before, after = Review("eb-2099-1_item-5", [], "en"), Review("eb-2099-1_item-5", [], "en")
    history.remember(app, "accepted in ¶ 3", before, after)
    assert history.to_undo(app, after).done == "accepted in ¶ 3"
    assert history.to_undo(app, after).done == "accepted in ¶ 3"  # still there: not yet saved
    history.undone(app, after.report_id)
    with pytest.raises(ValueError, match="nothing to undo"):
        history.to_undo(app, after)
