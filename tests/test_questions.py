"""Every stored question, run on the built graph, gives the answer the report gives."""

from __future__ import annotations

import re

import pytest

from habitat_kg.server.questions import all_questions, get
from habitat_kg.server.questions.terms import to_sparql_term
from habitat_kg.server.store import Solutions, Store

ID = "https://w3id.org/habitat-kg/id/"


def ask(store: Store, name: str, **values: str) -> Solutions:
    answer = store.query(get(name).sparql(values))
    assert isinstance(answer, Solutions)
    return answer


def column(answer: Solutions, variable: str) -> list[str]:
    return [str(value) for value in answer.column(variable)]


def test_there_are_at_least_fifteen_questions_with_both_titles() -> None:
    questions = all_questions()
    assert len(questions) >= 15
    for question in questions:
        assert question.title_en and question.title_zh and question.description


@pytest.mark.parametrize("question", all_questions(), ids=lambda q: q.name)
def test_every_question_runs_with_its_defaults(store: Store, question) -> None:
    assert isinstance(store.query(question.sparql()), Solutions)


def test_partners_on_several_resolutions(store: Store) -> None:
    # The Executive Board (through its working groups and bureau too) works on 1/2, 1/3 and
    # decision 1/3; no outside partner of the report works on two resolutions.
    answer = ask(store, "partners-on-several-resolutions")
    assert column(answer, "partner") == [ID + "org/executive-board"]
    assert answer.values("resolutions") == [3]


#: Class lists written out in stored questions instead of asking rdfs:subClassOf*, which Virtuoso 7
#: gets wrong there: (question, VALUES variable) -> the class whose subclasses (itself included)
#: the list holds, and what else it holds.
CLASS_LISTS = {
    ("partners-on-several-resolutions", "unitKind"): ("OrganizationalUnit", {"Post"}),
    ("resolutions-without-partner", "resolutionKind"): ("ResolutionOrDecision", set()),
}


@pytest.mark.parametrize(("name", "variable"), list(CLASS_LISTS))
def test_a_class_list_written_out_in_a_question_follows_the_ontology(
    store: Store, name: str, variable: str
) -> None:
    hkg = "https://w3id.org/habitat-kg/ontology#"
    root, others = CLASS_LISTS[(name, variable)]
    lists = re.findall(rf"VALUES \?{variable} \{{([^}}]*)\}}", get(name).text)
    assert lists
    answer = store.query(
        f"SELECT ?kind WHERE {{ ?kind <http://www.w3.org/2000/01/rdf-schema#subClassOf>* "
        f"<{hkg}{root}> }}"
    )
    assert isinstance(answer, Solutions)
    expected = {kind.value for kind in answer.column("kind")} | {hkg + other for other in others}
    for listed in lists:
        assert {kind.replace("hkg:", hkg) for kind in listed.split()} == expected


def test_partners_of_resolution_1_5(store: Store) -> None:
    answer = ask(store, "partners-of-a-resolution", resolution="1/5")
    partners = {row["agent"].value for row in answer if str(row["roleLabel"]) == "partner"}
    expected = {"uclg", "unccd", "market-cities-initiative", "groots-kenya", "fao", "tu-berlin"}
    assert partners == {ID + "org/" + name for name in expected}


def test_resolution_reach(store: Store) -> None:
    answer = ask(store, "resolution-reach", resolution="1/5")
    places = {row["place"].value.removeprefix(ID) for row in answer}
    assert places == {
        "country/CMR",
        "country/GIN",
        "country/NGA",
        "country/TZA",
        "country/DEU",
        "region/NG-NI",
        "region/tz-zanzibar",
        "city/de-berlin",
        "city/de-apolda",
        "city/de-leipzig",
    }
    countries = {row["country"].value.removeprefix(ID) for row in answer}
    assert countries == {"country/CMR", "country/GIN", "country/NGA", "country/TZA", "country/DEU"}


def test_timeline_is_in_order_and_within_the_dates(store: Store) -> None:
    answer = ask(store, "timeline", since="2020-10-01", until="2020-10-31")
    starts = column(answer, "start")
    assert starts == sorted(starts)
    labels = " | ".join(column(answer, "itemLabel"))
    # The Board's session (27-29 Oct), the Madrid expert group meeting (29-30 Oct), the
    # 40-day challenge ending on World Cities Day, the handbook planned for October.
    for expected in ("Second session of 2020", "Madrid", "40-day Challenge", "Illustrated"):
        assert expected in labels
    assert all(str(end) >= "2020-10-01" for end in column(answer, "end"))


def test_units_and_mandates(store: Store) -> None:
    answer = ask(store, "units-and-mandates")
    pairs = {(row["unit"].value, row["mandate"].value) for row in answer}
    assert (
        ID + "org/capacity-development-and-training-unit",
        ID + "mandate/ha-1-3-capacity-building-strategy",
    ) in pairs
    assert (
        ID + "org/project-review-committee",
        ID + "mandate/ha-1-4-gender-mainstreaming",
    ) in pairs


def test_mandates_without_a_named_unit(store: Store) -> None:
    # The report never names the unit that carries urban-rural linkages (1/5) or the
    # inter-agency framework of 1/2: only "UN-Habitat".
    mandates = set(column(ask(store, "mandates-without-unit"), "mandate"))
    assert ID + "mandate/ha-1-5-urban-rural-linkages" in mandates
    assert ID + "mandate/ha-1-2-inter-agency-framework" in mandates
    assert ID + "mandate/ha-1-3-capacity-building-strategy" not in mandates


