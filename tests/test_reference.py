"""The reference layer: Member States, regions and cities, and the gazetteer built from them."""

from __future__ import annotations

import csv
import gettext
from pathlib import Path

import pycountry
import pytest
from rdflib import RDF, RDFS, SKOS, XSD, BNode, Graph, Literal, URIRef

from habitat_kg import namespaces
from habitat_kg.errors import SourceError
from habitat_kg.graph import reference
from habitat_kg.namespaces import HKG, ID, WD

SOURCES = Path(__file__).resolve().parents[1] / "graph" / "sources"
REFERENCE = SOURCES / "reference"
REPORT = SOURCES / "report" / "eb-2020-2_item-7.zh.txt"
ZANZIBAR = ID["region/tz-zanzibar"]


@pytest.fixture(scope="module")
def layer() -> Graph:
    return reference.reference_layer(SOURCES)


@pytest.fixture(scope="module")
def names(layer: Graph) -> dict[str, URIRef]:
    return reference.gazetteer(layer)


def _labels(graph: Graph, node: URIRef, predicate: URIRef = RDFS.label) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for literal in graph.objects(node, predicate):
        assert isinstance(literal, Literal)
        found.setdefault(literal.language or "", set()).add(str(literal))
    return found


def test_there_are_193_member_states_all_known_to_pycountry() -> None:
    states = reference.load_member_states(REFERENCE / reference.MEMBER_STATES_FILE)
    assert len(states) == 193
    for state in states:
        assert pycountry.countries.get(alpha_3=state.alpha3) is not None, state.alpha3


@pytest.mark.parametrize("name", ["un-member-states.csv", "regions.csv", "cities.csv"])
def test_source_files_are_sorted_by_their_first_column(name: str) -> None:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        keys = [row[0] for row in list(csv.reader(handle))[1:]]
    assert keys == sorted(keys)


def test_every_member_state_has_labels_and_codes(layer: Graph) -> None:
    countries = set(layer.subjects(RDF.type, HKG.MemberState))
    assert len(countries) == 193
    for node in countries:
        assert (node, RDF.type, HKG.Country) in layer
        labels = _labels(layer, node)
        assert len(labels["en"]) == 1 and len(labels["zh"]) == 1, node
        alpha2 = str(layer.value(node, HKG.iso3166Alpha2))
        alpha3 = str(layer.value(node, HKG.iso3166Alpha3))
        m49 = str(layer.value(node, HKG.m49Code))
        assert len(alpha2) == 2 and node == namespaces.country(alpha3)
        assert len(m49) == 3 and m49.isdigit()
        assert pycountry.countries.get(alpha_3=alpha3).alpha_2 == alpha2


@pytest.mark.parametrize(
    ("code", "labels", "alternatives"),
    [
        # the UN's names; the ISO ones kept as alternatives; the other UN languages from
        # pycountry, as a text writes them
        (
            "TZA",
            {
                "en": {"United Republic of Tanzania"},
                "zh": {"坦桑尼亚联合共和国"},
                "fr": {"République unie de Tanzanie"},
                "es": {"República unida de Tanzania"},
                "ru": {"Танзания"},
                "ar": {"تنزانيا، جمهوريّة تنزانيا المتّحدة"},
            },
            {"en": {"Tanzania, United Republic of"}, "zh": {"坦桑尼亚"}},
        ),
        # names that agree: no alternative label; French writes it as English does, no label
        # of its own
        (
            "KEN",
            {"en": {"Kenya"}, "zh": {"肯尼亚"}, "es": {"Kenia"}, "ru": {"Кения"}, "ar": {"كينيا"}},
            {},
        ),
    ],
)
def test_a_country_has_the_un_names_and_keeps_the_iso_ones_as_alternatives(
    layer: Graph, code: str, labels: dict[str, set[str]], alternatives: dict[str, set[str]]
) -> None:
    node = namespaces.country(code)
    assert _labels(layer, node) == labels
    assert _labels(layer, node, SKOS.altLabel) == alternatives


def test_tanzania_has_its_codes_and_its_wikidata_item(layer: Graph) -> None:
    node = namespaces.country("TZA")
    assert (node, HKG.m49Code, Literal("834")) in layer
    assert (node, SKOS.exactMatch, WD.Q924) in layer


def test_wikidata_links_only_where_checked(layer: Graph) -> None:
    linked = {
        str(layer.value(node, HKG.iso3166Alpha3))
        for node in layer.subjects(RDF.type, HKG.Country)
        if layer.value(node, SKOS.exactMatch) is not None
    }
    expected = {"KEN", "DEU", "ESP", "MEX", "ZAF", "NGA", "CMR", "GIN", "TZA", "ARE", "CHE"}
    assert linked == expected


