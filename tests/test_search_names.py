"""Names everywhere: stored-question parameters and network filters given a name in English or
Chinese, an IRI or CURIE, a number or a code; empty or unknown values refused with suggestions;
``1/3`` answered for both the resolution and the decision."""

from __future__ import annotations

import pytest

from habitat_kg.graph.build import BuildResult
from habitat_kg.graph.network import NetworkFilter, NetworkInputError, network_graph
from habitat_kg.graph.network.evidence import Evidence, fetch_evidence
from habitat_kg.graph.search import Names, UnknownName, names_in
from habitat_kg.namespaces import BASE
from habitat_kg.server.questions import get
from habitat_kg.server.store import Solutions, Store

ID = BASE + "id/"
RES_1_3, DEC_1_3 = ID + "resolution/ha-1-3", ID + "decision/ha-1-3"
NAIROBI = ID + "city/ke-nairobi"


@pytest.fixture(scope="module")
def names(built: BuildResult) -> Names:
    found = names_in(built.out_dir)
    assert found is not None
    return found


@pytest.fixture(scope="module")
def evidence(store: Store) -> Evidence:
    return fetch_evidence(store)


def ask(store: Store, names: Names | None, question: str, **values: str) -> Solutions:
    answer = store.query(get(question).sparql(values, names))
    assert isinstance(answer, Solutions)
    return answer


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("resolution", "1/3", [DEC_1_3, RES_1_3]),  # both, as the Assembly adopted both
        ("resolution", "dec:1/3", [DEC_1_3]),
        ("resolution", "res 1/3", [RES_1_3]),
        ("resolution", "Decision 1/3", [DEC_1_3]),
        ("resolution", "第1/3号决定", [DEC_1_3]),
        ("resolution", "2019/3", [ID + "decision/eb-2019-3"]),
        ("country", "德国", [ID + "country/DEU"]),
        ("country", "  germany ", [ID + "country/DEU"]),
        ("country", "deu", [ID + "country/DEU"]),
        ("organization", "FAO", [ID + "org/fao"]),
        ("organization", "联合国粮食及农业组织", [ID + "org/fao"]),
        (
            "organization",
            "Capacity Development and Training Unit",
            [ID + "org/capacity-development-and-training-unit"],
        ),
        ("thing", "id:org/fao", [ID + "org/fao"]),
        ("thing", ID + "org/fao", [ID + "org/fao"]),
    ],
)
def test_values_name_things(names: Names, kind: str, value: str, expected: list[str]) -> None:
    assert [thing.iri for thing in names.resolve(kind, value, "p")] == expected


@pytest.mark.parametrize(
    ("kind", "value", "problem", "offered"),
    [
        ("resolution", "9/9", "names no resolution or decision", "Resolution 1/1"),
        ("resolution", "", "is empty", "Resolution"),
        ("country", "Germny", "names no country", "Germany / 德国"),
        ("country", "FAO", "names no country", ""),  # a name, but not of a country
        ("organization", ID + "country/DEU", "names no organization", ""),
    ],
)
def test_unknown_or_empty_values_are_refused_with_suggestions(
    names: Names, kind: str, value: str, problem: str, offered: str
) -> None:
    with pytest.raises(UnknownName, match=problem) as refused:
        names.resolve(kind, value, "p")
    assert str(refused.value).startswith("parameter 'p': ")
    assert offered in str(refused.value)
    assert "\n" not in str(refused.value)


def test_a_resolution_and_a_decision_of_one_number_are_both_answered(
    store: Store, names: Names
) -> None:
    prepared = get("progress-by-status").prepared({"resolution": "1/3"}, names)
    assert prepared.notes == (
        "resolution '1/3' names 2 things: Decision 1/3, Resolution 1/3; the answer is for each",
    )
    answer = store.query(prepared.sparql)
    assert {str(label) for label in answer.column("label")} == {
        "Decision 1/3",
        "Resolution 1/3",
    }


@pytest.mark.parametrize("value", ["dec:1/3", "1/3", "Decision 1/3", "第1/3号决定"])
def test_resolution_reach_finds_the_places_of_decision_1_3(
    store: Store, names: Names, value: str
) -> None:
    # its activity is held at the Board's first session of 2020, in Nairobi
    answer = ask(store, names, "resolution-reach", resolution=value)
    assert NAIROBI in {str(place) for place in answer.column("place")}


def test_without_the_index_a_bare_number_is_still_both(store: Store) -> None:
    answer = ask(store, None, "progress-by-status", resolution="1/3")
    assert len({str(label) for label in answer.column("label")}) == 2


def test_an_empty_value_is_not_the_default(names: Names) -> None:
    with pytest.raises(UnknownName, match=r"'' is empty.*did you mean: Resolution 1/5"):
        get("partners-of-a-resolution").sparql({"resolution": ""}, names)
    with pytest.raises(ValueError, match="is empty"):
        get("partners-of-a-resolution").sparql({"resolution": " "})
    # where the parameter means "any" when empty, it still does
    assert "$resolution" in get("resolution-reach").sparql({"resolution": ""}, names)


@pytest.mark.parametrize(
    ("question", "values", "column", "expected"),
    [
        ("in-a-country", {"country": "德国"}, "place", ID + "city/de-berlin"),
        ("activities-of-an-organization", {"organization": "FAO"}, "number", "1/5"),
        ("partners-of-a-resolution", {"resolution": "第1/5号决议"}, "agent", ID + "org/fao"),
        ("paragraphs-citing-document", {"symbol": "能力建设战略草案"}, "number", "7"),
    ],
)
def test_stored_questions_take_names(
    store: Store, names: Names, question: str, values: dict, column: str, expected: str
) -> None:
    answer = ask(store, names, question, **values)
    assert expected in {str(value) for value in answer.column(column)}


def test_the_search_question_binds_the_index_s_best_matches(store: Store, names: Names) -> None:
    answer = ask(store, names, "search", words="性别")
    rows = list(answer)
    assert str(rows[0]["thing"]) == ID + "topic/gender-equality"
    assert [int(str(row["rank"])) for row in rows] == sorted(int(str(r["rank"])) for r in rows)
    # without an index beside the store, the same question reads every name and text
    scanned = {str(thing) for thing in ask(store, None, "search", words="性别").column("thing")}
    assert {str(row["thing"]) for row in rows} <= scanned


def test_network_filters_take_names(evidence: Evidence, names: Names) -> None:
    by_name = network_graph(evidence, "geography", NetworkFilter("第1/3号决定", names=names))
    by_number = network_graph(evidence, "geography", NetworkFilter("dec:1/3"))
    assert set(by_name.nodes) == set(by_number.nodes) and NAIROBI in by_name
    germany = network_graph(evidence, "geography", NetworkFilter(country="德国", names=names))
    assert set(germany.nodes) == set(
        network_graph(evidence, "geography", NetworkFilter(country="DEU")).nodes
    )
    with pytest.raises(NetworkInputError, match=r"country 'Germny': .*did you mean: Germany"):
        network_graph(evidence, "geography", NetworkFilter(country="Germny", names=names))
