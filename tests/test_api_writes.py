"""Document writes over the JSON API: token, validation with positions and reasons, replace, delete, one error shape."""
from __future__ import annotations

import json

import pytest

from indexer.reindex import reindex
from webui import create_app

from .conftest import write_jsonl
from .test_api import assert_error

TOKEN = "s3cret-تجربة"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
DOC = {"id": "w1", "title": "زلزال يضرب المدينة", "body": "ضرب زلزال قوي المدينة فجر اليوم.", "source": "BBC"}


@pytest.fixture
def index(tmp_path, monkeypatch):
    monkeypatch.setenv("FAHRAS_REFRESH_SECONDS", "0")
    path = tmp_path / "index"
    seed = [{"id": f"s{i}", "title": "خبر عن المدرسة", "body": "تلاميذ المدرسة."} for i in range(3)]
    reindex([write_jsonl(tmp_path / "seed.jsonl", seed)], index_dir=path, backend="tantivy")
    return path


def _client(index, token=TOKEN):
    return create_app({"INDEX_DIR": str(index), "SUGGEST": "off", "TESTING": True, "API_TOKEN": token}).test_client()


def _ids(client, q):
    return {h["id"] for h in client.get("/api/search", query_string={"q": q}).get_json()["hits"]}


def _header(value: str) -> dict:
    # Test clients encode headers as latin-1, as a socket would carry them.
    return {"Authorization": value.encode("utf-8").decode("latin-1")}


def test_post_indexes_good_records_and_reports_each_bad_one(index):
    client = _client(index)
    body = [DOC, {"id": "bad", "title": 123}, {"title": "بلا معرف"}, "text", {"id": 7, "body": "رقم"}]
    response = client.post("/api/documents", json=body, headers=_header(AUTH["Authorization"]))
    assert response.status_code == 200, response.data
    assert response.get_json() == {
        "indexed": 2,
        "skipped": [
            {"index": 1, "id": "bad", "reason": "title must be a string"},
            {"index": 2, "id": None, "reason": "missing id"},
            {"index": 3, "id": None, "reason": "not a JSON object"},
        ],
    }
    assert _ids(client, "زلزال") == {"w1"}
    assert client.get("/api/documents/7").get_json()["body"] == "رقم"
    assert client.get("/healthz").get_json()["documents"] == 5


def test_post_json_lines(index):
    client = _client(index)
    lines = "\n".join([json.dumps(DOC, ensure_ascii=False), "{broken", "", "[" * 1500]).encode()
    response = client.post("/api/documents", data=lines, content_type="application/x-ndjson", headers=_header(AUTH["Authorization"]))
    assert response.status_code == 200
    assert response.get_json() == {
        "indexed": 1,
        "skipped": [{"index": 1, "id": None, "reason": "invalid JSON"}, {"index": 2, "id": None, "reason": "JSON nested too deeply"}],
    }


def test_put_replaces_and_delete_removes(index):
    client = _client(index)
    headers = _header(AUTH["Authorization"])
    assert client.put("/api/documents/w1", json=DOC, headers=headers).status_code == 200
    assert client.put("/api/documents/w1", json={"title": "زلزال ثان", "body": "هزة ارتدادية"}, headers=headers).status_code == 200
    assert client.get("/api/documents/w1").get_json()["title"] == "زلزال ثان"
    assert_error(client.put("/api/documents/w1", json={**DOC, "id": "other"}, headers=headers), 400, "id_mismatch")
    assert_error(client.put("/api/documents/w1", json={"title": ""}, headers=headers), 400, "invalid_document", "empty title and body")
    assert_error(client.put("/api/documents/w1", json=[DOC], headers=headers), 400, "bad_request")
    response = client.delete("/api/documents/w1", headers=headers)
    assert response.status_code == 200 and response.get_json() == {"deleted": "w1"}
    assert_error(client.get("/api/documents/w1"), 404, "not_found")
    assert_error(client.delete("/api/documents/w1", headers=headers), 404, "not_found")


@pytest.mark.parametrize("method, path", [("post", "/api/documents"), ("put", "/api/documents/w1"), ("delete", "/api/documents/s0")])
def test_writes_need_a_configured_token_and_the_right_one(index, method, path):
    disabled = _client(index, token="")
    assert_error(getattr(disabled, method)(path, json=[DOC] if method == "post" else DOC, headers=AUTH), 403, "writes_disabled")
    client = _client(index)
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}, _header("Bearer " + TOKEN + "x"), _header("Bearer تجربة")):
        response = getattr(client, method)(path, json=[DOC] if method == "post" else DOC, headers=headers)
        assert_error(response, 401, "unauthorized")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/documents/s0").status_code == 200  # nothing was written


def test_bodies_over_the_write_limit_are_413_and_search_bodies_stay_small(index):
    client = create_app({"INDEX_DIR": str(index), "SUGGEST": "off", "TESTING": True, "API_TOKEN": TOKEN,
                         "MAX_WRITE_LENGTH": 1000}).test_client()
    big = [dict(DOC, body="ك" * 2000)]
    assert_error(client.post("/api/documents", json=big, headers=_header(AUTH["Authorization"])), 413, "payload_too_large", "1000 bytes")
    assert client.post("/api/documents", json=[DOC], headers=_header(AUTH["Authorization"])).status_code == 200
    assert_error(client.post("/api/search", data="x" * 20_000), 413)


def test_malformed_bodies_are_json_400(index):
    client = _client(index)
    headers = _header(AUTH["Authorization"])
    for data in (b"{not json", b"\xff\xfe", b"[" * 100_000, b'{"id": "x"}'):
        assert_error(client.post("/api/documents", data=data, content_type="application/json", headers=headers), 400, "bad_request")


def test_options_on_the_write_urls_needs_no_token(index):
    response = _client(index, token="").options("/api/documents")
    assert response.status_code == 200 and "POST" in response.headers["Allow"]


def test_lookups_by_id_see_a_delete_at_once_while_searches_refresh_on_their_interval(index, monkeypatch):
    # As Elasticsearch's realtime GET: the document, its page and its related
    # list are gone as soon as the delete is acknowledged, whatever the refresh.
    monkeypatch.setenv("FAHRAS_REFRESH_SECONDS", "60")
    client = _client(index)
    assert client.get("/api/documents/s1").status_code == 200
    assert client.get("/api/documents/s1/related").status_code == 200
    assert client.delete("/api/documents/s1", headers=_header(AUTH["Authorization"])).status_code == 200
    assert_error(client.get("/api/documents/s1"), 404, "not_found")
    assert_error(client.get("/api/documents/s1/related"), 404, "not_found")
    assert client.get("/doc/s1").status_code == 404


@pytest.mark.parametrize("method", ["put", "delete", "post", "patch"])
def test_related_coverage_is_read_only(index, method):
    response = getattr(_client(index), method)("/api/documents/s0/related", json={}, headers=_header(AUTH["Authorization"]))
    assert_error(response, 405, "method_not_allowed")
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert _client(index).get("/api/documents/s0").status_code == 200  # nothing was written
