"""The JSON API over a real index of a small Arabic corpus: schema, limits, hostile input, one error shape."""
from __future__ import annotations

import dataclasses
import itertools
import json
import re
import shutil
import threading
import time
from urllib.parse import quote, urlencode

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.analysis import get_analyzer
from search.searcher import Searcher
from search.query import MAX_QUERY_CHARS, MAX_QUERY_TERMS
from search.results import Hit, SearchResult
from webui.openapi import openapi_document

from .web_corpus import DOCS, ECONOMY_DOCS, app, client, index, make_app  # noqa: F401 (fixtures)

SEARCH_PARAMS = {"q", "page", "size", "sort", "source", "category", "author", "from", "to", "group"}




def get(client, path: str, query: str | bytes = b""):
    """GET with the query string sent exactly as given: raw bytes reach the app undecoded, as from a socket."""
    raw = query.decode("latin-1") if isinstance(query, bytes) else query
    response = client.get(path, environ_overrides={"QUERY_STRING": raw})
    assert b"\x00" not in response.data
    return response


def search(client, **params):
    return get(client, "/api/search", urlencode(params, doseq=True))


def assert_error(response, status: int, code: str | None = None, mentions: str | None = None) -> dict:
    assert response.status_code == status, response.data
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert isinstance(body["error"]["code"], str) and isinstance(body["error"]["message"], str)
    assert "Traceback" not in response.get_data(as_text=True)
    if code:
        assert body["error"]["code"] == code
    if mentions:
        assert mentions in body["error"]["message"]
    return body


def validate(instance, schema_name: str) -> None:
    # OpenAPI 3.1 schemas are JSON Schema 2020-12; refs resolve inside the document.
    schema = {**openapi_document(), "$ref": f"#/components/schemas/{schema_name}"}
    jsonschema.Draft202012Validator(schema).validate(instance)


# --- search results -------------------------------------------------------------------------


def test_hamza_variant_finds_the_article_and_marks_the_word_as_written(client):
    body = search(client, q="ادارة").get_json()
    assert [h["id"] for h in body["hits"]] == ["trump-1"]
    assert "<mark>إدارة</mark>" in body["hits"][0]["snippet"]
    assert body["facets"] == {"source": {"Sky News Arabia": 1}, "category": {"internationalNews": 1}, "author": {}}
    assert body["query"] == "ادارة" and body["total"] == 1 and body["took_ms"] >= 0


def test_vocalised_document_found_by_plain_query_with_teh_marbuta_variant(client):
    assert [h["id"] for h in search(client, q="مدرسه").get_json()["hits"]] == ["school-1"]


def test_pages_partition_the_results(client):
    first = search(client, q="الاقتصاد", size=5).get_json()
    second = search(client, q="الاقتصاد", size=5, page=2).get_json()
    last = search(client, q="الاقتصاد", size=5, page=3).get_json()
    assert first["total"] == second["total"] == len(ECONOMY_DOCS)
    ids = [h["id"] for page in (first, second, last) for h in page["hits"]]
    assert len(ids) == len(set(ids)) == len(ECONOMY_DOCS)
    assert (second["page"], second["size"], len(last["hits"])) == (2, 5, len(ECONOMY_DOCS) - 10)
    beyond = search(client, q="الاقتصاد", size=5, page=10).get_json()
    assert beyond["hits"] == [] and beyond["total"] == len(ECONOMY_DOCS)


def test_sort_by_date_is_newest_first(client):
    hits = search(client, q="الاقتصاد", sort="date", size=20).get_json()["hits"]
    dates = [h["date"] for h in hits]
    assert dates == sorted(dates, reverse=True)


def test_repeated_source_and_category_filters(client):
    body = search(client, q="الاقتصاد", source=["BBC Arabic", "Al Arabiya"], size=50).get_json()
    assert body["hits"] and {h["source"] for h in body["hits"]} <= {"BBC Arabic", "Al Arabiya"}
    # The source facet is counted without its own filter: every source of the query's matches stays.
    everything = search(client, q="الاقتصاد", size=50).get_json()
    assert body["facets"]["source"] == everything["facets"]["source"] and len(everything["facets"]["source"]) > 2
    assert sum(body["facets"]["category"].values()) == body["total"] < everything["total"]
    local = search(client, q="الرياض", category="localNews").get_json()
    assert {h["id"] for h in local["hits"]} == {"health-1", "school-1"}


def test_date_range_is_inclusive(client):
    body = search(client, q="الرياض", **{"from": "2015-07-31", "to": "2015-07-31"}).get_json()
    assert [h["id"] for h in body["hits"]] == ["health-1"]


