"""The build: deterministic, complete in every syntax, strict about curated statements, atomic."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from habitat_kg.errors import SourceError
from habitat_kg.graph.build import OUTPUTS, BuildResult, build
from habitat_kg.namespaces import LAYERS
from habitat_kg.rdf import rdflib_internals_quiet
from habitat_kg.server.store import open_store

CURATED = "curated/eb-2020-2-item-7.trig"


def build_in_fresh_process(out: Path, seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    code = "import sys; from habitat_kg.cli import main; sys.exit(main())"
    subprocess.run(
        [sys.executable, "-c", code, "build", "--data", str(out)],
        env=env,
        check=True,
        capture_output=True,
    )


def test_build_is_byte_for_byte_deterministic(tmp_path: Path) -> None:
    build_in_fresh_process(tmp_path / "one", "1")
    build_in_fresh_process(tmp_path / "two", "2")
    for name in OUTPUTS.values():
        first, second = (
            (tmp_path / "one" / name).read_bytes(),
            (tmp_path / "two" / name).read_bytes(),
        )
        assert first == second, f"{name} differs between two builds of the same sources"


def test_dataset_has_one_named_graph_per_layer(built: BuildResult) -> None:
    store = open_store("memory")
    store.load_dataset(built.dataset_path)
    answer = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert {term.value for term in answer.column("g")} == {str(iri) for iri in LAYERS.values()}


@pytest.mark.parametrize(
    ("name", "fmt"), [("turtle", "turtle"), ("nt", "nt"), ("json-ld", "json-ld")]
)
def test_merged_graph_reads_back_whole(built: BuildResult, name: str, fmt: str) -> None:
    expected = sum(len(graph) for graph in built.layers.values())
    with rdflib_internals_quiet():
        graph = Graph().parse(data=(built.out_dir / OUTPUTS[name]).read_text("utf-8"), format=fmt)
    assert len(graph) == expected


def _edit(sources: Path, old: str, new: str) -> None:
    path = sources / CURATED
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(sources: Path, fragment: str) -> int:
    lines = (sources / CURATED).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if fragment in line)


def test_statement_citing_a_paragraph_that_does_not_name_it_is_an_error(
    sources_copy: Path, tmp_path: Path
) -> None:
    # Paragraph 9 says nothing of FAO: a statement there about FAO cites the wrong words.
    _edit(sources_copy, "hkg:partner o:unssc ;", "hkg:partner o:unssc , o:fao ;")
    with pytest.raises(SourceError) as caught:
        build(sources_copy, tmp_path / "out")
    assert caught.value.path == sources_copy / CURATED
    assert caught.value.line == _line_of(sources_copy, "p:9 {")
    assert (
        "paragraph/9 does not mention" in caught.value.problem and "org/fao" in caught.value.problem
    )


def test_citing_a_part_no_report_has_is_an_error(sources_copy: Path, tmp_path: Path) -> None:
    _edit(sources_copy, "p:30 {", "p:31 {")
    with pytest.raises(SourceError, match="paragraph/31, which no report has"):
        build(sources_copy, tmp_path / "out")


def test_invalid_trig_names_file_and_line(sources_copy: Path, tmp_path: Path) -> None:
    _edit(sources_copy, 'hkg:acronym "FAO" .', 'hkg:acronym "FAO" ] .')
    with pytest.raises(SourceError) as caught:
        build(sources_copy, tmp_path / "out")
    assert caught.value.path == sources_copy / CURATED
    assert "not valid TriG" in caught.value.problem and "column" in caught.value.problem
    assert caught.value.line == _line_of(sources_copy, 'hkg:acronym "FAO" ]')


def test_a_mention_no_statement_uses_is_reported(sources_copy: Path, tmp_path: Path) -> None:
    # Take Mexico out of paragraph 5's statements: the text still names it.
    _edit(sources_copy, "hkg:place country:MEX , country:ZAF ;", "hkg:place country:ZAF ;")
    _edit(
        sources_copy,
        "prov:qualifiedAssociation [ prov:agent country:MEX ; prov:hadRole role:partner ] ,\n"
        "            [ prov:agent country:ZAF ; prov:hadRole role:partner ] .",
        "prov:qualifiedAssociation [ prov:agent country:ZAF ; prov:hadRole role:partner ] .",
    )
    result = build(sources_copy, tmp_path / "out")
    unused = [
        (part.rsplit("/", 2)[-2:], entity.rsplit("/", 1)[-1])
        for part, entity in result.unused_mentions
    ]
    assert unused == [(["paragraph", "5"], "MEX")]


def test_a_failed_build_leaves_the_previous_output(sources_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(sources_copy, out)
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    _edit(sources_copy, "p:30 {", "p:31 {")
    with pytest.raises(SourceError):
        build(sources_copy, out)
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before
    # no staging folder is left; beside the build, its ledger (graph/incremental)
    left = sorted(path.name for path in tmp_path.iterdir())
    assert left == [".out.build-cache", "out", "sources"]
