"""The search index's benchmark: three ways of cutting Chinese, measured on the same texts::

    python -m benchmarks.search --paragraphs 100000 --out benchmarks/results

- **pairs** (what habitat-kg uses, ``habitat_kg.graph.search``): every CJK character and every
  pair of neighbouring characters, cut in Python and stored in FTS5; a word of any length is
  the phrase of its pairs.
- **jieba**: jieba's words (``cut_for_search``, which also gives the shorter words inside long
  ones), cut in Python and stored in FTS5; a query is cut the same way.
- **trigram**: SQLite's own trigram tokenizer; a query of one or two characters cannot use it
  and is read as ``LIKE '%...%'`` over every text.

Recall is measured on the bundled graph: for each query, the things one of whose texts holds the
query (a Chinese query anywhere, an English one as a whole word), and the share of them each way
finds. Size and speed are measured on ``--paragraphs`` synthetic paragraphs (the bundled
paragraphs' clauses shuffled into new ones, seeded, each with its labels "Paragraph N" and
"第N段") beside the bundled graph's things: the median of the queries for a search (20 results
with their snippets) and for autocomplete (10 names from a prefix). Writes ``OUT/search.json``
and ``OUT/search.md``, and prints the table.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

from habitat_kg.graph.build import build
from habitat_kg.graph.search import SearchIndex
from habitat_kg.graph.search.building import Field, Indexed, things_of, write_index
from habitat_kg.graph.search.tokens import fold
from habitat_kg.project import bundled_sources

#: Queries with a known answer in the bundled graph: Chinese words of one to four characters,
#: English words, a document symbol.
QUERIES = (
    "城乡",
    "性别",
    "城",
    "股",
    "能力建设",
    "伙伴关系",
    "讲习班",
    "冠状病毒",
    "gender",
    "capacity",
    "workshop",
    "urban",
    "HSP/EB.2020/13",
)
#: A two-character word no text holds: the trigram tokenizer reads every text to say so.
ABSENT = ("鳄鱼",)
#: What people type into a name field.
PREFIXES = ("Capacity Dev", "Germ", "能力发", "城乡", "Urban R", "HSP/EB", "Nai", "联合国")
TARGETS = {"search": 20.0, "autocomplete": 50.0}
_WORD = re.compile(r"\w+")


def bundled_things(folder: Path) -> list[Indexed]:
    result = build(bundled_sources(), folder / "data")
    graph = Graph()
    for layer in result.layers.values():
        graph += layer
    return things_of(graph)


def synthetic(things: list[Indexed], count: int, seed: int = 17) -> list[Indexed]:
    """``count`` paragraphs made of the bundled paragraphs' clauses, with their labels."""
    texts = [f.text for t in things if t.type == "Paragraph" for f in t.fields if f.kind == "text"]
    clauses = [c for text in texts for c in re.split(r"(?<=[，。；])", text) if c.strip()]
    chance = random.Random(seed)
    made = []
    for number in range(1, count + 1):
        text = "".join(chance.choice(clauses) for _ in range(chance.randint(3, 8)))
        made.append(
            Indexed(
                f"https://example.org/synthetic/paragraph/{number}",
                "Paragraph",
                f"Paragraph {number}",
                f"第{number}段",
                (),
                (
                    Field("label", "en", 4.0, f"Paragraph {number}"),
                    Field("label", "zh", 4.0, f"第{number}段"),
                    Field("text", "zh", 1.0, text),
                ),
            )
        )
    return made


# ------------------------------------------------------------------- the other two ways


