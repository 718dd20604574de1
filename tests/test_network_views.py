"""The network views of our graph checked against what the report says, with their filters and
measures."""

from __future__ import annotations

import networkx as nx
import pytest

from habitat_kg.graph.build import BuildResult
from habitat_kg.graph.network import (
    EmptyNetwork,
    Evidence,
    NetworkFilter,
    NetworkInputError,
    fetch_evidence,
    network_graph,
)
from habitat_kg.graph.network.catalogue import VIEWS
from habitat_kg.graph.network.measures import communities, summarize
from habitat_kg.graph.network.views import build_view, neighbourhood, view_holding
from habitat_kg.namespaces import BASE
from habitat_kg.rdf import rdflib_internals_quiet
from habitat_kg.server.store import Store, open_store

ID = BASE + "id/"
ACT = ID + "activity/eb-2020-2-item-7/"
UN_HABITAT = ID + "org/un-habitat"
PARTNERS_OF_1_5 = {
    ID + "org/" + name
    for name in ("uclg", "unccd", "market-cities-initiative", "groots-kenya", "fao")
}
RES = {number: ID + f"resolution/ha-1-{number}" for number in (2, 3, 4, 5)}
DEC_1_3 = ID + "decision/ha-1-3"
DEC_2019_3 = ID + "decision/eb-2019-3"


@pytest.fixture(scope="module")
def evidence(store: Store) -> Evidence:
    return fetch_evidence(store)


def view(evidence: Evidence, name: str, **filters: str) -> nx.Graph:
    return network_graph(evidence, name, NetworkFilter(**filters))


# ---------------------------------------------------------------- partners


def test_partners_of_resolution_1_5_are_the_joint_work_plan_partners(evidence: Evidence) -> None:
    graph = view(evidence, "partners", resolution="1/5")
    # p. 26: joint work plans with UCLG, UNCCD, the Market Cities Initiative, GROOTS Kenya, FAO
    for a in PARTNERS_OF_1_5 | {UN_HABITAT}:
        for b in PARTNERS_OF_1_5 - {a}:
            assert graph.has_edge(a, b), (a, b)
            assert ACT + "p26-joint-work-plans" in graph.edges[a, b]["activities"]
    # ... and the Urban Rural Assembly with Technische Universität Berlin, 23-24 September 2020
    edge = graph.edges[UN_HABITAT, ID + "org/tu-berlin"]
    assert edge["activities"] == [ACT + "p26-urban-rural-assembly"]
    assert edge["events"] == [ID + "event/urban-rural-assembly-2020"]
    assert (edge["first"], edge["last"], edge["weight"]) == ("2020-09-23", "2020-09-24", 1)
    assert set(graph) == PARTNERS_OF_1_5 | {UN_HABITAT, ID + "org/tu-berlin"}
    assert graph.number_of_edges() == 16


def test_partners_of_resolution_1_2(evidence: Evidence) -> None:
    graph = view(evidence, "partners", resolution="1/2")
    assert graph.edges[UN_HABITAT, ID + "org/unodc"]["activities"] == [
        ACT + "p06-joint-programme-framework"
    ]
    assert graph.has_edge(UN_HABITAT, ID + "org/un-trust-fund-for-human-security")  # funder
    # the pilot cities of Mexico and South Africa: the Member States are partners
    for a, b in [(UN_HABITAT, ID + "country/MEX"), (ID + "country/MEX", ID + "country/ZAF")]:
        assert graph.edges[a, b]["activities"] == [ACT + "p05-pilot-city-policy-review"]
    assert not set(graph) & PARTNERS_OF_1_5


def test_a_post_counts_as_its_organization(evidence: Evidence) -> None:
    graph = view(evidence, "partners")
    assert not [n for n in graph if "/post/" in n]
    # the Executive Director presented the concept note to the Executive Board (p. 2)
    edge = graph.edges[UN_HABITAT, ID + "org/executive-board"]
    assert edge["activities"] == [ACT + "p02-concept-note-presented"]
    assert edge["events"] == [ID + "session/eb-2020-1"]


def test_nodes_carry_labels_type_and_resolutions(evidence: Evidence) -> None:
    graph = view(evidence, "partners")
    fao = graph.nodes[ID + "org/fao"]
    assert fao["iri"] == ID + "org/fao"
    assert fao["en"] == fao["label"] == "Food and Agriculture Organization of the United Nations"
    assert fao["zh"] == "联合国粮食及农业组织"
    assert (fao["short"], fao["type"], fao["category"]) == ("FAO", "UNEntity", "organization")
    assert fao["resolutions"] == [RES[5]]
    assert fao["resolution_labels"] == ["Resolution 1/5"]
    assert graph.nodes[UN_HABITAT]["resolutions"] == sorted(RES.values())
    board = graph.nodes[ID + "org/executive-board"]
    assert (board["short"], board["category"]) == ("Executive Board", "governing body")


# ---------------------------------------------------------------- bipartite


