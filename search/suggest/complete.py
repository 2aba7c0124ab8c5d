"""Search as you type: completions of the last word typed, from the index's own vocabulary.

The typed prefix is normalised as terms are (analysis.Analyzer.normal_form),
so اردو finds the terms that start with اردو, the exact form of أردو; the
completions are the most frequent such terms (by document frequency), each
shown in the written form most common in the archive (written.py): أردوغان.

Made from the did-you-mean Vocabulary (every exact term with its document
frequency), kept sorted: the terms of a prefix are one range, found by
bisection. The most frequent few of a range are picked with numpy; ranges of
short prefixes are large (ال starts most words), so their answers are kept
once computed.
"""
from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

import numpy as np

from ..analysis import Analyzer
from . import written
from .vocabulary import MIN_CANDIDATE_DF, Vocabulary, is_word

MAX_COMPLETIONS = 8
# Prefixes shorter than this would complete to particles: no answer.
MIN_PREFIX = 2
# Ranges wider than this have their answer kept.
CACHED_RANGE = 5_000


class Completions:
    def __init__(self, vocabulary: Vocabulary, written: dict[str, str]) -> None:
        self._written = written
        # Engines list terms sorted within a segment, one segment after the
        # other: the same term may come once per segment, its frequencies to add.
        df = np.frombuffer(vocabulary._df, dtype=np.int64) if len(vocabulary) else np.zeros(0, dtype=np.int64)
        frequency: dict[str, int] = {}
        for i in range(len(vocabulary)):
            term = vocabulary._term(i)
            if is_word(term):
                frequency[term] = frequency.get(term, 0) + int(df[i])
        # Rare forms (mostly typos) are never proposed.
        self._terms = sorted(t for t, n in frequency.items() if n >= MIN_CANDIDATE_DF)
        self._weight = np.fromiter((frequency[t] for t in self._terms), dtype=np.int64, count=len(self._terms))
        self._top = lru_cache(maxsize=4096)(self._top_of_range)

    def complete(self, prefix: str, limit: int = MAX_COMPLETIONS) -> list[tuple[str, int]]:
        """(written form, document frequency) of the most frequent terms starting with `prefix` (an exact form)."""
        if len(prefix) < MIN_PREFIX:
            return []
        lo = bisect_left(self._terms, prefix)
        hi = bisect_left(self._terms, prefix + "\U0010ffff", lo)
        if hi - lo > CACHED_RANGE:
            return self._top(lo, hi)[:limit]
        return self._top_of_range(lo, hi)[:limit]

    def _top_of_range(self, lo: int, hi: int) -> list[tuple[str, int]]:
        weights = self._weight[lo:hi]
        k = min(MAX_COMPLETIONS, len(weights))
        if k == 0:
            return []
        best = np.argpartition(-weights, k - 1)[:k] if len(weights) > k else np.arange(len(weights))
        out = []
        # Most frequent first; among equals, the term first in order.
        for i in sorted(best.tolist(), key=lambda i: (-int(weights[i]), i)):
            term = self._terms[lo + i]
            out.append((self._written.get(term, term), int(weights[i])))
        return out


def suggest(q: str, completions: Completions, analyzer: Analyzer, limit: int = MAX_COMPLETIONS) -> list[str]:
    """The query `q` with its last word completed, most frequent completion first.

    The words before the last are kept as typed. A query that ends in a space
    has no word being typed: nothing to complete.
    """
    if not q or q[-1].isspace():
        return []
    head, _, last = q.rpartition(" ")
    prefix = analyzer.normal_form(last).strip()
    if " " in prefix:  # a ligature expanded to words: not a prefix of one term
        return []
    lead = f"{head} " if head.strip() else ""
    seen: set[str] = set()
    out = []
    for written, _ in completions.complete(prefix, limit):
        if written not in seen:
            seen.add(written)
            out.append(lead + written)
    return out


class ServedCompletions:
    """The completions of the served generation, made from its vocabulary once that is built."""

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._completions: Completions | None = None

    def get(self, vocabulary: Vocabulary | None, generation) -> Completions | None:
        if vocabulary is None:
            return None
        key = (id(vocabulary), str(generation))
        if self._key != key:
            # Two threads may both build on a swap; either result is the same.
            self._completions, self._key = Completions(vocabulary, written.load(generation)), key
        return self._completions
