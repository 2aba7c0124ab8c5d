"""OpenSearch backend: the same analysed terms, served by a cluster behind an alias.

Nothing here analyses Arabic. Documents and queries go through our own chain
(search/analysis.py); the cluster receives space-joined terms in text fields
mapped with the built-in `whitespace` analyzer, so OpenSearch indexes exactly
the terms the embedded backends index:

    title, body   stems, frequencies only (BM25 needs no positions for them)
    lead          stems of the body's opening (scores only when Ranking.lead_boost is set)
    exact         exact forms, with positions (phrases are matched here)
    id, source, category   keyword (filters, facets, tie-break)
    day           date yyyy-MM-dd (range filters, sort newest first)
    doc           the displayed fields (Document.stored()), kept in _source only

The analysed fields are left out of `_source`: they are rebuilt from the news
sources on every reindex, never read back, and would double the stored size.
Scoring is BM25 with Ranking.k1/b set as the index's own similarity, and the
query mirrors whoosh_backend._term_query: a bool of term queries over
title^title_boost, body^body_boost (stems) and exact^exact_boost, at least one
of which must match; a query of quoted phrases only requires them without
scoring them (Whoosh's Require), so they sit in `filter` with the user's
filters; phrases quoted inside a longer query are one more scoring clause.

Where the served index lives: `ClusterStore` plays the part of store.IndexRoot.
Each reindex builds a concrete index `<alias>-<timestamp>`; `publish` checks its
count and swaps the alias to it in one `_aliases` call, so readers see the old
index or the new one, never a half-built one; the manifest is kept in the
index mapping's `_meta`. The writer lock stays a local file (FAHRAS_INDEX): one
indexing host per alias.
"""
from __future__ import annotations

import json
import logging
import random
import re
import threading
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from os import PathLike, getpid
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlsplit, urlunsplit

from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConnectionError as ClusterConnectionError
from opensearchpy.exceptions import NotFoundError, TransportError

from .. import settings
from ..documents import FACET_FIELDS, AnalyzedDocument
from ..store import FORMAT_VERSION, IndexRoot, IndexUnavailable, Manifest
from .base import BackendError, BackendHit, BackendResult, SearchRequest
from .ranking import RANKING, Ranking

log = logging.getLogger(__name__)

BACKEND = "opensearch"
SIMILARITY = "fahras_bm25"
# Bulk requests: whichever limit comes first. 500 news articles are about 2 MB
# of JSON; 5 MB keeps one request well under http.max_content_length (100 MB)
# and short enough to retry cheaply.
BULK_DOCS = 500
BULK_BYTES = 5 * 1024 * 1024
# Bulk requests outstanding at once: the next batch waits for a free slot, so a
# slow or overloaded cluster slows the indexer down instead of filling memory.
BULK_IN_FLIGHT = 2
# Retries of a rejected bulk (429, 5xx, connection lost), with exponential
# backoff and jitter: 0.5, 1, 2, 4, 8, 16, 30, 30, ... seconds, about 3 minutes
# in all, enough for a node to leave and its shards to be promoted elsewhere.
BULK_ATTEMPTS = 12
BACKOFF_FIRST = 0.5
BACKOFF_MAX = 30.0
# Client-side timeout of one bulk request (the server waits up to its own
# `timeout`, 1 min by default, for an unavailable shard).
BULK_TIMEOUT = 120
ADMIN_TIMEOUT = 60
# Searches: a failed attempt (connection lost, 5xx, shard copies failing while
# a node leaves) is tried again within the search time budget.
SEARCH_ATTEMPTS = 3
# The UI shows the top values; the bound guards against a pathological number
# of distinct sources. Larger than the distinct values, so counts are exact.
FACET_SIZE = 1000
# How long a resolved alias is trusted before it is looked up again: a swap is
# seen by every reader within this time; the previous index is kept one round.
ALIAS_TTL = 1.0
MAX_RESULT_WINDOW = 20_000
_RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
_NAME_SUFFIX = r"-\d{8}t\d{6}-\d+-\d+"


