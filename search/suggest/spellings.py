"""The other spellings of a query word in the served generation: its learned name spellings, or a Latin name's Arabic ones."""
from __future__ import annotations

import threading
from pathlib import Path

from ..query.variants import with_variants
from . import written
from .latin import LatinNames
from .names import Names

MAX_CACHED_READINGS = 10_000


class Spellings:
    """One generation's spellings: names.tsv (learned at reindex) and its written forms, for display."""

    def __init__(self, names: Names, shown: dict[str, str]) -> None:
        self.names = names
        self._latin: LatinNames | None = None
        self._building = threading.Lock()
        self._shown = shown
        self._readings: dict[str, str | None] = {}

    @property
    def latin(self) -> LatinNames:
        # Built on the first Latin word (seconds on a large archive), not with
        # the generation: most queries are Arabic, and a batch run may have none.
        # Built once: threads asking together wait for the first one's.
        if self._latin is None:
            with self._building:
                if self._latin is None:
                    self._latin = LatinNames(self.names.frequency)
        return self._latin

    def of(self, word: str) -> list[str]:
        """The other spellings of `word` (an exact form), best first: a Latin name's Arabic spelling, then that one's."""
        if not word.isascii():
            return list(self.names.variants.get(word, ()))
        if word not in self._readings:
            if len(self._readings) >= MAX_CACHED_READINGS:
                self._readings.clear()
            self._readings[word] = self.latin.read(word)
        arabic = self._readings[word]
        return [arabic, *self.names.variants.get(arabic, ())] if arabic else []

    def shown(self, exact: str) -> str:
        """`exact` as the archive writes it most often (أوباما for اوباما)."""
        return self._shown.get(exact, exact)

    def __bool__(self) -> bool:
        return bool(self.names.frequency)


class ServedSpellings:
    """The spellings of the served generation, loaded once per generation (none for a cluster index)."""

    def __init__(self) -> None:
        self._generation: str | None = None
        self._spellings: Spellings | None = None
        self._lock = threading.Lock()

    def get(self, root, generation: str) -> Spellings | None:
        if self._generation != generation:
            # Loaded once per generation: the threads of a new worker, all
            # searching at once, would otherwise each load it (and each hold a copy).
            with self._lock:
                if self._generation != generation:
                    path = getattr(root, "path", None)
                    folder = Path(path) / generation if isinstance(path, Path) else None
                    loaded = Spellings(Names.load(folder), written.load(folder)) if folder is not None else None
                    # The spellings before the generation: a thread that sees the new name finds its spellings.
                    self._spellings = loaded if loaded else None
                    self._generation = generation
        return self._spellings

    def reading(self, root):
        """A Latin word -> its Arabic spelling in the served generation (latin.py), or None; None without names."""
        spellings = self.get(root, root.current_name() or "")
        if spellings is None:
            return None
        return lambda word: next(iter(spellings.of(word)), None)

    def expand(self, plan, root, generation: str, analyzer):
        """`plan` with the other spellings of its words in the served generation (query/variants.py)."""
        spellings = self.get(root, generation)
        if spellings is None:
            return plan
        return with_variants(plan, spellings.of, analyzer, shown=spellings.shown)
