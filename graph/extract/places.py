"""Where the passage's activity happens, and the nodes for things no list knows yet.

Every city, region and country the gazetteer recognises is a hkg:place of the activity; a city
or region is linked to the place that contains it (hkg:inCountry, hkg:inRegion), so that a
report's "Yaoundé" lands in Cameroon even where the text does not say so.  A city inside an
organization's name ("University of Nairobi") is not recognised as a place by the gazetteer,
which takes the longest name; a city government that hosts ("The City of Kigali hosted") makes
its city a place too.

An entity found by a name pattern rather than a list (``known=False``) gets proposals that
describe it: its type, its labels in the report's language, its container, and for a unit,
UN-Habitat as the organization it belongs to.
"""

from __future__ import annotations

import re

from rdflib import RDF, RDFS, Literal

from habitat_kg.graph.extract.agents import UN_HABITAT
from habitat_kg.graph.extract.context import PassageContext, SpanMask
from habitat_kg.graph.extract.proposal import EntityMatch
from habitat_kg.namespaces import HKG, ID, ORG

_PLACES = ("city", "region", "country")
# A country's name as part of a currency or an adjective: "United States dollars".
_NOT_A_PLACE = re.compile(r"\s*(?:dollars?|美元)")
_CITY_PREFIX = str(ID["city/"])
_REGION_PREFIX = str(ID["region/"])


def propose_places(
    context: PassageContext,
    hosts: list[tuple[EntityMatch, str]],
    dates: SpanMask,
) -> None:
    """Places outside the ``dates`` spans ("in March 2025" names no city)."""
    for match in context.entities:
        if match.category not in _PLACES or dates.covers((match.start, match.end)):
            continue
        if _NOT_A_PLACE.match(context.text, match.end):
            continue
        span = (match.start, match.end)
        confidence = min(0.85, match.confidence)
        context.propose(
            "place", HKG.place, match.entity, span, confidence, f"place.{match.category}"
        )
        _container(context, match, span)
    for organization, role in hosts:
        container = organization.container
        if role == "co-organizer" and container and str(container).startswith(_CITY_PREFIX):
            span = (organization.start, organization.end)
            context.propose("place", HKG.place, container, span, 0.55, "place.host-city")


def _container(context: PassageContext, match: EntityMatch, span: tuple[int, int]) -> None:
    container = match.container
    if container is None or match.category == "country":
        return
    predicate = HKG.inRegion if str(container).startswith(_REGION_PREFIX) else HKG.inCountry
    confidence = 0.8 if match.known else 0.6
    context.propose(
        "entity", predicate, container, span, confidence, "place.container", match.entity
    )


def propose_new_entities(context: PassageContext) -> None:
    """Type, labels and container of every entity no list knows that a proposal links to."""
    linked = {p.object for p in context.proposals} | {p.subject for p in context.proposals}
    for match in context.entities:
        if match.known or match.entity not in linked:
            continue
        span = (match.start, match.end)
        confidence = min(0.7, match.confidence)
        rule = f"entity.new-{match.category}"
        subject = match.entity
        context.propose("entity", RDF.type, match.rdf_type, span, confidence, rule, subject)
        labels = match.labels or (Literal(match.text.strip(), lang=context.language),)
        for label in labels:
            context.propose("entity", RDFS.label, label, span, confidence, rule, subject)
        if match.category == "unit" and match.entity != UN_HABITAT:
            context.propose("entity", ORG.subOrganizationOf, UN_HABITAT, span, 0.6, rule, subject)
        elif match.container is not None and match.category not in _PLACES:
            context.propose("entity", HKG.basedIn, match.container, span, 0.5, rule, subject)
