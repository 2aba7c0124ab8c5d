"""search(query, page, size, filters, sort) -> SearchResult, over whichever backend built the index."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from .analysis import Analyzer, get_analyzer, parse_version
from .backends import BackendError, open_reader
from .backends.base import Filters, IndexReader, SearchRequest
from .highlight import snippet
from .query import QueryPlan, parse_query
from .results import Hit, SearchResult
from .store import IndexRoot, IndexUnavailable, Manifest

SORTS = ("relevance", "date")


@dataclass
class OpenIndex:
    generation: str
    manifest: Manifest
    reader: IndexReader
    analyzer: Analyzer


class SearchEngine:
    """A read-only view of the served index that follows reindex swaps."""

    def __init__(self, index_dir=None) -> None:
        self.root = IndexRoot(index_dir)
        self._open: OpenIndex | None = None
        self._lock = threading.Lock()

    def _current(self) -> OpenIndex:
        # A cheap readlink per call; a new generation (reindex swap) is opened
        # once and the old reader closed when the swap is seen.
        name = self.root.current_name()
        current = self._open
        if current is not None and current.generation == name:
            return current
        with self._lock:
            current = self._open
            if current is not None and current.generation == name:
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
            self._open = OpenIndex(name, manifest, reader, get_analyzer(config))
            if current is not None:
                current.reader.close()
            return self._open

    @property
    def manifest(self) -> Manifest:
        return self._current().manifest

    @property
    def analyzer(self) -> Analyzer:
        return self._current().analyzer

    def plan(self, query: str) -> QueryPlan:
        return parse_query(query, self._current().analyzer)

    def search(
        self,
        query: str,
        page: int = 1,
        size: int = 10,
        filters: Filters = Filters(),
        sort: str = "relevance",
        facets: bool = False,
        snippets: bool = True,
    ) -> SearchResult:
        started = time.perf_counter()
        index = self._current()
        plan = parse_query(query, index.analyzer)
        page, size = max(1, int(page)), max(1, int(size))
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
                    score=round(hit.score, 4),
                )
            )
        return SearchResult(
            query=plan.text,
            total=found.total,
            page=page,
            size=size,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            hits=hits,
            facets=found.facets,
        )

    def get(self, doc_id: str) -> dict | None:
        return self._current().reader.get(doc_id)

    def doc_count(self) -> int:
        return self._current().reader.doc_count()

    def close(self) -> None:
        if self._open is not None:
            self._open.reader.close()
            self._open = None


def search(query: str, page: int = 1, size: int = 10, index_dir=None, **options) -> SearchResult:
    """One-shot search of the index in `index_dir` (FAHRAS_INDEX by default)."""
    engine = SearchEngine(index_dir)
    try:
        return engine.search(query, page=page, size=size, **options)
    finally:
        engine.close()
