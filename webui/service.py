"""The web tier's view of the index: one per worker process, opened lazily, read-only.

gunicorn forks its workers after importing the app, and neither index readers
nor threads survive a fork, so everything here is created on first use inside
the worker (and again if the process id changes). Each call runs in a small
thread pool and is abandoned after the time budget: a signal-based timeout
cannot work in gthread workers (signals reach only the main thread), and a
future's timeout can.
"""
from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Callable, TypeVar

from search.backends import has_vocabulary
from search.engine import SearchEngine
from search.highlight import highlight
from search.query import MAX_QUERY_TERMS
from search.results import SearchResult
from search.store import IndexUnavailable
from search.suggest import Vocabulary, build_apart, suggest_query

from .params import InvalidParameter, SearchParams

log = logging.getLogger(__name__)
T = TypeVar("T")
FACETS = ("source", "category")
# Written words whose analysis a web worker keeps (snippets look up about 15
# per hit): about 40 MB at most, where the indexer's bound would allow ten times that.
WEB_CACHED_WORDS = 200_000


def _refuse_truncated(plan) -> None:
    # The library searches the first MAX_QUERY_TERMS words; the API says so instead.
    if plan.truncated:
        raise InvalidParameter("q", f"query has more than {MAX_QUERY_TERMS} distinct words", f"الاستعلام أطول من {MAX_QUERY_TERMS} كلمة؛ اختصره وأعد المحاولة.")


class SearchTimeout(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"search took longer than {seconds:g} s")
        self.seconds = seconds


class Suggestions:
    """The did-you-mean vocabulary of the served generation, rebuilt when a reindex swaps it.

    Building takes seconds on a large index, so by default it runs in a
    background thread and suggestions are null until it is ready; `sync`
    (tests) builds on first use, `off` never builds.
    """

    def __init__(self, mode: str = "background") -> None:
        self.mode = mode
        self._generation: str | None = None
        self._vocabulary: Vocabulary | None = None
        self._building: str | None = None
        self._lock = threading.Lock()

    def get(self, engine: SearchEngine) -> Vocabulary | None:
        generation = engine.root.current_name()
        if self.mode == "off" or generation is None:
            return None
        if self._generation == generation:
            return self._vocabulary
        with self._lock:
            if self._building == generation:
                return None
            self._building = generation
        if self.mode == "sync":
            self._build(engine, generation)
            return self._vocabulary if self._generation == generation else None
        threading.Thread(target=self._build, args=(engine, generation), name="vocabulary", daemon=True).start()
        return None

    def _build(self, engine: SearchEngine, generation: str) -> None:
        # Built in a child process with a reader of its own (search.suggest.build_apart):
        # the build's peak memory stays out of this long-lived worker. A backend
        # without a vocabulary gives none.
        vocabulary = None
        try:
            handle = engine.root.current()
            backend = engine.root.manifest(handle).backend
            vocabulary = build_apart(backend, handle) if has_vocabulary(backend) else None
        except Exception:  # a damaged or vanished generation: no suggestions, searches still report it
            log.warning("did-you-mean vocabulary for %s not built", generation, exc_info=True)
        with self._lock:
            self._generation, self._vocabulary = generation, vocabulary
            self._building = None


class SearchService:
    def __init__(
        self, index_dir: str | os.PathLike, timeout: float, threads: int, suggest: str = "background", backend: str | None = None
    ) -> None:
        self.index_dir = index_dir
        self.backend = backend
        self.timeout = timeout
        self.threads = threads
        self.suggest_mode = suggest
        self._pid: int | None = None
        self._lock = threading.Lock()

    def _ensure(self) -> None:
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid != os.getpid():
                self.engine = SearchEngine(self.index_dir, self.backend, cached_words=WEB_CACHED_WORDS)
                self.pool = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="search")
                self.suggestions = Suggestions(self.suggest_mode)
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

    def search(self, params: SearchParams) -> SearchResult:
        return self._run(self._search, params)

    def _search(self, params: SearchParams) -> SearchResult:
        engine = self.engine
        result = engine.search(
            params.q, page=params.page, size=params.size, filters=params.filters, sort=params.sort, facets=True,
            check=_refuse_truncated,
        )
        # Facet keys are part of the response schema even when nothing matched.
        result.facets = {name: result.facets.get(name, {}) for name in FACETS}
        vocabulary = self.suggestions.get(engine)
        if vocabulary is not None and result.plan.terms:
            result.suggestion = suggest_query(result.query, result.plan.terms, vocabulary)
        return result

    def document(self, doc_id: str) -> dict | None:
        return self._run(lambda: self.engine.get(doc_id))

    def highlighted(self, doc: dict, q: str) -> tuple[str, list[str]]:
        """The title and body paragraphs of `doc` as escaped HTML with the words of `q` marked."""
        return self._run(self._highlighted, doc, q)

    def _highlighted(self, doc: dict, q: str) -> tuple[str, list[str]]:
        plan, analyzer = self.engine.plan(q), self.engine.analyzer
        title = highlight(doc.get("title") or "", plan, analyzer)
        body = highlight(doc.get("body") or "", plan, analyzer)
        return title, [p for p in body.split("\n") if p.strip()]

    def marked_titles(self, result: SearchResult) -> dict[str, str]:
        """Each hit's title as escaped HTML with the query's words marked, by hit id."""
        return self._run(self._marked_titles, result)

    def _marked_titles(self, result: SearchResult) -> dict[str, str]:
        plan, analyzer = self.engine.plan(result.query), self.engine.analyzer
        return {hit.id: highlight(hit.title, plan, analyzer) for hit in result.hits if hit.title}

    def health(self) -> dict:
        return self._run(self._health)

    def _health(self) -> dict:
        # The engine's own check: counts against the manifest, and the cluster's
        # state (status, nodes, shards) when the index lives in OpenSearch.
        return self.engine.health()

