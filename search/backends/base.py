"""The backend interface: everything above it (indexer, engine, web) sees only this.

A backend indexes `AnalyzedDocument`s (terms produced by our analysis chain,
never its own) and answers a `SearchRequest` built from a `QueryPlan`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from ..documents import AnalyzedDocument
from ..query import QueryPlan


class BackendError(Exception):
    """The index cannot be opened or read (missing, corrupt, cluster down)."""


@dataclass(frozen=True)
class Filters:
    sources: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    date_from: str | None = None  # YYYY-MM-DD, inclusive
    date_to: str | None = None  # YYYY-MM-DD, inclusive

    def __post_init__(self) -> None:
        # Validated here so that every backend sees the same, well-formed bounds.
        for bound in (self.date_from, self.date_to):
            if bound is not None:
                try:
                    date.fromisoformat(bound)
                except (TypeError, ValueError):
                    raise ValueError(f"invalid date {bound!r}: expected YYYY-MM-DD") from None
                if len(bound) != 10:
                    raise ValueError(f"invalid date {bound!r}: expected YYYY-MM-DD")

    def __bool__(self) -> bool:
        return bool(self.sources or self.categories or self.date_from or self.date_to)


@dataclass(frozen=True)
class SearchRequest:
    plan: QueryPlan
    filters: Filters = Filters()
    sort: str = "relevance"  # or "date" (newest first)
    offset: int = 0
    limit: int = 10
    facets: bool = False


@dataclass
class BackendHit:
    id: str
    score: float
    fields: dict  # the stored fields of Document.stored()


@dataclass
class BackendResult:
    total: int
    hits: list[BackendHit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


class IndexWriter(Protocol):
    def add(self, doc: AnalyzedDocument) -> None: ...

    def commit(self) -> None:
        """Make every added document durable in the writer's directory."""

    def abort(self) -> None:
        """Discard everything added; the directory may be removed afterwards."""


class IndexReader(Protocol):
    def search(self, request: SearchRequest) -> BackendResult: ...

    def get(self, doc_id: str) -> dict | None: ...

    def doc_count(self) -> int: ...

    def doc_frequency(self, field: str, term: str) -> int:
        """Documents whose `field` holds `term` (for feedback's rarity weights)."""

    def close(self) -> None: ...
