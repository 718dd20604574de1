"""Full-text search over the graph: an SQLite FTS5 index written with the dataset, beside it.

``building`` writes the index from the dataset's layers (paragraph texts, labels in every
language, acronyms, document symbols, resolution numbers, country codes); ``tokens`` cuts texts
and queries into the words it stores (Chinese as characters and pairs of characters); ``index``
answers ranked searches with highlighted snippets and autocomplete; ``names`` finds the things a
stored question's parameter or a network filter names; ``updating`` brings an index up to date
in place from the rows a build changed (the served graph's reloads: ``server/search_updates``).
"""

from habitat_kg.graph.search.building import INDEX_FILE, Thing, build_index, build_index_from_rows
from habitat_kg.graph.search.index import Hit, IndexMissing, LookupTooSlow, SearchIndex
from habitat_kg.graph.search.names import KINDS, Names, UnknownName, names_in

__all__ = [
    "INDEX_FILE",
    "KINDS",
    "Hit",
    "IndexMissing",
    "LookupTooSlow",
    "Names",
    "SearchIndex",
    "Thing",
    "UnknownName",
    "build_index",
    "build_index_from_rows",
    "names_in",
]
