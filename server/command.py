"""``habitat-kg serve``: the server on waitress, a production WSGI server.

It builds the dataset first if there is none in ``--data``, starts the query workers, prints
where it listens and how big the graph is, and stops cleanly (workers too) on Ctrl+C or
SIGTERM.
"""

from __future__ import annotations

import errno
import os
import signal
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import click

from habitat_kg.errors import BAD_INPUT, StoreUnavailable, reports_bad_input
from habitat_kg.project import DATASET_FILE, in_project
from habitat_kg.server.store.factory import is_remote
from habitat_kg.settings import SETTINGS, setting_option
from habitat_kg.urls import looks_like_url, require_http_url


@click.command()
@setting_option("host")
@setting_option("port", type=click.IntRange(0, 65535))
@setting_option("sources", type=click.Path(path_type=Path, file_okay=False))
@setting_option("data", type=click.Path(path_type=Path, file_okay=False))
@setting_option("timeout", type=click.FloatRange(0, min_open=True))
@setting_option("max-rows", type=click.IntRange(1))
@setting_option("max-request-kb", type=click.IntRange(1))
@setting_option("max-nesting", type=click.IntRange(1))
@setting_option("workers", type=click.IntRange(1))
@setting_option("threads", type=click.IntRange(1))
@setting_option("memory-workers", type=click.IntRange(0))
@setting_option("worker-threads", type=click.IntRange(1))
@setting_option("worker-memory-mb", type=click.IntRange(0))
@setting_option("short-workers", type=click.IntRange(0))
@setting_option("short-limit", type=click.FloatRange(0, min_open=True))
@setting_option("queue-length", type=click.IntRange(0))
@setting_option("client-queries", type=click.IntRange(0))
@setting_option("connection-limit", type=click.IntRange(1))
@setting_option("header-timeout", type=click.FloatRange(0, min_open=True))
@setting_option("picture-renders", type=click.IntRange(1))
@setting_option("store")
@click.option(
    "--curate",
    is_flag=True,
    help="also serve the review pages at /curate (token and CSRF protected, loopback only): "
    "accept, reject and correct what ingest proposed, served at once",
)
@setting_option("curator")
@click.option(
    "--allow-remote-curation",
    is_flag=True,
    help="let --curate listen on a --host that is not loopback (the token is then all that "
    "guards the writes: use it only behind HTTPS on a trusted network)",
)
@reports_bad_input
@in_project()
def serve(
    host: str,
    port: int,
    sources: Path,
    data: Path,
    timeout: float,
    max_rows: int,
    max_request_kb: int,
    max_nesting: int,
    workers: int,
    threads: int,
    memory_workers: int,
    worker_threads: int,
    worker_memory_mb: int,
    short_workers: int,
    short_limit: float,
    queue_length: int,
    client_queries: int,
    connection_limit: int,
    header_timeout: float,
    picture_renders: int,
    store: str,
    curate: bool,
    curator: str | None,
    allow_remote_curation: bool,
) -> None:
    """Serve the graph: the SPARQL endpoint at /sparql and the pages (port 0: any free port)."""
    # Flask, waitress and the pages load when serving, not on every start of the command line.
    from habitat_kg.server.app import config_key, create_app
    from habitat_kg.server.connections import http_server
    from habitat_kg.server.curation.access import check_token, is_loopback
    from habitat_kg.server.graph import close_app, served_graph
    from habitat_kg.server.search_cache import print_progress, start_building, stop_building

    # Every store reads the nesting limit where it checks a query: from the environment, which
    # the query workers inherit too.
    os.environ[SETTINGS["max-nesting"].env] = str(max_nesting)
    if curate and not is_loopback(host) and not allow_remote_curation:
        raise click.UsageError(
            f"--curate listens on loopback only: --host {host} is not loopback; give "
            "--allow-remote-curation to curate over the network"
        )
    if curate:
        try:  # refused before anything is built or started
            check_token(SETTINGS["curation-token"].value())
        except ValueError as error:
            raise click.UsageError(str(error)) from None
    _check_port(host, port)
    if looks_like_url(store):  # refused before anything is built or asked
        require_http_url(store, "--store")
    if not is_remote(store):  # a SPARQL server holds what `habitat-kg publish` put there
        _build_if_missing(sources, data)
    # The settings as the options read them (option, environment, --config, project, default):
    # the application takes these and reads no setting of its own again.
    settings = {
        "data": str(data),
        "sources": str(sources),  # what a reload builds from (habitat_kg.server.reload)
        "timeout": timeout,
        "max-rows": max_rows,
        "max-request-kb": max_request_kb,
        "max-nesting": max_nesting,
        "workers": workers,
        "threads": threads,
        "memory-workers": memory_workers,
        "worker-threads": worker_threads,
        "worker-memory-mb": worker_memory_mb,
        "short-workers": short_workers,
        "short-limit": short_limit,
        "queue-length": queue_length,
        "client-queries": client_queries,
        "picture-renders": picture_renders,
        "store": store,
    }
    if curate:
        settings["curator"] = curator or ""
    config = {config_key(name): value for name, value in settings.items()}
    # answer once the workers holding the graph in memory are ready; the readers of the shared
    # on-disk store join when it is loaded (see server/store/worker_starts.py)
    config["READERS_LATER"] = True
    if curate and allow_remote_curation and not is_loopback(host):
        click.echo(
            f"habitat-kg: warning: the review pages answer on {host}, not only on this machine; "
            "anyone who can reach it and learns the token can change the sources",
            err=True,
        )
        config["CURATION_ANY_HOST"] = True
    # a stop while the graph loads ends the workers already started (the pool's cleanup), not
    # the server alone
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        app = create_app(config, curate=curate)
    except StoreUnavailable as error:  # the dataset could not be loaded: bad input
        click.echo(f"habitat-kg: error: {error}", err=True)
        sys.exit(BAD_INPUT)
    try:
        max_bytes = int(app.config["MAX_CONTENT_LENGTH"])
        server = _listening(
            http_server,
            app,
            host=host,
            port=port,
            threads=threads,
            connection_limit=connection_limit,
            header_timeout=header_timeout,
            max_request_body_size=max_bytes,
            # Room for a GET query as long as the endpoint accepts, so that its 413 is the answer.
            max_request_header_size=max_bytes + 64 * 1024,
            ident="habitat-kg",
        )
        if server is None:
            sys.exit(BAD_INPUT)
        with app.app_context():
            graph = served_graph()
            address = _address(host, server.effective_port)  # type: ignore[union-attr]
            click.echo(f"habitat-kg serving {graph.dataset} at {address}")
            plural = "s" if workers != 1 else ""
            click.echo(
                f"  {graph.triples} triples in {len(graph.store.named_graphs)} named graphs; "
                f"SPARQL endpoint {address}sparql; {workers} query worker{plural}"
                f"{_ready_now(graph.store)}, time limit {timeout:g} s, at most {max_rows} rows"
            )
            print_progress()
            if start_building(app, graph):
                click.echo(
                    "  no search index beside the dataset: building one apart (searches answer "
                    "503 until it is written)"
                )
            if curate:
                # printed once: the token is not kept anywhere else (unless the setting gave it)
                token = app.config["CURATION_TOKEN"]
                click.echo(f"  review pages: {address}curate?token={token}")
        server.run()  # returns on Ctrl+C or SIGTERM (waitress stops its threads first)
        server.close()
    finally:
        stop_building(app)
        close_app(app)
    click.echo("habitat-kg: stopped", err=True)


