"""Tantivy hits in order of time, the documents of one time in order of id.

Tantivy orders a search by one fast field only. Documents of the same second
come back in index order, which changes with merges and differs from the
other engines; so each run of one time is put in id order here. A run lying
inside what was read is sorted as it is read; a run cut by the edge of the
page (begun before it, or going on past the documents read) is taken from a
terms aggregation over the `id` column of all that time's matches, ordered
by id: at most two aggregations a page, and only where a run is cut.
Undated documents come last in both orders, as one run.
"""
from __future__ import annotations

from datetime import datetime
from typing import Iterator

import tantivy
from tantivy import FieldType, Occur, Order, Query

from .tantivy_hits import stored

EPOCH = datetime(1970, 1, 1)


def time_seconds(instant: str) -> int:
    """YYYY-MM-DDTHH:MM:SS (UTC) -> seconds since 1970 (negative before)."""
    return int((datetime.fromisoformat(instant) - EPOCH).total_seconds())


def in_time_order(
    searcher: tantivy.Searcher, schema: tantivy.Schema, query: Query, newest: bool, offset: int, limit: int, count: bool = True
) -> tuple[int | None, Iterator[dict]]:
    """(the matches, or None without `count`; the stored fields of hits offset .. offset+limit, read as consumed)."""
    wanted = offset + limit
    order = Order.Desc if newest else Order.Asc
    found = searcher.search(query, limit=wanted, count=count, order_by_field="time", order=order)
    keys = [key for key, _ in found.hits]
    addresses = [address for _, address in found.hits]
    # Read in full, the last time's documents may go on past the ones read.
    cut_at_end = len(keys) == wanted
    return (found.count if count else None), _page(searcher, schema, query, keys, addresses, offset, cut_at_end)


def _page(searcher, schema, query, keys, addresses, offset, cut_at_end) -> Iterator[dict]:
    j = offset
    while j < len(keys):
        key, start, end = keys[j], j, j
        while start > 0 and keys[start - 1] == key:
            start -= 1
        while end < len(keys) and keys[end] == key:
            end += 1
        if start < j or (end == len(keys) and cut_at_end):
            ids = _first_ids(searcher, schema, query, key, end - start)
            yield from _documents(searcher, schema, ids[j - start :])
        else:
            yield from sorted((stored(searcher, a) for a in addresses[j:end]), key=lambda f: f["id"])
        j = end


def _first_ids(searcher, schema, query: Query, key: int | None, size: int) -> list[str]:
    """The `size` smallest ids among the matches of `query` at time `key` (None: undated)."""
    if key is None:
        same = [(Occur.Must, query), (Occur.MustNot, Query.exists_query("time"))]
    else:
        same = [(Occur.Must, query), (Occur.Must, Query.range_query(schema, "time", FieldType.Integer, key, key))]
    spec = {"ids": {"terms": {"field": "id", "size": size, "order": {"_key": "asc"}}}}
    buckets = searcher.aggregate(Query.boolean_query(same), spec).get("ids", {}).get("buckets", [])
    return [b["key"] for b in buckets]


def _documents(searcher, schema, ids: list[str]) -> list[dict]:
    if not ids:
        return []
    found = searcher.search(Query.term_set_query(schema, "id", ids), limit=len(ids), count=False)
    by_id = {f["id"]: f for f in (stored(searcher, a) for _, a in found.hits)}
    return [by_id[i] for i in ids if i in by_id]
