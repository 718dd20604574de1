"""The search index built with the dataset: Chinese words of one and two characters, English
words, document symbols, prefixes for autocomplete, snippets, and queries that try FTS5's own
syntax, quotes, NUL and SQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from habitat_kg.graph.build import BuildResult
from habitat_kg.graph.search import INDEX_FILE, SearchIndex
from habitat_kg.graph.search.building import Field, Indexed, write_index
from habitat_kg.graph.search.index import snippet
from habitat_kg.graph.search.tokens import columns, match_expression, terms
from habitat_kg.namespaces import BASE

ID = BASE + "id/"
UNIT = ID + "org/capacity-development-and-training-unit"


@pytest.fixture(scope="module")
def index(built: BuildResult) -> SearchIndex:
    assert (built.out_dir / INDEX_FILE).is_file()  # written with the dataset, beside it
    return SearchIndex.in_folder(built.out_dir)


def iris(hits) -> list[str]:
    return [hit.thing.iri for hit in hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("城乡", ID + "topic/urban-rural-linkages"),  # two characters, inside longer words
        ("性别", ID + "topic/gender-equality"),
        ("城", ID + "topic/urban-rural-linkages"),  # one character
        ("能力发展和培训股", UNIT),  # a whole Chinese name
        ("gender", ID + "topic/gender-equality"),
        ("Urban-Rural LINKAGES", ID + "topic/urban-rural-linkages"),  # case and hyphens
        ("HSP/EB.2020/13/Add.1", ID + "document/HSP/EB.2020/13/Add.1"),  # a symbol
        ("FAO", ID + "org/fao"),  # an acronym
        ("DEU", ID + "country/DEU"),  # an ISO code
    ],
)
def test_words_and_names_are_found(index: SearchIndex, query: str, expected: str) -> None:
    assert expected in iris(index.search(query, 10))


def test_paragraph_texts_are_found_by_a_two_character_word(index: SearchIndex) -> None:
    hits = index.search("性别", 50)
    paragraphs = [hit for hit in hits if hit.thing.type == "Paragraph"]
    assert paragraphs, "a paragraph that says 性别 is found"
    assert all("<mark>性别</mark>" in hit.snippet for hit in paragraphs)


def test_names_rank_before_texts_that_mention_them(index: SearchIndex) -> None:
    hits = index.search("Germany", 5)
    assert hits[0].thing.iri == ID + "country/DEU"
    assert hits[0].as_json()["score"] > 0


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Capacity Dev", UNIT),
        ("capacity develop", UNIT),
        ("能力发", UNIT),
        ("Germ", ID + "country/DEU"),
    ],
)
def test_prefixes_suggest_names(index: SearchIndex, typed: str, expected: str) -> None:
    assert iris(index.suggest(typed, 5))[0] == expected


def test_suggestions_keep_one_kind(index: SearchIndex) -> None:
    countries = index.suggest("德", 10, frozenset({BASE + "ontology#Country"}))
    assert countries and all(hit.thing.type in {"Country", "MemberState"} for hit in countries)
    assert ID + "country/DEU" in iris(countries)


def test_cjk_text_is_cut_into_characters_and_pairs() -> None:
    assert columns("城乡伙伴 and Urban") == ("城 乡 伙 伴 and urban", "城乡 乡伙 伙伴")
    assert match_expression(terms("城乡伙伴 Dév"), prefix=True) == (
        'grams : "城乡 乡伙 伙伴" AND words : "dev"*'
    )


#: Each a class of hostile input: FTS5 operators and syntax, quotes, column filters, SQL,
#: control characters, a lone surrogate's neighbours, and text of no word at all.
HOSTILE = [
    'NEAR(urban rural, 2) AND "x',
    "urban OR rural NOT gender",
    '"""',
    "words : urban",
    "{words grams}: urban",
    "urban*^",
    "'; DROP TABLE entity; --",
    "' OR 1=1 --",
    "\\x00 \x01\x02 urban",
    "(((((((((((",
    "-urban +rural",
    "* * *",
    "城乡 AND",
    "‮urban",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(index: SearchIndex, query: str) -> None:
    index.search(query, 10)
    index.suggest(query, 10)


def test_a_very_long_query_is_cut_not_refused_by_the_index(index: SearchIndex) -> None:
    assert index.search("城乡 " * 1000, 5)


def test_snippets_escape_the_text_and_mark_the_hits(tmp_path: Path) -> None:
    # written for testing: a text that tries to inject markup
    text = 'Written for testing <script>alert("城乡")</script> & 城乡 <b>bold</b>'
    thing = Indexed(
        ID + "test/thing", "Paragraph", "A test thing", "", (), (Field("text", "zh", 1.0, text),)
    )
    write_index(tmp_path / INDEX_FILE, [thing])
    hits = SearchIndex.in_folder(tmp_path).search("城乡", 5)
    assert len(hits) == 1
    shown = hits[0].snippet
    assert "<script>" not in shown and "<b>" not in shown
    assert "&lt;script&gt;" in shown and "&amp;" in shown
    assert shown.count("<mark>城乡</mark>") == 2


def test_a_long_text_is_cut_around_its_first_hit() -> None:
    text = "甲" * 500 + "城乡" + "乙" * 500
    shown = snippet(text, terms("城乡"))
    assert shown.startswith("…") and shown.endswith("…") and "<mark>城乡</mark>" in shown
    assert len(shown) < 200


def test_a_missing_or_foreign_index_is_said(tmp_path: Path) -> None:
    from habitat_kg.graph.search import IndexMissing

    with pytest.raises(IndexMissing, match="no search index"):
        SearchIndex.in_folder(tmp_path)
    (tmp_path / INDEX_FILE).write_bytes(b"not a database, written for testing")
    with pytest.raises(IndexMissing, match="is not a search index"):
        SearchIndex.in_folder(tmp_path)


def test_one_deadline_bounds_every_lookup_of_a_request(index: SearchIndex) -> None:
    from habitat_kg.graph.search import LookupTooSlow

    with index.within(0.0), pytest.raises(LookupTooSlow):
        index.search("城乡 性别 partnership urban", 20)
    assert index.search("城乡", 5)  # the next request has its own