def test_did_you_mean_proposes_the_frequent_word(client):
    body = search(client, q="اسواق الرياظ").get_json()
    assert body["suggestion"] == "اسواق الرياض"
    assert search(client, q="الرياض").get_json()["suggestion"] is None


def test_empty_query_gives_an_empty_result_of_the_same_shape(client):
    for params in ({}, {"q": ""}, {"q": "   "}, {"q": "في من"}):
        body = search(client, **params).get_json()
        assert body["total"] == 0 and body["hits"] == [] and body["facets"] == {"source": {}, "category": {}, "author": {}}
        validate(body, "SearchResult")


def test_document_by_id(client):
    doc = get(client, "/api/documents/health-1").get_json()
    expected = next(d for d in DOCS if d["id"] == "health-1")
    assert doc == {"author": None, "abstract": None, **expected, "group": "health-1"}  # no copies: its own group
    validate(doc, "Document")


def test_unknown_document_is_a_json_404(client):
    assert_error(get(client, "/api/documents/no-such-id"), 404, "not_found")
    assert_error(get(client, "/api/documents/%FF%00"), 404, "not_found")
    assert_error(get(client, "/api/documents/" + "x" * 5000), 404, "not_found")


# --- OpenAPI agreement ----------------------------------------------------------------------


def test_openapi_document_is_served_and_its_schemas_are_valid_json_schema(client):
    served = get(client, "/api/openapi.json").get_json()
    assert served["openapi"].startswith("3.1")
    for name, schema in served["components"]["schemas"].items():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_real_responses_match_the_openapi_schemas(client, tmp_path):
    for params in ({"q": "الاقتصاد", "size": 3}, {"q": "ادارة", "sort": "date"}, {"q": "الرياظ"}, {"q": "*"}):
        validate(search(client, **params).get_json(), "SearchResult")
    validate(get(client, "/healthz").get_json(), "Health")
    for response in (search(client, page=0), get(client, "/api/documents/nope"), client.post("/api/search")):
        validate(response.get_json(), "Error")
    missing = make_app(tmp_path / "absent").test_client()
    validate(get(missing, "/healthz").get_json(), "Unhealthy")
    validate(search(missing, q="x").get_json(), "Error")


def test_openapi_fields_are_the_result_schema_of_search_results_py():
    schemas = openapi_document()["components"]["schemas"]
    assert list(schemas["Hit"]["properties"]) == [f.name for f in dataclasses.fields(Hit)]
    assert list(schemas["SearchResult"]["properties"]) == [f.name for f in dataclasses.fields(SearchResult)]


def test_every_api_route_is_documented_with_its_parameters(app):
    paths = openapi_document()["paths"]
    routes = {
        re.sub(r"<(path|document_id):doc_id>", "{id}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api") or rule.rule == "/healthz"
    }
    assert routes == set(paths)
    assert {p["name"] for p in paths["/api/search"]["get"]["parameters"]} == SEARCH_PARAMS


# --- limits ---------------------------------------------------------------------------------


def words(n: int) -> str:
    """A query of exactly `n` distinct words, as the analysis chain counts them (distinct stems)."""
    analyzer, chosen, stems = get_analyzer(), [], set()
    for letters in itertools.product("جدزشصطعغقحخ", repeat=3):
        word = "".join(letters)
        stem = tuple(analyzer.stem_of(word))
        if stem and stem not in stems:
            stems.add(stem)
            chosen.append(word)
            if len(chosen) == n:
                return " ".join(chosen)
    raise AssertionError("not enough distinct words")



@pytest.mark.parametrize(
    "params, mentions",
    [
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page": "1.5"}, "page"),
        ({"page": "9" * 5000}, "page"),
        ({"size": "0"}, "size"),
        ({"size": "101"}, "100"),
        ({"size": "1000"}, "100"),
        ({"size": "ten"}, "size"),
        ({"page": "101", "size": "100"}, "page may not exceed 100"),
        ({"page": "101"}, "page may not exceed 100"),
        ({"sort": "score"}, "relevance"),
        ({"from": "2018-13-01"}, "YYYY-MM-DD"),
        ({"to": "2018-02-30"}, "YYYY-MM-DD"),
        ({"from": "yesterday"}, "YYYY-MM-DD"),
        ({"source": [f"s{i}" for i in range(21)]}, "20"),
        ({"category": "c" * 201}, "200"),
        ({"q": "ا" * (MAX_QUERY_CHARS + 1)}, str(MAX_QUERY_CHARS)),
        ({"q": "x" * 10_000}, str(MAX_QUERY_CHARS)),
        ({"q": "(" * 1000 + "ترامب" + ")" * 1000}, str(MAX_QUERY_CHARS)),
    ],
)
def test_over_a_limit_or_malformed_is_a_400_naming_it(client, params, mentions):
    assert_error(search(client, q=params.pop("q", "الاقتصاد"), **params), 400, "invalid_parameter", mentions)


