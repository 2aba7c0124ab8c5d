"""The query language on a real cluster: every operator finds on OpenSearch the ids it finds on Tantivy.

Runs under `pytest -m opensearch` (scripts/opensearch-cluster.sh start). The
table is the language's own (tests/test_query_search.py) with the author:
field and sorts added; each query is run on both engines over the contract
corpus, and the ids must be the same (in order where nothing ranks: the
order of time, then id).
"""
from __future__ import annotations

import pytest

from indexer.reindex import reindex
from search.index.description import Filters
from search.searcher import Searcher

from .conftest import write_jsonl
from .opensearch_support import cluster_engine
from .test_backend_contract import CONTRACT
from .test_query_search import MATCHES, NEWEST_FIRST

pytestmark = pytest.mark.opensearch

QUERIES = [query for query, _ in MATCHES] + [
    "author:سارة",
    'author:"احمد حسن"',
    "+author:سارة -مستشفى",
    "title:(مدرسة OR مستشفى) -source:العربية",
    '"وزير الخارجية"~2 OR "كرة القدم"',
    "(مدر* OR امط*) AND NOT category:طقس",
    "سيول",  # a word of an abstract only
]
# Queries with nothing to rank, and sorts: the same ids in the same order.
ORDERED = [(query, "relevance") for query, _ in NEWEST_FIRST] + [
    ("مدرسة امطار وزير اقتصاد", "date"),
    ("مدرسة امطار وزير اقتصاد", "oldest"),
    ("-مدرسة", "date"),
]


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("language-tantivy")
    reindex([write_jsonl(tmp / "corpus.jsonl", CONTRACT)], index_dir=tmp / "index", backend="tantivy")
    tantivy = Searcher(tmp / "index")
    with cluster_engine(tmp_path_factory.mktemp("language-opensearch"), CONTRACT, "language") as opensearch:
        yield tantivy, opensearch
    tantivy.close()


def _found(engine, query, **options):
    result = engine.find(query, size=100, snippets=False, facets=True, group=False, **options)
    return result.total, [h.id for h in result.hits], result.facets, result.interpreted


@pytest.mark.parametrize("query", QUERIES)
def test_every_operator_finds_the_same_ids_on_opensearch_as_on_tantivy(engines, query):
    tantivy, opensearch = engines
    (t_total, t_ids, t_facets, t_read), (o_total, o_ids, o_facets, o_read) = _found(tantivy, query), _found(opensearch, query)
    assert o_read == t_read  # prefixes completed alike
    assert (o_total, set(o_ids), o_facets) == (t_total, set(t_ids), t_facets)


@pytest.mark.parametrize("query, sort", ORDERED)
def test_what_does_not_rank_is_listed_in_the_same_order(engines, query, sort):
    tantivy, opensearch = engines
    assert _found(opensearch, query, sort=sort)[1] == _found(tantivy, query, sort=sort)[1]


def test_the_table_finds_something_and_the_engines_agree_on_a_filtered_browse(engines):
    tantivy, opensearch = engines
    assert sum(bool(_found(tantivy, query)[0]) for query in QUERIES) >= len(QUERIES) - 3  # a few find nothing on purpose
    filters = Filters(sources=("الجزيرة", "العربية"), date_from="2024-01-01")
    assert _found(opensearch, "", filters=filters, sort="oldest") == _found(tantivy, "", filters=filters, sort="oldest")