def test_bipartite_links_organizations_to_resolutions(evidence: Evidence) -> None:
    graph = view(evidence, "bipartite")
    sides = {
        side: {n for n, s in graph.nodes(data="side") if s == side}
        for side in ("agent", "resolution")
    }
    assert sides["resolution"] == {*RES.values(), DEC_1_3, DEC_2019_3}
    assert nx.is_bipartite(graph)
    assert all((a in sides["agent"]) != (b in sides["agent"]) for a, b in graph.edges)
    assert graph.has_edge(ID + "org/unodc", RES[2])
    assert graph.has_edge(ID + "org/unssc", RES[3])
    assert graph.has_edge(ID + "org/geneva-human-rights-platform", RES[4])
    assert all(graph.has_edge(p, RES[5]) for p in PARTNERS_OF_1_5)
    # the secretariat briefed the working group set up under decision 2019/3 (decision 1/3)
    assert graph.has_edge(ID + "org/secretariat", DEC_1_3)
    assert graph.has_edge(ID + "org/secretariat", DEC_2019_3)
    assert graph.edges[UN_HABITAT, RES[5]]["weight"] == 5
    assert graph.edges[UN_HABITAT, RES[5]]["first"] == "2020-09-03"
    assert graph.edges[UN_HABITAT, RES[5]]["last"] == "2020-11-27"


# ---------------------------------------------------------------- geography


def test_geography_of_resolution_1_5(evidence: Evidence) -> None:
    graph = view(evidence, "geography", resolution="1/5")
    places = {n for n, side in graph.nodes(data="side") if side == "place"}
    reached = {
        ID + p
        for p in (
            "country/CMR",
            "country/GIN",
            "region/NG-NI",
            "region/tz-zanzibar",
            "country/DEU",
            "city/de-berlin",
            "city/de-apolda",
            "city/de-leipzig",
            "country/NGA",
            "country/TZA",
        )
    }
    assert places == reached
    assert all(graph.has_edge(RES[5], place) for place in reached)
    assert graph.edges[RES[5], ID + "country/CMR"]["activities"] == [
        ACT + "p27-cameroon-national-workshop",
        ACT + "p27-virtual-regional-workshop",
    ]
    assert graph.has_edge(ID + "org/tu-berlin", ID + "city/de-berlin")
    assert graph.has_edge(UN_HABITAT, ID + "region/NG-NI")
    assert graph.nodes[ID + "region/NG-NI"]["country"] == "NGA"
    assert graph.nodes[ID + "city/de-apolda"]["country"] == "DEU"


def test_geography_draws_a_member_state_partner_as_a_place(evidence: Evidence) -> None:
    graph = view(evidence, "geography", resolution="1/2")
    assert graph.nodes[ID + "country/MEX"]["side"] == "place"
    assert not graph.has_edge(ID + "country/MEX", ID + "country/ZAF")
    assert graph.has_edge(UN_HABITAT, ID + "country/MEX")
    assert graph.has_edge(RES[2], ID + "city/es-madrid")


# ---------------------------------------------------------------- units


def test_units_carry_mandates_and_work_with_partners(evidence: Evidence) -> None:
    graph = view(evidence, "units")
    units = {n for n, side in graph.nodes(data="side") if side == "unit"}
    assert {
        UN_HABITAT,
        ID + "org/capacity-development-and-training-unit",
        ID + "org/global-solutions-division",
        ID + "org/project-review-committee",
        ID + "org/executive-board-bureau",
    } <= units
    assert ID + "org/fao" not in units and graph.nodes[ID + "org/fao"]["side"] == "partner"
    unit = ID + "org/capacity-development-and-training-unit"
    strategy = graph.edges[unit, ID + "mandate/ha-1-3-capacity-building-strategy"]
    assert (strategy["relation"], strategy["weight"]) == ("carries", 4)
    assert graph.has_edge(unit, ID + "org/flagship-programme-leads")
    assert graph.has_edge(unit, ID + "org/universities")
    # two divisions lead the learning page together
    assert graph.has_edge(
        ID + "org/global-solutions-division",
        ID + "org/external-relations-strategy-knowledge-and-innovation-division",
    )
    mandate = graph.nodes[ID + "mandate/ha-1-5-urban-rural-linkages"]
    assert (mandate["side"], mandate["resolutions"]) == ("mandate", [RES[5]])
    assert graph.edges[UN_HABITAT, ID + "mandate/ha-1-5-urban-rural-linkages"]["weight"] == 5


# ---------------------------------------------------------------- filters


def test_a_bare_number_means_the_resolution_and_the_decision(evidence: Evidence) -> None:
    both = {
        n
        for n, s in view(evidence, "bipartite", resolution="1/3").nodes(data="side")
        if s == "resolution"
    }
    assert both == {RES[3], DEC_1_3}
    for spec, expected in [
        ("res:1/3", RES[3]),
        ("resolution 1/3", RES[3]),
        ("dec:1/3", DEC_1_3),
        ("Decision 1/3", DEC_1_3),
        (DEC_1_3, DEC_1_3),
    ]:
        graph = view(evidence, "bipartite", resolution=spec)
        assert {n for n, s in graph.nodes(data="side") if s == "resolution"} == {expected}, spec


