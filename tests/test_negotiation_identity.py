"""Content negotiation gives back the caller's own offer, never an equal one another page
offered (its choices are cached): the mandate registry compares ``answer is CSV``, and was
answered with its page after a stored question had offered an equal CSV."""

from __future__ import annotations

from habitat_kg.server.negotiation import PAGE, choose_format
from habitat_kg.server.store.formats import AnswerFormat


def test_an_equal_offer_of_another_page_is_not_given_back() -> None:
    first = (PAGE, AnswerFormat("json", "application/json"), AnswerFormat("csv", "text/csv"))
    second = (PAGE, AnswerFormat("json", "application/json"), AnswerFormat("csv", "text/csv"))
    assert choose_format(first, None, "csv", "a page") is first[2]
    assert choose_format(second, None, "csv", "a page") is second[2]
    assert choose_format(second, "text/csv", None, "a page") is second[2]
