"""PNG network pictures on the server: drawn in render processes (not the request's), remembered,
at most ``picture-renders`` at once (503 with Retry-After past that, at once), and stopped at the
time limit."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator

import pytest
from flask import Flask

from habitat_kg.graph.build import BuildResult
from habitat_kg.graph.network import fetch_evidence, network_graph
from habitat_kg.graph.network.rendering import PictureFailed, PictureRenderer
from habitat_kg.server.store import Store

PNG = b"\x89PNG\r\n\x1a\n"
PARTNERS = "/network/download?format=png&view=partners"


@pytest.fixture
def app(built: BuildResult) -> Iterator[Flask]:
    """An application of its own (its own renderer and pictures), drawing one picture at once."""
    from habitat_kg.server.app import create_app
    from habitat_kg.server.graph import close_app

    app = create_app(
        {"DATA": str(built.out_dir), "TESTING": True, "WORKERS": 1, "PICTURE_RENDERS": 1}
    )
    yield app
    renderer = app.extensions.get("habitat_kg.pictures")
    if renderer is not None:
        renderer.close()
    close_app(app)


def _renderer(app: Flask) -> PictureRenderer:
    return app.extensions["habitat_kg.pictures"]


@pytest.mark.alone
def test_a_picture_is_drawn_in_another_process_and_then_remembered(app: Flask) -> None:
    client = app.test_client()
    first = client.get(PARTNERS)
    assert first.status_code == 200 and first.data.startswith(PNG)
    renderer = _renderer(app)
    assert renderer.drawn == 1
    assert renderer.process_ids() and os.getpid() not in renderer.process_ids()

    started = time.monotonic()
    again = client.get(PARTNERS)
    assert time.monotonic() - started < 0.2
    assert again.status_code == 200 and again.data == first.data
    assert renderer.drawn == 1  # from the cache

    other = client.get(PARTNERS + "&colour=community")
    assert other.status_code == 200 and other.data != first.data
    assert renderer.drawn == 2  # another picture is drawn


@pytest.mark.alone
def test_pictures_past_the_bound_get_503_at_once_not_a_queue(app: Flask) -> None:
    answers: dict[str, int] = {}

    def ask(url: str) -> None:
        answers[url] = app.test_client().get(url).status_code

    drawing = threading.Thread(target=ask, args=(PARTNERS,))
    drawing.start()  # the first picture starts a render process: a second or more
    deadline = time.monotonic() + 30
    while "habitat_kg.pictures" not in app.extensions or not _renderer(app).drawing:
        assert time.monotonic() < deadline and drawing.is_alive(), answers
        time.sleep(0.005)

    for view in ("bipartite", "geography", "units"):
        started = time.monotonic()
        busy = app.test_client().get(f"/network/download?format=png&view={view}")
        assert busy.status_code == 503
        assert time.monotonic() - started < 0.5  # answered at once, not after the drawing
        assert busy.headers["Retry-After"] == "2"
        assert "picture-renders" in busy.get_data(as_text=True)
    assert _renderer(app).drawn == 0  # all three were refused while the first was drawn

    drawing.join(60)
    assert answers == {PARTNERS: 200}
    assert app.test_client().get("/network/download?format=png&view=units").status_code == 200


def test_a_picture_past_the_time_limit_is_stopped_and_its_process_replaced(
    store: Store,
) -> None:
    graph = network_graph(fetch_evidence(store), "bipartite")
    renderer = PictureRenderer(1, time_limit=0.001)  # far less than any drawing takes
    try:
        with pytest.raises(PictureFailed, match=r"longer than the time limit of 0\.001 s"):
            renderer.picture("bipartite", lambda: graph, "category")
        assert renderer.process_ids() == []  # the process drawing it was ended
        assert renderer.cached("bipartite") is None
        renderer.time_limit = 60.0
        assert renderer.picture("bipartite", lambda: graph, "category").startswith(PNG)
        assert len(renderer.process_ids()) == 1  # a new process drew it
    finally:
        renderer.close()
    assert renderer.process_ids() == []


def test_a_render_process_killed_between_pictures_is_replaced(store: Store) -> None:
    graph = network_graph(fetch_evidence(store), "partners")
    renderer = PictureRenderer(1, time_limit=60.0)
    try:
        assert renderer.picture("one", lambda: graph, "category").startswith(PNG)
        [first] = renderer.process_ids()
        os.kill(first, 9)
        assert renderer.picture("two", lambda: graph, "community").startswith(PNG)
        assert renderer.process_ids() != [first]
    finally:
        renderer.close()
