"""Exports (/api/export, fahras search --export) and the Atom feed, over the web test corpus."""
from __future__ import annotations

import csv
import io
import json
from urllib.parse import urlencode

import feedparser
import pytest
from click.testing import CliRunner

from cli import main
from search.export import COLUMNS, csv_lines
from search.request import SearchRequest
from search.results import Hit
from search.searcher import Searcher

from .web_corpus import ECONOMY_DOCS, app, client, index  # noqa: F401 (fixtures)


def _get(client, path, **params):
    return client.get(path + "?" + urlencode(params, doseq=True))


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# Search parameters -> what an export must hold: the whole result set, whatever the page size.
EXPORTS = [
    {"q": "الاقتصاد"},
    {"q": "الاقتصاد -السعودي"},
    {"q": "", "source": "Al Arabiya"},
    {"q": "الاقتصاد", "sort": "oldest", "size": "2", "page": "3"},
]


@pytest.mark.parametrize("params", EXPORTS)
def test_an_export_holds_the_whole_result_set_in_search_order(client, params):
    search = _get(client, "/api/search", **{**params, "size": "100", "page": "1"}).get_json()
    response = _get(client, "/api/export", **params, format="csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _csv_rows(response.data)
    assert rows[0] == list(COLUMNS)
    assert [row[0] for row in rows[1:]] == [hit["id"] for hit in search["hits"]] and search["total"] == len(rows) - 1
    lines = _get(client, "/api/export", **params, format="jsonl").get_data(as_text=True).splitlines()
    assert [json.loads(line)["id"] for line in lines] == [row[0] for row in rows[1:]]
    assert all(set(json.loads(line)) == set(COLUMNS) for line in lines)


def test_an_unknown_export_format_is_a_400(client):
    response = _get(client, "/api/export", q="الاقتصاد", format="xml")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "invalid_parameter"


def test_an_export_stops_at_its_cap(index):
    searcher = Searcher(index)
    assert len(list(searcher.export(SearchRequest(q="الاقتصاد"), cap=3))) == 3
    searcher.close()


def test_the_cli_exports_what_the_api_does(client, index):
    api = _get(client, "/api/export", q="الاقتصاد -السعودي", format="jsonl").get_data(as_text=True)
    cli = CliRunner().invoke(main, ["search", "الاقتصاد -السعودي", "--index", str(index), "--export", "jsonl"])
    assert cli.exit_code == 0 and cli.output == api


# Stored value -> its CSV cell: a spreadsheet must not run a cell as a formula.
CELLS = [("=HYPERLINK(1)", "'=HYPERLINK(1)"), ("+1", "'+1"), ("@SUM", "'@SUM"), ("عنوان", "عنوان"), (None, "")]


@pytest.mark.parametrize("value, cell", CELLS)
def test_csv_cells_are_never_formulas(value, cell):
    hit = Hit(id="x", title=value, snippet="", date=None, source=None, category=None, author=None, url=None, score=1.5)
    assert _csv_rows("".join(csv_lines([hit])).encode())[1][1] == cell


# Search parameters -> entries of the feed (newest first).
FEEDS = [({"q": "الاقتصاد"}, min(20, len(ECONOMY_DOCS))), ({"source": "Al Arabiya"}, None), ({"q": "لاشيءيطابق"}, 0)]


@pytest.mark.parametrize("params, entries", FEEDS)
def test_the_feed_is_valid_atom_of_the_newest_matches(client, params, entries):
    response = _get(client, "/feed", **params, sort="relevance")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    search = _get(client, "/api/search", **params, sort="date", size="20").get_json()
    assert [e.link.rsplit("/doc/", 1)[1] for e in feed.entries] == [h["id"] for h in search["hits"]]
    assert entries is None or len(feed.entries) == entries
    assert feed.feed.title.startswith("فهرس")
