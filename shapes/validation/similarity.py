"""The near-duplicate check: mandates of different resolutions that ask the same addressee for
nearly the same thing (UN80 asks registries to flag duplication).

A similarity of texts cannot be said in SHACL Core, and the sparql engine takes no SHACL-SPARQL
(nor could SPARQL split a text into words portably), so the validator runs this check itself,
for either engine, and its results join the others in the report. The shape that asks for it
is data like any other (``shapes/mandate-checks.ttl``): a node shape with
``hkgsh:similarityThreshold``, its targets, severity and messages; ``{score}`` in a message is
replaced by the score. Shapes given with ``--shapes`` run it only if they hold such a shape.

The measure is the Jaccard overlap of the two objects' tokens (shared tokens over all tokens):
the words of an English text, lower-cased and without the words that carry no request (the,
of, to ...), and the pairs of neighbouring characters of a Chinese one. Texts are compared only
in the same language; the score of a pair is the best over their languages.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from habitat_kg.rdf import rdflib_term
from habitat_kg.server.store import QueryError, Solutions, Store
from habitat_kg.shapes import SHAPES
from habitat_kg.shapes.validation.results import (
    EngineResults,
    GraphResults,
    Result,
    Results,
    add_result,
)
from habitat_kg.shapes.validation.shapes import ShapesError

THRESHOLD = URIRef(SHAPES + "similarityThreshold")
#: The component the results name: no SHACL Core component says "similar".
COMPONENT = URIRef(SHAPES + "SimilarityConstraintComponent")

#: English words that say nothing of what is asked.
STOP_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "be", "by", "for", "from", "in", "into", "its", "of", "on"}
    | {"or", "that", "the", "their", "this", "to", "which", "with"}
)
_NUMBERS = (XSD.decimal, XSD.double, XSD.float, XSD.integer)
_WORD = re.compile(r"[^\W\d_]+|\d+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")

_MANDATES = """
PREFIX hkg: <https://w3id.org/habitat-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?mandate ?resolution ?addressee ?object WHERE {
  VALUES ?class { %s }
  ?mandate a/rdfs:subClassOf* ?class ; hkg:mandatedBy ?resolution ; hkg:object ?object .
  { ?mandate hkg:addressee ?addressee }
  UNION
  { ?mandate hkg:addresseeName ?name BIND (LCASE(STR(?name)) AS ?addressee) }
}
"""


@dataclass
class _Mandate:
    node: URIRef
    resolutions: set[str] = field(default_factory=set)
    addressees: set[str] = field(default_factory=set)
    tokens: dict[str, frozenset[str]] = field(default_factory=dict)


def tokens(text: str) -> frozenset[str]:
    """The tokens of a text: its English words (no stop words) and its Chinese character pairs."""
    found = {word for word in _WORD.findall(_CJK.sub(" ", text.lower())) if word not in STOP_WORDS}
    for run in _CJK.findall(text):
        found.update(run[i : i + 2] for i in range(max(len(run) - 1, 1)))
    return frozenset(found)


def jaccard(first: frozenset[str], second: frozenset[str]) -> float:
    """Shared tokens over all tokens: 1 for the same words, 0 for none in common."""
    union = first | second
    return len(first & second) / len(union) if union else 0.0


def similar_pairs(
    texts: Sequence[frozenset[str]], threshold: float
) -> dict[tuple[int, int], float]:
    """The pairs (i, j), i < j, of ``texts`` whose Jaccard overlap is at least ``threshold``.

    Prefix filtering (Chaudhuri et al. 2006; Xiao et al., PPJoin, 2008) spares comparing every
    pair, which a registry of thousands of mandates to one addressee would not afford: with the
    tokens of every text ordered rarest first, two texts that overlap by ``threshold`` share a
    token among the first ``len - ceil(threshold * len) + 1`` of each; only such pairs are
    scored."""
    frequency = Counter(token for text in texts for token in text)
    index: dict[str, list[int]] = defaultdict(list)
    found: dict[tuple[int, int], float] = {}
    for j, text in enumerate(texts):
        ordered = sorted(text, key=lambda token: (frequency[token], token))
        # the small margin keeps 0.56 * 25 (14.000000000000002 in binary) from counting as 15
        prefix = len(ordered) - math.ceil(threshold * len(ordered) - 1e-9) + 1
        candidates: set[int] = set()
        for token in ordered[:prefix]:
            candidates.update(index[token])
            index[token].append(j)
        for i in candidates:
            score = jaccard(texts[i], text)
            if score >= threshold:
                found[(i, j)] = score
    return found


def similarity_results(store: Store, shapes: Graph) -> list[Result]:
    """The results of every near-duplicate shape of ``shapes`` on the store's data."""
    results: list[Result] = []
    for shape in sorted(shapes.subjects(THRESHOLD, None), key=str):
        deactivated = shapes.value(shape, SH.deactivated)
        if isinstance(deactivated, Literal) and deactivated.value is True:
            continue
        results.extend(_shape_results(store, shapes, shape))
    return results