def test_limits_themselves_are_accepted(client):
    assert search(client, q="الاقتصاد", size=100).status_code == 200
    assert search(client, q="الاقتصاد", size=100, page=100).status_code == 200
    assert search(client, q="ا" * MAX_QUERY_CHARS).status_code == 200
    assert search(client, q=words(MAX_QUERY_TERMS)).status_code == 200


def test_a_pasted_paragraph_is_searched_on_its_first_words_and_says_so(client):
    # Finding the article beats refusing the paste: every face searches the
    # first MAX_QUERY_TERMS distinct words and reports `truncated`.
    short = search(client, q="ترامب " + words(MAX_QUERY_TERMS - 1)).get_json()
    long = search(client, q="ترامب " + words(MAX_QUERY_TERMS + 20)).get_json()
    assert short["truncated"] is False and long["truncated"] is True
    assert short["total"] > 0
    assert [h["id"] for h in long["hits"]] == [h["id"] for h in short["hits"]]
    assert long["total"] == short["total"]


@pytest.mark.parametrize(
    "q",
    ["*", "ا*", "*:*", "title:ترامب", "ترامب^100", "[a TO z]", "{a TO z}", '"إدارة ترامب', 'إدارة" ترامب"',
     "(" * 990 + "ترامب" + ")" * 3, "ترامب AND NOT OR", "~ترامب~2", "\\", "'", "%", "؟؟؟", "\u202eترامب\u202c"],
)
def test_query_syntax_is_text_not_syntax(client, q):
    # (1,000 nested brackets are over the length limit: a JSON 400, tested with the limits.)
    started = time.perf_counter()
    response = search(client, q=q)
    assert response.status_code == 200, response.data
    assert time.perf_counter() - started < 2
    if "ترامب" in q:
        assert "trump-1" in [h["id"] for h in response.get_json()["hits"]]


@pytest.mark.parametrize(
    "raw",
    [b"q=%FF", b"q=%FF%FE%00", b"q=\x80", b"q=\xd8\xa7\xff", b"q=%00", b"q=%ED%A0%80", b"q=%ED%B0%80x", b"q=%C0%AF", b"q=%D8",
     b"q=\xff\xfe", b"q=%", b"q=%%%", b"page=%00", b"source=%FF&category=%00", b"from=%00", b"q=%D8%A7%00%D8%A8"],
)
def test_malformed_encodings_and_nul_bytes_are_a_400_naming_the_parameter(client, raw):
    body = assert_error(get(client, "/api/search", raw), 400, "invalid_parameter", "percent-encoding")
    assert body["error"]["message"].split(":")[0] in {"q", "page", "source", "from"}


@pytest.mark.parametrize("raw", [b"q=%E2%80%AE%D8%A7", b"q=a&&&==", b"q=%D8%A7+%D8%A8", b"q=caf%C3%A9"])
def test_well_formed_odd_query_strings_are_searched(client, raw):
    response = get(client, "/api/search", raw)
    assert response.status_code == 200, response.data
    assert b"\x00" not in response.data


def test_a_malformed_query_string_on_the_page_is_the_arabic_400_page(client):
    response = get(client, "/", b"q=%ED%A0%80")
    assert response.status_code == 400 and "ترميزًا غير صالح" in response.get_data(as_text=True)


def test_json_responses_can_always_be_encoded(app):
    # A lone surrogate cannot reach the app through HTTP, but a stored field might hold one.
    with app.app_context():
        text = app.json.dumps({"title": "a\ud800b"})
    assert text.encode("utf-8") and json.loads(text) == {"title": "ab"}


def test_request_body_over_the_limit_is_a_413_naming_it(client, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.get("/api/search?q=x", data=b"x" * (limit + 1))
    assert_error(response, 413, "payload_too_large", str(limit))
    assert client.get("/api/search?q=x", data=b"x" * 100).status_code == 200


# --- error shape ----------------------------------------------------------------------------


def test_unknown_api_path_and_method_are_json(client):
    assert_error(get(client, "/api/nope"), 404, "not_found")
    assert_error(get(client, "/api"), 404, "not_found")
    response = client.post("/api/search", data={"q": "x"})
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]
    assert_error(client.patch("/api/documents/trump-1"), 405)
    assert_error(client.delete("/api/documents/trump-1"), 403, "writes_disabled")  # a write, and none is configured
    assert_error(client.put("/healthz"), 405)