class Plain:
    """jieba's words or SQLite's trigrams in one FTS5 table of every field, no pairs."""

    def __init__(self, path: Path, scheme: str) -> None:
        self.path, self.scheme = path, scheme
        self.connection: sqlite3.Connection | None = None

    def write(self, things: list[Indexed]) -> None:
        tokenizer = "trigram" if self.scheme == "trigram" else "unicode61"
        db = sqlite3.connect(self.path)
        db.executescript(
            "CREATE TABLE field (id INTEGER PRIMARY KEY, entity TEXT, name INTEGER, text TEXT);"
            # no lengths, as habitat-kg's texts table: ranking reads none per matching text
            f"CREATE VIRTUAL TABLE fts USING fts5 (body, content='', tokenize='{tokenizer}', "
            "columnsize=0);"
        )
        with db:
            for number, (iri, field) in enumerate(
                ((t.iri, f) for t in things for f in t.fields), 1
            ):
                db.execute(
                    "INSERT INTO field VALUES (?, ?, ?, ?)",
                    (number, iri, field.kind != "text", field.text),
                )
                db.execute(
                    "INSERT INTO fts (rowid, body) VALUES (?, ?)", (number, self.cut(field.text))
                )
            db.execute("INSERT INTO fts (fts) VALUES ('optimize')")
        db.execute("VACUUM")
        db.close()

    def cut(self, text: str) -> str:
        if self.scheme == "trigram":
            return text.casefold()
        import jieba

        return " ".join(fold(w) for w in jieba.cut_for_search(text) if _WORD.fullmatch(w))

    def _db(self) -> sqlite3.Connection:
        if self.connection is None:
            self.connection = sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro", uri=True)
        return self.connection

    def search(self, query: str, limit: int = 20, prefix: bool = False) -> list[str]:
        db = self._db()
        name_only = "AND f.name" if prefix else ""
        if self.scheme == "trigram" and len(query) < 3:
            rows = db.execute(
                f"SELECT f.entity FROM field f WHERE f.text LIKE ? {name_only} LIMIT ?",
                (f"%{query}%", limit),
            ).fetchall()
            return [row[0] for row in rows]
        words = self.cut(query).split() if self.scheme == "jieba" else [query.casefold()]
        if not words:
            return []
        star = "*" if prefix and self.scheme == "jieba" else ""  # trigrams match inside words
        expression = " AND ".join(f'"{w.replace(chr(34), "")}"{star}' for w in words)
        rows = db.execute(
            f"SELECT f.entity, f.text FROM fts JOIN field f ON f.id = fts.rowid "
            f"WHERE fts MATCH ? {name_only} ORDER BY fts.rank LIMIT ?",
            (expression, limit),
        ).fetchall()
        return [row[0] for row in rows]


# ------------------------------------------------------------------- measuring


def truth(things: list[Indexed], query: str) -> set[str]:
    """The things one of whose texts holds ``query`` (English: as whole words)."""
    if re.search(r"[\u4e00-\u9fff]", query):
        return {t.iri for t in things if any(query in f.text for f in t.fields)}
    pattern = re.compile(rf"(?<!\w){re.escape(fold(query))}(?!\w)")
    return {t.iri for t in things if any(pattern.search(fold(f.text)) for f in t.fields)}


def median_ms(call: Callable[[str], object], inputs: tuple[str, ...], repeats: int) -> float:
    samples = []
    for text in inputs:
        call(text)  # warm: the first call reads the pages from disk
        for _ in range(repeats):
            start = time.perf_counter()
            call(text)
            samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 2)


def schemes(folder: Path, name: str) -> dict[str, Callable[[list[Indexed]], object]]:
    """Each way: a function that writes its index of the things and returns its searcher."""

    def pairs(things: list[Indexed]) -> SearchIndex:
        write_index(folder / f"{name}-pairs.sqlite", things)
        return SearchIndex(folder / f"{name}-pairs.sqlite")

    def plain(scheme: str) -> Callable[[list[Indexed]], Plain]:
        def made(things: list[Indexed]) -> Plain:
            index = Plain(folder / f"{name}-{scheme}.sqlite", scheme)
            index.write(things)
            return index

        return made

    return {"pairs": pairs, "jieba": plain("jieba"), "trigram": plain("trigram")}


