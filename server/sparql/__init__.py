"""``/sparql``: a read-only SPARQL 1.1 Protocol endpoint that any SPARQL client can use.

A request is read (``protocol.py``), its query read and checked before any store sees it
(``habitat_kg.server.store.query_text``: no SERVICE, no LOAD, no FROM outside the dataset, no
update), its format chosen (``server/negotiation.py``), and the answer written by a query worker
under the time limit and the row cap (``habitat_kg.server.store.pool``). ``GET /sparql`` with no
query describes the service and the dataset (``description.py``).

The endpoint itself is ``endpoint.respond``; requests for /sparql reach it through the front
door that registering this blueprint puts in front of Flask (``endpoint.FrontDoor``: Flask's
own handling of a request cost more than the rest of a cheap query's).
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, request
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue

from habitat_kg.server.sparql import answer_cache
from habitat_kg.server.sparql.endpoint import PATH, FrontDoor, respond

blueprint = Blueprint("sparql", __name__)

_METHODS = ["GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"]


# Named "endpoint" for url_for('sparql.endpoint'); the function has another name, so that it
# does not hide the module endpoint.py.
@blueprint.route(PATH, methods=_METHODS, endpoint="endpoint")
def through_flask() -> ResponseReturnValue:
    """The same answer as through the front door, for a request that reaches Flask (and so
    that pages can name the endpoint with ``url_for('sparql.endpoint')``)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    return respond(request._get_current_object(), app)  # type: ignore[attr-defined]


@blueprint.record_once
def _install_front_door(state: BlueprintSetupState) -> None:
    state.app.wsgi_app = FrontDoor(state.app, state.app.wsgi_app)  # type: ignore[method-assign]
    answer_cache.install(state.app)
