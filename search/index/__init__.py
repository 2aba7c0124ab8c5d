"""The index: one interface (base.py), the stores of generations, and one translator per engine.

Backends are chosen by name and imported only when used. Embedded backends
keep generations in a local directory (store.IndexRoot); a cluster backend
keeps concrete indices behind an alias (opensearch.ClusterStore). Both
stores have the same methods.
"""
from __future__ import annotations

import os
from importlib import import_module
from pathlib import Path

from .. import settings
from .base import BackendError, Capabilities, IndexReader, IndexUnavailable, IndexWriter
from .store import IndexRoot, Manifest, ReindexBusy, WriterBusy

# name -> (module, writer class, reader class)
_EMBEDDED = {
    "whoosh": ("whoosh_index", "WhooshWriter", "WhooshReader"),
    "tantivy": ("tantivy_index", "TantivyWriter", "TantivyReader"),
}
EMBEDDED_BACKENDS = tuple(_EMBEDDED)
# Backends whose index lives in a cluster: the "generation" they are handed is
# the cluster store's handle of a concrete index.
_CLUSTER = {
    "opensearch": ("opensearch", "OpenSearchWriter", "OpenSearchReader"),
}
CLUSTER_BACKENDS = tuple(_CLUSTER)
BACKENDS = EMBEDDED_BACKENDS + CLUSTER_BACKENDS

__all__ = [
    "BACKENDS", "BackendError", "Capabilities", "IndexReader", "IndexRoot", "IndexUnavailable", "IndexWriter",
    "Manifest", "ReindexBusy", "WriterBusy", "capabilities", "count_documents", "create_writer", "open_reader", "open_store", "open_updater",
]


def _load(name: str, which: int):
    try:
        module, *classes = _EMBEDDED.get(name) or _CLUSTER[name]
    except KeyError:
        raise BackendError(f"unknown backend {name!r}; choose one of: {', '.join(BACKENDS)}") from None
    return getattr(import_module(f"{__name__}.{module}"), classes[which])


def create_writer(name: str, path: Path, expected_documents: int = 0) -> IndexWriter:
    return _load(name, 0)(path, expected_documents=expected_documents)


def open_updater(name: str, path: Path) -> IndexWriter:
    """A writer on the existing index in `path`: add replaces by id, delete by id, commit publishes.

    Only for backends whose capabilities declare live_writes; the caller holds
    the store's write lock.
    """
    return _load(name, 0)(path, update=True)


def open_reader(name: str, path: Path) -> IndexReader:
    return _load(name, 1)(path)


def count_documents(name: str, path: Path) -> int:
    """The documents of one generation, read by a reader of its own (closed again)."""
    reader = open_reader(name, path)
    try:
        return reader.doc_count()
    finally:
        reader.close()


def capabilities(name: str) -> Capabilities:
    """What the backend's reader can do beyond the core, without opening an index."""
    return _load(name, 1).capabilities


def open_store(path: str | os.PathLike | None = None, backend: str | None = None):
    """Where the served index lives for `backend` (FAHRAS_BACKEND by default).

    Embedded backends (whoosh, tantivy): generations in the local directory
    `path` (IndexRoot; readers follow its manifest, whichever backend built it).
    opensearch: concrete indices behind an alias in the cluster at
    FAHRAS_OPENSEARCH_URL (ClusterStore, same methods); `path` still holds the
    writer lock.
    """
    backend = backend or settings.get("FAHRAS_BACKEND")
    if backend in CLUSTER_BACKENDS:
        from .opensearch.store import ClusterStore

        return ClusterStore(path)
    return IndexRoot(path)
