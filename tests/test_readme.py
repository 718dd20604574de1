"""The README tells the truth: its example queries give the answers it shows, and its table of
settings is the list of settings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from habitat_kg.server.store import Solutions, Store
from habitat_kg.settings import SETTINGS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
_EXAMPLE = re.compile(r"```sparql\n(?P<query>.*?)```\n\n(?P<table>(?:\|[^\n]*\|\n)+)", re.DOTALL)


def _table(text: str) -> list[list[str]]:
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")] for line in text.splitlines()
    ]
    return [rows[0], *rows[2:]]  # header, then the rows after the --- line


EXAMPLES = [(match["query"], _table(match["table"])) for match in _EXAMPLE.finditer(README)]


def test_the_readme_shows_a_first_query_and_five_more() -> None:
    assert len(EXAMPLES) >= 6


@pytest.mark.parametrize(
    ("query", "table"), EXAMPLES, ids=[f"example-{i}" for i in range(len(EXAMPLES))]
)
def test_readme_example_gives_the_answer_shown(
    store: Store, query: str, table: list[list[str]]
) -> None:
    answer = store.query(query)
    assert isinstance(answer, Solutions)
    got = [list(answer.variables)] + [
        [term.value if term is not None else "" for term in row] for row in answer.rows
    ]
    assert got == table


def test_settings_table_lists_every_setting_with_its_default_and_help() -> None:
    section = README.split("## Settings", 1)[1].split("\n## ", 1)[0]
    rows = {
        row[0].strip("`"): row
        for row in _table("\n".join(line for line in section.splitlines() if line.startswith("|")))[
            1:
        ]
    }
    assert set(rows) == set(SETTINGS)
    for name, setting in SETTINGS.items():
        _, env, default, meaning = rows[name]
        assert env == f"`{setting.env}`"
        assert meaning.replace("`", "'") == setting.help, name
        assert default == f"`{setting.default}`", name
