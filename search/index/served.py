"""The served generation of an index, opened once and followed across reindex swaps.

A cheap readlink (or a cached alias lookup) per operation; a new generation is
opened once, and the old reader is closed when its last operation finishes.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from ..analysis import Analyzer, get_analyzer, parse_version
from . import open_reader, open_store
from .base import BackendError, IndexReader, IndexUnavailable
from .store import Manifest


@dataclass
class OpenIndex:
    generation: str
    manifest: Manifest
    reader: IndexReader
    analyzer: Analyzer
    users: int = 0  # operations running on it now
    retired: bool = False  # a newer generation is served; close when unused


class ServedIndex:
    """A read-only view of the served index that follows reindex swaps."""

    def __init__(self, index_dir=None, backend: str | None = None, cached_words: int | None = None) -> None:
        # The local directory of generations, or a cluster alias when the
        # backend (FAHRAS_BACKEND unless given) keeps its index in a cluster.
        self.root = open_store(index_dir, backend)
        # A bound on the analyser's cache of written words, for long-lived readers.
        self.cached_words = cached_words
        self._open: OpenIndex | None = None
        self._lock = threading.Lock()

    @contextmanager
    def using(self) -> Iterator[OpenIndex]:
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

    def health(self) -> dict:
        """The served index and where it lives (cluster status and nodes for a cluster); IndexUnavailable if unusable."""
        with self.using() as index:
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
