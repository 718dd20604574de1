"""Every export read back: the same nodes, edges and attributes; the picture is not blank."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from PIL import Image

from habitat_kg.graph.network import Evidence, NetworkFilter, fetch_evidence, network_graph
from habitat_kg.graph.network.catalogue import FORMATS, format_for
from habitat_kg.graph.network.exports import (
    EDGE_COLUMNS,
    LIST_SEPARATOR,
    flattened,
    render,
)
from habitat_kg.outputs import write_atomically
from habitat_kg.server.store import Store

LIST_ATTRIBUTES = {"resolutions", "resolution_labels", "activities", "events"}


@pytest.fixture(scope="module")
def evidence(store: Store) -> Evidence:
    return fetch_evidence(store)


@pytest.fixture(scope="module", params=["partners", "geography"])
def graph(request: pytest.FixtureRequest, evidence: Evidence) -> nx.Graph:
    """A view with one-item and several-item lists, Chinese labels and communities."""
    return network_graph(evidence, request.param, NetworkFilter(resolution="1/5"))


def edge_table(graph: nx.Graph) -> dict[frozenset[str], dict]:
    return {frozenset((a, b)): data for a, b, data in graph.edges(data=True)}


def test_graphml_reads_back_the_same(graph: nx.Graph) -> None:
    back = nx.read_graphml(io.BytesIO(render(graph, "graphml")))
    flat = flattened(graph)
    assert dict(back.nodes(data=True)) == dict(flat.nodes(data=True))
    assert edge_table(back) == edge_table(flat)
    assert back.graph["view"] == graph.graph["view"]
    assert back.graph["filters"] == "resolution 1/5"


def test_gexf_reads_back_the_same(graph: nx.Graph) -> None:
    back = nx.read_gexf(io.BytesIO(render(graph, "gexf")))
    flat = flattened(graph)
    assert dict(back.nodes(data=True)) == dict(flat.nodes(data=True))
    for key, data in edge_table(back).items():
        expected = edge_table(flat)[key]
        assert float(data.pop("weight")) == expected["weight"]  # GEXF weights are floats
        data.pop("id")
        assert data == {k: v for k, v in expected.items() if k != "weight"}
    assert len(edge_table(back)) == graph.number_of_edges()


def test_json_is_node_link_with_cytoscape_elements(graph: nx.Graph) -> None:
    data = json.loads(render(graph, "json"))
    back = nx.node_link_graph(data, edges="edges")
    assert dict(back.nodes(data=True)) == dict(graph.nodes(data=True))
    assert edge_table(back) == edge_table(graph)
    assert isinstance(data["nodes"][0]["resolutions"], list)  # JSON keeps lists
    elements = data["elements"]
    assert {n["data"]["id"] for n in elements["nodes"]} == set(graph)
    assert {
        frozenset((e["data"]["source"], e["data"]["target"])) for e in elements["edges"]
    } == set(edge_table(graph))


def test_csv_is_a_zip_of_nodes_and_edges(graph: nx.Graph) -> None:
    archive = zipfile.ZipFile(io.BytesIO(render(graph, "csv")))
    assert sorted(archive.namelist()) == ["edges.csv", "nodes.csv"]
    nodes = list(csv.DictReader(io.StringIO(archive.read("nodes.csv").decode("utf-8"))))
    edges = list(csv.DictReader(io.StringIO(archive.read("edges.csv").decode("utf-8"))))
    flat = flattened(graph)
    assert {row.pop("id"): row for row in nodes} == {
        node: {key: str(value) for key, value in data.items()}
        for node, data in flat.nodes(data=True)
    }
    assert list(edges[0])[: len(EDGE_COLUMNS)] == list(EDGE_COLUMNS)
    assert {frozenset((row.pop("source"), row.pop("target"))): row for row in edges} == {
        key: {k: str(v) for k, v in data.items()} for key, data in edge_table(flat).items()
    }


def test_lists_are_joined_and_split_back(graph: nx.Graph) -> None:
    flat = flattened(graph)
    for a, b, data in graph.edges(data=True):
        for name in LIST_ATTRIBUTES & set(data):
            joined = flat.edges[a, b][name]
            assert (joined.split(LIST_SEPARATOR) if joined else []) == data[name]


def test_html_works_offline(graph: nx.Graph) -> None:
    page = render(graph, "html").decode("utf-8")
    assert "The Cytoscape Consortium" in page  # Cytoscape.js is inlined ...
    assert "HabitatNetwork.draw" in page
    assert not re.search(r"<(script|link)[^>]+(src|href)=", page)  # ... nothing is fetched
    payload = re.search(
        r'<script type="application/json" id="network-data">(.*?)</script>', page, re.S
    )
    assert payload is not None
    data = json.loads(payload[1])
    assert {n["data"]["id"] for n in data["elements"]["nodes"]} == set(graph)
    assert all("position" in n for n in data["elements"]["nodes"])


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)


def test_png_is_a_picture_not_a_blank(graph: nx.Graph) -> None:
    png = render(graph, "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = pixels(png)
    height, width, _ = image.shape
    assert width >= 1200 and height >= 900
    assert image.std() > 20  # drawn: far from one flat colour
    coloured = (image.max(axis=2) - image.min(axis=2)) > 60
    assert coloured.sum() > 2000  # coloured nodes, not only grey lines and text
    by_community = pixels(render(graph, "png", colour_by="community"))
    assert by_community.shape != image.shape or np.abs(by_community - image).sum() > 0


def test_every_format_has_a_suffix_the_command_recognizes() -> None:
    for fmt, (suffix, _media) in FORMATS.items():
        assert format_for(Path("network" + suffix)) == fmt
    assert format_for(Path("network.csv")) == "csv"
    assert format_for(Path("network.txt")) is None


def test_write_atomically_replaces_whole_files(tmp_path: Path) -> None:
    target = tmp_path / "new" / "network.graphml"
    write_atomically(target, b"first")
    write_atomically(target, b"second")
    assert target.read_bytes() == b"second"
    assert sorted(p.name for p in target.parent.iterdir()) == ["network.graphml"]
    assert target.stat().st_mode & 0o777 == 0o644
