"""The completions' counts of one indexing run, kept where documents are analysed.

Reindex analyses on several worker processes. Each tallies the written forms
(written.py) and two-word phrases (phrases.py) of the documents it analysed
and hands its tally over once, at the end: sent with every batch, the counts
cost the writing process more than the documents themselves.
"""
from __future__ import annotations

from collections import Counter

from ..analysis import Analyzer
from . import phrases, written

# Distinct written pieces held before they are turned into (exact, written) counts.
FOLD_AT = 1_000_000
# Pieces whose phrase sides are remembered (phrases._sides): the common words of the archive.
SIDES_AT = 1_000_000


class Tally:
    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self._pieces: Counter = Counter()
        self._sides: dict = {}
        self.written: Counter = Counter()  # (exact term, written form) -> occurrences
        self.phrases: Counter = Counter()  # pair -> documents (phrases.count_phrases)

    def add(self, documents: list[tuple[str, str]]) -> None:
        """Count the written forms and phrases of (title, body) pairs."""
        for title, body in documents:
            self._pieces.update(title.split())
            self._pieces.update(body.split())
        if len(self._pieces) > FOLD_AT:
            self._fold()
        if len(self._sides) > SIDES_AT:
            self._sides.clear()
        phrases.count_phrases(documents, self.analyzer, self._sides, into=self.phrases)
        phrases.prune(self.phrases)

    def merge(self, other: tuple[Counter, Counter]) -> None:
        """Add another tally's result (`result()`)."""
        self._fold()
        written_counts, phrase_counts = other
        self.written.update(written_counts)
        phrases.merge(self.phrases, phrase_counts)

    def result(self) -> tuple[Counter, Counter]:
        """(written forms, phrases), as written.most_common and phrases.most_common take them."""
        self._fold()
        return self.written, self.phrases

    def _fold(self) -> None:
        if self._pieces:
            self.written.update(written.count_pieces(self._pieces, self.analyzer))
            self._pieces.clear()
