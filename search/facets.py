"""Disjunctive facet counts: each facet counted over every filter but its own.

The hits are filtered by every selected value (the values of one facet
OR'ed, facets AND'ed). Counted over those same hits, ticking one source
would leave that source alone in its list; so, as Elasticsearch's
post_filter and Solr's tagged filters do, the counts of a facet with a
selection are counted again without that facet's own filter: ticking a
source keeps the other sources and what each would add. One extra count
(no hits read) per facet field with a selection; the others keep the
counts of the search itself.
"""
from __future__ import annotations

from dataclasses import replace

from .index.base import BackendResult, IndexReader
from .index.description import IndexQuery


def disjunctive_facets(reader: IndexReader, query: IndexQuery, found: BackendResult, stories: bool) -> None:
    """Replace, in `found`, the counts (and story counts) of each facet field `query` filters on."""
    if not query.facets or not query:
        return
    for name in query.facet_fields:
        if not query.filters.selected(name):
            continue
        counted = reader.search(
            replace(query, filters=query.filters.without(name), offset=0, limit=1, facet_fields=(name,), days=False, stories=stories)
        )
        found.facets[name] = counted.facets.get(name, {})
        if stories:
            found.story_facets[name] = counted.story_facets.get(name, {})
