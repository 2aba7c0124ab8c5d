"""The did-you-mean vocabulary of the served generation, rebuilt when a reindex swaps it.

Building takes seconds on a large index, so by default it runs in a
background thread and suggestions are null until it is ready; `sync`
(one-shot commands, tests) builds on first use, `off` never builds.
"""
from __future__ import annotations

import logging
import threading

from ..index import capabilities
from ..index.served import ServedIndex
from .build import load
from .vocabulary import Vocabulary

log = logging.getLogger(__name__)
MODES = ("background", "sync", "off")


class ServedVocabulary:
    def __init__(self, mode: str = "background") -> None:
        if mode not in MODES:
            raise ValueError(f"suggestion mode {mode!r}: choose one of {', '.join(MODES)}")
        self.mode = mode
        self._generation: str | None = None
        self._vocabulary: Vocabulary | None = None
        self._building: str | None = None
        self._lock = threading.Lock()

    def get(self, served: ServedIndex) -> Vocabulary | None:
        generation = served.root.current_name()
        if self.mode == "off" or generation is None:
            return None
        if self._generation == generation:
            return self._vocabulary
        with self._lock:
            if self._building == generation:
                return None
            self._building = generation
        if self.mode == "sync":
            self._build(served, generation)
            return self._vocabulary if self._generation == generation else None
        threading.Thread(target=self._build, args=(served, generation), name="vocabulary", daemon=True).start()
        return None

    def _build(self, served: ServedIndex, generation: str) -> None:
        # Saved in the generation by reindex, or built in a child process with
        # a reader of its own: the build's peak memory stays out of this
        # long-lived process. A backend without a vocabulary gives none.
        vocabulary = None
        try:
            handle = served.root.current()
            backend = served.root.manifest(handle).backend
            vocabulary = load(backend, handle) if capabilities(backend).vocabulary else None
        except Exception:  # a damaged or vanished generation: no suggestions, searches still report it
            log.warning("did-you-mean vocabulary for %s not built", generation, exc_info=True)
        with self._lock:
            self._generation, self._vocabulary = generation, vocabulary
            self._building = None
