"""search(query, page, size, filters, sort) -> SearchResult, over whichever backend built the index."""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator

from .analysis import Analyzer, get_analyzer, parse_version
from .backends import BackendError, open_reader
from .backends.base import Filters, IndexReader, SearchRequest
from .highlight import snippet
from .query import QueryPlan, parse_query
from .results import Hit, SearchResult
from .store import IndexRoot, IndexUnavailable, Manifest, open_store

SORTS = ("relevance", "date")
# Results past this rank are never fetched: deep pages cost memory in every
# engine (Tantivy reserves offset + limit slots up front) and nobody reads them.
MAX_RESULT_WINDOW = 10_000


@dataclass
class OpenIndex:
    generation: str
    manifest: Manifest
    reader: IndexReader
    analyzer: Analyzer
    users: int = 0  # searches running on it now
    retired: bool = False  # a newer generation is served; close when unused


class SearchEngine:
    """A read-only view of the served index that follows reindex swaps."""

    def __init__(self, index_dir=None, backend: str | None = None, cached_words: int | None = None) -> None:
        # The local directory of generations, or a cluster alias when the
        # backend (FAHRAS_BACKEND unless given) keeps its index in a cluster.
        self.root: IndexRoot = open_store(index_dir, backend)
        # A bound on the analyser's cache of written words, for long-lived readers.
        self.cached_words = cached_words
        self._open: OpenIndex | None = None
        self._lock = threading.Lock()

    @contextmanager
    def _using(self) -> Iterator[OpenIndex]:
        """The served index, kept open for the duration of one operation."""
        index = self._current()
        try:
            yield index
        finally:
            with self._lock:
                index.users -= 1
                if index.retired and index.users == 0:
                    index.reader.close()

    def _current(self) -> OpenIndex:
        # A cheap readlink per call; a new generation (reindex swap) is opened
        # once, and the old reader is closed when its last search finishes.
        name = self.root.current_name()
        with self._lock:
            current = self._open
            if current is not None and current.generation == name:
                current.users += 1
                return current
            generation = self.root.current()
            manifest = self.root.manifest(generation)
            try:
                config = parse_version(manifest.analysis_version)
            except ValueError:
                raise IndexUnavailable(
                    f"the index in {self.root.path} uses analysis {manifest.analysis_version}, "
                    "which this Fahras cannot reproduce; run `fahras reindex`."
                )
            try:
                reader = open_reader(manifest.backend, generation)
            except BackendError as exc:
                raise IndexUnavailable(f"{exc}; run `fahras reindex` to rebuild it.") from exc
            analyzer = get_analyzer(config)
            if self.cached_words is not None:
                analyzer.max_cached_words = min(analyzer.max_cached_words, self.cached_words)
            self._open = OpenIndex(name, manifest, reader, analyzer, users=1)
            if current is not None:
                current.retired = True
                if current.users == 0:
                    current.reader.close()
            return self._open

    @property
    def manifest(self) -> Manifest:
        with self._using() as index:
            return index.manifest

    @property
    def analyzer(self) -> Analyzer:
        with self._using() as index:
            return index.analyzer

    def plan(self, query: str) -> QueryPlan:
        return parse_query(query, self.analyzer)

    def search(
        self,
        query: str,
        page: int = 1,
        size: int = 10,
        filters: Filters = Filters(),
        sort: str = "relevance",
        facets: bool = False,
        snippets: bool = True,
        check: Callable[[QueryPlan], None] | None = None,
    ) -> SearchResult:
        """One page of results for `query`; `check(plan)`, when given, may refuse the parsed query by raising."""
        started = time.perf_counter()
        with self._using() as index:
            return self._search(index, started, query, page, size, filters, sort, facets, snippets, check)

    def _search(self, index, started, query, page, size, filters, sort, facets, snippets, check=None) -> SearchResult:
        plan = parse_query(query, index.analyzer)
        if check is not None:
            check(plan)
        size = min(max(1, int(size)), MAX_RESULT_WINDOW)
        page = min(max(1, int(page)), MAX_RESULT_WINDOW // size + 1)
        request = SearchRequest(
            plan=plan,
            filters=filters,
            sort=sort if sort in SORTS else "relevance",
            offset=(page - 1) * size,
            limit=size,
            facets=facets,
        )
        try:
            found = index.reader.search(request)
        except BackendError as exc:
            raise IndexUnavailable(str(exc)) from exc
        hits = []
        for hit in found.hits:
            f = hit.fields
            body = f.get("body") or ""
            hits.append(
                Hit(
                    id=hit.id,
                    title=f.get("title") or "",
                    snippet=snippet(body or f.get("title") or "", plan, index.analyzer) if snippets else "",
                    date=f.get("date"),
                    source=f.get("source"),
                    category=f.get("category"),
                    url=f.get("url"),
                    # Full precision: rounding would create ties that reorder results.
                    score=hit.score if request.sort == "relevance" else 0.0,
                )
            )
        result = SearchResult(
            query=plan.text,
            total=found.total,
            page=page,
            size=size,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            hits=hits,
            facets=found.facets,
        )
        result.plan = plan
        return result

    def get(self, doc_id: str) -> dict | None:
        with self._using() as index:
            return index.reader.get(doc_id)

    def doc_count(self) -> int:
        with self._using() as index:
            return index.reader.doc_count()

    def health(self) -> dict:
        """The served index and where it lives (cluster status and nodes for a cluster); IndexUnavailable if unusable."""
        with self._using() as index:
            try:
                count = index.reader.doc_count()
            except BackendError as exc:
                raise IndexUnavailable(str(exc)) from exc
            manifest, generation = index.manifest, index.generation
        if count != manifest.document_count:
            raise IndexUnavailable(f"the index holds {count} documents but its manifest says {manifest.document_count}")
        info = {
            "status": "ok",
            "backend": manifest.backend,
            "analysis_version": manifest.analysis_version,
            "generation": generation,
            "documents": count,
        }
        where = self.root.health()
        cluster = where.get("cluster")
        if cluster is not None:
            if cluster.get("status") == "red" or where.get("index_status") == "red":
                raise IndexUnavailable(f"the OpenSearch cluster at {where.get('url')} is red: some shards have no copy")
            info["cluster"] = {**cluster, "index_status": where.get("index_status"), "shards": where.get("shards")}
        return info

    def close(self) -> None:
        with self._lock:
            if self._open is not None:
                self._open.retired = True
                if self._open.users == 0:
                    self._open.reader.close()
                self._open = None


def search(query: str, page: int = 1, size: int = 10, index_dir=None, **options) -> SearchResult:
    """One-shot search of the index in `index_dir` (FAHRAS_INDEX by default)."""
    engine = SearchEngine(index_dir)
    try:
        return engine.search(query, page=page, size=size, **options)
    finally:
        engine.close()
