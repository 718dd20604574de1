"""``habitat-kg publish``: load the built dataset into a SPARQL server, graph by graph.

Each named graph (one per layer) replaces the server's graph of the same IRI whole: by a
Graph Store Protocol PUT when ``--gsp-url`` is given, else by SPARQL Update through a staging
graph (see habitat_kg.server.store.remote_load). Progress goes to stderr. A dataset that cannot
be read is bad input (exit 2, nothing sent); a server that is down or refuses is exit 1, and the
graph it refused keeps its previous version.
"""

from __future__ import annotations

from pathlib import Path

import click

from habitat_kg.errors import reports_bad_input
from habitat_kg.project import DATASET_FILE, in_project
from habitat_kg.server.store import open_store
from habitat_kg.server.store.remote import SparqlStore
from habitat_kg.server.store.remote_load import publish as publish_dataset
from habitat_kg.settings import setting_option


@click.command()
@setting_option("store")
@setting_option("update-url")
@setting_option("gsp-url")
@setting_option("data", type=click.Path(path_type=Path))
@reports_bad_input
@in_project()
def publish(store: str, update_url: str, gsp_url: str, data: Path) -> None:
    """Load the built dataset into a SPARQL server, replacing each named graph whole.

    Credentials come from the environment only: HABITAT_KG_STORE_USER and
    HABITAT_KG_STORE_PASSWORD (HABITAT_KG_STORE_AUTH=digest for digest authentication).
    """
    target = open_store(store, update_url=update_url, gsp_url=gsp_url)
    if not isinstance(target, SparqlStore):
        raise ValueError(
            f"store {store!r}: publish loads into a SPARQL server; "
            "give its query URL with --store (http://host:port/query)"
        )
    replaced = publish_dataset(target, data / DATASET_FILE, lambda line: click.echo(line, err=True))
    triples = target.triple_count()
    click.echo(
        f"published {len(replaced)} graphs to {target.query_url}; it holds {triples} triples"
    )
