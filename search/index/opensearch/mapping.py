"""Settings and mappings of a new concrete index: the fields of search/index/fields.py, BM25 with our k1/b."""
from __future__ import annotations

import re

from ..base import BackendError
from ..ranking import RANKING, Ranking

SIMILARITY = "fahras_bm25"
# The searcher serves results up to rank 10,000 in pages of up to as many: the deepest page ends below 20,000.
MAX_RESULT_WINDOW = 20_000


def replica_settings(value: str) -> dict:
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
                **replica_settings(replicas),
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
            "_source": {"excludes": ["title", "body", "lead", "exact", "byline", "fingerprint"]},
            "properties": {
                "id": {"type": "keyword"},
                "title": {**text, "index_options": "freqs"},
                "body": {**text, "index_options": "freqs"},
                "lead": {**text, "index_options": "freqs"},
                # fielddata: the terms aggregation that completes a prefix* reads it.
                "exact": {**text, "index_options": "positions", "fielddata": True},
                "byline": {**text, "index_options": "positions"},
                # A malformed day leaves the document undated instead of rejecting it.
                "day": {"type": "date", "format": "yyyy-MM-dd", "ignore_malformed": True},
                # The UTC instant: sort by date, to the second.
                "time": {"type": "date", "format": "yyyy-MM-dd'T'HH:mm:ss", "ignore_malformed": True},
                "source": {"type": "keyword"},
                "category": {"type": "keyword"},
                "author": {"type": "keyword"},
                "group": {"type": "keyword"},
                "fingerprint": {"type": "keyword", "doc_values": False},
                "doc": {"type": "object", "enabled": False},
            },
        },
    }


