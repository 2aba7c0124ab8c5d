"""The page's API and the CLI are thin shells over one Searcher: the same query gives the same answer.

For each query of the table, `fahras search --json` and `/api/search` must
give the same ids in the same order, the same total, facets, suggestion and
truncation, on an index of real news.
"""
from __future__ import annotations

import gzip
import itertools
import json
import re
from collections import Counter
from html import unescape

import pytest
from click.testing import CliRunner

from cli import main
from indexer.reindex import reindex
from webui import create_app

from .conftest import shared_data, write_jsonl

NEWS = "news/antcorpus-v2.1-multisource.jsonl.gz"
# Every 10th article of the first 30,000: about 3,000 articles from all five outlets.
STRIDE, SPAN = 10, 30_000


@pytest.fixture(scope="module")
def news(tmp_path_factory):
    path = shared_data(NEWS)
    with gzip.open(path, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in itertools.islice(f, 0, SPAN, STRIDE)]
    tmp = tmp_path_factory.mktemp("parity")
    reindex([write_jsonl(tmp / "news.jsonl", records)], index_dir=tmp / "index", backend="tantivy", workers=1)
    return tmp / "index", records


def _paragraph(records, words: int) -> str:
    body = next(r["body"] for r in records if r.get("body") and len(r["body"].split()) > words * 2)
    return " ".join(body.split()[:words])


def _cases(records):
    sources = sorted({r["source"] for r in records if r.get("source")})
    authors = Counter(" ".join(r["author"].split()) for r in records if r.get("author"))
    return [
        ("a misspelt word", {"q": "السعودبة"}),
        ("a name spelt otherwise (ترامب searched with it)", {"q": "ترمب"}),
        ("a Latin name (its Arabic spellings searched)", {"q": "trump"}),
        ("a pasted 60-word paragraph", {"q": _paragraph(records, 60)}),
        ("a source filter", {"q": "ترامب", "source": [sources[0], sources[-1]]}),
        ("sources and a category", {"q": "ترامب", "source": sources[1:3], "category": "middleEast"}),
        ("an author filter", {"q": "الرئيس", "author": authors.most_common(1)[0][0]}),
        ("an author: query", {"q": "author:العربية ترامب"}),
        ("a date range", {"q": "ترامب", "from": "2018-05-01", "to": "2018-06-30"}),
        ("a date range in Arabic digits", {"q": "ترامب", "from": "٢٠١٨-٠٥-٠١", "to": "٢٠١٨-٠٦-٣٠"}),
        ("sort by date", {"q": "إيران", "sort": "date", "size": "20", "page": "2"}),
        ("a category and a page", {"q": "الرئيس", "category": "middleEast", "page": "3"}),
    ]


def _cli_args(params: dict) -> list[str]:
    args = params["q"].split()
    for name, value in params.items():
        if name == "q":
            continue
        for v in value if isinstance(value, list) else [value]:
            args += [f"--{name}", v]
    return args


def _same_answer(result: dict) -> dict:
    keep = ("query", "total", "page", "size", "facets", "suggestion", "truncated", "interpreted", "spellings")
    return {**{k: result[k] for k in keep}, "ids": [h["id"] for h in result["hits"]],
            "snippets": [h["snippet"] for h in result["hits"]]}


def test_cli_and_api_give_the_same_answer_for_every_query_of_the_table(news):
    index, records = news
    client = create_app({"INDEX_DIR": str(index), "SUGGEST": "sync", "TESTING": True}).test_client()
    runner = CliRunner()
    table = []
    for label, params in _cases(records):
        api = client.get("/api/search", query_string=params)
        assert api.status_code == 200, (label, api.get_json())
        cli = runner.invoke(main, ["search", *_cli_args(params), "--json", "--index", str(index)])
        assert cli.exit_code == 0, (label, cli.output)
        a, c = _same_answer(api.get_json()), _same_answer(json.loads(cli.output))
        assert a == c, label
        table.append((label, a["total"], len(a["ids"]), a["suggestion"], a["truncated"]))
    print("\n".join(f"{label:<28} total {total:>5}  hits {n:>3}  suggestion {s!r}  truncated {t}" for label, total, n, s, t in table))
    by_label = {row[0]: row for row in table}
    # The table exercises what it names: a suggestion, a truncated paste that still finds hits, filtered results.
    assert by_label["a misspelt word"][3] is not None
    assert by_label["a pasted 60-word paragraph"][4] is True and by_label["a pasted 60-word paragraph"][1] > 0
    assert all(row[1] > 0 for row in table if row[0] != "a misspelt word")
    # The spellings searched with a word are said on every face: the JSON above, the page and the CLI's text.
    page = client.get("/", query_string={"q": "trump"}).get_data(as_text=True)
    text = runner.invoke(main, ["search", "trump", "--index", str(index)]).output
    assert 'class="spellings"' in page and "ترامب" in page.split('class="spellings"')[1].split("</p>")[0]
    assert "also searched: ترامب" in text
    assert by_label["a date range in Arabic digits"][1:] == by_label["a date range"][1:]


def _page_counts(html: str, name: str) -> dict[str, int]:
    """The count beside each checkbox of one facet on the results page."""
    boxes = re.findall(rf'name="{name}" value="([^"]*)"[^>]*>\s*<span class="label">[^<]*</span>\s*<span class="count">([^<]*)</span>', html)
    return {unescape(value): int(re.sub(r"\D", "", count.translate(WESTERN))) for value, count in boxes}


WESTERN = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


def test_the_page_shows_the_apis_disjunctive_counts_and_keeps_unticked_sources(news):
    index, records = news
    client = create_app({"INDEX_DIR": str(index), "SUGGEST": "off", "TESTING": True}).test_client()
    source = Counter(r["source"] for r in records).most_common(1)[0][0]
    params = {"q": "ترامب", "source": source}
    api = client.get("/api/search", query_string=params).get_json()
    unfiltered = client.get("/api/search", query_string={"q": "ترامب"}).get_json()
    # Ticking one source keeps the others' counts; the other facets count the ticked source's articles.
    assert api["facets"]["source"] == unfiltered["facets"]["source"] and len(api["facets"]["source"]) > 1
    assert sum(api["facets"]["category"].values()) == api["articles"] == unfiltered["facets"]["source"][source]
    html = client.get("/", query_string=params).get_data(as_text=True)
    for name in ("source", "category", "author"):
        shown = _page_counts(html, name)
        assert shown and all(api["facets"][name][value] == count for value, count in shown.items()), name
    assert len(_page_counts(html, "source")) == len(api["facets"]["source"])  # every source stays on screen


@pytest.mark.parametrize(
    "args, mentions",
    [
        (["ترامب", "--size", "101"], "size may not exceed 100"),
        (["ترامب", "--page", "101", "--size", "100"], "page may not exceed 100"),
        (["ترامب", "--from", "2018-13-01"], "YYYY-MM-DD"),
        (["ا" * 1001], "1000 characters"),
    ],
)
def test_the_cli_refuses_what_the_api_refuses_with_the_same_message(news, args, mentions):
    index, _ = news
    client = create_app({"INDEX_DIR": str(index), "SUGGEST": "off", "TESTING": True}).test_client()
    params = {"q": args[0], **{args[i].lstrip("-"): args[i + 1] for i in range(1, len(args), 2)}}
    api = client.get("/api/search", query_string=params)
    assert api.status_code == 400 and mentions in api.get_json()["error"]["message"]
    cli = CliRunner().invoke(main, ["search", *args, "--index", str(index)])
    assert cli.exit_code == 2 and mentions in cli.output
