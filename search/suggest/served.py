"""The did-you-mean vocabulary of the served generation, rebuilt when a reindex swaps it.

Building takes seconds on a large index, so by default it runs in a
background thread and suggestions are null until it is ready; `sync`
(one-shot commands, tests) builds on first use, `off` never builds.
"""
from __future__ import annotations

import logging
import threading
import time

from ..index import capabilities
from ..index.served import ServedIndex
from .build import build_apart, load
from .vocabulary import Vocabulary

log = logging.getLogger(__name__)
MODES = ("background", "sync", "off")
# Live writes change the served generation in place: a background vocabulary
# is rebuilt at most this often while they arrive (a build costs seconds).
REFRESH_AFTER_WRITES = 60.0


class ServedVocabulary:
    def __init__(self, mode: str = "background") -> None:
        if mode not in MODES:
            raise ValueError(f"suggestion mode {mode!r}: choose one of {', '.join(MODES)}")
        self.mode = mode
        self._generation: str | None = None
        self._vocabulary: Vocabulary | None = None
        self._building: str | None = None
        self._version: tuple | None = None  # the store's version the vocabulary was built from
        self._built_at = 0.0
        self._lock = threading.Lock()

    def get(self, served: ServedIndex) -> Vocabulary | None:
        generation = served.root.current_name()
        if self.mode == "off" or generation is None:
            return None
        if self._generation == generation:
            if self.mode == "background" and self._building is None and self._stale(served):
                with self._lock:
                    if self._building is None:
                        self._building = generation
                        threading.Thread(target=self._build, args=(served, generation, True), name="vocabulary", daemon=True).start()
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

    def _stale(self, served: ServedIndex) -> bool:
        return time.monotonic() - self._built_at >= REFRESH_AFTER_WRITES and served.root.version() != self._version

    def _build(self, served: ServedIndex, generation: str, rebuild: bool = False) -> None:
        # Saved in the generation by reindex, or built in a child process with
        # a reader of its own: the build's peak memory stays out of this
        # long-lived process. A backend without a vocabulary gives none.
        vocabulary = self._vocabulary if rebuild else None
        version = served.root.version()
        try:
            handle = served.root.current()
            backend = served.root.manifest(handle).backend
            if capabilities(backend).vocabulary:
                vocabulary = (build_apart if rebuild else load)(backend, handle)
        except Exception:  # a damaged or vanished generation: no suggestions, searches still report it
            log.warning("did-you-mean vocabulary for %s not built", generation, exc_info=True)
        with self._lock:
            self._generation, self._vocabulary = generation, vocabulary
            self._version, self._built_at = version, time.monotonic()
            self._building = None
