"""The native core's snippets and marked texts are those of search/highlight/ (its specification): same windows, marks and escapes."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.reindex import reindex
from search.analysis import AnalysisConfig, Analyzer
from search.evaluation import read_qrels
from search.arabic import native
from search.highlight import BOUNDARY_REACH, SNIPPET_CHARS, SNIPPET_SCAN_CHARS, highlight, native_highlight, native_snippet, snippet
from search.query import parse_query
from search.request import InvalidRequest
from search.searcher import Searcher

from .conftest import shared_data, write_jsonl
from .test_analysis_properties import arabic_text
from .test_native import CONFIGS, _pair, analyzers
from .test_native import text as native_text
from .test_relevance import _jsonl

built = pytest.mark.skipif(native._native is None, reason="the native core is not built (no Rust compiler)")
_SURROGATE = re.compile("[\ud800-\udfff]")


def assert_same(text: str, plan, python, fast, size: int = SNIPPET_CHARS) -> None:
    """The native snippet and highlight of `text` are the Python code's; a text the core cannot read goes to Python."""
    assert native_snippet(text, plan, python, size) is None  # no core: the Python code answers
    expected = snippet(text, plan, python, size)
    found = native_snippet(text, plan, fast, size)
    if _SURROGATE.search(text):  # not UTF-8: the Python code answers, unless the core reads none of it
        in_head = _SURROGATE.search(text[: SNIPPET_SCAN_CHARS + size + BOUNDARY_REACH])
        assert (found is None if in_head else found == expected) and snippet(text, plan, fast, size) == expected
        return
    assert found == expected, (text, plan.stems, size)
    assert native_highlight(text, plan, fast) == highlight(text, plan, python)


