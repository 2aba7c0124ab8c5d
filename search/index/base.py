"""The index interface: everything above it (searcher, indexer, faces) sees only this.

A backend indexes `AnalyzedDocument`s (terms produced by our analysis chain,
never its own) and answers an `IndexQuery`, the neutral description of
search/index/description.py. What a backend can do beyond the core is
declared in its `capabilities`, never probed for.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar, Iterator, Protocol

from ..documents import AnalyzedDocument
from .description import IndexQuery


class BackendError(Exception):
    """The index cannot be opened or read (missing, corrupt, cluster down)."""


class IndexUnavailable(Exception):
    """No usable index: missing, damaged or built by an incompatible version. The message says what to do."""


@dataclass(frozen=True)
class Capabilities:
    # The reader lists a field's terms with their document frequencies (did-you-mean).
    vocabulary: bool = False
    # The reader answers document frequencies of single terms (feedback's rarity weights).
    doc_frequency: bool = True
    # The served index takes document writes in place (open_updater): add = replace by id, delete.
    live_writes: bool = False
    # The reader completes a prefix (vocabulary with a prefix and a limit) without listing
    # every term: the query language's prefix*. Implied by `vocabulary`.
    prefixes: bool = False


@dataclass
class BackendHit:
    id: str
    score: float
    fields: Mapping  # the stored fields of Document.stored() (a dict, or read as needed: index/stored.py)
    # Equal for the copies of one story where the engine reads it from a column, without the
    # stored document (Tantivy's story column); None: the stored group tells (search/collapse.py).
    story: int | None = None


@dataclass
class BackendResult:
    total: int
    hits: list[BackendHit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    # YYYY-MM-DD -> matching documents of that day, when the query asked for days.
    days: dict[str, int] = field(default_factory=dict)
    # Asked for by IndexQuery.stories: distinct groups among the matches (an
    # engine may estimate it, as cardinality aggregations do), and per facet value.
    stories: int | None = None
    story_facets: dict[str, dict[str, int]] = field(default_factory=dict)
    # `total` (and `stories`) are estimates: more than IndexQuery.count_up_to matched.
    estimated: bool = False


class IndexWriter(Protocol):
    # Documents the engine refused one by one, with the reason: (id, reason).
    rejected: list[tuple[str, str]]
    # Request statistics of a cluster writer (BulkStats); None for an embedded one.
    stats: object | None

    def add(self, doc: AnalyzedDocument) -> None:
        """Index `doc`; on a writer opened by open_updater, it replaces any document with its id."""

    def delete(self, doc_id: str) -> None:
        """Remove the document with this id, if any (open_updater writers)."""

    def commit(self) -> None:
        """Make every added document durable in the writer's directory."""

    def abort(self) -> None:
        """Discard everything added; the directory may be removed afterwards."""


class IndexReader(Protocol):
    capabilities: ClassVar[Capabilities]

    def search(self, query: IndexQuery) -> BackendResult: ...

    def scan(self, query: IndexQuery, limit: int) -> Iterator[BackendHit]:
        """Every match of `query` in its order, up to `limit`, in one pass (an export: no offset paging, no facets)."""

    def get(self, doc_id: str) -> dict | None: ...

    def doc_count(self) -> int: ...

    def doc_frequency(self, field: str, term: str) -> int:
        """Documents whose `field` holds `term`."""

    def vocabulary(self, field: str = "exact", prefix: str = "", limit: int | None = None) -> Iterator[tuple[str, int]]:
        """(term, document frequency) pairs of `field`; only where capabilities.vocabulary.

        With `prefix`, only terms that begin with it; with `limit`, only the
        `limit` most frequent of them, most frequent first.
        """

    def close(self) -> None: ...


def empty_result() -> BackendResult:
    return BackendResult(total=0, hits=[])
