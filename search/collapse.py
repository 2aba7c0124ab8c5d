"""Results grouped by story: each story once, at its best-ranked copy, with its other copies listed.

The index gives every document the id of its story (`group`, search/grouping.py).
No engine we use collapses on a field inside a ranked page (Tantivy cannot,
and OpenSearch's collapse does not page with totals of both kinds), so the
searcher reads the ranking from the top, wide enough to hold the stories up to
the end of the asked page, and keeps the first copy of each: a story ranks
where its best copy ranks. The other copies of the page's stories are then
fetched in one query on the group keyword, whether or not they match.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from .index.base import BackendHit, BackendResult, IndexReader
from .index.description import Bool, IndexQuery, Term

# The first read holds this many times the stories wanted; then four times more, as needed.
FIRST_WINDOW = 2
GROWTH = 4
# top_stories asks for this many times the stories wanted (and the stories
# left out) and reads their stored documents only until it has them: reading a
# stored document is most of the cost of a short list, copies of one story
# rarely fill the top ranks (in 300 articles of the news archive, 12 hits held
# the 10 best other stories at the median, 50 at most), and asking an engine
# for more ranks costs little.
TOP_WINDOW = 4
# Copies listed per story: wire stories reach a dozen outlets at most.
MAX_COPIES = 50


@dataclass
class GroupedPage:
    result: BackendResult  # the widest read: total articles, facets, stories
    hits: list[BackendHit]  # the page: one copy per story
    stories: int  # matching stories (exact once every match was read)
    copies: dict[str, list[dict]] = field(default_factory=dict)  # group -> its other copies


def group_of(hit: BackendHit) -> str:
    # An index built before grouping stores no group: each document is its own story.
    return hit.fields.get("group") or hit.id


def story_of(hit: BackendHit):
    """What copies of one story share: the engine's story key where it has one (no stored document read), else the group."""
    return group_of(hit) if hit.story is None else hit.story


def grouped_page(reader: IndexReader, query: IndexQuery, window_cap: int, count_stories: bool = True) -> GroupedPage:
    """The page `query.offset`/`query.limit` counted in stories, reading at most `window_cap` hits.

    Without `count_stories` the matching stories are not counted (an aggregation over every match).
    """
    wanted = query.offset + query.limit
    n = min(max(wanted * FIRST_WINDOW, wanted + 10), window_cap)
    if not (query.count or query.facets or query.days or count_stories):
        return _ranked_page(reader, query, wanted, min(n * GROWTH, window_cap), window_cap)
    # Facets and the story count come with the first read; wider reads only rank.
    first = reader.search(replace(query, offset=0, limit=n, stories=count_stories))
    representatives = _first_of_each_group(first.hits)
    complete = len(first.hits) >= first.total
    if len(representatives) < wanted and not complete and n < window_cap:
        # Copies fill the first read (a wire story in four outlets): rank
        # wider, reading stored documents only until the stories are found.
        representatives, complete, _ = _stories_in_rank_order(reader, query, wanted, min(n * GROWTH, window_cap), window_cap)
    if complete:
        stories = len(representatives)
    else:  # an estimate: never fewer than the stories already seen, nor more than the articles
        stories = min(max(first.stories or 0, len(representatives)), first.total)
    page = representatives[query.offset : wanted]
    return GroupedPage(result=first, hits=page, stories=stories, copies=copies_of(reader, page))


def _ranked_page(reader: IndexReader, query: IndexQuery, wanted: int, n: int, window_cap: int) -> GroupedPage:
    """The page of a query that counts nothing (a batch run): the ranking scanned at once, `n` wide.

    Its totals are what was read: every match when the scan ran out of them,
    else at least one more than the hits read.
    """
    representatives, complete, read = _stories_in_rank_order(reader, query, wanted, n, window_cap)
    total = read if complete else read + 1
    page = representatives[query.offset : wanted]
    return GroupedPage(result=BackendResult(total=total, hits=page), hits=page, stories=min(len(representatives), total),
                       copies=copies_of(reader, page))


def top_stories(reader: IndexReader, query: IndexQuery, wanted: int, window_cap: int, leave_out: frozenset = frozenset()) -> list[BackendHit]:
    """The best copy of each of the `wanted` best stories not in `leave_out`, read without counting the matches.

    For lists that show only the top (related coverage): no total, no facets,
    so an engine may stop at the top hits instead of visiting every match.
    """
    if wanted <= 0:
        return []
    n = min((wanted + len(leave_out)) * TOP_WINDOW, window_cap)
    return _stories_in_rank_order(reader, query, wanted, n, window_cap, leave_out)[0]


def _stories_in_rank_order(reader: IndexReader, query: IndexQuery, wanted: int, n: int, window_cap: int,
                           leave_out: frozenset = frozenset()) -> tuple[list[BackendHit], bool, int]:
    """(the best copy of each of the `wanted` best stories not in `leave_out`, whether every match was read, hits read).

    The top `n` hits are scanned in rank order, each stored document read
    only when reached; a window that holds too few stories is read again,
    `GROWTH` times wider, up to `window_cap`.
    """
    ranked = replace(query, offset=0, count=False, facets=False, stories=False, days=False)
    while True:
        stories, seen, read = [], set(), 0
        for hit in reader.scan(ranked, n):
            read += 1
            story = story_of(hit)
            if story not in seen:
                seen.add(story)
                if leave_out and group_of(hit) in leave_out:
                    continue
                stories.append(hit)
                if len(stories) == wanted:
                    return stories, False, read
        if read < n or n >= window_cap:
            return stories, read < n, read
        n = min(n * GROWTH, window_cap)


def _first_of_each_group(hits: list[BackendHit]) -> list[BackendHit]:
    seen: set = set()
    out = []
    for hit in hits:
        story = story_of(hit)
        if story not in seen:
            seen.add(story)
            out.append(hit)
    return out


def copies_of(reader: IndexReader, shown: list[BackendHit]) -> dict[str, list[dict]]:
    """Group -> the other copies of each shown story ({"id", "source", "date"}, oldest first)."""
    groups = {group_of(hit): hit.id for hit in shown}
    if not groups:
        return {}
    # The shown copies themselves are left out: their stored documents are read already.
    others = Bool(should=tuple(Term("group", g) for g in groups), must_not=tuple(Term("id", i) for i in groups.values()))
    query = IndexQuery(should=(others,), limit=len(groups) * MAX_COPIES, count=False)
    out: dict[str, list[dict]] = {}
    for hit in reader.search(query).hits:
        group = group_of(hit)
        if group in groups and hit.id != groups[group]:
            out.setdefault(group, []).append({"id": hit.id, "source": hit.fields.get("source"), "date": hit.fields.get("date")})
    for copies in out.values():
        copies.sort(key=lambda c: (c["date"] or "", c["id"]))
        del copies[MAX_COPIES:]
    return out
