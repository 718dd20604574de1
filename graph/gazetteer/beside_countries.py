"""Organizations named by a word in the other script or an acronym beside a country's name:
肯尼亚 Groots in Chinese text, "GROOTS Kenya" in English (the country is part of the name, and
no place of the passage)."""

from __future__ import annotations

import re

from habitat_kg.graph.extract.proposal import EntityMatch
from habitat_kg.graph.gazetteer.entities import new_entity_match, org_iri
from habitat_kg.graph.gazetteer.tokens import Token
from habitat_kg.namespaces import HKG

#: A Latin-script name after a country's Chinese name: 肯尼亚 Groots (GROOTS Kenya).
_LATIN_NAME = re.compile(r"\s?([A-Z][A-Za-z'&-]+(?: [A-Z][A-Za-z'&-]+)*)")


def latin_names_after_country(text: str, known: list[EntityMatch]) -> list[EntityMatch]:
    found: list[EntityMatch] = []
    for country_match in known:
        if country_match.category != "country":
            continue
        latin = _LATIN_NAME.match(text, country_match.end)
        if latin is None:
            continue
        end = latin.end()
        name = text[country_match.start : end]
        english = f"{latin.group(1)} {country_match.labels[0] if country_match.labels else ''}"
        found.append(
            new_entity_match(
                country_match.start,
                end,
                name,
                org_iri(english.strip()),
                "organization",
                HKG.Organization,
                0.6,
                "pattern-zh-latin-name",
                "zh",
                container=country_match.entity,
            )
        )
    return found


_ACRONYM = re.compile(r"[A-Z]{3,}")


def acronyms_before_country(
    text: str,
    tokens: list[Token],
    starts: dict[int, int],
    known: list[EntityMatch],
    org_tokens: set[int],
) -> list[EntityMatch]:
    """An acronym on no list right before a country's name is an organization of that
    country ("GROOTS Kenya")."""
    found: list[EntityMatch] = []
    for country_match in known:
        index = starts.get(country_match.start)
        if country_match.category != "country" or not index:
            continue
        acronym = tokens[index - 1]
        if index - 1 in org_tokens or not _ACRONYM.fullmatch(acronym.text):
            continue
        if acronym.end == country_match.start:
            continue  # glued: no two words
        name = text[acronym.start : country_match.end]
        found.append(
            new_entity_match(
                acronym.start,
                country_match.end,
                name,
                org_iri(name),
                "organization",
                HKG.Organization,
                0.6,
                "pattern-en-acronym-country",
                "en",
                container=country_match.entity,
            )
        )
    return found