def test_country_filter_counts_regions_and_cities_of_the_country(evidence: Evidence) -> None:
    assert set(view(evidence, "partners", country="MEX")) == {
        UN_HABITAT,
        ID + "country/MEX",
        ID + "country/ZAF",
    }
    germany = view(evidence, "geography", country="deu")
    places = {n for n, side in germany.nodes(data="side") if side == "place"}
    assert places == {
        ID + p for p in ("country/DEU", "city/de-berlin", "city/de-apolda", "city/de-leipzig")
    }
    nigeria = view(evidence, "geography", country="NGA")  # Niger State is in Nigeria
    assert ID + "region/NG-NI" in nigeria and ID + "region/tz-zanzibar" not in nigeria


def test_date_filter_keeps_activities_whose_dates_overlap(evidence: Evidence) -> None:
    september = view(evidence, "partners", since="2020-09-01", until="2020-09-30")
    assert september.has_edge(UN_HABITAT, ID + "org/tu-berlin")  # 23-24 September
    assert ID + "org/global-network-on-safer-cities" in september  # 21 Sep - 31 Oct
    assert ID + "org/fao" not in september  # the joint work plans have no dates
    assert ID + "org/executive-board" not in september  # 29 June
    assert view(evidence, "partners", since="2020-06", until="2020-06").has_edge(
        UN_HABITAT, ID + "org/executive-board"
    )


@pytest.mark.parametrize(
    ("filters", "words"),
    [
        ({"resolution": "9/9"}, "no such resolution or decision (known: res:1/1, res:1/2"),
        ({"resolution": "res:"}, "resolution 'res:'"),
        ({"country": "XYZ"}, "no country with this ISO alpha-3 code"),
        ({"country": "Mexico"}, "expected an ISO 3166-1 alpha-3 code"),
        ({"since": "2020-13-01"}, "since '2020-13-01': not a date"),
        ({"until": "yesterday"}, "until 'yesterday': not a date"),
        ({"since": "2020-10-01", "until": "2020-09-01"}, "is before since"),
    ],
)
def test_bad_filters_are_named(evidence: Evidence, filters: dict[str, str], words: str) -> None:
    with pytest.raises(NetworkInputError) as error:
        view(evidence, "partners", **filters)
    assert words in str(error.value)


def test_unknown_view_and_empty_results(evidence: Evidence) -> None:
    with pytest.raises(NetworkInputError, match="no such view"):
        view(evidence, "friends")
    with pytest.raises(EmptyNetwork, match="no activity or event matches country FRA"):
        view(evidence, "partners", country="FRA")
    with pytest.raises(EmptyNetwork, match="until 2019"):
        view(evidence, "partners", until="2019-06-30")


def test_neighbourhood_of_a_node(evidence: Evidence) -> None:
    graph = neighbourhood(build_view(evidence, "partners"), ID + "org/fao")
    assert set(graph) == PARTNERS_OF_1_5 | {UN_HABITAT}
    assert graph.graph["focus"] == ID + "org/fao"
    assert view_holding(evidence, RES[5]) == "bipartite"
    assert view_holding(evidence, ID + "city/de-leipzig") == "geography"
    with pytest.raises(NetworkInputError, match="not in any network view"):
        view_holding(evidence, ID + "org/nobody")


# ---------------------------------------------------------------- measures


def test_measures_of_the_partners_network(evidence: Evidence) -> None:
    graph = view(evidence, "partners")
    summary = summarize(graph)
    assert (summary.nodes, summary.edges) == (29, 31)
    assert summary.components[0] == 17 and len(summary.components) == 9
    assert summary.by_degree[0].iri == UN_HABITAT and summary.by_degree[0].value == 16
    assert summary.by_weighted_degree[0].iri == UN_HABITAT
    assert summary.by_betweenness[0].iri == UN_HABITAT
    assert summary.by_betweenness[0].value == pytest.approx(
        nx.betweenness_centrality(graph)[UN_HABITAT]
    )
    members = [n for group in summary.communities for n in group]
    assert sorted(members) == sorted(graph)  # every node in exactly one community
    assert any(set(group) >= PARTNERS_OF_1_5 for group in summary.communities)
    # seeded: the same communities every time, and on the nodes
    assert communities(graph) == communities(view(evidence, "partners"))
    assert {graph.nodes[n]["community"] for n in PARTNERS_OF_1_5} == {
        graph.nodes[ID + "org/fao"]["community"]
    }


@pytest.mark.parametrize("name", list(VIEWS))
def test_every_view_is_the_same_on_the_rdflib_store(
    name: str, evidence: Evidence, rdflib_evidence: Evidence
) -> None:
    ours, theirs = view(evidence, name), view(rdflib_evidence, name)
    assert dict(ours.nodes(data=True)) == dict(theirs.nodes(data=True))
    assert {(a, b): d for a, b, d in ours.edges(data=True)} == {
        (a, b): d for a, b, d in theirs.edges(data=True)
    }


@pytest.fixture(scope="module")
def rdflib_evidence(built: BuildResult) -> Evidence:
    store = open_store("rdflib")
    store.load_dataset(built.dataset_path)
    # rdflib's query engine calls its own deprecated Dataset.default_context
    with rdflib_internals_quiet():
        return fetch_evidence(store)
