"""The compiled gazetteer: every known name as a sequence of tokens, looked up in one pass.

Names are compared token by token (a Latin word, a number, one Han character or one punctuation
mark; spaces do not count), so ``UN-Habitat`` and ``UN - Habitat``, ``2020 年`` and ``2020年``
are the same, and a name never matches inside a longer word. The lookup tries, at each token
that begins some name, the lengths of the names that begin with it, longest first.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from rdflib import URIRef

from habitat_kg.graph.extract.proposal import EntityMatch
from habitat_kg.graph.gazetteer.entities import SOURCE_RANK, KnownEntity, Name
from habitat_kg.graph.gazetteer.recognition import recognise
from habitat_kg.graph.gazetteer.tokens import Hit, Token, token_key
from habitat_kg.graph.gazetteer.world import Entry

#: The order of suggestions of one name by what the entity is (others after these).
_SUGGESTION_GROUPS = {"country": 0, "city": 1}


class Gazetteer:
    """Known entities and their names; see :meth:`recognise`, :meth:`suggest`, :meth:`entity`.

    Entities and names are kept as plain tuples and strings, and made into objects only for the
    few a text names: a pickled gazetteer of every city then reads back quickly.
    """

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._entities: list[tuple] = []
        self._by_iri: dict[str, int] = {}
        self._names: dict[tuple[str, ...], list[tuple]] = {}
        for entity, rows in entries:
            self._add(entity, rows)
        lengths: dict[str, set[int]] = {}
        for key in self._names:
            lengths.setdefault(key[0], set()).add(len(key))
        self._lengths = {first: sorted(found, reverse=True) for first, found in lengths.items()}
        self._suggestions = self._suggestion_index(range(len(self._entities)))
        self._made: dict[int, KnownEntity] = {}

    def extended(self, entries: Iterable[Entry]) -> Gazetteer:
        """A new gazetteer with ``entries`` added (the curated files' entities over the lists);
        this one is left as it is, and the two share what did not change."""
        other = Gazetteer(())
        other._entities = list(self._entities)
        other._by_iri = dict(self._by_iri)
        other._names = dict(self._names)
        other._lengths = dict(self._lengths)
        before = len(other._entities)
        for entity, rows in entries:
            for key in other._add(entity, rows):
                lengths = set(other._lengths.get(key[0], ())) | {len(key)}
                other._lengths[key[0]] = sorted(lengths, reverse=True)
        added = other._suggestion_index(range(before, len(other._entities)))
        other._suggestions = sorted(self._suggestions + added)
        return other

    def _add(self, entity: KnownEntity, rows: list) -> list[tuple[str, ...]]:
        """Add an entity (unless known) and its names; an earlier list keeps its entity and a
        later one only adds names to it. Returns the keys of the names added."""
        index = self._by_iri.get(str(entity.iri))
        if index is None:
            index = len(self._entities)
            self._by_iri[str(entity.iri)] = index
            self._entities.append(_plain(entity))
        keys = []
        for text, confidence, rule, languages, needs_context in rows:
            key = token_key(text)
            if key:
                row = (index, confidence, rule, tuple(sorted(languages)), needs_context)
                # A new list: an extended gazetteer shares the lists of the one it extends.
                self._names[key] = [*self._names.get(key, ()), row]
                keys.append(key)
        return keys

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["_made"] = {}
        return state

    def __len__(self) -> int:
        return len(self._entities)

    def known(self, index: int) -> KnownEntity:
        """The entity at ``index`` as an object (made once)."""
        made = self._made.get(index)
        if made is None:
            raw = self._entities[index]
            container = None if raw[5] is None else URIRef(raw[5])
            made = KnownEntity(
                URIRef(raw[0]), raw[1], URIRef(raw[2]), raw[3], raw[4], container, *raw[6:]
            )
            self._made[index] = made
        return made

    # --- looking names up ---------------------------------------------------------------------

    def lookup(self, tokens: list[Token], language: str) -> list[Hit]:
        """The longest known name starting at each token, in text order (they may overlap)."""
        hits: list[Hit] = []
        count = len(tokens)
        for i, token in enumerate(tokens):
            lengths = self._lengths.get(token.text)
            if lengths is None:
                continue
            for length in lengths:
                if i + length > count:
                    continue
                rows = self._names.get(tuple(t.text for t in tokens[i : i + length]))
                if rows is None:
                    continue
                usable = tuple(_name(r) for r in rows if not r[3] or language in r[3])
                if usable:
                    hits.append(Hit(i, i + length, usable))
                    break
        return hits

    def names_of(self, key: tuple[str, ...]) -> list[Name]:
        return [_name(row) for row in self._names.get(key, [])]

    def rank(self, name: Name) -> tuple[float, int, float]:
        """Higher is better: confidence, then the more trusted list, then prominence."""
        raw = self._entities[name.entity]
        return (name.confidence, -SOURCE_RANK[raw[6]], raw[7])

    # --- the public API ----------------------------------------------------------------------

    def recognise(self, text: str, language: str) -> list[EntityMatch]:
        """Named things in ``text`` (``language``: ``en``, ``zh``, ``fr``, ``es``, ``ru`` or
        ``ar``): non-overlapping, the longest first, in text order."""
        return recognise(self, text, language)

    def entity(self, iri: URIRef) -> KnownEntity | None:
        """What the gazetteer knows of ``iri``: labels, type, container; None if nothing."""
        index = self._by_iri.get(str(iri))
        return None if index is None else self.known(index)

    describe = entity

    def suggest(self, prefix: str, limit: int = 10) -> list[tuple[URIRef, str, URIRef]]:
        """Entities whose English or Chinese label or acronym starts with ``prefix`` (case
        ignored): (iri, label, rdf_type), in the order a curator means them: the exact name
        first, then countries, then cities by population, then the others (Mexico the country
        before Mexico City, Germany before Germantown)."""
        folded = prefix.strip().casefold()
        if not folded or limit <= 0:
            return []
        keys = self._suggestions
        start = bisect.bisect_left(keys, (folded,))
        found: list[tuple[tuple[int, int, float, int, str], int, str]] = []
        for key, label, index in keys[start : start + 20000]:
            if not key.startswith(folded):
                break
            raw = self._entities[index]
            group = _SUGGESTION_GROUPS.get(raw[1], len(_SUGGESTION_GROUPS))
            found.append(((key != folded, group, -raw[7], len(label), label), index, label))
        found.sort(key=lambda item: item[0])
        chosen: list[tuple[URIRef, str, URIRef]] = []
        seen: set[int] = set()
        for _, index, label in found:
            if index in seen:
                continue
            seen.add(index)
            raw = self._entities[index]
            chosen.append((URIRef(raw[0]), label, URIRef(raw[2])))
            if len(chosen) == limit:
                break
        return chosen

    def _suggestion_index(self, indexes: Iterable[int]) -> list[tuple[str, str, int]]:
        keys: set[tuple[str, str, int]] = set()
        for index in indexes:
            raw = self._entities[index]
            for _, label in raw[3]:
                keys.add((label.casefold(), label, index))
            for acronym in raw[4]:
                keys.add((acronym.casefold(), acronym, index))
        return sorted(keys)


def _plain(entity: KnownEntity) -> tuple:
    container = None if entity.container is None else str(entity.container)
    return (
        str(entity.iri),
        entity.category,
        str(entity.rdf_type),
        entity.labels,
        entity.acronyms,
        container,
        entity.source,
        entity.weight,
        entity.capital,
    )


def _name(row: tuple) -> Name:
    return Name(row[0], row[1], row[2], frozenset(row[3]), row[4])