def _listening(make_server: Callable[..., Any], app: Any, **options: Any) -> Any:
    """The server, or None after one line naming --port when the port cannot be listened on
    (taken between the check before starting and now)."""
    try:
        return make_server(app, **options)
    except OSError as error:
        click.echo(
            f"habitat-kg: error: {_port_line(options['host'], options['port'], error)}", err=True
        )
        return None


def _check_port(host: str, port: int) -> None:
    """Exit with one line naming --port when ``host:port`` cannot be listened on, before the
    dataset is loaded and the workers start (waitress would leave its socket open besides)."""
    if port == 0:
        return
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            # as waitress does, so that a port left in TIME_WAIT by a stopped server is free
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        if error.errno not in (errno.EADDRINUSE, errno.EACCES):
            return  # an address problem: waitress says it, with the --host
        click.echo(f"habitat-kg: error: {_port_line(host, port, error)}", err=True)
        sys.exit(BAD_INPUT)


def _port_line(host: str, port: int, error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        why = "is in use (another server listens there)"
    elif error.errno == errno.EACCES:
        why = "needs privileges this user does not have"
    else:
        why = f"cannot be listened on: {error.strerror or error}"
    return (
        f"--port {port}: port {port} on {host} {why}; give another --port, or --port 0 for any "
        "free one"
    )


def _build_if_missing(sources: Path, data: Path) -> None:
    if (data / DATASET_FILE).is_file():
        return
    click.echo(f"no dataset in {data}/: building it from {sources}/", err=True)
    # only here: a server whose dataset is built does not hold the builder
    from habitat_kg.graph.build import build

    build(sources, data, lambda step: click.echo(f"  {step} ...", err=True))


def _ready_now(store: Any) -> str:
    """`` (N ready now, the others join ...)`` when some workers are still loading."""
    ready, of = store.workers_ready() if hasattr(store, "workers_ready") else (0, 0)
    if ready >= of:
        return ""
    return f" ({ready} ready now; the others join once the shared on-disk store is loaded)"


def _address(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def _stop_on_sigterm(_signal: int, _frame: FrameType | None) -> None:
    sys.exit(0)  # waitress's loop ends on SystemExit as on Ctrl+C
