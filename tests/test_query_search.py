"""The query language, browsing and the timeline over real indexes of every embedded backend, read through Searcher."""
from __future__ import annotations

from urllib.parse import urlencode

import pytest

from indexer.reindex import reindex
from search.index.description import Filters
from search.request import InvalidRequest
from search.searcher import Searcher

from .conftest import write_jsonl
from .test_backend_contract import BACKENDS, CORPUS
from .web_corpus import client, index, app  # noqa: F401 (fixtures)

ALL = {d["id"] for d in CORPUS}
DATED = {d["id"]: d["date"] for d in CORPUS if d["date"]}


@pytest.fixture(scope="module", params=BACKENDS)
def engine(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"language-{request.param}")
    reindex([write_jsonl(tmp / "corpus.jsonl", CORPUS)], index_dir=tmp / "index", backend=request.param)
    eng = Searcher(tmp / "index")
    yield eng
    eng.close()


# Query -> the documents it finds in the contract corpus.
MATCHES = [
    ("مدرسة -القرية", {"d01", "d02", "d09"}),  # d13 and d15 name the village
    ("مدرسة -قرية", {"d01", "d02", "d09"}),  # excluded through the same analysis: القرية, في القرية
    ('مدرسة -"مدرسه القرية"', {"d01", "d02", "d09", "d15"}),
    ("مدرسة AND تبرعات", {"d15"}),
    ("+مدرسة تبرعات", {"d01", "d02", "d09", "d13", "d15"}),
    ("امطار OR مستشفى", {"d03", "d04", "d05", "d06", "d13"}),
    ("(امطار OR مستشفى) AND NOT الجديدة", {"d03", "d04", "d13"}),
    ("title:مدرسة", {"d01", "d02", "d13", "d15"}),
    ("body:مدرسة", {"d01", "d02", "d09", "d13", "d15"}),
    ('title:"كرة القدم"', {"d10", "d11"}),
    ("+source:الجزيرة", {"d01", "d03", "d06", "d10", "d13"}),
    ('+source:"بي بي سي" +category:تعليم', {"d02", "d15"}),
    ("(مدرسة OR مستشفى) AND NOT source:الجزيرة", {"d02", "d05", "d09", "d15"}),
    ('"وزير الخارجية"', {"d07"}),
    ('"وزير يزور"', set()),
    ('"وزير يزور"~1', {"d06", "d07"}),
    ("اقت*", {"d12", "d14"}),
    ("مستش*", {"d05", "d06"}),
    ("زلزا*", set()),
    ("-مدرسة", ALL - {"d01", "d02", "d09", "d13", "d15"}),
    ("NOT (مدرسة OR امطار)", ALL - {"d01", "d02", "d09", "d13", "d15", "d03", "d04"}),
]


@pytest.mark.parametrize("query, expected", MATCHES)
def test_operators_find_exactly_their_documents(engine, query, expected):
    result = engine.find(query, size=100, facets=True)
    assert {h.id for h in result.hits} == expected and result.total == len(expected)


# Query -> the ids it lists first when nothing ranks: newest first, undated last.
NEWEST_FIRST = [
    ("+source:الجزيرة", ["d06", "d03", "d01", "d13", "d10"]),
    ("-مدرسة +category:طقس", ["d03", "d04"]),
]


@pytest.mark.parametrize("query, ids", NEWEST_FIRST)
def test_queries_with_nothing_to_rank_list_newest_first(engine, query, ids):
    assert [h.id for h in engine.find(query, size=100).hits] == ids


# Filters and sort of an empty query -> the ids listed, in order.
BROWSING = [
    (Filters(sources=("الجزيرة",)), "relevance", ["d06", "d03", "d01", "d13", "d10"]),
    (Filters(sources=("الجزيرة",)), "date", ["d06", "d03", "d01", "d13", "d10"]),
    (Filters(sources=("الجزيرة",)), "oldest", ["d13", "d01", "d03", "d06", "d10"]),
    (Filters(date_from="2024-07-01"), "relevance", ["d15", "d14", "d12"]),
    (Filters(categories=("صحة",), date_to="2024-04-05"), "relevance", ["d05"]),
]


