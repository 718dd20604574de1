"""``GET /health``: a small JSON answer for monitoring: whether the store answers, the version,
the triples, the query workers ready of all (``workers``), the dataset served."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue

from habitat_kg import __version__
from habitat_kg.server.graph import served_graph
from habitat_kg.server.reload import served_version

blueprint = Blueprint("health", __name__)


@blueprint.get("/health")
def health() -> ResponseReturnValue:
    graph = served_graph()
    answer = graph.store.query("ASK { ?s ?p ?o }")
    status = "ok" if answer is True else "empty"
    # which build is served (its time, and the reloads since the start): a client sees a swap
    dataset = asdict(served_version(current_app))
    answer = {"status": status, "version": __version__, "triples": graph.triples}
    # the query workers answering now, of all: those reading the shared store on disk join
    # once it is loaded (a SPARQL server as the store has none)
    ready = getattr(graph.store, "workers_ready", None)
    if ready is not None:
        answer["workers"] = dict(zip(("ready", "of"), ready(), strict=True))
    return jsonify(**answer, dataset=dataset), 200
