"""The curation pages: an analyst reviews what the extractor proposed for a report, in the
browser, and the accepted statements are served at once.

They exist only in a server started for curation (``habitat-kg serve --curate``, or
``create_app(..., curate=True)``): :func:`install` registers the routes under ``/curate`` and
makes the token; without it every ``/curate`` address is a 404 and the server writes nothing.
Access is guarded by ``access`` (loopback, token, CSRF).
"""

from __future__ import annotations

from flask import Flask

from habitat_kg.server.curation import access


def install(app: Flask) -> str:
    """Register the review routes on ``app``; returns the curation token."""
    from habitat_kg.server.curation.views import blueprint

    token = access.prepare(app)
    app.register_blueprint(blueprint)
    return token
