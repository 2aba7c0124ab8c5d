"""IndexQuery -> an OpenSearch `_search` body: a bool query, sort, paging window and facet aggregations."""
from __future__ import annotations

from ...documents import FACET_FIELDS
from ..description import All, Bool, Clause, Filters, IndexQuery, Phrase

# The UI shows the top values; the bound guards against a pathological number
# of distinct sources. Larger than the distinct values, so counts are exact.
FACET_SIZE = 1000
STORY_PRECISION = 10_000


def clause(c: Clause) -> dict:
    if isinstance(c, Bool):
        if not c.must and not c.should:
            return {"match_none": {}}
        boolean = {key: [clause(x) for x in value] for key, value in (("must", c.must), ("should", c.should), ("must_not", c.must_not)) if value}
        return {"bool": {**boolean, "minimum_should_match": 0 if c.must else 1}}
    if isinstance(c, All):
        return {"match_all": {}}
    if isinstance(c, Phrase):
        return {"match_phrase": {c.field: {"query": " ".join(c.words), "slop": c.slop, "boost": c.boost}}}
    return {"term": {c.field: {"value": c.value, "boost": c.boost}}}


def filter_clauses(f: Filters) -> list[dict]:
    clauses: list[dict] = []
    clauses.extend({"terms": {name: list(f.selected(name))}} for name in FACET_FIELDS if f.selected(name))
    if f.date_from or f.date_to:
        bounds = {key: value for key, value in (("gte", f.date_from), ("lte", f.date_to)) if value}
        clauses.append({"range": {"day": {**bounds, "format": "yyyy-MM-dd"}}})
    return clauses


def search_body(query: IndexQuery, window: int) -> dict:
    """The request body; paging at or past the index's result window asks only for the total."""
    boolean: dict = {"filter": [clause(c) for c in query.required] + filter_clauses(query.filters)}
    if query.should:
        boolean["should"] = [clause(c) for c in query.should]
        boolean["minimum_should_match"] = 1
    body: dict = {"query": {"bool": boolean}, "track_total_hits": query.count, "_source": ["doc"]}
    if query.sort in ("date", "oldest"):
        order = "desc" if query.sort == "date" else "asc"
        body["sort"] = [{"time": {"order": order, "missing": "_last"}}, {"id": "asc"}]
    else:
        body["sort"] = [{"_score": "desc"}, {"id": "asc"}]
    # Stories: distinct groups, exact below the precision threshold, estimated above.
    stories = {"stories": {"cardinality": {"field": "group", "precision_threshold": STORY_PRECISION}}} if query.stories else {}
    if query.facets or query.stories:
        body["aggs"] = dict(stories)
    if query.facets:
        body["aggs"].update(
            {name: {"terms": {"field": name, "size": FACET_SIZE}, **({"aggs": stories} if stories else {})} for name in query.facet_fields}
        )
    if query.days:
        histogram = {"field": "day", "calendar_interval": "day", "format": "yyyy-MM-dd", "min_doc_count": 1}
        body.setdefault("aggs", {})["days"] = {"date_histogram": histogram}
    offset, limit = max(0, query.offset), max(0, query.limit)
    if offset >= window:
        body["from"], body["size"] = 0, 0
    else:
        body["from"], body["size"] = offset, min(limit, window - offset)
    return body
