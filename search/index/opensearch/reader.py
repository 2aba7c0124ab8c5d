"""Search, get and counts on one concrete index, with retries inside the search time budget."""
from __future__ import annotations

import time
from dataclasses import replace
from typing import Callable

from opensearchpy.exceptions import NotFoundError, TransportError

from ... import settings
from ..base import BackendError, BackendHit, BackendResult, Capabilities, empty_result
from ..description import IndexQuery
from .client import as_index, describe, redact, retryable
from .translate import search_body

# Searches: a failed attempt (connection lost, 5xx, shard copies failing while
# a node leaves) is tried again within the search time budget.
SEARCH_ATTEMPTS = 3
# Hits per request of a scan (an export): each page starts after the last hit of the one before.
SCAN_PAGE = 1000


class OpenSearchReader:
    # No vocabulary: listing every term of a cluster index is not what a cluster is for;
    # the completions of one prefix are a terms aggregation.
    capabilities = Capabilities(vocabulary=False, prefixes=True, live_writes=True)

    def __init__(self, generation) -> None:
        self._index = as_index(generation)
        self._client = self._index.client
        self._timeout = float(settings.get("FAHRAS_SEARCH_TIMEOUT"))
        name = self._index.name
        try:
            found = self._client.indices.get_settings(index=name, request_timeout=self._timeout)
        except NotFoundError:
            raise BackendError(f"no OpenSearch index {name} at {redact(self._index.url)}") from None
        except TransportError as exc:
            raise BackendError(f"cannot open OpenSearch index {name} at {redact(self._index.url)}: {describe(exc)}") from exc
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
                raise BackendError(f"OpenSearch index {self._index.name} is gone: {describe(exc)}") from exc
            except TransportError as exc:
                if not retryable(exc) or attempt + 1 == SEARCH_ATTEMPTS or time.monotonic() > deadline:
                    raise BackendError(f"OpenSearch {what} failed on {self._index.name}: {describe(exc)}") from exc
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

    def search(self, query: IndexQuery) -> BackendResult:
        if not query:
            return empty_result()
        offset = max(0, query.offset)
        body = search_body(query, self._window)
        response = self._call(
            "search",
            lambda: self._client.search(
                index=self._index.name,
                body=body,
                search_type=self._search_type,
                request_timeout=self._timeout,
            ),
        )
        hits = [
            BackendHit(id=hit["_id"], score=float(hit.get("_score") or 0.0), fields=hit["_source"]["doc"])
            for hit in response["hits"]["hits"]
        ]
        if query.count:
            total = response["hits"]["total"]["value"]
        else:  # not counted: at least the hits read, and more when the page was full
            total = offset + len(hits) + (len(hits) == body["size"] > 0)
        if offset >= self._window and offset < total:
            raise BackendError(f"results beyond {self._window} cannot be paged to; narrow the search")
        result = BackendResult(total=total, hits=hits)
        aggregations = response.get("aggregations") or {}
        if query.stories:
            result.stories = int(aggregations.get("stories", {}).get("value", 0))
        for name in query.facet_fields if query.facets else ():
            buckets = [b for b in aggregations.get(name, {}).get("buckets", []) if b["key"]]
            result.facets[name] = {b["key"]: b["doc_count"] for b in buckets}
            if query.stories:
                result.story_facets[name] = {b["key"]: int(b["stories"]["value"]) for b in buckets}
        if query.days:
            buckets = aggregations.get("days", {}).get("buckets", [])
            result.days = {b["key_as_string"]: b["doc_count"] for b in buckets if b["doc_count"]}
        return result

    def scan(self, query: IndexQuery, limit: int):
        """Every match in the query's order, up to `limit`, in pages that follow each other (search_after), never by offset."""
        if not query:
            return
        # Pages no longer than asked: a short scan (a related list) reads only its documents.
        page_size = max(1, min(SCAN_PAGE, limit))
        body = search_body(replace(query, offset=0, limit=page_size, facets=False, days=False), self._window)
        body["track_total_hits"] = False
        body.pop("from", None)
        sent = 0
        while sent < limit:
            page = dict(body)
            response = self._call(
                "scan",
                lambda: self._client.search(
                    index=self._index.name, body=page, search_type=self._search_type, request_timeout=self._timeout
                ),
            )
            hits = response["hits"]["hits"]
            for hit in hits[: limit - sent]:
                yield BackendHit(id=hit["_id"], score=float(hit.get("_score") or 0.0), fields=hit["_source"]["doc"])
            sent += len(hits)
            if len(hits) < page_size:
                return
            body["search_after"] = hits[-1]["sort"]

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

    def vocabulary(self, field: str = "exact", prefix: str = "", limit: int | None = None):
        """The `limit` most frequent terms of `field` beginning with `prefix`, with their document frequencies.

        Only with a prefix and a limit (capabilities.prefixes): the documents
        holding a term with the prefix, and a terms aggregation over their
        terms that begin with it, most frequent first, as the embedded readers rank them.
        """
        if not prefix or not limit:
            raise BackendError("the OpenSearch reader lists only the completions of a prefix, a limited number")
        include = "".join(c if c.isalnum() else "\\" + c for c in prefix) + ".*"
        body = {"size": 0, "query": {"prefix": {field: prefix}},
                "aggs": {"terms": {"terms": {"field": field, "include": include, "size": limit,
                                             "order": [{"_count": "desc"}, {"_key": "asc"}]}}}}
        response = self._call(
            "prefix", lambda: self._client.search(index=self._index.name, body=body, request_timeout=self._timeout)
        )
        for bucket in response.get("aggregations", {}).get("terms", {}).get("buckets", []):
            yield bucket["key"], int(bucket["doc_count"])

    def close(self) -> None:
        # The client (and its connection pool) belongs to the store that made the handle.
        pass


