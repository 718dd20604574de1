"""The document layer of the Chinese report, asked with SPARQL."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from habitat_kg.graph.document import document_layer
from habitat_kg.graph.parse import read_report
from habitat_kg.namespaces import ID, PREFIXES, country

REPO = Path(__file__).resolve().parents[1]
CHINESE_REPORT = REPO / "graph" / "sources" / "report" / "eb-2020-2_item-7.zh.txt"
ENGLISH_REPORT = Path(__file__).resolve().parent / "data" / "reports" / "english-report.en.txt"
SOURCE_LABEL = "graph/sources/report/eb-2020-2_item-7.zh.txt"
REPORT = "https://w3id.org/habitat-kg/id/report/eb-2020-2/item-7"

GAZETTEER = {
    "内罗毕": ID["city/nairobi"],
    "马德里": ID["city/madrid"],
    "墨西哥": country("MEX"),
    "南非": country("ZAF"),
    "肯尼亚 Groots": ID["org/groots-kenya"],
    "联合国毒品和犯罪问题办公室": ID["org/unodc"],
}
PROLOGUE = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())


@pytest.fixture(scope="module")
def graph() -> Graph:
    return document_layer(read_report(CHINESE_REPORT), "eb-2020-2/item-7", GAZETTEER, SOURCE_LABEL)


def ask(graph: Graph, query: str) -> list[tuple]:
    return [tuple(row) for row in graph.query(PROLOGUE + query)]


def count(graph: Graph, kind: str) -> int:
    ((value,),) = ask(graph, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a {kind} }}")
    return int(value)


def test_counts(graph: Graph) -> None:
    counts = {
        kind: count(graph, kind)
        for kind in (
            "hkg:ProgressReport",
            "hkg:ReportSection",
            "hkg:Paragraph",
            "hkg:SubParagraph",
            "hkg:Footnote",
            "hkg:TemporalExpression",
            "hkg:UNDocument",
        )
    }
    assert counts == {
        "hkg:ProgressReport": 1,
        "hkg:ReportSection": 6,
        "hkg:Paragraph": 30,
        "hkg:SubParagraph": 8,
        "hkg:Footnote": 1,
        "hkg:TemporalExpression": 38,
        "hkg:UNDocument": 3,
    }


def test_report(graph: Graph) -> None:
    rows = ask(
        graph,
        """SELECT ?file ?sum ?language ?item ?title WHERE {
             ?r a hkg:ProgressReport ; hkg:sourceFile ?file ; hkg:sourceChecksum ?sum ;
                hkg:language ?language ; hkg:agendaItem ?item ; dcterms:title ?title }""",
    )
    sha = hashlib.sha256(CHINESE_REPORT.read_bytes()).hexdigest()
    ((file, checksum, language, item, title),) = rows
    assert (file, checksum, language, item) == (
        Literal(SOURCE_LABEL),
        Literal(sha),
        Literal("zh"),
        Literal("7"),
    )
    assert title.language == "zh" and str(title).endswith("执行进展情况")


def test_paragraph_20_mentions_the_world_urban_forum_dates(graph: Graph) -> None:
    rows = ask(
        graph,
        """SELECT ?text ?start ?end ?precision WHERE {
             ?p hkg:paragraphNumber 20 ; hkg:mentionsDate ?d .
             ?d hkg:text ?text ; hkg:startDate ?start ; hkg:endDate ?end ;
                hkg:datePrecision ?precision }""",
    )
    assert rows == [
        (
            Literal("2020 年 2 月 8 日至 13 日", lang="zh"),
            Literal("2020-02-08", datatype=XSD.date),
            Literal("2020-02-13", datatype=XSD.date),
            URIRef("https://w3id.org/habitat-kg/concept/precision/day-range"),
        )
    ]


def test_paragraph_7_cites_the_capacity_building_strategy(graph: Graph) -> None:
    rows = ask(
        graph,
        """SELECT ?doc ?symbol WHERE {
             ?p hkg:paragraphNumber 7 ; hkg:citesDocument ?doc .
             ?doc a hkg:UNDocument ; hkg:symbol ?symbol }""",
    )
    assert rows == [
        (
            URIRef("https://w3id.org/habitat-kg/id/document/HSP/EB.2020/13/Add.1"),
            Literal("HSP/EB.2020/13/Add.1"),
        )
    ]


def test_sections_concern_their_resolution_or_decision(graph: Graph) -> None:
    rows = ask(
        graph,
        """SELECT ?n ?act WHERE { ?s hkg:sectionNumber ?n ; hkg:concerns ?act } ORDER BY ?n""",
    )
    assert [(int(n), str(act).rsplit("/", 2)[-2:]) for n, act in rows] == [
        (2, ["resolution", "ha-1-2"]),
        (3, ["resolution", "ha-1-3"]),
        (4, ["resolution", "ha-1-4"]),
        (5, ["resolution", "ha-1-5"]),
        (6, ["decision", "ha-1-3"]),
    ]


def test_paragraph_28_refers_to_the_board_decision(graph: Graph) -> None:
    rows = ask(graph, "SELECT ?act WHERE { ?p hkg:paragraphNumber 28 ; hkg:refersTo ?act }")
    assert rows == [(URIRef("https://w3id.org/habitat-kg/id/decision/eb-2019-3"),)]


def test_header_is_a_part_with_the_cover_dates(graph: Graph) -> None:
    rows = ask(
        graph,
        """SELECT ?start ?end WHERE { ?h a hkg:ReportPart ; hkg:inReport ?r ;
             hkg:mentionsDate [ hkg:startDate ?start ; hkg:endDate ?end ] }""",
    )
    # "2020年第二次会议" gives the year 2020; "2020年10月27日至29日" the meeting's days.
    assert (Literal(date(2020, 10, 27)), Literal(date(2020, 10, 29))) in rows


def test_structure_links(graph: Graph) -> None:
    sub = URIRef(f"{REPORT}/paragraph/28/c")
    assert (
        sub,
        URIRef(PREFIXES["dcterms"] + "isPartOf"),
        URIRef(f"{REPORT}/paragraph/28"),
    ) in graph
    rows = ask(
        graph,
        f"""SELECT ?section ?line WHERE {{
              <{REPORT}/paragraph/18> hkg:inSection ?section ; hkg:sourceLine ?line ;
                  hkg:inReport <{REPORT}> }}""",
    )
    assert rows == [(URIRef(f"{REPORT}/section/3"), Literal(51))]
    assert ask(graph, "SELECT ?of WHERE { ?f a hkg:Footnote ; hkg:footnoteOf ?of }") == [
        (URIRef(f"{REPORT}/header"),)
    ]


def test_mentions(graph: Graph) -> None:
    rows = ask(
        graph,
        """SELECT ?n ?entity WHERE { ?p hkg:paragraphNumber ?n ; hkg:mentions ?entity }
           ORDER BY ?n ?entity""",
    )
    assert [(int(n), str(e).split("/id/")[1]) for n, e in rows] == [
        (1, "city/nairobi"),
        (2, "city/nairobi"),
        (5, "city/madrid"),
        (5, "country/MEX"),
        (5, "country/ZAF"),
        (6, "org/unodc"),
        (21, "city/madrid"),
        (24, "city/nairobi"),
        (26, "org/groots-kenya"),
    ]


def test_every_node_has_english_and_chinese_labels(graph: Graph) -> None:
    rows = ask(
        graph,
        """SELECT DISTINCT ?x WHERE {
             ?x ?p ?o .
             FILTER NOT EXISTS { ?x rdfs:label ?en FILTER (LANG(?en) = "en") }
             FILTER NOT EXISTS { ?x rdfs:label ?zh FILTER (LANG(?zh) = "zh") } }""",
    )
    assert rows == []
    for language in ("en", "zh"):
        missing = ask(
            graph,
            f"""SELECT DISTINCT ?x WHERE {{ ?x ?p ?o
                  FILTER NOT EXISTS {{ ?x rdfs:label ?l FILTER (LANG(?l) = "{language}") }} }}""",
        )
        assert missing == [], language
    labels = {str(label) for label in graph.objects(URIRef(f"{REPORT}/paragraph/5"), None)}
    assert {"Paragraph 5", "第5段"} <= labels


def test_dates_are_labelled_as_written_and_in_iso(graph: Graph) -> None:
    date = URIRef(f"{REPORT}/paragraph/20/date/1")
    labels = {
        (str(label), label.language)
        for label in graph.objects(date, URIRef(PREFIXES["rdfs"] + "label"))
    }
    assert labels == {("2020 年 2 月 8 日至 13 日", "zh"), ("2020-02-08/2020-02-13", "en")}


def test_literals_are_plain_or_typed_as_the_ontology_says(graph: Graph) -> None:
    kinds = {
        (str(p).split("#")[-1], str(o.datatype).split("#")[-1] if o.datatype else o.language)
        for _, p, o in graph
        if isinstance(o, Literal)
    }
    assert not any(kind == "string" for _, kind in kinds)
    assert ("paragraphNumber", "integer") in kinds
    assert ("startDate", "date") in kinds
    assert ("symbol", None) in kinds
    assert not any(isinstance(term, BNode) for triple in graph for term in triple)


def test_the_same_report_gives_the_same_graph(graph: Graph) -> None:
    again = document_layer(read_report(CHINESE_REPORT), "eb-2020-2/item-7", GAZETTEER, SOURCE_LABEL)
    assert sorted(again) == sorted(graph)


def test_english_report_layer() -> None:
    report = read_report(ENGLISH_REPORT)
    gazetteer = {"Nairobi": ID["city/nairobi"], "Kenya": country("KEN")}
    graph = document_layer(report, "eb-2021-2/item-5", gazetteer, "tests/english-report.en.txt")
    base = "https://w3id.org/habitat-kg/id/report/eb-2021-2/item-5"
    text = graph.value(URIRef(f"{base}/paragraph/2"), URIRef(PREFIXES["hkg"] + "text"))
    assert text is not None and text.language == "en"
    assert count(graph, "hkg:Paragraph") == 6
    labels = {
        (str(label), label.language)
        for label in graph.objects(URIRef(f"{base}/paragraph/2/date/1"), None)
        if isinstance(label, Literal) and label.language
    }
    assert ("27 to 29 October 2020", "en") in labels
    assert ("2020-10-27/2020-10-29", "zh") in labels
