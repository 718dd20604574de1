"""rdflib's process-wide literal switch, as validation uses it from several server threads."""

from __future__ import annotations

import logging

import rdflib

from habitat_kg.shapes.validation.data import literals_as_written


def test_overlapping_validations_leave_rdflib_as_it_was() -> None:
    before = rdflib.NORMALIZE_LITERALS
    level = logging.getLogger("rdflib.term").level
    first, second = literals_as_written(), literals_as_written()
    first.__enter__()
    second.__enter__()  # a second validation starts while the first reads its data
    assert rdflib.NORMALIZE_LITERALS is False
    first.__exit__(None, None, None)  # the first ends: the second still reads as written
    assert rdflib.NORMALIZE_LITERALS is False
    second.__exit__(None, None, None)
    assert rdflib.NORMALIZE_LITERALS is before
    assert logging.getLogger("rdflib.term").level == level
