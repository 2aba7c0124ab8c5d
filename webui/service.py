"""The web tier's Searcher: one per worker process, opened lazily, each call within a time budget.

gunicorn forks its workers after importing the app, and neither index readers
nor threads survive a fork, so the Searcher is created on first use inside
the worker (and again if the process id changes). Each call runs in a small
thread pool and is abandoned after the time budget: a signal-based timeout
cannot work in gthread workers (signals reach only the main thread), and a
future's timeout can.
"""
from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Callable, Iterator, TypeVar

from search.request import Limits, SearchRequest
from search.results import Hit, SearchResult
from search.searcher import Searcher

T = TypeVar("T")
# Written words whose analysis a web worker keeps (snippets look up about 15
# per hit): about 40 MB at most, where the indexer's bound would allow ten times that.
WEB_CACHED_WORDS = 200_000


class SearchTimeout(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"search took longer than {seconds:g} s")
        self.seconds = seconds


class SearchService:
    def __init__(
        self, index_dir: str | os.PathLike, timeout: float, threads: int, limits: Limits,
        suggest: str = "background", backend: str | None = None,
    ) -> None:
        self.index_dir = index_dir
        self.backend = backend
        self.timeout = timeout
        self.threads = threads
        self.limits = limits
        self.suggest_mode = suggest
        self._pid: int | None = None
        self._lock = threading.Lock()

    def _ensure(self) -> None:
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid != os.getpid():
                self.searcher = Searcher(
                    self.index_dir, self.backend, limits=self.limits, suggest=self.suggest_mode, cached_words=WEB_CACHED_WORDS
                )
                self.pool = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="search")
                self._pid = os.getpid()

    def _run(self, fn: Callable[..., T], *args) -> T:
        self._ensure()
        future = self.pool.submit(fn, *args)
        try:
            return future.result(timeout=self.timeout)
        except FutureTimeout:
            # A running search cannot be stopped; it finishes in its pool thread
            # and its result is dropped. One still queued is never started.
            future.cancel()
            raise SearchTimeout(self.timeout) from None

    def search(self, request: SearchRequest) -> SearchResult:
        self._ensure()
        return self._run(self.searcher.search, request)

    def export(self, request: SearchRequest) -> Iterator[Hit]:
        """The hits of a whole result set, read as they are streamed: past the time budget, which bounds one page."""
        self._ensure()
        return self._run(self.searcher.export, request)

    def complete(self, q: str) -> list[str]:
        self._ensure()
        return self._run(self.searcher.complete, q)

    def related(self, doc_id: str):
        self._ensure()
        return self._run(self.searcher.related, doc_id)

    def document(self, doc_id: str) -> dict | None:
        self._ensure()
        return self._run(self.searcher.document, doc_id)

    def highlighted(self, doc: dict, q: str) -> tuple[str, list[str]]:
        self._ensure()
        return self._run(self.searcher.highlighted, doc, q)

    def marked_titles(self, result: SearchResult) -> dict[str, str]:
        self._ensure()
        return self._run(self.searcher.marked_titles, result)

    def health(self) -> dict:
        self._ensure()
        return self._run(self.searcher.health)

    def overview(self):
        self._ensure()
        return self._run(self.searcher.overview)