# Texts of any length around the scan's end: a head repeated up to there, then a tail.
def _around_scan_end(parts: tuple[str, int, str]) -> str:
    head, length, tail = parts
    head = head or "كلمة "
    return (head * (length // len(head) + 1))[:length] + tail


texts = st.one_of(native_text, arabic_text)
long_texts = st.tuples(texts, st.integers(SNIPPET_SCAN_CHARS - 300, SNIPPET_SCAN_CHARS + 300), texts).map(_around_scan_end)
sizes = st.one_of(st.just(SNIPPET_CHARS), st.integers(0, 300))


@built
@settings(max_examples=400)
@given(texts, texts, sizes, st.sampled_from(CONFIGS))
def test_random_text_gives_the_same_snippets(text, query, size, config):
    python, fast = _pair(config)
    for q in (query, text[:30], text[10:50]):
        assert_same(text, parse_query(q, python), python, fast, size)


@built
@settings(max_examples=40)
@given(long_texts, sizes)
def test_random_long_text_gives_the_same_snippets_around_the_end_of_the_scan(text, size):
    python, fast = _pair(AnalysisConfig())
    for q in (text[:30], text[-40:]):
        assert_same(text, parse_query(q, python), python, fast, size)


@built
@given(st.lists(st.tuples(texts, texts), min_size=1, max_size=5))
def test_a_small_cache_that_empties_gives_the_same_snippets(pairs):
    python, fast = analyzers()
    fast.max_cached_words = 3
    for text, query in pairs:
        assert_same(text, parse_query(query or text[:20], python), python, fast)


CASES = [
    # (text, query, size)
    ("زار وزيرُ الخارجيـــة مَدْرَسَةً، ثم قال للمدرسه: إن المدارس «مدرسةٌ» واحدة. المدرسة\u200c الجديدة", "مدرسة", 240),
    ('قال <b>"المدرسة"</b> & \'الطلاب\' <script>', "المدرسة الطلاب", 240),
    # pieces the core hands to the Python chain: Latin-1 letters, ligatures, presentation forms, astral letters
    ("café المدرسة ﷺ ﻻمدرسة 𝐀bc المدرسةé Straße strasse", "مدرسة strasse", 240),
    ("سجل ٢٠١٥ و2015 و۲۰۱۵ عاماً، وقالت FIFA و Fifa و fifa: الفيفا 20150", "2015 fifa", 240),
    # a match past the scan is not marked; a word cut by the scan's end is analysed as cut
    ("كلمة " * 1300 + "المدرسة في آخر النص", "مدرسة", 240),
    ("ب" * (SNIPPET_SCAN_CHARS - 3) + " المدرسة والمدرسة", "مدرسة", 240),
    ("ب" * (SNIPPET_SCAN_CHARS - 300) + " المدرسة " + "كلمة " * 100, "مدرسة", 240),
    # windows smaller than the reach of a word boundary, and none at all
    ("في المدرسة الكبيرة قال المدير إن المدرسة تفتح غدا", "مدرسة", 0),
    ("في المدرسة الكبيرة قال المدير إن المدرسة تفتح غدا", "مدرسة", 7),
    ("في المدرسة الكبيرة قال المدير إن المدرسة تفتح غدا " * 3, "مدرسة مدير", 29),
    ("", "مدرسة", 240),
    ("نص بلا كلمات البحث", "", 240),
    ("   \n\t المدرسة \u3000 المدرسة\xa0المدرسة  ", "مدرسة", 240),
]


@built
@pytest.mark.parametrize("text, query, size", CASES)
def test_reference_examples_give_the_same_snippets(text, query, size):
    for config in CONFIGS:
        python, fast = _pair(config)
        assert_same(text, parse_query(query, python), python, fast, size)


@built
def test_the_native_snippet_marks_and_escapes_as_written():
    python, fast = _pair(AnalysisConfig())
    plan = parse_query("مدرسة", python)
    marked = native_snippet('«المدرسةُ» <b> & مدرسة', plan, fast)
    assert marked == "«<mark>المدرسةُ</mark>» &lt;b&gt; &amp; <mark>مدرسة</mark>"


def test_fahras_native_0_leaves_snippets_to_the_python_code(monkeypatch):
    monkeypatch.setenv("FAHRAS_NATIVE", "0")
    python = Analyzer()
    plan = parse_query("مدرسة", python)
    assert native_snippet("المدرسة", plan, python) is None and native_highlight("المدرسة", plan, python) is None
    assert snippet("المدرسة", plan, python) == "<mark>المدرسة</mark>"


def _development_corpus() -> dict[str, dict]:
    """The development protocol's documents by id: the QA passages, and the news articles without their titles."""
    docs = {p["id"]: {"id": p["id"], "title": p["title"], "body": p["body"], "source": "Wikipedia"}
            for p in _jsonl(shared_data("eval/arabic-qa-dev/passages.jsonl.gz"))}
    keep = set(shared_data("eval/news-known-item-dev/corpus_ids.txt").read_text().split())
    for article in _jsonl(shared_data("news/saudinewsnet.jsonl.gz")):
        if article["id"] in keep:
            docs[article["id"]] = {"id": article["id"], "title": "", "body": article["body"], "source": article["source"]}
    return docs


@built
@pytest.mark.native_corpus
def test_development_queries_give_the_same_snippets_on_their_judged_and_top_documents(tmp_path):
    docs = _development_corpus()
    reindex([write_jsonl(tmp_path / "dev.jsonl", list(docs.values()))], index_dir=tmp_path / "index", backend="tantivy")
    python, fast = analyzers()
    searcher = Searcher(tmp_path / "index")
    seen: set[str] = set()
    queries = snippets = marked = 0
    try:
        for name in ("arabic-qa-dev", "news-known-item-dev"):
            qrels = read_qrels(shared_data(f"eval/{name}/qrels.txt"))
            for query in _jsonl(shared_data(f"eval/{name}/queries.jsonl")):
                judged = sorted(qrels.get(query["qid"], {}))
                try:  # the page of results the API would show, and the plan its snippets are cut with
                    found = searcher.find(query["query"], size=10, snippets=False, facets=False, suggest=False, group=False)
                    plan, top = found.plan, [hit.id for hit in found.hits]
                except InvalidRequest:  # too long to search: its judged documents are still shown with marks
                    plan, top = parse_query(query["query"], python), []
                queries += 1
                for doc_id in dict.fromkeys(top + judged):
                    doc = docs[doc_id]
                    text = doc["body"] or doc["title"]
                    assert native_snippet(text, plan, fast) == snippet(text, plan, python), (query["qid"], doc_id)
                    snippets += 1
                    pages = [doc["title"]] + ([doc["body"]] if doc_id in judged else [])
                    for page in filter(None, pages):  # marked titles, and the judged documents' pages
                        assert native_highlight(page, plan, fast) == highlight(page, plan, python), (query["qid"], doc_id)
                        marked += 1
                    seen.add(doc_id)
    finally:
        searcher.close()
    print(f"\nnative snippets: {queries} queries, {len(seen)} documents, {snippets} snippets and {marked} marked texts"
          " identical to the Python code's")
    assert queries == 3085 and snippets >= queries