def _shape_results(store: Store, shapes: Graph, shape: URIRef) -> Iterator[Result]:
    threshold = _threshold(shapes, shape)
    classes = sorted(c for c in shapes.objects(shape, SH.targetClass) if isinstance(c, URIRef))
    if not classes:
        return
    severity = shapes.value(shape, SH.severity) or SH.Violation
    messages = [m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)]
    for focus, other, score in near_duplicates(store, classes, threshold):
        texts = [
            Literal(str(m).replace("{score}", f"{score:.2f}"), lang=m.language) for m in messages
        ] or [Literal(f"Near-duplicate of {other.n3()} (similarity {score:.2f})")]
        yield Result(BNode(), focus, other, None, shape, COMPONENT, severity, texts)  # type: ignore[arg-type]


def _threshold(shapes: Graph, shape: URIRef) -> float:
    value = shapes.value(shape, THRESHOLD)
    numeric = isinstance(value, Literal) and value.datatype in _NUMBERS
    number = float(value.toPython()) if numeric else None  # type: ignore[union-attr]
    if number is None or not 0 < number <= 1:
        written = value.n3() if value is not None else "nothing"
        raise ShapesError(
            f"shape <{shape}>: hkgsh:similarityThreshold must be a number above 0 and at most 1, "
            f"not {written}"
        )
    return number


def near_duplicates(
    store: Store, classes: list[URIRef], threshold: float
) -> list[tuple[URIRef, URIRef, float]]:
    """(mandate, the other, score) for each ordered pair of mandates of different resolutions
    with an addressee in common and objects at least ``threshold`` alike, by mandate."""
    mandates = _mandates(store, classes)
    by_addressee: dict[str, list[_Mandate]] = defaultdict(list)
    for mandate in mandates.values():
        for addressee in mandate.addressees:
            by_addressee[addressee].append(mandate)
    scores: dict[tuple[URIRef, URIRef], float] = {}
    for group in by_addressee.values():
        members = sorted(group, key=lambda m: str(m.node))
        for language in sorted({language for m in members for language in m.tokens}):
            having = [m for m in members if language in m.tokens]
            texts = [m.tokens[language] for m in having]
            for (i, j), score in similar_pairs(texts, threshold).items():
                first, second = sorted((having[i], having[j]), key=lambda m: str(m.node))
                if first.resolutions & second.resolutions:
                    continue  # two paragraphs of one text: not what UN80 calls duplication
                key = (first.node, second.node)
                scores[key] = max(scores.get(key, 0.0), score)
    both_ways = [(a, b, s) for (a, b), s in scores.items()]
    both_ways += [(b, a, s) for (a, b), s in scores.items()]
    return sorted(both_ways, key=lambda row: (str(row[0]), str(row[1])))


def _mandates(store: Store, classes: list[URIRef]) -> dict[URIRef, _Mandate]:
    query = _MANDATES % " ".join(c.n3() for c in classes)
    try:
        answer = store.query(query)
    except QueryError as error:
        raise ShapesError(f"the store could not answer the near-duplicate check: {error}") from None
    assert isinstance(answer, Solutions), "the query is a SELECT"
    mandates: dict[URIRef, _Mandate] = {}
    texts: dict[URIRef, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in answer:
        node = rdflib_term(row["mandate"])  # type: ignore[arg-type]
        if not isinstance(node, URIRef):
            continue
        mandate = mandates.setdefault(node, _Mandate(node))
        mandate.resolutions.add(str(rdflib_term(row["resolution"])))  # type: ignore[arg-type]
        mandate.addressees.add(str(rdflib_term(row["addressee"])))  # type: ignore[arg-type]
        text = rdflib_term(row["object"])  # type: ignore[arg-type]
        language = (text.language or "").lower() if isinstance(text, Literal) else ""
        texts[node][language].add(str(text))
    for node, by_language in texts.items():
        mandates[node].tokens = {
            language: frozenset().union(*(tokens(text) for text in written))
            for language, written in by_language.items()
        }
    return mandates


def joined(results: Results, extra: list[Result]) -> Results:
    """``results`` with the ``extra`` results added, in the form the engine gave them."""
    if not extra:
        return results
    if isinstance(results, EngineResults):
        return EngineResults([*results.results, *extra], results.shapes, results.handed)
    graph = results.graph()
    report = graph.value(None, RDF.type, SH.ValidationReport, any=True)
    if report is None:
        report = BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
    graph.set((report, SH.conforms, Literal(False)))
    for result in extra:
        graph.add((report, SH.result, result.node))
        add_result(graph, result)
    return GraphResults(graph)
