"""What the gazetteer knows about one entity, and the names that point at it.

Both are named tuples: tens of thousands of them are pickled and read back at each start.

A :class:`KnownEntity` is a country, region, city or organization from a list (pycountry,
GeoNames, the project's reference data, its curated files). A :class:`Name` is one surface form
of an entity as it may be written in a text, with how much that form alone can be trusted: a
capital's name is safe, a small town whose name is also an English word is not.
"""

from __future__ import annotations

import hashlib
import unicodedata
from typing import NamedTuple

import pycountry
from rdflib import Literal, URIRef

from habitat_kg.graph.extract.proposal import EntityMatch
from habitat_kg.namespaces import HKG, ID, slug

#: The ontology class a category gives a new node; a list entity keeps its own class.
CATEGORY_TYPES: dict[str, URIRef] = {
    "unit": HKG.OrganizationalUnit,
    "un-entity": HKG.UNEntity,
    "governing-body": HKG.GoverningBody,
    "post": HKG.Post,
    # The ontology has no class for governments: they are organizations.
    "government": HKG.Organization,
    "ngo": HKG.CivilSocietyOrganization,
    "university": HKG.University,
    "organization": HKG.Organization,
    "city": HKG.City,
    "region": HKG.Region,
    "country": HKG.Country,
}

#: Where an entity comes from, most trusted first: the order decides which of two entities with
#: the same name a text means when nothing else tells them apart.
SOURCE_RANK = {"curated": 0, "reference": 1, "un-list": 2, "pycountry": 3, "geonames": 4}

#: Confidence of a name that alone identifies its entity (an official name on a list).
SURE = 0.95


class KnownEntity(NamedTuple):
    """An entity on a list: its IRI, what it is, its names and where it is."""

    iri: URIRef
    category: str
    rdf_type: URIRef
    #: Preferred labels as (language, text), English first where there is one.
    labels: tuple[tuple[str, str], ...]
    acronyms: tuple[str, ...] = ()
    #: The country (or region) a place lies in; the country of a government.
    container: URIRef | None = None
    source: str = "un-list"
    #: Prominence among entities of one name: a city's population, a capital's bonus.
    weight: float = 0.0
    capital: bool = False

    def label(self, language: str) -> str | None:
        for lang, text in self.labels:
            if lang == language:
                return text
        return None

    def literals(self) -> tuple[Literal, ...]:
        return tuple(Literal(text, lang=lang) for lang, text in self.labels)


class Name(NamedTuple):
    """One way of writing an entity's name, and how far it can be trusted alone."""

    entity: int
    confidence: float
    rule: str
    #: The languages of text this form is looked for in; empty: every language.
    languages: frozenset[str] = frozenset()
    #: The form is also a common word or a person's name: it needs a place context
    #: ("in X", "X, Country", the country named in the same text).
    needs_context: bool = False


def ascii_fold(text: str) -> str:
    """``Yaoundé`` -> ``Yaounde``: the readable ASCII letters of a Latin-script name."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(ch for ch in decomposed if ord(ch) < 128)


def city_iri(alpha2: str, name: str) -> URIRef:
    """A city's IRI as the project's cities.csv writes it: ``city/ke-nairobi``."""
    return ID[f"city/{alpha2.lower()}-{slug(ascii_fold(name))}"]


def org_iri(name: str) -> URIRef:
    """A new organization's IRI from its name: a readable slug, or for a name with no Latin
    letters (a Chinese name) ``zh-`` and a short hash of the name, stable across runs."""
    folded = ascii_fold(name)
    if sum(ch.isalpha() for ch in folded) >= 2:
        return ID["org/" + slug(folded)]
    return ID["org/zh-" + short_hash(name)]


def country_alpha2(country: URIRef) -> str | None:
    """The ISO alpha-2 code of a country IRI (``country/KEN`` -> ``KE``), None if ISO has none."""
    iso = pycountry.countries.get(alpha_3=str(country).rsplit("/", 1)[-1])
    return None if iso is None else iso.alpha_2


def short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def new_entity_match(
    start: int,
    end: int,
    text: str,
    iri: URIRef,
    category: str,
    rdf_type: URIRef,
    confidence: float,
    rule: str,
    language: str,
    container: URIRef | None = None,
) -> EntityMatch:
    """A thing on no list, found by a name pattern: its labels are its words as written."""
    return EntityMatch(
        start=start,
        end=end,
        text=text,
        entity=iri,
        category=category,
        rdf_type=rdf_type,
        confidence=confidence,
        rule=rule,
        known=False,
        labels=(Literal(text, lang=language),),
        container=container,
    )
