"""``habitat-kg serve``: the server on waitress, a production WSGI server.

It builds the dataset first if there is none in ``--data``, starts the query workers, prints
where it listens and how big the graph is, and stops cleanly (workers too) on Ctrl+C or
SIGTERM.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from types import FrameType

import click

from habitat_kg.commandline import BAD_INPUT, reports_bad_input, setting_option
from habitat_kg.settings import setting
from habitat_kg.store.factory import is_remote
from habitat_kg.store.serving import StoreUnavailable


@click.command()
@setting_option("host")
@setting_option("port", type=click.IntRange(0, 65535))
@setting_option("data", type=click.Path(path_type=Path, file_okay=False))
@setting_option("timeout", type=click.FloatRange(0, min_open=True))
@setting_option("max-rows", type=click.IntRange(1))
@setting_option("workers", type=click.IntRange(1))
@setting_option("threads", type=click.IntRange(1))
@setting_option("store")
@reports_bad_input
def serve(
    host: str,
    port: int,
    data: Path,
    timeout: float,
    max_rows: int,
    workers: int,
    threads: int,
    store: str,
) -> None:
    """Serve the graph: the SPARQL endpoint at /sparql and the pages (port 0: any free port)."""
    from waitress.server import create_server

    from habitat_kg.server import create_app
    from habitat_kg.server.graph import close_app, served_graph

    if not is_remote(store):  # a SPARQL server holds what `habitat-kg publish` put there
        _build_if_missing(data)
    settings = {"DATA": str(data), "TIMEOUT": timeout, "MAX_ROWS": max_rows}
    settings |= {"WORKERS": workers, "THREADS": threads, "STORE": store}
    try:
        app = create_app(settings)
    except StoreUnavailable as error:  # the dataset could not be loaded: bad input
        click.echo(f"habitat-kg: error: {error}", err=True)
        sys.exit(BAD_INPUT)
    try:
        max_bytes = int(app.config["MAX_CONTENT_LENGTH"])
        server = create_server(
            app,
            host=host,
            port=port,
            threads=threads,
            max_request_body_size=max_bytes,
            # Room for a GET query as long as the endpoint accepts, so that its 413 is the answer.
            max_request_header_size=max_bytes + 64 * 1024,
            ident="habitat-kg",
        )
        with app.app_context():
            graph = served_graph()
            address = _address(host, server.effective_port)  # type: ignore[union-attr]
            click.echo(f"habitat-kg serving {graph.dataset} at {address}")
            plural = "s" if workers != 1 else ""
            click.echo(
                f"  {graph.triples} triples in {len(graph.store.named_graphs)} named graphs; "
                f"SPARQL endpoint {address}sparql; {workers} query worker{plural}, "
                f"time limit {timeout:g} s, at most {max_rows} rows"
            )
        signal.signal(signal.SIGTERM, _stop_on_sigterm)
        server.run()  # returns on Ctrl+C or SIGTERM (waitress stops its threads first)
        server.close()
    finally:
        close_app(app)
    click.echo("habitat-kg: stopped", err=True)


def _build_if_missing(data: Path) -> None:
    if (data / "habitat-kg.trig").is_file():
        return
    from habitat_kg.graph.build import build

    sources = Path(setting("sources"))
    click.echo(f"no dataset in {data}/: building it from {sources}/", err=True)
    build(sources, data, lambda step: click.echo(f"  {step} ...", err=True))


def _address(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def _stop_on_sigterm(_signal: int, _frame: FrameType | None) -> None:
    sys.exit(0)  # waitress's loop ends on SystemExit as on Ctrl+C