def found(index: object, query: str, limit: int, prefix: bool = False) -> list[str]:
    if isinstance(index, SearchIndex):
        hits = index.suggest(query, limit) if prefix else index.search(query, limit)
        return [hit.thing.iri for hit in hits]
    assert isinstance(index, Plain)
    return index.search(query, limit, prefix)


def measure(paragraphs: int, repeats: int, folder: Path) -> dict:
    things = bundled_things(folder)
    large = things + synthetic(things, paragraphs)
    rows = {}
    for scheme, make in schemes(folder, "bundled").items():
        index = make(things)
        recalls = {}
        for query in QUERIES:
            expected = truth(things, query)
            got = set(found(index, query, 10_000)) & expected
            recalls[query] = round(len(got) / len(expected), 3) if expected else 1.0
        rows[scheme] = {
            "recall": recalls,
            "mean_recall": round(statistics.mean(recalls.values()), 3),
        }
    for scheme, make in schemes(folder, "large").items():
        start = time.perf_counter()
        index = make(large)
        built = time.perf_counter() - start
        path = folder / f"large-{scheme}.sqlite"
        rows[scheme] |= {
            "build_seconds": round(built, 1),
            "size_mib": round(path.stat().st_size / 2**20, 1),
            "search_ms": median_ms(lambda q, i=index: found(i, q, 20), QUERIES, repeats),
            "absent_ms": median_ms(lambda q, i=index: found(i, q, 20), ABSENT, repeats),
            "autocomplete_ms": median_ms(
                lambda q, i=index: found(i, q, 10, prefix=True), PREFIXES, repeats
            ),
        }
    return {
        "paragraphs": paragraphs,
        "things": len(things),
        "queries": QUERIES,
        "prefixes": PREFIXES,
        "targets_ms": TARGETS,
        "schemes": rows,
    }


def table(numbers: dict) -> str:
    lines = [
        f"# Search: three ways of cutting Chinese ({numbers['paragraphs']:,} synthetic "
        "paragraphs beside the bundled graph)",
        "",
        "| way | recall (mean) | missed | index size | build | search median | "
        f"{ABSENT[0]} (absent) | autocomplete median |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for scheme, row in numbers["schemes"].items():
        missed = ", ".join(f"{q} {r:.0%}" for q, r in row["recall"].items() if r < 1) or "none"
        lines.append(
            f"| {scheme} | {row['mean_recall']:.0%} | {missed} | {row['size_mib']} MiB | "
            f"{row['build_seconds']} s | {row['search_ms']} ms | {row['absent_ms']} ms | "
            f"{row['autocomplete_ms']} ms |"
        )
    targets = numbers["targets_ms"]
    chosen = numbers["schemes"]["pairs"]
    lines += [
        "",
        f"Targets for the way habitat-kg uses (pairs): search median under {targets['search']:g} "
        f"ms ({'met' if chosen['search_ms'] < targets['search'] else 'missed'}), autocomplete "
        f"under {targets['autocomplete']:g} ms "
        f"({'met' if chosen['autocomplete_ms'] < targets['autocomplete'] else 'missed'}).",
        f"Queries: {', '.join(numbers['queries'])}; prefixes: {', '.join(numbers['prefixes'])}.",
        "pairs answers as the server does (names and texts, grouped by thing, with snippets);",
        "jieba and trigram give bare IRIs, and trigram ranks nothing for one or two characters",
        "(a LIKE scan, stopped at the first 20; a word no text holds is read through to the end).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=20, help="timed calls per query")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="habitat-kg-search-") as folder:
        numbers = measure(args.paragraphs, args.repeats, Path(folder))
    args.out.mkdir(parents=True, exist_ok=True)
    text = table(numbers)
    (args.out / "search.json").write_text(json.dumps(numbers, indent=2, ensure_ascii=False) + "\n")
    (args.out / "search.md").write_text(text + "\n", encoding="utf-8")
    print(text, file=sys.stdout)
    return numbers


if __name__ == "__main__":
    main()