@pytest.mark.parametrize("filters, sort, ids", BROWSING)
def test_an_empty_query_with_filters_lists_every_matching_article(engine, filters, sort, ids):
    result = engine.find("", size=100, sort=sort, filters=filters)
    assert [h.id for h in result.hits] == ids and result.total == len(ids)
    assert all(h.score == 0.0 for h in result.hits)


def test_browsing_pages_through_the_whole_listing(engine):
    pages = [engine.find("", page=p, size=4, filters=Filters(date_from="2000-01-01")).hits for p in (1, 2, 3, 4)]
    ids = [h.id for page in pages for h in page]
    assert ids == sorted(DATED, key=DATED.get, reverse=True)


def test_an_empty_query_without_filters_still_finds_nothing(engine):
    assert engine.find("").total == 0


# Query -> the interval its matches' span calls for.
TIMELINES = [("مدرسة امطار مستشفى", "month"), ("+source:الجزيرة", "month"), ("-مدرسة", "week"), ('"وزير الخارجية"~2', "day")]


@pytest.mark.parametrize("query, interval", TIMELINES)
def test_the_timeline_counts_the_whole_result_set(engine, query, interval):
    result = engine.find(query, size=1, facets=True)
    everything = engine.find(query, size=100)
    dated = [h.date for h in everything.hits if h.date]
    timeline = result.timeline
    assert sum(b["count"] for b in timeline["buckets"]) == len(dated)
    assert timeline["interval"] == interval
    assert timeline["buckets"][0]["start"] <= min(dated)[:10] and timeline["buckets"][-1]["start"] <= max(dated)[:10]


def test_highlights_mark_only_the_positive_words(engine):
    # d15 is found by تبرعات and names القرية, excluded only beside مدرسة.
    query = "تبرعات OR (مدرسة -القرية)"
    hit = next(h for h in engine.find(query, size=100).hits if h.id == "d15")
    assert "<mark>تبرعات</mark>" in hit.snippet and "<mark>القرية</mark>" not in hit.snippet
    title, body = engine.highlighted(engine.document("d15"), query)
    assert "<mark>" in title and "<mark>القرية</mark>" not in " ".join(body)


def test_a_query_past_the_bounds_is_refused_with_the_bound_named(engine):
    with pytest.raises(InvalidRequest, match="prefixes"):
        engine.find("كتب* درس* علم* سفر* نهر*")


@pytest.mark.parametrize("query", ["مدرسة -القرية", '"وزير يزور"~1 OR اقت*', "NOT (مدرسة OR امطار)", "+source:الجزيرة"])
def test_backends_agree_on_operator_queries(tmp_path_factory, query):
    found = {}
    for backend in BACKENDS:
        tmp = tmp_path_factory.mktemp(f"agree-{backend}")
        reindex([write_jsonl(tmp / "c.jsonl", CORPUS)], index_dir=tmp / "index", backend=backend)
        with_engine = Searcher(tmp / "index")
        found[backend] = with_engine.find(query, size=100)
        with_engine.close()
    whoosh, tantivy = found["whoosh"], found["tantivy"]
    assert whoosh.total == tantivy.total and {h.id for h in whoosh.hits} == {h.id for h in tantivy.hits}


# API parameters -> status and what the answer says.
API = [
    ({"q": "ترامب -إيران"}, 200, {"interpreted": "ترامب -ايران", "total": 0}),
    ({"q": "ترامب"}, 200, {"interpreted": "ترامب", "total": 1}),
    ({"source": "Al Arabiya"}, 200, {"interpreted": ""}),
    ({"q": "(ترامب"}, 200, {"interpreted": "ترامب", "total": 1}),
]


@pytest.mark.parametrize("params, status, fields", API)
def test_the_api_says_how_it_read_the_query(client, params, status, fields):
    response = client.get("/api/search?" + urlencode(params))
    assert response.status_code == status
    body = response.get_json()
    assert {name: body[name] for name in fields} == fields
    assert set(body["timeline"]) == {"interval", "buckets"}


def test_the_api_refuses_a_query_past_the_bounds_with_a_400(client):
    response = client.get("/api/search?" + urlencode({"q": "(((((ترامب -روسيا)))))"}))
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_parameter"
