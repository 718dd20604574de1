"""The shapes graph itself conforms to the W3C SHACL-for-SHACL shapes (tests/data/shacl-shacl.ttl,
the copy pySHACL ships of the Recommendation's Appendix C)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyshacl
from rdflib import Graph

from habitat_kg.shapes.validation.shapes import load_shapes

SHACL_SHACL = Path(__file__).parent / "data" / "shacl-shacl.ttl"


def shacl_shacl() -> Graph:
    return Graph().parse(data=SHACL_SHACL.read_text(encoding="utf-8"), format="turtle")


def conforms(shapes: Graph) -> tuple[bool, str]:
    # pySHACL stops at 15 nested shapes by default; SHACL-for-SHACL walking the nested paths of
    # the readiness shapes (a sequence inside an alternative inside sh:or) goes deeper.
    ok, _, text = pyshacl.validate(
        shapes, shacl_graph=shacl_shacl(), inplace=False, max_validation_depth=40
    )
    return ok, text


def test_the_bundled_shapes_conform_to_shacl_for_shacl() -> None:
    ok, text = conforms(load_shapes(session=date(2020, 10, 27)))
    assert ok, text


def test_shacl_for_shacl_finds_a_broken_shape() -> None:
    broken = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <http://example.org/S> a sh:NodeShape ;
            sh:property [ sh:path <http://example.org/p> ; sh:minCount "one" ] .""",
        format="turtle",
    )
    ok, _ = conforms(broken)
    assert not ok
