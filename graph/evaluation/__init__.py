"""Measuring the extractor: precision and recall of its proposals per kind, per report.

``evaluate`` runs the extractor over the bundled report (against its curated file, with a
gazetteer built without that file) and over the test corpus (against its gold files, tuned and
held-out reports apart); ``habitat-kg evaluate`` prints the result (command.py).
"""

from habitat_kg.graph.evaluation.items import Item, gold_items, normalise, proposed_items
from habitat_kg.graph.evaluation.run import Evaluation, FileResult, Target, evaluate
from habitat_kg.graph.evaluation.scoring import LINK_KINDS, Count, Score, score

__all__ = [
    "LINK_KINDS",
    "Count",
    "Evaluation",
    "FileResult",
    "Item",
    "Score",
    "Target",
    "evaluate",
    "gold_items",
    "normalise",
    "proposed_items",
    "score",
]
