"""OpenSearch backend: the same analysed terms, served by a cluster behind an alias.

Nothing here analyses Arabic. Documents and queries go through our own chain
(search/analysis.py); the cluster receives space-joined terms in text fields
mapped with the built-in `whitespace` analyzer (search/index/fields.py), so
OpenSearch indexes exactly the terms the embedded backends index. Scoring is
BM25 with Ranking.k1/b set as the index's own similarity, and the query is a
translation of the neutral description (translate.py).

    client.py     connection, retries, error descriptions
    mapping.py    settings and mappings of a new concrete index
    bulk.py       the bulk writer: batches, bounded requests in flight, retries
    translate.py  IndexQuery -> the `_search` body
    reader.py     search, get, counts
    store.py      the alias: generations, manifest, atomic swap, pruning

Where the served index lives: `ClusterStore` plays the part of store.IndexRoot.
Each reindex builds a concrete index `<alias>-<timestamp>`; `publish` checks its
count and swaps the alias to it in one `_aliases` call, so readers see the old
index or the new one, never a half-built one; the manifest is kept in the
index mapping's `_meta`. The writer lock stays a local file (FAHRAS_INDEX): one
indexing host per alias.
"""
from __future__ import annotations

from .bulk import OpenSearchWriter
from .reader import OpenSearchReader
from .store import ClusterStore

__all__ = ["ClusterStore", "OpenSearchReader", "OpenSearchWriter"]
