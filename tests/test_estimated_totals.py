"""Totals past the exact bound are estimated from term frequencies, marked so, and never change the hits."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from indexer.reindex import reindex
from search.index.estimate import union_size
from search.index.description import Filters
from search.request import Limits, SearchRequest
from search.searcher import Searcher

from .conftest import write_jsonl


@pytest.mark.parametrize(
    ("frequencies", "documents", "expected"),
    [
        ([], 100, 0),
        ([10], 100, 10),  # one term: its frequency
        ([50, 50], 100, 75),  # independent halves overlap by a quarter
        ([100, 3], 100, 100),  # a term in every document
        ([1, 1, 1], 1_000_000, 3),  # rare terms barely overlap
    ],
)
def test_union_size(frequencies, documents, expected):
    assert union_size(frequencies, documents) == expected


@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=30), st.integers(1, 10_000))
def test_union_size_lies_between_the_largest_frequency_and_the_sum(frequencies, documents):
    frequencies = [min(df, documents) for df in frequencies]
    size = union_size(frequencies, documents)
    assert max(frequencies) <= size <= min(sum(frequencies), documents)


WORDS = ["اقتصاد", "سياسة", "رياضة", "ثقافة", "صحة"]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("estimate")
    docs = [
        {"id": f"d{i}", "title": f"خبر {i}", "body": " ".join(w for j, w in enumerate(WORDS) if i % (j + 2) == 0) + " خبر",
         "source": "الجزيرة" if i % 2 else "العربية", "date": f"2024-01-{1 + i % 28:02d}"}
        for i in range(300)
    ]
    reindex([write_jsonl(tmp / "docs.jsonl", docs)], tmp / "index", backend="tantivy", grouping=None)
    return tmp / "index"


@pytest.mark.parametrize("q", ["اقتصاد سياسة", "رياضة ثقافة صحة", "اقتصاد"])
@pytest.mark.parametrize("group", [True, False])
def test_an_estimated_total_keeps_the_hits_and_says_so(index, q, group):
    exact = Searcher(index, limits=Limits(exact_total=0), suggest="off")
    bounded = Searcher(index, limits=Limits(exact_total=20), suggest="off")
    request = SearchRequest(q, size=10, group=group)
    counted, estimated = exact.search(request), bounded.search(request)
    assert not counted.estimated and estimated.estimated
    assert [h.id for h in estimated.hits] == [h.id for h in counted.hits]
    assert [h.score for h in estimated.hits] == pytest.approx([h.score for h in counted.hits])
    # Within a fifth of the count on these nearly independent words.
    assert estimated.articles == pytest.approx(counted.articles, rel=0.2)



def test_facets_of_a_large_result_are_counted_over_a_sample_and_scaled(index):
    request = SearchRequest("اقتصاد سياسة", group=False)
    counted = Searcher(index, limits=Limits(exact_total=0), suggest="off").search(request)
    sampled = Searcher(index, limits=Limits(exact_total=60), suggest="off").search(request)
    assert sampled.estimated
    assert set(sampled.facets["source"]) == set(counted.facets["source"]) == {"الجزيرة", "العربية"}
    for value, n in counted.facets["source"].items():
        assert sampled.facets["source"][value] == pytest.approx(n, rel=0.35)
    days = lambda result: sum(b["count"] for b in result.timeline["buckets"])  # noqa: E731
    assert days(sampled) == pytest.approx(days(counted), rel=0.35)


@pytest.mark.parametrize(
    "request_",
    [
        SearchRequest("صحة"),  # 50 matches: under the bound of 60
        SearchRequest("اقتصاد سياسة", filters=Filters(sources=("الجزيرة",))),  # filtered
        SearchRequest('"اقتصاد خبر"'),  # a required phrase
        SearchRequest("اقتصاد -سياسة"),  # the query language
    ],
)
def test_filtered_phrased_and_rare_queries_are_counted_exactly(index, request_):
    bounded = Searcher(index, limits=Limits(exact_total=60), suggest="off").search(request_)
    counted = Searcher(index, limits=Limits(exact_total=0), suggest="off").search(request_)
    assert not bounded.estimated
    assert (bounded.total, bounded.articles) == (counted.total, counted.articles) != (0, 0)
