"""Counting the matches of a Tantivy query: totals (exact or estimated), facets, stories, days.

Facets, stories and days are aggregations over the fast columns of every
match, made in one pass over them. The total is counted exactly while the
query's terms are rare enough for it to be cheap; past `count_up_to` it is
estimated from their document frequencies (search/index/estimate.py) and
marked so, as Elasticsearch's track_total_hits stops counting, and the ranked
search may then skip documents that cannot reach the top (block-max WAND).
"""
from __future__ import annotations

import tantivy
from tantivy import Query

from .base import BackendResult
from .description import IndexQuery, Term
from .estimate import union_size

# The UI shows the top values; this bound only guards against a pathological
# number of distinct sources (the dev corpus has about 20). Up to EXACT_STORIES
# matching articles, stories are counted exactly.
FACET_SIZE, EXACT_STORIES = 1000, 2000
# Bylines are many (9,224 in the news archive): the most frequent are listed,
# as Elasticsearch's terms aggregation lists its top `size`.
FACET_SIZES = {"author": 50}
# Distinct days a timeline counts: over 270 years of daily news.
DAY_BUCKETS = 100_000
DAYS = {"days": {"terms": {"field": "day", "size": DAY_BUCKETS}}}


def estimated_total(searcher: tantivy.Searcher, query: IndexQuery) -> int | None:
    """The matches of a plain OR of terms estimated from their frequencies, when more than query.count_up_to match.

    None when the total should be counted: a bound of 0, other clauses
    (phrases, required words, filters), or terms rare enough to count.
    """
    clauses = query.matching or query.should
    if not query.count_up_to or query.required or query.filters or not all(isinstance(c, Term) for c in clauses):
        return None
    frequencies = [searcher.doc_freq(c.field, c.value) for c in clauses]
    if max(frequencies, default=0) <= query.count_up_to:
        return None  # at most a few times the bound: counted exactly, and cheaply
    return union_size(frequencies, searcher.num_docs)


def story_share(searcher: tantivy.Searcher, column: str = "story") -> float:
    """Stories per article over the whole index: what an estimated total of articles holds in stories."""
    n = searcher.num_docs
    if not n:
        return 1.0
    found = searcher.aggregate(Query.all_query(), {"stories": {"cardinality": {"field": column}}})
    return min(1.0, max(found["stories"]["value"], 1.0) / n)


def day_counts(found: dict, scale: float = 1.0) -> dict[str, int]:
    # A terms aggregation over the integer `day` column: YYYYMMDD is not
    # linear in time, so the histogram is made from days (search/timeline.py).
    buckets = found.get("days", {}).get("buckets", [])
    if scale == 1.0:
        return {_iso_day(b["key"]): int(b["doc_count"]) for b in buckets}
    return {_iso_day(b["key"]): round(b["doc_count"] * scale) for b in buckets}


# YYYYMMDD -> "YYYY-MM-DD", kept: a long result has hundreds of days, and an archive a few thousand in all.
_ISO_DAYS: dict[float, str] = {}


def _iso_day(key: float) -> str:
    iso = _ISO_DAYS.get(key)
    if iso is None:
        digits = f"{int(key):08d}"
        iso = _ISO_DAYS[key] = f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
    return iso


def aggregate(searcher: tantivy.Searcher, query: Query, asked: IndexQuery, result: BackendResult, scale: float = 1.0,
              stories_in: str = "story") -> None:
    # One terms aggregation per facet field over the fast columns of all
    # matching documents (or of a sample of them, counts times `scale`);
    # documents without a value are not counted.
    # Stories are the distinct values of the group column: counted exactly
    # (a terms aggregation) for small sets, where HyperLogLog's error of a
    # percent or two shows. Above, the stories of the whole result are
    # estimated (cardinality), and each facet value's in the same proportion
    # to its articles: a cardinality per facet value costs as much as the
    # rest of the search together.
    exact = result.total <= EXACT_STORIES
    # `stories_in`: the story column, or the group's text column of an index without one.
    stories = {"stories": {"terms": {"field": stories_in, "size": EXACT_STORIES}} if exact
               else {"cardinality": {"field": stories_in}}} if asked.stories else {}
    # The days of the timeline come in the same pass over the matches.
    spec = {**stories, **(DAYS if asked.days else {})}
    if asked.facets:
        spec.update({name: {"terms": {"field": name, "size": FACET_SIZES.get(name, FACET_SIZE)}, **({"aggs": stories} if exact else {})}
                     for name in asked.facet_fields})
    if not spec:
        return
    found = searcher.aggregate(query, spec)
    if asked.days:
        result.days = day_counts(found, scale)
    count = (lambda agg: len(agg.get("buckets", ()))) if exact else (lambda agg: round(agg["value"]))
    if asked.stories:
        result.stories = count(found["stories"])
    share = min(1.0, (result.stories or 0) / max(1, result.total))
    for name in asked.facet_fields if asked.facets else ():
        buckets = [b for b in found.get(name, {}).get("buckets", []) if b["key"]]
        result.facets[name] = {b["key"]: round(b["doc_count"] * scale) for b in buckets}
        if asked.stories:
            result.story_facets[name] = {b["key"]: count(b["stories"]) if exact else max(1, round(b["doc_count"] * scale * share))
                                         for b in buckets}
