"""Pseudo-relevance feedback: expand a query with the words its best results share.

A reader asking "متى ولد المتنبي" uses different words from the passage that
answers it ("شاعر", "الكوفة"); the top results of the first search usually
contain them. Terms are weighted as in RM3-style feedback: their frequency in
the top documents (weighted by rank) times their rarity in the index; the
expansion scores on the body only and at a fraction of the query's weight.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace
from typing import Callable

from .analysis import Analyzer
from .query import QueryPlan

FEEDBACK_DOCUMENTS = 3
EXPANSION_TERMS = 10
# Only the opening of each document is read: cheap, and it is where news and
# encyclopaedia text state their subject.
FEEDBACK_CHARS = 2000


def expand(
    plan: QueryPlan,
    bodies: list[str],
    analyzer: Analyzer,
    doc_frequency: Callable[[str], int],
    documents: int,
    weight: float,
) -> QueryPlan:
    """`plan` with up to EXPANSION_TERMS weighted stems drawn from `bodies` (best first)."""
    if not bodies or weight <= 0 or documents <= 0:
        return plan
    query = set(plan.stems)
    mass: Counter = Counter()
    for rank, body in enumerate(bodies[:FEEDBACK_DOCUMENTS]):
        stems, _ = analyzer.index_forms(body[:FEEDBACK_CHARS])
        if not stems:
            continue
        share = 1.0 / (rank + 1) / len(stems)
        for stem, count in Counter(stems).items():
            if stem not in query and len(stem) >= 3 and not stem.isdigit():
                mass[stem] += count * share
    scored = []
    for stem, m in mass.most_common(EXPANSION_TERMS * 4):
        df = doc_frequency(stem)
        if 1 < df < documents * 0.1:  # seen elsewhere, and not a common word
            scored.append((m * math.log(documents / df), stem))
    scored.sort(reverse=True)
    top = scored[:EXPANSION_TERMS]
    if not top:
        return plan
    best = top[0][0]
    return replace(plan, expansion=tuple((stem, weight * s / best) for s, stem in top))