def test_niger_state_is_in_nigeria(layer: Graph) -> None:
    node = namespaces.region("NG-NI")
    assert (node, RDF.type, HKG.Region) in layer
    assert (node, HKG.inCountry, namespaces.country("NGA")) in layer
    assert (node, HKG.subdivisionCode, Literal("NG-NI")) in layer
    assert Literal("尼日尔州", lang="zh") in set(layer.objects(node, RDFS.label))


def test_the_five_zanzibar_regions_are_in_zanzibar(layer: Graph) -> None:
    assert (ZANZIBAR, HKG.inCountry, namespaces.country("TZA")) in layer
    assert layer.value(ZANZIBAR, HKG.subdivisionCode) is None  # Zanzibar has no single code
    parts = set(layer.subjects(HKG.inRegion, ZANZIBAR))
    codes = ["TZ-06", "TZ-07", "TZ-10", "TZ-11", "TZ-15"]
    assert parts == {namespaces.region(code) for code in codes}
    for code in codes:
        english = _labels(layer, namespaces.region(code))["en"]
        assert english == {pycountry.subdivisions.get(code=code).name}


def test_region_names_follow_pycountry_chinese_where_it_has_one() -> None:
    catalogue = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["zh_CN"])
    for region in reference.load_regions(REFERENCE / reference.REGIONS_FILE):
        if region.iso3166_2 is None:
            continue
        iso_name = pycountry.subdivisions.get(code=region.iso3166_2).name
        translated = catalogue.gettext(iso_name)
        if translated != iso_name:
            assert region.name_zh == translated, region.id


def test_every_region_and_city_has_a_country_and_both_labels(layer: Graph) -> None:
    countries = set(layer.subjects(RDF.type, HKG.Country))
    places = [*layer.subjects(RDF.type, HKG.Region), *layer.subjects(RDF.type, HKG.City)]
    assert len(set(layer.subjects(RDF.type, HKG.City))) == 7
    for node in places:
        assert layer.value(node, HKG.inCountry) in countries, node
        assert set(_labels(layer, node)) == {"en", "zh"}, node


def test_cities(layer: Graph) -> None:
    nairobi = reference.city("ke-nairobi")
    assert _labels(layer, nairobi) == {"en": {"Nairobi"}, "zh": {"内罗毕"}}
    assert (nairobi, SKOS.exactMatch, WD.Q3870) in layer
    assert layer.value(reference.city("de-apolda"), SKOS.exactMatch) is None


def test_literals_are_plain_and_there_are_no_blank_nodes(layer: Graph) -> None:
    for triple in layer:
        assert not any(isinstance(term, BNode) for term in triple)
        obj = triple[2]
        if isinstance(obj, Literal):
            assert obj.datatype is None and obj.datatype != XSD.string


def test_the_layer_is_deterministic(layer: Graph) -> None:
    again = reference.reference_layer(SOURCES)
    assert sorted(again) == sorted(layer)


@pytest.mark.parametrize(
    ("name", "alpha3"),
    [
        ("坦桑尼亚联合共和国", "TZA"),
        ("墨西哥", "MEX"),
        ("南非", "ZAF"),
        ("德国", "DEU"),
        ("喀麦隆", "CMR"),
        ("几内亚", "GIN"),
        ("尼日利亚", "NGA"),
        ("肯尼亚", "KEN"),
    ],
)
def test_the_report_names_countries_as_the_gazetteer_does(
    names: dict[str, URIRef], name: str, alpha3: str
) -> None:
    assert name in REPORT.read_text(encoding="utf-8")
    assert names[name] == namespaces.country(alpha3)


@pytest.mark.parametrize(
    ("name", "node"),
    [
        ("尼日尔州", namespaces.region("NG-NI")),
        ("桑给巴尔", ZANZIBAR),
        ("内罗毕", reference.city("ke-nairobi")),
        ("马德里", reference.city("es-madrid")),
        ("阿布扎比", reference.city("ae-abu-dhabi")),
        ("柏林", reference.city("de-berlin")),
        ("阿波尔达", reference.city("de-apolda")),
        ("莱比锡", reference.city("de-leipzig")),
        ("日内瓦", reference.city("ch-geneva")),
    ],
)
def test_the_report_names_places_as_the_gazetteer_does(
    names: dict[str, URIRef], name: str, node: URIRef
) -> None:
    assert name in REPORT.read_text(encoding="utf-8")
    assert names[name] == node


def test_gazetteer_has_both_languages_and_alternative_names(names: dict[str, URIRef]) -> None:
    tanzania = namespaces.country("TZA")
    for name in ["United Republic of Tanzania", "Tanzania, United Republic of", "坦桑尼亚"]:
        assert names[name] == tanzania
    assert names["Guinea"] != names["Equatorial Guinea"]
    assert names["几内亚"] != names["赤道几内亚"]
    assert list(names) == sorted(names)