def _redact(url: str) -> str:
    """A URL fit for messages: no user name or password."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        if parts.port:
            host += f":{parts.port}"
        return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return url


def _hosts(url: str) -> list[str]:
    hosts = [u.strip() for u in url.split(",") if u.strip()]
    if not hosts:
        raise BackendError("FAHRAS_OPENSEARCH_URL is empty: give the URL of at least one OpenSearch node")
    return hosts


def connect(url: str | None = None) -> OpenSearch:
    """A client for the cluster at `url` (FAHRAS_OPENSEARCH_URL; several nodes comma-separated)."""
    hosts = _hosts(url or settings.get("FAHRAS_OPENSEARCH_URL"))
    # max_retries: a request whose node is unreachable moves on to the next node
    # at once; the backoff loops below handle a cluster that is busy or failing over.
    return OpenSearch(hosts=hosts, timeout=ADMIN_TIMEOUT, max_retries=len(hosts), retry_on_timeout=False, pool_maxsize=16)


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, ClusterConnectionError):  # includes timeouts
        return True
    return isinstance(exc, TransportError) and exc.status_code in _RETRYABLE_STATUS


def _backoff(attempt: int) -> float:
    delay = min(BACKOFF_MAX, BACKOFF_FIRST * 2**attempt)
    return delay * random.uniform(0.8, 1.2)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ClusterConnectionError):
        return f"connection failed ({type(exc).__name__})"
    if isinstance(exc, TransportError):
        error = exc.error if isinstance(exc.error, str) else type(exc).__name__
        return f"HTTP {exc.status_code} {error}"
    return f"{type(exc).__name__}: {exc}"


@dataclass(frozen=True)
class ClusterIndex:
    """A concrete index of a cluster: what a directory generation is to the local store."""

    name: str
    client: OpenSearch = field(compare=False, repr=False)
    url: str = field(default="", compare=False)

    def __str__(self) -> str:
        return self.name


def _as_index(generation) -> ClusterIndex:
    """A ClusterIndex from a handle, an index name, or a path whose last part is the name."""
    if isinstance(generation, ClusterIndex):
        return generation
    if isinstance(generation, (str, PathLike)):
        url = settings.get("FAHRAS_OPENSEARCH_URL")
        return ClusterIndex(Path(generation).name if isinstance(generation, PathLike) else generation, connect(url), url)
    raise BackendError(f"not an OpenSearch index: {generation!r}")


def _replica_settings(value: str) -> dict:
    value = value.strip()
    if re.fullmatch(r"\d+", value):
        return {"number_of_replicas": int(value)}
    if re.fullmatch(r"\d+-(\d+|all)", value):
        return {"auto_expand_replicas": value}
    raise BackendError(f"FAHRAS_OPENSEARCH_REPLICAS={value!r}: give a number or a range such as 0-1")


def index_body(shards: int, replicas: str, meta: dict, ranking: Ranking = RANKING) -> dict:
    """Settings and mappings of a new concrete index (refresh off: the writer turns it on at commit)."""
    text = {"type": "text", "analyzer": "whitespace", "similarity": SIMILARITY}
    return {
        "settings": {
            "index": {
                "number_of_shards": shards,
                **_replica_settings(replicas),
                "refresh_interval": "-1",
                # The engine serves results up to rank 10,000 (engine.MAX_RESULT_WINDOW)
                # in pages of up to as many: the deepest page ends below 20,000.
                "max_result_window": MAX_RESULT_WINDOW,
                "similarity": {SIMILARITY: {"type": "BM25", "k1": ranking.k1, "b": ranking.b}},
            }
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": meta,
            "_source": {"excludes": ["title", "body", "lead", "exact"]},
            "properties": {
                "id": {"type": "keyword"},
                "title": {**text, "index_options": "freqs"},
                "body": {**text, "index_options": "freqs"},
                "lead": {**text, "index_options": "freqs"},
                "exact": {**text, "index_options": "positions"},
                # A malformed day leaves the document undated instead of rejecting it.
                "day": {"type": "date", "format": "yyyy-MM-dd", "ignore_malformed": True},
                "source": {"type": "keyword"},
                "category": {"type": "keyword"},
                "doc": {"type": "object", "enabled": False},
            },
        },
    }


# --------------------------------------------------------------------------- writer


@dataclass
class BulkStats:
    requests: int = 0
    retried_requests: int = 0  # whole requests sent again (429/5xx/connection)
    retried_documents: int = 0  # items answered 429/5xx and sent again
    acknowledged: int = 0
    rejected: Counter = field(default_factory=Counter)  # reason -> documents refused for good
    seconds_waiting: float = 0.0  # time the indexer waited for a free request slot

    def to_dict(self) -> dict:
        out = asdict(self)
        out["rejected"] = dict(self.rejected)
        out["seconds_waiting"] = round(self.seconds_waiting, 2)
        return out


class OpenSearchWriter:
    """Bulk indexing into one concrete index: batches, bounded in-flight requests, retries.

    Every bulk item is accounted for: acknowledged (the cluster stored it on the
    primary and its in-sync replicas), retried (429/5xx), or rejected for good
    (`rejected`: id and reason, which reindex reports as skipped). A request
    that still fails after BULK_ATTEMPTS makes `commit` raise, so nothing is
    published.
    """

    def __init__(
        self,
        generation,
        expected_documents: int = 0,
        *,
        bulk_docs: int = BULK_DOCS,
        bulk_bytes: int = BULK_BYTES,
        in_flight: int = BULK_IN_FLIGHT,
        on_acknowledged: Callable[[list[str]], None] | None = None,
    ) -> None:
        self._index = _as_index(generation)
        self._client = self._index.client
        self._bulk_docs, self._bulk_bytes = bulk_docs, bulk_bytes
        self._on_ack = on_acknowledged
        self.stats = BulkStats()
        self.rejected: list[tuple[str, str]] = []  # (document id, reason)
        self._lines: list[bytes] = []
        self._ids: list[str] = []
        self._size = 0
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(in_flight)
        self._pool = ThreadPoolExecutor(max_workers=in_flight, thread_name_prefix="bulk")
        self._pending: list[Future] = []
        self._closed = False
        try:
            self._client.indices.put_settings(index=self._index.name, body={"index": {"refresh_interval": "-1"}})
        except TransportError as exc:
            raise BackendError(f"cannot prepare index {self._index.name} for bulk indexing: {_describe(exc)}") from exc

    def add(self, doc: AnalyzedDocument) -> None:
        d = doc.document
        source = {
            "id": d.id,
            "title": doc.title_stems,
            "body": doc.body_stems,
            "lead": doc.lead_stems,
            "exact": doc.exact,
            "doc": d.stored(),
        }
        if d.date:
            source["day"] = d.date[:10]
        if d.source:
            source["source"] = d.source
        if d.category:
            source["category"] = d.category
        line = (
            json.dumps({"index": {"_id": d.id}}, ensure_ascii=False)
            + "\n"
            + json.dumps(source, ensure_ascii=False, separators=(",", ":"))
            + "\n"
        ).encode("utf-8")
        if self._ids and (len(self._ids) >= self._bulk_docs or self._size + len(line) > self._bulk_bytes):
            self._flush()
        self._lines.append(line)
        self._ids.append(d.id)
        self._size += len(line)

    def _flush(self) -> None:
        if not self._ids:
            return
        lines, ids = self._lines, self._ids
        self._lines, self._ids, self._size = [], [], 0
        self._check()
        waited = time.perf_counter()
        self._slots.acquire()  # backpressure: at most `in_flight` requests outstanding
        self.stats.seconds_waiting += time.perf_counter() - waited
        try:
            future = self._pool.submit(self._send, lines, ids)
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(lambda _: self._slots.release())
        self._pending.append(future)

    def _check(self) -> None:
        """Raise the first failure of a finished request; forget the finished ones."""
        still = []
        for future in self._pending:
            if future.done():
                future.result()  # raises BackendError of a failed request
            else:
                still.append(future)
        self._pending = still

    def _send(self, lines: list[bytes], ids: list[str]) -> None:
        name = self._index.name
        for attempt in range(BULK_ATTEMPTS):
            if self._closed:
                return
            if attempt:
                time.sleep(_backoff(attempt - 1))
            try:
                with self._lock:
                    self.stats.requests += 1
                response = self._client.bulk(
                    body=b"".join(lines),
                    index=name,
                    request_timeout=BULK_TIMEOUT,
                    filter_path="errors,items.*.status,items.*.error.type,items.*.error.reason",
                )
            except TransportError as exc:
                if not _retryable(exc):
                    raise BackendError(f"bulk request to {name} refused: {_describe(exc)}") from exc
                log.warning("bulk request to %s failed (%s); attempt %d of %d", name, _describe(exc), attempt + 1, BULK_ATTEMPTS)
                with self._lock:
                    self.stats.retried_requests += 1
                continue
            items = response.get("items") or []
            if len(items) != len(ids):
                raise BackendError(f"bulk response for {name} has {len(items)} items for {len(ids)} documents")
            acked: list[str] = []
            again_lines: list[bytes] = []
            again_ids: list[str] = []
            with self._lock:
                for item, line, doc_id in zip(items, lines, ids):
                    result = next(iter(item.values()))
                    status = result.get("status", 0)
                    if 200 <= status < 300:
                        acked.append(doc_id)
                    elif status in _RETRYABLE_STATUS:
                        again_lines.append(line)
                        again_ids.append(doc_id)
                    else:
                        error = result.get("error") or {}
                        reason = f"rejected by OpenSearch: {error.get('type', f'HTTP {status}')}"
                        self.stats.rejected[reason] += 1
                        self.rejected.append((doc_id, reason))
                        log.warning("document %s rejected: %s", doc_id, error.get("reason", status))
                self.stats.acknowledged += len(acked)
                self.stats.retried_documents += len(again_ids)
            if acked and self._on_ack is not None:
                self._on_ack(acked)
            if not again_ids:
                return
            lines, ids = again_lines, again_ids
        raise BackendError(
            f"{len(ids)} documents not accepted by {name} after {BULK_ATTEMPTS} attempts "
            f"(e.g. {ids[0]}); the cluster is unavailable or overloaded"
        )

    def commit(self) -> None:
        """Send what is left, wait for every request, refresh, turn refresh back on."""
        self._flush()
        try:
            for future in self._pending:
                future.result()
        finally:
            self._pending = []
            self._pool.shutdown(wait=True)
        name = self._index.name
        try:
            self._client.indices.refresh(index=name, request_timeout=ADMIN_TIMEOUT)
            # null restores the cluster's default (1 s; idle shards skip it).
            self._client.indices.put_settings(index=name, body={"index": {"refresh_interval": None}})
        except TransportError as exc:
            raise BackendError(f"cannot refresh {name} after indexing: {_describe(exc)}") from exc

    def abort(self) -> None:
        self._closed = True
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pending = []


# --------------------------------------------------------------------------- reader


def _term_query(request: SearchRequest, ranking: Ranking) -> dict:
    plan = request.plan
    should: list[dict] = []
    for stem in plan.stems:
        should.append({"term": {"title": {"value": stem, "boost": ranking.title_boost}}})
        should.append({"term": {"body": {"value": stem, "boost": ranking.body_boost}}})
        if ranking.lead_boost:
            should.append({"term": {"lead": {"value": stem, "boost": ranking.lead_boost}}})
    for exact in plan.exacts:
        should.append({"term": {"exact": {"value": exact, "boost": ranking.exact_boost}}})
    # A quoted phrase inside a longer query ranks where it occurs as written (query.py).
    for words in plan.boost_phrases:
        should.append({"match_phrase": {"exact": {"query": " ".join(words), "boost": ranking.phrase_boost}}})
    # Pseudo-relevance feedback terms (search/feedback.py), when it is on.
    for stem, weight in getattr(plan, "expansion", ()):
        should.append({"term": {"body": {"value": stem, "boost": weight}}})
    if ranking.pair_boost:
        for pair in plan.pairs:
            should.append({"match_phrase": {"exact": {"query": " ".join(pair), "slop": ranking.pair_slop, "boost": ranking.pair_boost}}})
    return {"should": should, "minimum_should_match": 1}


def _filter_clauses(request: SearchRequest) -> list[dict]:
    f = request.filters
    clauses: list[dict] = [{"match_phrase": {"exact": {"query": " ".join(words)}}} for words in request.plan.phrases]
    if f.sources:
        clauses.append({"terms": {"source": list(f.sources)}})
    if f.categories:
        clauses.append({"terms": {"category": list(f.categories)}})
    if f.date_from or f.date_to:
        bounds = {}
        for key, value in (("gte", f.date_from), ("lte", f.date_to)):
            if value:
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value[:10]):
                    raise ValueError(f"date filter {value!r} is not YYYY-MM-DD")
                bounds[key] = value[:10]
        clauses.append({"range": {"day": {**bounds, "format": "yyyy-MM-dd"}}})
    return clauses


class OpenSearchReader:
    def __init__(self, generation, ranking: Ranking = RANKING) -> None:
        self._index = _as_index(generation)
        self._client = self._index.client
        self._ranking = ranking
        self._timeout = float(settings.get("FAHRAS_SEARCH_TIMEOUT"))
        name = self._index.name
        try:
            found = self._client.indices.get_settings(index=name, request_timeout=self._timeout)
        except NotFoundError:
            raise BackendError(f"no OpenSearch index {name} at {_redact(self._index.url)}") from None
        except TransportError as exc:
            raise BackendError(f"cannot open OpenSearch index {name} at {_redact(self._index.url)}: {_describe(exc)}") from exc
        index_settings = next(iter(found.values()))["settings"]["index"]
        self.shards = int(index_settings.get("number_of_shards", 1))
        self._window = int(index_settings.get("max_result_window", 10000))
        # Over several shards, each would score with its own term statistics;
        # dfs_query_then_fetch collects them first, so scores (and the ranking)
        # do not depend on how documents fall into shards.
        self._search_type = "dfs_query_then_fetch" if self.shards > 1 else "query_then_fetch"

    def _call(self, what: str, fn: Callable[[], dict]) -> dict:
        deadline = time.monotonic() + self._timeout
        for attempt in range(SEARCH_ATTEMPTS):
            try:
                response = fn()
            except NotFoundError as exc:
                raise BackendError(f"OpenSearch index {self._index.name} is gone: {_describe(exc)}") from exc
            except TransportError as exc:
                if not _retryable(exc) or attempt + 1 == SEARCH_ATTEMPTS or time.monotonic() > deadline:
                    raise BackendError(f"OpenSearch {what} failed on {self._index.name}: {_describe(exc)}") from exc
                time.sleep(min(0.1 * 2**attempt, max(0.0, deadline - time.monotonic())))
                continue
            shards = response.get("_shards") or {}
            if shards.get("failed"):
                # Some shard answered with no copy: the results would be incomplete.
                if attempt + 1 == SEARCH_ATTEMPTS or time.monotonic() > deadline:
                    raise BackendError(
                        f"OpenSearch {what} on {self._index.name}: {shards['failed']} of {shards.get('total')} shards failed"
                    )
                time.sleep(min(0.1 * 2**attempt, max(0.0, deadline - time.monotonic())))
                continue
            return response
        raise AssertionError("unreachable")

    def search(self, request: SearchRequest) -> BackendResult:
        plan = request.plan
        if not plan:
            return BackendResult(total=0, hits=[])
        offset, limit = max(0, request.offset), max(0, request.limit)
        body: dict = {
            "query": {"bool": {**_term_query(request, self._ranking), "filter": _filter_clauses(request)}},
            "track_total_hits": True,
            "_source": ["doc"],
        }
        if request.sort == "date":
            body["sort"] = [{"day": {"order": "desc", "missing": "_last"}}, {"_score": "desc"}, {"id": "asc"}]
            body["track_scores"] = True
        else:
            body["sort"] = [{"_score": "desc"}, {"id": "asc"}]
        if request.facets:
            body["aggs"] = {name: {"terms": {"field": name, "size": FACET_SIZE}} for name in FACET_FIELDS}
        # Paging deeper than the index's result window is refused by the
        # cluster: ask only for the total there (the web caps paging far below).
        if offset >= self._window:
            body["from"], body["size"] = 0, 0
        else:
            body["from"], body["size"] = offset, min(limit, self._window - offset)
        response = self._call(
            "search",
            lambda: self._client.search(
                index=self._index.name,
                body=body,
                search_type=self._search_type,
                request_timeout=self._timeout,
            ),
        )
        total = response["hits"]["total"]["value"]
        if offset >= self._window and offset < total:
            raise BackendError(f"results beyond {self._window} cannot be paged to; narrow the search")
        hits = [
            BackendHit(id=hit["_id"], score=float(hit.get("_score") or 0.0), fields=hit["_source"]["doc"])
            for hit in response["hits"]["hits"]
        ]
        facets = {}
        if request.facets:
            aggregations = response.get("aggregations") or {}
            facets = {
                name: {b["key"]: b["doc_count"] for b in aggregations.get(name, {}).get("buckets", []) if b["key"]}
                for name in FACET_FIELDS
            }
        return BackendResult(total=total, hits=hits, facets=facets)

    def get(self, doc_id: str) -> dict | None:
        if not doc_id:
            return None
        found = self._call(
            "get",
            lambda: self._client.get(
                index=self._index.name, id=doc_id, _source_includes="doc", ignore=404, request_timeout=self._timeout
            ),
        )
        if "error" in found:  # 404 of the index itself, not of the document
            raise BackendError(f"OpenSearch index {self._index.name} is gone: {found['error']}")
        return found["_source"]["doc"] if found.get("found") else None

    def doc_frequency(self, field: str, term: str) -> int:
        """Documents whose `field` holds `term` (feedback's rarity weights)."""
        response = self._call(
            "count",
            lambda: self._client.count(
                index=self._index.name, body={"query": {"term": {field: term}}}, request_timeout=self._timeout
            ),
        )
        return int(response["count"])

    def doc_count(self) -> int:
        response = self._call("count", lambda: self._client.count(index=self._index.name, request_timeout=self._timeout))
        return int(response["count"])

    def close(self) -> None:
        # The client (and its connection pool) belongs to the store that made the handle.
        pass


# --------------------------------------------------------------------------- store


class ClusterStore:
    """Where the served index lives when it lives in a cluster: the counterpart of store.IndexRoot.

    generations  concrete indices `<alias>-<yyyymmddThhmmss>-<pid>-<n>`
    current      the one index the alias points to
    manifest     that index's mapping `_meta` (backend, analysis version, count, created)
    writer lock  the local FAHRAS_INDEX directory, as for the embedded backends
    """

    backend = BACKEND

    def __init__(
        self,
        path: str | PathLike | None = None,
        url: str | None = None,
        alias: str | None = None,
        shards: int | None = None,
        replicas: str | None = None,
        ranking: Ranking = RANKING,
    ) -> None:
        self.local = IndexRoot(path)
        self.path = self.local.path  # holds reindex.lock
        self.url = url or settings.get("FAHRAS_OPENSEARCH_URL")
        self.alias = alias or settings.get("FAHRAS_OPENSEARCH_INDEX")
        if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]{0,200}", self.alias):
            raise IndexUnavailable(
                f"FAHRAS_OPENSEARCH_INDEX={self.alias!r} is not a usable index name (lower case letters, digits, - _ .)"
            )
        self.shards = int(shards if shards is not None else settings.get("FAHRAS_OPENSEARCH_SHARDS"))
        self.replicas = str(replicas if replicas is not None else settings.get("FAHRAS_OPENSEARCH_REPLICAS"))
        _replica_settings(self.replicas)
        self.ranking = ranking
        self.client = connect(self.url)
        self._pattern = re.compile(re.escape(self.alias) + _NAME_SUFFIX)
        self._resolved: tuple[str | None, float] = (None, 0.0)
        self._resolve_lock = threading.Lock()

    @property
    def location(self) -> str:
        return f"{_redact(self.url)} alias {self.alias}"

    def __repr__(self) -> str:
        return f"ClusterStore({self.location})"

    def _handle(self, name: str) -> ClusterIndex:
        return ClusterIndex(name, self.client, self.url)

    def _unavailable(self, exc: BaseException) -> IndexUnavailable:
        return IndexUnavailable(
            f"the OpenSearch cluster at {_redact(self.url)} cannot be reached ({_describe(exc)}): "
            "start it or set FAHRAS_OPENSEARCH_URL"
        )

    # -- reading

    def _lookup(self) -> str | None:
        """The index behind the alias now; None if there is no alias; raises TransportError."""
        try:
            found = self.client.indices.get_alias(name=self.alias, request_timeout=ADMIN_TIMEOUT)
        except NotFoundError:
            return None
        names = sorted(found)
        return names[-1] if names else None

    def current_name(self) -> str | None:
        """Which index is served, looked up at most once per ALIAS_TTL; the last known one while the cluster is unreachable."""
        name, when = self._resolved
        if time.monotonic() - when < ALIAS_TTL:
            return name
        with self._resolve_lock:
            name, when = self._resolved
            if time.monotonic() - when < ALIAS_TTL:
                return name
            try:
                name = self._lookup()
            except TransportError:
                # Keep serving the index we know; its reader reports real failures.
                self._resolved = (name, time.monotonic())
                return name
            self._resolved = (name, time.monotonic())
            return name

    def current(self) -> ClusterIndex:
        try:
            name = self._lookup()
        except TransportError as exc:
            raise self._unavailable(exc) from exc
        if name is None:
            raise IndexUnavailable(
                f"no index behind alias {self.alias!r} at {_redact(self.url)}: run `fahras reindex --backend opensearch`."
            )
        self._resolved = (name, time.monotonic())
        return self._handle(name)

    def _meta(self, name: str) -> dict:
        try:
            found = self.client.indices.get_mapping(index=name, request_timeout=ADMIN_TIMEOUT)
        except NotFoundError:
            raise IndexUnavailable(f"OpenSearch index {name} is gone; run `fahras reindex --backend opensearch`.") from None
        except TransportError as exc:
            raise self._unavailable(exc) from exc
        return (next(iter(found.values()))["mappings"].get("_meta") or {}).get("fahras") or {}

    def manifest(self, generation=None) -> Manifest:
        name = _as_name(generation) if generation is not None else self.current().name
        meta = self._meta(name)
        try:
            manifest = Manifest(**{k: meta[k] for k in ("backend", "analysis_version", "document_count", "created", "format")})
        except (KeyError, TypeError):
            raise IndexUnavailable(
                f"OpenSearch index {name} has no complete manifest (an unfinished build?); "
                "run `fahras reindex --backend opensearch`."
            ) from None
        return manifest.check_compatible(f"OpenSearch index {name}", "fahras reindex --backend opensearch")

    def health(self) -> dict:
        """Cluster state for /healthz and reindex reports; IndexUnavailable if the cluster cannot be reached."""
        index: dict = {}
        documents = None
        try:
            cluster = self.client.cluster.health(request_timeout=ADMIN_TIMEOUT)
            name = self._lookup()
            if name is not None:
                index = self.client.cluster.health(index=name, request_timeout=ADMIN_TIMEOUT)
                documents = self.client.count(index=name, request_timeout=ADMIN_TIMEOUT)["count"]
        except TransportError as exc:
            raise self._unavailable(exc) from exc
        return {
            "store": "opensearch",
            "url": _redact(self.url),
            "alias": self.alias,
            "index": name,
            "cluster": {
                "name": cluster.get("cluster_name"),
                "status": cluster.get("status"),
                "nodes": cluster.get("number_of_nodes"),
                "data_nodes": cluster.get("number_of_data_nodes"),
                "unassigned_shards": cluster.get("unassigned_shards"),
            },
            "index_status": index.get("status"),
            "shards": {"active": index.get("active_shards"), "primaries": index.get("active_primary_shards"),
                       "unassigned": index.get("unassigned_shards")} if index else {},
            "documents": documents,
        }

    # -- writing

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        with self.local.writer_lock():
            yield

    def new_generation(self) -> ClusterIndex:
        name = f"{self.alias}-{time.strftime('%Y%m%dt%H%M%S')}-{getpid()}-{time.monotonic_ns() % 10**6}"
        meta = {"fahras": {"alias": self.alias, "state": "building", "format": FORMAT_VERSION}}
        try:
            self.client.indices.create(
                index=name,
                body=index_body(self.shards, self.replicas, meta, self.ranking),
                request_timeout=ADMIN_TIMEOUT,
                wait_for_active_shards="1",
            )
        except TransportError as exc:
            if _retryable(exc):
                raise self._unavailable(exc) from exc
            raise BackendError(f"cannot create OpenSearch index {name}: {_describe(exc)}") from exc
        return self._handle(name)

    def publish(self, generation, manifest: Manifest) -> None:
        """Serve `generation`: refresh, check its count, record the manifest, swap the alias in one call, prune."""
        name = _as_name(generation)
        client = self.client
        try:
            client.indices.refresh(index=name, request_timeout=ADMIN_TIMEOUT)
            # Every primary must be active for the count to be complete.
            health = client.cluster.health(
                index=name, wait_for_status="yellow", timeout="60s", request_timeout=ADMIN_TIMEOUT + 10
            )
            if health.get("status") not in ("yellow", "green"):
                raise BackendError(f"OpenSearch index {name} is {health.get('status')}: not published")
            found = client.count(index=name, request_timeout=ADMIN_TIMEOUT)["count"]
            if found != manifest.document_count:
                raise BackendError(
                    f"OpenSearch index {name} holds {found} documents, {manifest.document_count} were written; not published"
                )
            meta = {"fahras": {**asdict(manifest), "alias": self.alias, "state": "published"}}
            client.indices.put_mapping(index=name, body={"_meta": meta}, request_timeout=ADMIN_TIMEOUT)
            old = self._lookup_all()
            actions = [{"remove": {"index": index, "alias": self.alias}} for index in old if index != name]
            actions.append({"add": {"index": name, "alias": self.alias}})
            client.indices.update_aliases(body={"actions": actions}, request_timeout=ADMIN_TIMEOUT)
        except TransportError as exc:
            raise BackendError(f"publishing OpenSearch index {name} failed: {_describe(exc)}") from exc
        self._resolved = (name, time.monotonic())
        self.prune(keep=name)

    def _lookup_all(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias, request_timeout=ADMIN_TIMEOUT))
        except NotFoundError:
            return []

    def generations(self) -> dict[str, dict]:
        """This alias's concrete indices: name -> their `_meta.fahras`."""
        try:
            found = self.client.indices.get_mapping(index=f"{self.alias}-*", request_timeout=ADMIN_TIMEOUT)
        except NotFoundError:
            return {}
        return {
            name: (body["mappings"].get("_meta") or {}).get("fahras") or {}
            for name, body in found.items()
            if self._pattern.fullmatch(name)
        }

    def prune(self, keep) -> None:
        """Delete this alias's indices other than `keep` and the newest published one before it.

        The previous index stays one round so that readers still on it (other
        web workers, until they look the alias up again) finish their searches.
        """
        keep = _as_name(keep)
        try:
            gens = self.generations()
            served = set(self._lookup_all())
        except TransportError as exc:
            log.warning("could not list old indices of %s: %s", self.alias, _describe(exc))
            return
        published = sorted(n for n, meta in gens.items() if meta.get("state") == "published" and n != keep)
        previous = set(published[-1:])
        for name in sorted(gens):
            if name == keep or name in previous or name in served:
                continue
            self.discard(name)

    def discard(self, generation) -> None:
        name = _as_name(generation)
        try:
            self.client.indices.delete(index=name, request_timeout=ADMIN_TIMEOUT)
        except NotFoundError:
            pass
        except TransportError as exc:
            log.warning("could not delete OpenSearch index %s: %s", name, _describe(exc))

    def drop(self) -> None:
        """Delete the alias and every index of it (tests, decommissioning)."""
        for name in self.generations():
            self.discard(name)
        self._resolved = (None, 0.0)


def _as_name(generation) -> str:
    if isinstance(generation, ClusterIndex):
        return generation.name
    if isinstance(generation, PathLike):
        return Path(generation).name
    return str(generation)
