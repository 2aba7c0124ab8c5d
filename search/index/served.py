"""The served generation of an index, opened once and followed across reindex swaps and live writes.

A cheap readlink and stat of the manifest (or a cached alias lookup) per
operation; a new generation is opened at once, a live write's new manifest
at most every FAHRAS_REFRESH_SECONDS (so a burst of writes does not reopen
the index for each), and the old reader is closed when its last operation
finishes. Lookups by id are realtime, as Elasticsearch's GET is: they reopen on
any acknowledged write, so a document deleted is gone at once for its page,
its related list and GET /api/documents/<id>.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from .. import settings
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
    version: tuple | None = None  # the store's version when opened
    opened: float = 0.0  # time.monotonic() when opened


class ServedIndex:
    """A read-only view of the served index that follows reindex swaps."""

    def __init__(
        self, index_dir=None, backend: str | None = None, cached_words: int | None = None, refresh: float | None = None
    ) -> None:
        # The local directory of generations, or a cluster alias when the
        # backend (FAHRAS_BACKEND unless given) keeps its index in a cluster.
        self.root = open_store(index_dir, backend)
        # A bound on the analyser's cache of written words, for long-lived readers.
        self.cached_words = cached_words
        self.refresh = float(settings.get("FAHRAS_REFRESH_SECONDS")) if refresh is None else refresh
        self._open: OpenIndex | None = None
        self._lock = threading.Lock()

    @contextmanager
    def using(self, realtime: bool = False) -> Iterator[OpenIndex]:
        """The served index, kept open for the duration of one operation (`realtime`: with every acknowledged write)."""
        index = self._current(realtime)
        try:
            yield index
        finally:
            with self._lock:
                index.users -= 1
                if index.retired and index.users == 0:
                    index.reader.close()

    def _current(self, realtime: bool = False) -> OpenIndex:
        version = self.root.version()
        with self._lock:
            current = self._open
            if current is not None and current.generation == version[0] and (
                current.version == version or (not realtime and time.monotonic() - current.opened < self.refresh)
            ):
                current.users += 1
                return current
            for _ in range(2):
                try:
                    return self._reopen(current, version)
                except IndexUnavailable:
                    # A live write may have merged away files between reading
                    # the manifest and opening them: the next version opens.
                    if self.root.version() == version:
                        raise
                    version = self.root.version()
            return self._reopen(current, version)

    def _reopen(self, current: OpenIndex | None, version: tuple) -> OpenIndex:
        name = version[0]
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
        self._open = OpenIndex(name, manifest, reader, analyzer, users=1, version=version, opened=time.monotonic())
        if current is not None:
            current.retired = True
            if current.users == 0:
                current.reader.close()
        return self._open

    def _counts(self) -> tuple[int, Manifest, str]:
        with self.using() as index:
            try:
                count = index.reader.doc_count()
            except BackendError as exc:
                raise IndexUnavailable(str(exc)) from exc
            return count, index.manifest, index.generation

    def _expire(self) -> None:
        with self._lock:
            if self._open is not None:
                self._open.version = None
                self._open.opened = float("-inf")

    def health(self) -> dict:
        """The served index and where it lives (cluster status and nodes for a cluster); IndexUnavailable if unusable."""
        count, manifest, generation = self._counts()
        if count != manifest.document_count:
            # A live write commits the index, then its manifest: a reader
            # opened in between sees one without the other; look again.
            time.sleep(0.05)
            self._expire()
            count, manifest, generation = self._counts()
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
