"""``GET /health``: a small JSON answer for monitoring."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from habitat_kg import __version__
from habitat_kg.server.graph import served_graph

blueprint = Blueprint("health", __name__)


@blueprint.get("/health")
def health() -> ResponseReturnValue:
    graph = served_graph()
    answer = graph.store.query("ASK { ?s ?p ?o }")
    status = "ok" if answer is True else "empty"
    return jsonify(status=status, version=__version__, triples=graph.triples), 200
