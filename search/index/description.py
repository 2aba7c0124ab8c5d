"""The neutral query description: what every engine translates, and nothing engine-specific.

Built once from a query plan and the ranking (search/query/scoring.py); a
backend turns it into its own query objects and does nothing else. Scores
add up as in a Lucene boolean query: every `should` clause that matches adds
its BM25 score times its boost, at least one of them must match, `required`
clauses must all match and add nothing, and `filters` restrict without scoring.
The query language nests `Bool` clauses (Lucene's must / should / must_not);
`All` matches every document (browsing).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..documents import FACET_FIELDS, parse_day

SORTS = ("relevance", "date", "oldest")  # date: newest first


@dataclass(frozen=True)
class Term:
    field: str
    value: str
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    """`words` in order on `field`, with at most `slop` other words between each two (Lucene's slop)."""

    field: str
    words: tuple[str, ...]
    slop: int = 0
    boost: float = 1.0


@dataclass(frozen=True)
class Bool:
    """Every `must` clause and no `must_not` one matches, and a `should` one when there is no `must`.

    Without `must` or `should` clauses it matches nothing (as in Lucene);
    matching `must_not` clauses add no score.
    """

    must: tuple["Clause", ...] = ()
    should: tuple["Clause", ...] = ()
    must_not: tuple["Clause", ...] = ()


@dataclass(frozen=True)
class All:
    """Every document, with a constant score."""


Clause = Term | Phrase | Bool | All


@dataclass(frozen=True)
class Filters:
    """Values of one facet are OR'ed, facets and dates AND'ed."""

    sources: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    date_from: str | None = None  # YYYY-MM-DD, inclusive
    date_to: str | None = None  # YYYY-MM-DD, inclusive

    def __post_init__(self) -> None:
        # Validated here so that every backend sees the same, well-formed bounds.
        for bound in (self.date_from, self.date_to):
            if bound is not None:
                parse_day(bound)

    def __bool__(self) -> bool:
        return bool(self.sources or self.categories or self.authors or self.date_from or self.date_to)

    def selected(self, facet: str) -> tuple[str, ...]:
        """The values selected of a facet field (source, category, author)."""
        return getattr(self, _SELECTED[facet])

    def without(self, facet: str) -> "Filters":
        """These filters but those of one facet field: what its own counts are counted over."""
        return replace(self, **{_SELECTED[facet]: ()})


# Facet field -> its Filters attribute.
_SELECTED = dict(zip(FACET_FIELDS, ("sources", "categories", "authors")))


@dataclass(frozen=True)
class IndexQuery:
    should: tuple[Clause, ...] = ()  # at least one matches; each adds its score
    required: tuple[Clause, ...] = ()  # all match; no score
    # Clauses matching the same documents as `should` without the ones that
    # only add score (pair phrases, exact and lead fields): an engine may count
    # totals and facets with them, which is cheaper.
    matching: tuple[Clause, ...] = ()
    filters: Filters = Filters()
    sort: str = "relevance"  # or "date" (newest first) or "oldest"
    offset: int = 0
    limit: int = 10
    facets: bool = False
    # The facet fields counted when `facets` (a disjunctive count asks for one).
    facet_fields: tuple[str, ...] = FACET_FIELDS
    # Count the matching documents per day (BackendResult.days), for the timeline.
    days: bool = False
    # Also count stories (distinct values of the `group` keyword) among the
    # matching documents, in all and per facet value: BackendResult.stories.
    stories: bool = False
    # Count every match for `total`. Without it an engine may stop at the top
    # hits (block-max pruning): `total` is then only at least the hits read,
    # and more than them when more may follow.
    count: bool = True
    # Count exactly up to about this many matches; past it an engine may
    # estimate the total (BackendResult.estimated) and skip while ranking.
    # 0: always count (Elasticsearch's track_total_hits=true).
    count_up_to: int = 0

    def __bool__(self) -> bool:
        return bool(self.should or self.required)
