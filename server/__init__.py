"""The web server: a Flask application factory, with one blueprint per concern.

``create_app(test_config)`` follows Flask's tutorial: settings come from ``habitat_kg.settings``
(option, environment or default), a test may override any of them, and the blueprints listed in
``BLUEPRINTS`` are registered in order.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from habitat_kg.project import locate_project
from habitat_kg.server import security
from habitat_kg.server.graph import ServedGraph
from habitat_kg.settings import SETTINGS

#: Blueprints of the server, as "module:attribute"; each owns its URLs.
BLUEPRINTS: list[str] = [
    "habitat_kg.server.health:blueprint",
    "habitat_kg.server.sparql:blueprint",
    "habitat_kg.server.pages:blueprint",
    "habitat_kg.server.entities:blueprint",
    "habitat_kg.server.ontology_page:blueprint",
    "habitat_kg.server.network:blueprint",
    "habitat_kg.server.validate:blueprint",
]


def config_key(setting_name: str) -> str:
    """``max-rows`` is ``MAX_ROWS`` in the Flask config."""
    return setting_name.upper().replace("-", "_")


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """The application serving the dataset named by the ``data`` setting."""
    app = Flask(__name__)
    app.config.from_mapping({config_key(name): s.value() for name, s in SETTINGS.items()})
    if test_config:
        app.config.update(test_config)
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_REQUEST_KB"]) * 1024
    if not app.config["DATA"]:  # no folder named: the project's build
        app.config["DATA"] = str(locate_project(app.config["PROJECT"] or None).data)
    dataset = Path(app.config["DATA"]) / "habitat-kg.trig"
    app.extensions["habitat_kg"] = ServedGraph.open(dataset, app.config)
    for target in BLUEPRINTS:
        module_name, attribute = target.split(":")
        app.register_blueprint(getattr(importlib.import_module(module_name), attribute))
    security.install(app)
    return app
