"""What the network views are made of, asked of the store with the SPARQL in ``queries/``.

A *line of work* is an implementation activity, or an event that no activity is held at. Each
line knows who takes part in it (and in which role), which resolutions and decisions it serves,
which mandates it carries out, where it takes place and when. An activity held at an event also
counts the event's agents and places as its own: whoever organizes the event works with whoever
carries out the activity there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from habitat_kg.namespaces import HKG, ROLE
from habitat_kg.queries import load_query
from habitat_kg.server.store import Solutions, Store, Term

#: Roles that make an agent the one carrying a line of work (hkg:responsibleUnit, hkg:organizer).
LEAD_ROLES = frozenset({str(ROLE["lead"]), str(ROLE["organizer"])})


@dataclass(frozen=True)
class Entity:
    """Something a view draws as a node: an organization, unit, place, resolution or mandate."""

    iri: str
    #: the most specific class, without its namespace ("UNEntity", "City")
    type: str
    #: what it is for colours and legends: organization, unit, governing body, country,
    #: region, city, resolution, decision, mandate (or "other")
    category: str
    en: str
    zh: str = ""
    #: the acronym when it has one ("UCLG"), else its shortest English name
    short: str = ""
    #: ISO 3166-1 alpha-3 of the country a place is, or is in
    country: str = ""
    #: the number of a resolution or decision ("1/5")
    number: str = ""
    #: the resolution or decision that gave a mandate
    mandated_by: str = ""
    #: UN-Habitat itself or one of its parts (org:subOrganizationOf*)
    within_un_habitat: bool = False


@dataclass(frozen=True)
class LineOfWork:
    """An activity (or a stand-alone event) and everything the views take from it."""

    iri: str
    kind: str
    events: frozenset[str]
    start: date | None
    end: date | None
    #: agent IRI -> the roles it plays (role IRIs; empty when only prov:wasAssociatedWith)
    agents: dict[str, frozenset[str]]
    resolutions: frozenset[str]
    mandates: frozenset[str]
    places: frozenset[str]

    @property
    def leads(self) -> frozenset[str]:
        """The agents that carry this line of work (responsible unit or organizer)."""
        return frozenset(a for a, roles in self.agents.items() if roles & LEAD_ROLES)


@dataclass(frozen=True)
class Evidence:
    """Every line of work in the graph and a description of everything the views may draw."""

    lines: tuple[LineOfWork, ...]
    entities: dict[str, Entity] = field(repr=False)

    def entity(self, iri: str) -> Entity:
        """What is known about ``iri``; a thing the graph does not describe gets its IRI's end."""
        known = self.entities.get(iri)
        if known is not None:
            return known
        name = iri.rstrip("/").rsplit("/", 1)[-1]
        return Entity(iri=iri, type="", category="other", en=name, short=name)

    def resolutions(self) -> list[Entity]:
        """The resolutions and decisions of the graph, by number."""
        found = [e for e in self.entities.values() if e.category in {"resolution", "decision"}]
        return sorted(found, key=lambda e: (_number_key(e.number), e.category, e.iri))

    def countries(self) -> dict[str, Entity]:
        """The countries of the graph by ISO alpha-3 code."""
        return {e.country: e for e in self.entities.values() if e.category == "country"}


def fetch_evidence(store: Store) -> Evidence:
    """Ask the store for the lines of work and the entities the views need."""
    agents: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in _select(store, "participation"):
        roles = agents[_iri(row["work"])][_iri(row["agent"])]
        if row["role"] is not None:
            roles.add(_iri(row["role"]))
    resolutions = _pairs(_select(store, "work-resolutions"), "work", "resolution")
    mandates = _pairs(_select(store, "work-mandates"), "work", "mandate")
    places = _pairs(_select(store, "work-places"), "work", "place")
    lines = tuple(
        _line(iri, rows, agents, resolutions, mandates, places)
        for iri, rows in _grouped(_select(store, "work-items"), "work")
    )
    entities = {}
    for row in _select(store, "entities"):
        entity = _entity(row)
        # an entity of two unrelated classes keeps the first, in IRI order (the query sorts)
        entities.setdefault(entity.iri, entity)
    return Evidence(lines, entities)


def _line(
    iri: str,
    rows: list[dict[str, Term | None]],
    agents: dict[str, dict[str, set[str]]],
    resolutions: dict[str, set[str]],
    mandates: dict[str, set[str]],
    places: dict[str, set[str]],
) -> LineOfWork:
    events = frozenset(_iri(row["event"]) for row in rows if row["event"] is not None)
    # the agents and places of the line's events are the line's too
    sources = [iri, *sorted(events - {iri})]
    taking_part: dict[str, set[str]] = defaultdict(set)
    for source in sources:
        for agent, roles in agents.get(source, {}).items():
            taking_part[agent] |= roles
    starts = [_day(row["start"]) for row in rows if row["start"] is not None]
    ends = [_day(row["end"]) for row in rows if row["end"] is not None]
    return LineOfWork(
        iri=iri,
        kind=str(rows[0]["kind"]),
        events=events,
        start=min(starts, default=None),
        end=max(ends, default=None),
        agents={agent: frozenset(roles) for agent, roles in sorted(taking_part.items())},
        resolutions=frozenset(resolutions.get(iri, ())),
        mandates=frozenset(mandates.get(iri, ())),
        places=frozenset(p for source in sources for p in places.get(source, ())),
    )


def _entity(row: dict[str, Term | None]) -> Entity:
    def text(name: str) -> str:
        term = row[name]
        return "" if term is None else term.value

    type_iri = text("type")
    en = text("labelEn") or text("entity").rstrip("/").rsplit("/", 1)[-1]
    # the short name: the acronym, else the shortest English alternative label if shorter
    alternatives = [alt for alt in text("altLabels").split("\n") if alt]
    short = text("short") or min([en, *alternatives], key=lambda name: (len(name), name))
    return Entity(
        iri=text("entity"),
        type=type_iri.removeprefix(str(HKG)),
        category=text("category"),
        en=en,
        zh=text("labelZh"),
        short=short,
        country=text("country"),
        number=text("resolutionNumber"),
        mandated_by=text("mandatedBy"),
        within_un_habitat=text("withinUnHabitat") in {"true", "1"},
    )


def _select(store: Store, name: str) -> Solutions:
    result = store.query(load_query("habitat_kg.graph.network", name))
    if not isinstance(result, Solutions):
        raise TypeError(f"{name}.rq must be a SELECT query")
    return result


def _iri(term: Term | None) -> str:
    assert term is not None, "the query binds this variable in every solution"
    return term.value


def _day(term: Term | None) -> date:
    assert term is not None
    # xsd:date may carry a time zone ("2020-06-29Z"); the day is what the views compare
    return date.fromisoformat(term.value[:10])


def _pairs(solutions: Solutions, key: str, value: str) -> dict[str, set[str]]:
    pairs: dict[str, set[str]] = defaultdict(set)
    for row in solutions:
        pairs[_iri(row[key])].add(_iri(row[value]))
    return pairs


def _grouped(
    solutions: Iterable[dict[str, Term | None]], key: str
) -> Iterator[tuple[str, list[dict[str, Term | None]]]]:
    groups: dict[str, list[dict[str, Term | None]]] = defaultdict(list)
    for row in solutions:
        groups[_iri(row[key])].append(row)
    yield from sorted(groups.items())


def _number_key(number: str) -> tuple[tuple[int, int, str], ...]:
    """``1/10`` after ``1/9``: numeric parts compare as numbers, before any other text."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in number.split("/"))
