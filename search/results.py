"""The result schema: one definition for the library, the CLI's --json and the JSON API."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Hit:
    id: str
    title: str  # plain text (escape it to display)
    snippet: str  # HTML: escaped text with <mark> around matched words
    date: str | None
    source: str | None
    category: str | None
    author: str | None
    url: str | None
    score: float  # relevance (BM25F); 0.0 when results are sorted by date
    group: str = ""  # the story this article is a copy of (search/grouping.py)
    # The story's other copies ({"id", "source", "date"}) when results are grouped.
    copies: list[dict] = field(default_factory=list)


@dataclass
class SearchResult:
    query: str
    total: int
    page: int
    size: int
    took_ms: float
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    suggestion: str | None = None
    # The query had more distinct words than the searcher takes (a pasted
    # paragraph): the first ones were searched.
    truncated: bool = False
    # How the query was read: its operators and analysed words (the query language).
    interpreted: str = ""
    # Other spellings searched with a query word, at a lower weight (ترمب: [ترامب]; trump: [ترامب]).
    spellings: dict[str, list[str]] = field(default_factory=dict)
    # Matches over time: {"interval", "buckets": [{"start", "count"}]} (search/timeline.py), with the facets.
    timeline: dict | None = None
    # Grouped by story (the default): `total` and paging count stories, each
    # shown once at its best copy; `articles` counts every matching article.
    grouped: bool = False
    articles: int = 0
    # `total` and `articles` are estimates: more matched than are counted exactly (FAHRAS_EXACT_TOTAL).
    estimated: bool = False
    # Per facet value, the stories among its articles (when grouped).
    story_facets: dict[str, dict[str, int]] = field(default_factory=dict)
    # The parsed query (search.query.QueryPlan) the hits were found with. Not
    # annotated, so not a dataclass field: it stays out of the schema.
    plan = None

    def to_dict(self) -> dict:
        """As dataclasses.asdict(self), without its deep copy of every value (a hot path of the API)."""
        out = {name: getattr(self, name) for name in self.__dataclass_fields__}
        out["hits"] = [{name: getattr(hit, name) for name in hit.__dataclass_fields__} for hit in self.hits]
        out["facets"] = {name: dict(counts) for name, counts in self.facets.items()}
        out["story_facets"] = {name: dict(counts) for name, counts in self.story_facets.items()}
        out["spellings"] = {word: list(shown) for word, shown in self.spellings.items()}
        return out


@dataclass
class ArchiveOverview:
    """What the archive holds (Searcher.overview): the home page's first view."""

    documents: int
    sources: dict[str, int]  # articles per source, most first
    first_date: str | None  # YYYY-MM-DD of the oldest dated article
    last_date: str | None
    latest: list[Hit]  # the newest articles (no snippets)