def test_an_unexpected_failure_is_a_bare_json_500(app, client, monkeypatch):
    def boom(self, params):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(type(app.extensions["fahras"]), "search", boom)
    body = assert_error(search(client, q="x"), 500, "internal_error")
    assert "secret" not in json.dumps(body)


def test_search_over_its_time_budget_is_a_503_even_off_the_main_thread(index, monkeypatch):
    app = make_app(index, SEARCH_TIMEOUT=0.2)
    original = Searcher.search

    def slow(self, *args, **kwargs):
        time.sleep(1.0)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Searcher, "search", slow)
    outcome = {}

    def request():
        started = time.perf_counter()
        outcome["response"] = search(app.test_client(), q="ترامب")
        outcome["seconds"] = time.perf_counter() - started

    worker = threading.Thread(target=request)  # as in a gthread worker: no signals here
    worker.start()
    worker.join(5)
    response = outcome["response"]
    assert_error(response, 503, "search_timeout", "0.2 s")
    assert outcome["seconds"] < 0.9


# --- health ---------------------------------------------------------------------------------


def test_healthz_reports_the_index(client):
    response = get(client, "/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["documents"] == len(DOCS) and body["backend"] == "whoosh"
    assert body["analysis_version"] == get_analyzer().version  # the chain this Fahras runs


def test_missing_index_is_a_503_everywhere_in_the_api(tmp_path):
    client = make_app(tmp_path / "never-built").test_client()
    response = get(client, "/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"
    assert "fahras reindex" in response.get_json()["error"]["message"]
    assert_error(search(client, q="ترامب"), 503, "index_unavailable")
    assert_error(get(client, "/api/documents/trump-1"), 503, "index_unavailable")


def _copy(index, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(index, copy, symlinks=True)
    return copy, copy / "current"


def test_manifest_disagreeing_with_the_index_is_unhealthy(index, tmp_path):
    copy, current = _copy(index, tmp_path)
    manifest = current / "manifest.json"
    data = json.loads(manifest.read_text())
    data["document_count"] += 1
    manifest.write_text(json.dumps(data))
    response = get(make_app(copy).test_client(), "/healthz")
    assert response.status_code == 503 and "manifest" in response.get_json()["error"]["message"]


def test_damaged_index_files_are_unhealthy_not_a_traceback(index, tmp_path):
    copy, current = _copy(index, tmp_path)
    for path in current.iterdir():
        if path.name != "manifest.json" and path.is_file():
            path.write_bytes(b"\x00garbage")
    client = make_app(copy).test_client()
    response = get(client, "/healthz")
    assert response.status_code == 503, response.data
    assert_error(search(client, q="ترامب"), 503, "index_unavailable")
    assert "Traceback" not in search(client, q="ترامب").get_data(as_text=True)


def test_api_responses_carry_nosniff(client):
    for response in (search(client, q="x"), get(client, "/api/nope"), get(client, "/healthz")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"


# --- fuzzing --------------------------------------------------------------------------------

texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
numbers = st.one_of(st.integers(-5, 2000).map(str), texts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    q=st.one_of(texts, st.sampled_from(["ترامب", "الاقتصاد", '"إدارة', "*", "(("])),
    page=st.one_of(st.none(), numbers),
    size=st.one_of(st.none(), numbers),
    sort=st.one_of(st.none(), st.sampled_from(["relevance", "date"]), texts),
    source=st.lists(texts, max_size=3),
    date_from=st.one_of(st.none(), st.dates().map(str), texts),
    raw=st.binary(max_size=40),
)
def test_fuzzed_search_is_200_or_4xx_with_json_quickly(app, q, page, size, sort, source, date_from, raw):
    pairs = [("q", q)] + [("source", s) for s in source]
    pairs += [(name, value) for name, value in (("page", page), ("size", size), ("sort", sort), ("from", date_from)) if value is not None]
    query = urlencode(pairs).encode() + b"&x=" + quote(raw, safe="").encode() + b"&" + raw.replace(b"#", b"")
    started = time.perf_counter()
    response = get(app.test_client(), "/api/search", query)
    assert time.perf_counter() - started < 2
    assert 200 <= response.status_code < 500 and response.status_code not in range(300, 400), response.data
    json.loads(response.data)


@pytest.mark.parametrize("path", ["/api/search", "/api/documents/trump-1", "/api/openapi.json"])
def test_options_answers_in_json_with_the_allowed_methods(client, path):
    response = client.options(path)
    assert response.status_code == 200 and response.mimetype == "application/json"
    allow = response.get_json()["allow"]
    assert "GET" in allow and "OPTIONS" in allow
    assert set(response.headers["Allow"].split(", ")) == set(allow)
