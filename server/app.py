"""The web server: a Flask application factory, with one blueprint per concern.

``create_app(test_config)`` follows Flask's tutorial: settings come from ``habitat_kg.settings``
(option, environment or default), a test may override any of them, and the blueprints of
``BLUEPRINTS`` are registered in order.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask

from habitat_kg.project import DATASET_FILE, locate_project
from habitat_kg.server import (
    curation,
    editor_help,
    entities,
    health,
    languages,
    mandates,
    network,
    ontology_page,
    pages,
    search,
    security,
    validate,
)
from habitat_kg.server.graph import ServedGraph
from habitat_kg.server.sparql import blueprint as sparql_blueprint
from habitat_kg.settings import SETTINGS
from habitat_kg.templates import template_loader

#: Blueprints of the server, registered in this order; each owns its URLs.
BLUEPRINTS: tuple[Blueprint, ...] = (
    health.blueprint,
    sparql_blueprint,
    pages.blueprint,
    editor_help.blueprint,
    entities.blueprint,
    ontology_page.blueprint,
    network.blueprint,
    validate.blueprint,
    mandates.blueprint,
    search.blueprint,
)


def config_key(setting_name: str) -> str:
    """``max-rows`` is ``MAX_ROWS`` in the Flask config."""
    return setting_name.upper().replace("-", "_")


def create_app(test_config: Mapping[str, Any] | None = None, curate: bool = False) -> Flask:
    """The application serving the dataset named by the ``data`` setting; with ``curate``, also
    the review routes under /curate (server/curation: token, CSRF, loopback only)."""
    # named for the package, as before app.py held it: its folder has templates/ and static/
    app = Flask("habitat_kg.server")
    app.jinja_loader = template_loader()  # the templates of every room, the server's first
    given = dict(test_config or {})
    # a setting given is not read again (serve gives those its options read)
    for name, setting in SETTINGS.items():
        key = config_key(name)
        app.config[key] = given.pop(key) if key in given else setting.value()
    app.config.update(given)
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_REQUEST_KB"]) * 1024
    if not app.config["DATA"]:  # no folder named: the project's build
        app.config["DATA"] = str(locate_project(app.config["PROJECT"] or None).data)
    dataset = Path(app.config["DATA"]) / DATASET_FILE
    app.extensions["habitat_kg"] = ServedGraph.open(dataset, app.config)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    if curate:
        curation.install(app)
    languages.install(app)
    security.install(app)
    return app
