"""The bulk writer: every item acknowledged, retried or rejected with its reason."""
from __future__ import annotations

import json
import logging
import threading
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Callable

from opensearchpy.exceptions import TransportError

from ...documents import AnalyzedDocument
from ..base import BackendError
from ..fields import TEXT_FIELDS, index_fields
from .client import ADMIN_TIMEOUT, _RETRYABLE_STATUS, as_index, backoff, describe, retryable

log = logging.getLogger(__name__)

# Bulk requests: whichever limit comes first. 500 news articles are about 2 MB
# of JSON; 5 MB keeps one request well under http.max_content_length (100 MB)
# and short enough to retry cheaply.
BULK_DOCS = 500
BULK_BYTES = 5 * 1024 * 1024
# Bulk requests outstanding at once: the next batch waits for a free slot, so a
# slow or overloaded cluster slows the indexer down instead of filling memory.
BULK_IN_FLIGHT = 2
# Attempts of one bulk request: about 3 minutes of backoff in all, enough for a
# node to leave and its shards to be promoted elsewhere.
BULK_ATTEMPTS = 12
# Client-side timeout of one bulk request (the server waits up to its own
# `timeout`, 1 min by default, for an unavailable shard).
BULK_TIMEOUT = 120


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
        update: bool = False,
    ) -> None:
        self._index = as_index(generation)
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
        # A live write goes to the served index (refresh already off);
        # indexing by _id replaces a document with the same id.
        self._update = update
        if update:
            return
        try:
            self._client.indices.put_settings(index=self._index.name, body={"index": {"refresh_interval": "-1"}})
        except TransportError as exc:
            raise BackendError(f"cannot prepare index {self._index.name} for bulk indexing: {describe(exc)}") from exc

    def add(self, doc: AnalyzedDocument) -> None:
        f = index_fields(doc)
        source = {"id": f.id, **{name: getattr(f, name) for name in TEXT_FIELDS}, **f.keywords(), "fingerprint": list(f.fingerprint), "doc": f.stored}
        self._append(
            f.id,
            json.dumps({"index": {"_id": f.id}}, ensure_ascii=False)
            + "\n"
            + json.dumps(source, ensure_ascii=False, separators=(",", ":"))
            + "\n",
        )

    def delete(self, doc_id: str) -> None:
        self._append(doc_id, json.dumps({"delete": {"_id": doc_id}}, ensure_ascii=False) + "\n")

    def _append(self, doc_id: str, text: str) -> None:
        line = text.encode("utf-8")
        if self._ids and (len(self._ids) >= self._bulk_docs or self._size + len(line) > self._bulk_bytes):
            self._flush()
        self._lines.append(line)
        self._ids.append(doc_id)
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
                time.sleep(backoff(attempt - 1))
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
                if not retryable(exc):
                    raise BackendError(f"bulk request to {name} refused: {describe(exc)}") from exc
                log.warning("bulk request to %s failed (%s); attempt %d of %d", name, describe(exc), attempt + 1, BULK_ATTEMPTS)
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
                    op, result = next(iter(item.items()))
                    status = result.get("status", 0)
                    # A delete of a document already gone has done its work.
                    if 200 <= status < 300 or (op == "delete" and status == 404):
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
        """Send what is left, wait for every request, refresh.

        Periodic refresh stays off on the index: it is refreshed only here, once
        a whole batch is acknowledged, so searches never see half of one.
        """
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
        except TransportError as exc:
            raise BackendError(f"cannot refresh {name} after indexing: {describe(exc)}") from exc

    def abort(self) -> None:
        self._closed = True
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pending = []


