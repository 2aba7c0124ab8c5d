"""Backends behind one interface (base.py); chosen by name, imported only when used."""
from __future__ import annotations

from importlib import import_module
from pathlib import Path

from .base import BackendError, IndexReader, IndexWriter

# name -> (module, writer class, reader class)
_EMBEDDED = {
    "whoosh": ("whoosh_backend", "WhooshWriter", "WhooshReader"),
    "tantivy": ("tantivy_backend", "TantivyWriter", "TantivyReader"),
}
EMBEDDED_BACKENDS = tuple(_EMBEDDED)
# Backends whose index lives in a cluster: the "generation" they are handed is
# the cluster store's handle of a concrete index (search.store.open_store).
_CLUSTER = {
    "opensearch": ("opensearch_backend", "OpenSearchWriter", "OpenSearchReader"),
}
CLUSTER_BACKENDS = tuple(_CLUSTER)
BACKENDS = EMBEDDED_BACKENDS + CLUSTER_BACKENDS


def _load(name: str, which: int):
    try:
        module, *classes = _EMBEDDED.get(name) or _CLUSTER[name]
    except KeyError:
        raise BackendError(f"unknown backend {name!r}; choose one of: {', '.join(BACKENDS)}") from None
    return getattr(import_module(f"{__name__}.{module}"), classes[which])


def create_writer(name: str, path: Path, expected_documents: int = 0) -> IndexWriter:
    return _load(name, 0)(path, expected_documents=expected_documents)


def open_reader(name: str, path: Path, **options) -> IndexReader:
    """Open a reader; `options` (e.g. ranking=Ranking(...)) go to the backend's reader."""
    return _load(name, 1)(path, **options)


def has_vocabulary(name: str) -> bool:
    """Whether the backend's reader lists a field's terms (for did-you-mean), without opening an index."""
    return hasattr(_load(name, 1), "vocabulary")