def test_gazetteer_leaves_out_a_name_two_places_share() -> None:
    graph = Graph()
    first, second = ID["city/xx-a"], ID["city/yy-a"]
    for node in (first, second):
        graph.add((node, RDF.type, HKG.City))
        graph.add((node, RDFS.label, Literal("Springfield", lang="en")))
    graph.add((first, SKOS.altLabel, Literal("Springfield A", lang="en")))
    graph.add((ID["person/x"], RDFS.label, Literal("Not a place", lang="en")))
    assert reference.gazetteer(graph) == {"Springfield A": first}


# --- bad sources ------------------------------------------------------------------------------

STATES_HEADER = "alpha3,name_en,name_zh_override,wikidata\n"


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _assert_names(error: SourceError, path: Path, line: int) -> None:
    assert (error.path, error.line) == (path, line)
    assert str(error).startswith(f"{path}:{line}: ")


REGIONS_HEADER = "id,iso3166_2,country_alpha3,name_en,name_zh,part_of,wikidata\n"
STATES = ("states.csv", STATES_HEADER, reference.load_member_states)
REGIONS = ("regions.csv", REGIONS_HEADER, reference.load_regions)


@pytest.mark.parametrize(
    ("table", "rows", "line", "problem"),
    [
        (STATES, "KEN,Kenya,,Q114\nXYZ,Nowhere,,\n", 3, "XYZ"),
        (STATES, "KEN,Kenya,,Q114\nMEX,Mexico,\n", 3, "columns"),
        (STATES, "KEN,Kenya,,Q114\nMEX,Mexico,,Q96\nKEN,Kenya,,\n", 4, "duplicate"),
        (STATES, "KEN,Kenya,,114\n", 2, "QID"),
        (STATES, "KEN,,,\n", 2, "name_en"),
        (STATES, "KEN, Kenya,,\n", 2, "spaces"),
        (REGIONS, "ng-ni,NG-NI,KEN,Niger State,尼日尔州,,\n", 2, "not a subdivision"),
        (REGIONS, "ng-xx,NG-XX,NGA,Nowhere,无处,,\n", 2, "not an ISO 3166-2"),
        (REGIONS, "niger,NG-NI,NGA,Niger State,尼日尔州,,\n", 2, "must be 'ng-ni'"),
        (REGIONS, "tz-06,TZ-06,TZA,Pemba North,奔巴北区,tz-zanzibar,\n", 2, "part_of"),
        (REGIONS, "ng-ni,NG-NI,NGA,Niger State,,,\n", 2, "name_zh"),
    ],
    ids=[
        "state-unknown-alpha3",
        "state-column-count",
        "state-duplicate",
        "state-bad-qid",
        "state-empty-name",
        "state-spaces",
        "region-wrong-country",
        "region-unknown-code",
        "region-id-not-code",
        "region-unknown-parent",
        "region-no-chinese",
    ],
)
def test_a_bad_reference_row_names_file_and_line(
    tmp_path: Path, table: tuple, rows: str, line: int, problem: str
) -> None:
    name, header, load = table
    path = _write(tmp_path, name, header + rows)
    with pytest.raises(SourceError, match=problem) as caught:
        load(path)
    _assert_names(caught.value, path, line)


def test_a_wrong_header_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "states.csv", "alpha3,name\nKEN,Kenya\n")
    with pytest.raises(SourceError, match="header") as caught:
        reference.load_member_states(path)
    _assert_names(caught.value, path, 1)


CITIES_HEADER = "slug,country_alpha3,region,name_en,name_zh,wikidata\n"


def test_a_bad_city_slug_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "cities.csv", CITIES_HEADER + "nairobi,KEN,,Nairobi,内罗毕,\n")
    with pytest.raises(SourceError, match="ke-nairobi") as caught:
        reference.load_cities(path)
    _assert_names(caught.value, path, 2)


def test_a_city_in_an_unknown_region_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "reference"
    folder.mkdir()
    for name in (reference.MEMBER_STATES_FILE, reference.REGIONS_FILE):
        _write(folder, name, (REFERENCE / name).read_text(encoding="utf-8"))
    text = CITIES_HEADER + "ke-nairobi,KEN,ng-ni,Nairobi,内罗毕,\n"
    path = _write(folder, reference.CITIES_FILE, text)
    with pytest.raises(SourceError, match="not a region of KEN") as caught:
        reference.reference_layer(tmp_path)
    _assert_names(caught.value, path, 2)


def test_cities_have_wgs84_positions_and_countries_a_numeric_code(layer: Graph) -> None:
    from habitat_kg.namespaces import GEO, HKG, ID

    berlin = ID["city/de-berlin"]
    assert str(layer.value(berlin, GEO.lat)) == "52.52437"
    assert str(layer.value(berlin, GEO.long)) == "13.41053"
    assert str(layer.value(ID["city/ke-nairobi"], GEO.lat)) == "-1.28333"
    # the map joins countries to world-atlas shapes by this ISO 3166-1 numeric code
    assert str(layer.value(ID["country/DEU"], HKG.m49Code)) == "276"
