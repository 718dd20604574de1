"""The baseline the issue describes: Flask + waitress + pyoxigraph with no safety at all.

No time limit, no checks of the query, no row cap, no worker processes: the query runs in the
request's thread on one in-memory store. ``python -m benchmarks.minimal_app DATASET PORT``.
"""

from __future__ import annotations

import sys

import pyoxigraph as ox
from flask import Flask, Response, request
from waitress import serve


def create_app(dataset: str) -> Flask:
    store = ox.Store()
    store.bulk_load(path=dataset, format=ox.RdfFormat.TRIG)
    app = Flask(__name__)

    @app.route("/sparql", methods=["GET", "POST"])
    def sparql() -> Response:
        query = request.values.get("query", "")
        result = store.query(query, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryTriples):
            body = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)
            return Response(body, mimetype="application/n-triples")
        body = result.serialize(format=ox.QueryResultsFormat.JSON)
        return Response(body, mimetype="application/sparql-results+json")

    return app


if __name__ == "__main__":
    app = create_app(sys.argv[1])
    print("ready", flush=True)
    serve(app, host="127.0.0.1", port=int(sys.argv[2]), threads=8, ident="minimal")