def test_covid_affected(store: Store) -> None:
    answer = ask(store, "covid-affected")
    statuses = {str(row["statusLabel"]) for row in answer}
    assert {"stalled", "ongoing", "completed"} <= statuses
    stalled = [row for row in answer if str(row["statusLabel"]) == "stalled"]
    assert [str(row["number"]) for row in stalled] == ["1/3"]  # decision 1/3's working group
    assert sum(str(row["modeLabel"]) == "online" for row in answer) >= 4


def test_promised_for_next_session(store: Store) -> None:
    items = set(column(ask(store, "promised-for-next-session"), "item"))
    assert ID + "product/peer-review-terms-of-reference" in items


def test_paragraphs_citing_a_document(store: Store) -> None:
    answer = ask(store, "paragraphs-citing-document", symbol="HSP/EB.2020/13/Add.2")
    assert answer.values("number") == [2]
    assert "HSP/EB.2020/13/Add.2" in column(answer, "text")[0]


def test_documents_cited(store: Store) -> None:
    answer = ask(store, "documents-cited")
    assert column(answer, "symbol") == [
        "HSP/EB.2020/13/Add.1",
        "HSP/EB.2020/13/Add.2",
        "HSP/EB.2020/19",
    ]
    assert answer.values("citations") == [1, 1, 1]


def test_resolutions_without_a_partner(store: Store) -> None:
    # Resolution 1/1 has no activity at all in this report; decision 1/3's work involves only
    # the Board, its bureau, a working group and the secretariat.
    answer = ask(store, "resolutions-without-partner")
    assert column(answer, "resolution") == [ID + "resolution/ha-1-1", ID + "decision/ha-1-3"]
    assert answer.values("activities") == [0, 7]


def test_progress_by_status(store: Store) -> None:
    answer = ask(store, "progress-by-status", resolution="decision 1/3")
    counts = {str(row["statusLabel"]): row["activities"].to_python() for row in answer}
    assert counts == {"completed": 2, "planned": 1, "stalled": 1}


def test_planned_without_date(store: Store) -> None:
    items = set(column(ask(store, "planned-without-date"), "item"))
    assert ID + "activity/eb-2020-2-item-7/p04-member-state-survey" in items
    assert ID + "activity/eb-2020-2-item-7/p05-safety-indicators" not in items  # dated


def test_figures(store: Store) -> None:
    answer = ask(store, "figures")
    figures = {(str(row["figureLabel"]), row["value"].to_python()) for row in answer}
    assert ("number of lecturers", 10) in figures
    assert ("number of project documents reviewed", 34) in figures
    assert ("number of concept notes reviewed", 11) in figures
    assert ("number of resolutions adopted", 5) in figures


def test_events(store: Store) -> None:
    answer = ask(store, "events")
    rows = {row["event"].value: row for row in answer}
    wuf = rows[ID + "event/wuf10"]
    assert (str(wuf["start"]), str(wuf["end"]), str(wuf["places"])) == (
        "2020-02-08",
        "2020-02-13",
        "Abu Dhabi",
    )
    assert str(wuf["kindLabel"]) == "forum"


def test_in_a_country(store: Store) -> None:
    answer = ask(store, "in-a-country", country="MEX")
    assert set(column(answer, "item")) == {
        ID + "activity/eb-2020-2-item-7/p05-pilot-city-policy-review"
    }
    nigeria = set(column(ask(store, "in-a-country", country="NGA"), "place"))
    assert ID + "region/NG-NI" in nigeria  # a region of the country counts


def test_evidence_for(store: Store) -> None:
    answer = ask(store, "evidence-for", thing=ID + "org/unodc")
    assert [str(label) for label in answer.column("partLabel")] == ["Paragraph 6"]
    assert "联合国毒品和犯罪问题办公室" in column(answer, "text")[0]


def test_structure(store: Store) -> None:
    answer = ask(store, "un-habitat-structure")
    parents = {row["unit"].value: row["parent"].value for row in answer}
    assert parents[ID + "org/capacity-development-and-training-unit"] == (
        ID + "org/programme-development-branch"
    )


def test_activities_of_an_organization(store: Store) -> None:
    answer = ask(store, "activities-of-an-organization", organization=ID + "org/unodc")
    assert [str(v) for v in answer.column("roleLabel")] == ["partner"]
    assert column(answer, "number") == ["1/2"]


@pytest.mark.parametrize(
    ("kind", "value", "term"),
    [
        ("resolution", "1/5", f"<{ID}resolution/ha-1-5>"),
        ("resolution", "decision 1/3", f"<{ID}decision/ha-1-3>"),
        ("resolution", "2019/3", f"<{ID}decision/eb-2019-3>"),
        ("country", "mex", f"<{ID}country/MEX>"),
        ("date", "2020-10-27", '"2020-10-27"^^<http://www.w3.org/2001/XMLSchema#date>'),
        ("text", 'a "b"', '"a \\"b\\""'),
    ],
)
def test_parameter_terms(kind: str, value: str, term: str) -> None:
    assert to_sparql_term(kind, value, "p") == term


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("resolution", "1/5 } ; DROP ALL"),
        ("country", "Mexico"),
        ("date", "27 October 2020"),
        ("iri", "http://example.org/> } SERVICE <http://x"),
        ("iri", "file:///etc/passwd"),
    ],
)
def test_bad_parameter_values_are_refused(kind: str, value: str) -> None:
    with pytest.raises(ValueError, match="parameter 'p'"):
        to_sparql_term(kind, value, "p")


def test_unknown_parameter_is_refused() -> None:
    with pytest.raises(ValueError, match="no parameter 'colour'"):
        get("timeline").sparql({"colour": "blue"})


def test_unknown_question_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="timeline"):
        get("no-such-question")
