"""Related coverage: other stories on the subject of an article, by more-like-this over our analysed terms.

An article's subject is in its title and opening: their stems, weighted by
frequency in the article times rarity in the index (tf-idf, as Lucene's
MoreLikeThis weighs them), make an OR query over the body, and over titles for
the best of them. Results are grouped by story, and the article's own story
(its copies) is left out.
"""
from __future__ import annotations

import math
from collections import Counter, OrderedDict
from threading import Lock
from typing import Callable

from .analysis import Analyzer
from .index.description import IndexQuery, Term

RELATED = 10
QUERY_TERMS = 20
# The most frequent stems whose rarity is looked up to choose the QUERY_TERMS.
CANDIDATES = 60
# The best of them also looked for in titles (the other 10 added cost, and moved 6% of the listed stories).
TITLE_TERMS = 10
# The opening of the body: where news states its subject (and cheap to analyse).
BODY_CHARS = 1500
TITLE_WEIGHT = 2.0
# Terms in more than this share of the index say nothing about a subject
# (in an index of fewer than SMALL_INDEX documents, only terms in all of them).
MAX_DOCUMENT_SHARE = 0.1
SMALL_INDEX = 100
# Related lists kept, by index version and article: an article page and its API calls ask again.
KEPT_LISTS = 2048


def related_query(
    doc: dict, analyzer: Analyzer, doc_frequency: Callable[[str], int], documents: int, limit: int = RELATED + 1
) -> IndexQuery:
    """The more-like-this query of `doc` (its stored fields); empty when no term is telling."""
    top = telling_stems(subject_counts(doc, analyzer), doc_frequency, documents)
    if not top:
        return IndexQuery(limit=limit)
    best = top[0][0]
    should = tuple(Term("body", stem, weight / best) for weight, stem in top) + tuple(
        Term("title", stem, weight / best) for weight, stem in top[:TITLE_TERMS])
    return IndexQuery(should=should, matching=should, limit=limit)


def subject_counts(doc: dict, analyzer: Analyzer) -> Counter:
    """Stem -> its frequency in the title (weighted) and the body's opening, words of 3 letters or more."""
    counts: Counter = Counter()
    for text, weight in ((doc.get("title") or "", TITLE_WEIGHT), ((doc.get("body") or "")[:BODY_CHARS], 1.0)):
        found = Counter(analyzer.index_forms(text)[0])
        for stem, n in found.items():
            if len(stem) >= 3 and not stem.isdigit():
                counts[stem] += n * weight
    return counts


def telling_stems(counts: Counter, doc_frequency: Callable[[str], int], documents: int) -> list[tuple[float, str]]:
    """The QUERY_TERMS best (tf-idf, stem) of the CANDIDATES most frequent stems, best first."""
    common = documents * MAX_DOCUMENT_SHARE if documents >= SMALL_INDEX else documents
    scored = []
    for stem, tf in counts.most_common(CANDIDATES):
        df = doc_frequency(stem)
        if 1 < df < common:  # in another document, and not a common word
            scored.append((tf * math.log(documents / df), stem))
    scored.sort(reverse=True)
    return scored[:QUERY_TERMS]


class RecentLists:
    """The latest related lists by (index version, id, limit): a live write changes the version, so none outlives it."""

    def __init__(self, size: int = KEPT_LISTS) -> None:
        self._lists: OrderedDict = OrderedDict()
        self._size, self._lock = size, Lock()

    def get(self, key: tuple) -> list | None:
        with self._lock:
            found = self._lists.get(key)
            if found is not None:
                self._lists.move_to_end(key)
            return None if found is None else list(found)

    def put(self, key: tuple, value: list) -> None:
        with self._lock:
            self._lists[key] = tuple(value)
            while len(self._lists) > self._size:
                self._lists.popitem(last=False)
