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

from ..analysis import Analyzer
from . import phrases, written
from .vocabulary import MIN_CANDIDATE_DF, Vocabulary, is_word

MAX_COMPLETIONS = 8
# Prefixes shorter than this would complete to particles: no answer.
MIN_PREFIX = 2
# Ranges wider than this have their answer kept.
CACHED_RANGE = 5_000
# The share of the completions kept for phrases starting with the word typed, when there are some.
PHRASE_SHARE = 0.375


class Ranked:
    """Keys kept sorted with a weight and a shown form each: the most weighty keys of a prefix, fast."""

    def __init__(self, keys: list[str], weights: list[int], shown: list[str]) -> None:
        # numpy is imported by the first completions, not with the search: a search command never needs it.
        import numpy as np

        order = sorted(range(len(keys)), key=keys.__getitem__)
        self._keys = [keys[i] for i in order]
        self._shown = [shown[i] for i in order]
        self._weight = np.fromiter((weights[i] for i in order), dtype=np.int64, count=len(order))
        self._top = lru_cache(maxsize=4096)(self._top_of_range)
        self._warm()

    def __len__(self) -> int:
        return len(self._keys)

    def _warm(self) -> None:
        # The widest ranges (prefixes of two and three letters: ال, الم) cost
        # milliseconds each the first time: answered once, here, not while typing.
        for length in (MIN_PREFIX, MIN_PREFIX + 1):
            lo = 0
            while lo < len(self._keys):
                prefix = self._keys[lo][:length]
                hi = bisect_left(self._keys, prefix + "\U0010ffff", lo)
                if len(prefix) == length and hi - lo > CACHED_RANGE:
                    self._top(lo, hi)
                lo = hi

    def top(self, prefix: str, limit: int = MAX_COMPLETIONS) -> list[tuple[str, int]]:
        """(shown form, weight) of the most weighty keys starting with `prefix`, most first."""
        lo = bisect_left(self._keys, prefix)
        hi = bisect_left(self._keys, prefix + "\U0010ffff", lo)
        if hi - lo > CACHED_RANGE:
            return self._top(lo, hi)[:limit]
        return self._top_of_range(lo, hi)[:limit]

    def _top_of_range(self, lo: int, hi: int) -> list[tuple[str, int]]:
        import numpy as np

        weights = self._weight[lo:hi]
        k = min(MAX_COMPLETIONS, len(weights))
        if k == 0:
            return []
        best = np.argpartition(-weights, k - 1)[:k] if len(weights) > k else np.arange(len(weights))
        # Most weighty first; among equals, the key first in order.
        return [(self._shown[lo + i], int(weights[i])) for i in sorted(best.tolist(), key=lambda i: (-int(weights[i]), i))]


class Completions:
    def __init__(self, vocabulary: Vocabulary, written: dict[str, str], phrases: list[tuple[str, int, str]] = ()) -> None:
        # Engines list terms sorted within a segment, one segment after the
        # other: the same term may come once per segment, its frequencies to add.
        import numpy as np

        df = np.frombuffer(vocabulary._df, dtype=np.int64) if len(vocabulary) else np.zeros(0, dtype=np.int64)
        frequency: dict[str, int] = {}
        for i in range(len(vocabulary)):
            term = vocabulary._term(i)
            if is_word(term):
                frequency[term] = frequency.get(term, 0) + int(df[i])
        # Rare forms (mostly typos) are never proposed.
        terms = [t for t, n in frequency.items() if n >= MIN_CANDIDATE_DF]
        self.words = Ranked(terms, [frequency[t] for t in terms], [written.get(t, t) for t in terms])
        self.phrases = Ranked([p[0] for p in phrases], [p[1] for p in phrases], [p[2] for p in phrases])

    def complete(self, prefix: str, limit: int = MAX_COMPLETIONS) -> list[tuple[str, int]]:
        """(written form, document frequency) of the most frequent terms starting with `prefix` (an exact form)."""
        return self.words.top(prefix, limit) if len(prefix) >= MIN_PREFIX else []

    def complete_phrase(self, prefix: str, limit: int = MAX_COMPLETIONS) -> list[tuple[str, int]]:
        """(written form, documents) of the most frequent two-word phrases starting with `prefix` (exact forms)."""
        return self.phrases.top(prefix, limit) if len(prefix) >= MIN_PREFIX else []


def suggest(q: str, completions: Completions, analyzer: Analyzer, limit: int = MAX_COMPLETIONS) -> list[str]:
    """Completions of what is being typed in `q`, at most `limit`, each the whole query as it would be sent.

    First the phrases that continue the word before the last with the last
    one (ولي ال -> ولي العهد), then the last word completed (most frequent
    first), then the phrases that start with it, with at least PHRASE_SHARE
    of the room when there are such phrases. Earlier words are kept as typed.
    A query that ends in a space has no word being typed: nothing to complete.
    """
    if not q or q[-1].isspace():
        return []
    head, _, last = q.rpartition(" ")
    prefix = analyzer.normal_form(last).strip()
    if " " in prefix or not prefix:  # a ligature expanded to words: not a prefix of one term
        return []
    before, _, previous = head.rstrip().rpartition(" ")
    continued = []
    if previous:
        first = analyzer.normal_form(previous).strip()
        if first and " " not in first:
            continued = completions.complete_phrase(f"{first} {prefix}", limit)
    room = limit - len(continued)
    started = completions.complete_phrase(prefix, room) if room else []
    words = completions.complete(prefix, room)
    keep = min(len(started), max(room - len(words), round(room * PHRASE_SHARE)))
    lead, outer = (f"{head} " if head.strip() else ""), (f"{before} " if before.strip() else "")
    shown = [outer + w for w, _ in continued] + [lead + w for w, _ in words[: room - keep]] + [lead + w for w, _ in started[:keep]]
    return list(dict.fromkeys(shown))


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
            self._completions = Completions(vocabulary, written.load(generation), phrases.load(generation))
            self._key = key
        return self._completions
