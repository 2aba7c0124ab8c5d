"""Stories are counted on Tantivy's integer story column; an index written before it counts them on the group's text."""
from __future__ import annotations

import pytest

from indexer.live import write
from indexer.reindex import reindex
from indexer.sources import to_document
from search.index import tantivy_counts, tantivy_schema
from search.request import SearchRequest
from search.searcher import Searcher

from .conftest import reindex_in_an_older_schema, write_jsonl
from .test_grouping import OTHER_STORY, STORY
from .test_live_grouping import DATELINE, THIRD_STORY

# Three stories, in two, three and one copies, from two sources; and three articles of their own.
RECORDS = [
    {"id": "a1", "title": "مستشفى", "body": STORY, "source": "BBC"},
    {"id": "a2", "title": "مستشفى جديد", "body": DATELINE + STORY, "source": "CNN"},
    {"id": "b1", "title": "العام الدراسي", "body": OTHER_STORY, "source": "BBC"},
    {"id": "b2", "title": "المدارس", "body": DATELINE + OTHER_STORY, "source": "CNN"},
    {"id": "b3", "title": "الدراسة", "body": OTHER_STORY, "source": "Sky"},
    {"id": "c1", "title": "معرض الكتاب", "body": THIRD_STORY, "source": "Sky"},
    {"id": "d1", "title": "الوزارة", "body": "أعلنت الوزارة خطة جديدة للمستشفيات والمدارس في المنطقة.", "source": "BBC"},
    {"id": "d2", "title": "وزارة الصحة", "body": "قالت وزارة الصحة إن المستشفى الجديد يفتح أبوابه.", "source": "CNN"},
    {"id": "d3", "title": "الثقافة", "body": "وزارة الثقافة تدعم معرض الكتاب والمدارس.", "source": "Sky"},
]
QUERIES = ["مستشفى", "المدارس", "وزارة", "الكتاب المدارس المستشفى", "الوزارة OR الثقافة"]


@pytest.fixture(scope="module")
def indexes(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("story")
    source = write_jsonl(tmp / "docs.jsonl", RECORDS)
    reindex([source], tmp / "new", backend="tantivy")
    reindex_in_an_older_schema(source, tmp / "old", story=False)  # before the story column
    return tmp / "new", tmp / "old"


def _counts(path, q: str) -> tuple:
    r = Searcher(path, suggest="off").search(SearchRequest(q))
    return r.total, r.articles, r.facets, r.story_facets


def test_the_columns_stories_are_counted_on(indexes):
    new, old = (Searcher(p, suggest="off") for p in indexes)
    with new.served.using() as n, old.served.using() as o:
        assert (n.reader._stories_in, o.reader._stories_in) == ("story", "group")


@pytest.mark.parametrize("exact_stories", [tantivy_counts.EXACT_STORIES, 0])  # exact, then HyperLogLog
@pytest.mark.parametrize("q", QUERIES)
def test_stories_and_story_facets_are_the_same_on_either_column(indexes, q, exact_stories, monkeypatch):
    monkeypatch.setattr(tantivy_counts, "EXACT_STORIES", exact_stories)
    new, old = indexes
    assert _counts(new, q) == _counts(old, q)


@pytest.mark.parametrize("q", QUERIES)
def test_stories_are_the_distinct_groups_of_the_matching_articles(indexes, q):
    new, _ = indexes
    every = Searcher(new, suggest="off").search(SearchRequest(q, size=100, group=False)).hits
    stories, articles, facets, story_facets = _counts(new, q)
    assert (stories, articles) == (len({h.group for h in every}), len(every))
    for source, n in story_facets["source"].items():
        assert n == len({h.group for h in every if h.source == source}) and facets["source"][source] >= n


@pytest.mark.parametrize(("group", "other", "same"), [("a1", "a2", False), ("a1", "a1", True), ("", " ", False)])
def test_story_key_is_a_stable_64_bit_integer(group, other, same):
    key = tantivy_schema.story_key(group)
    assert -(2**63) <= key < 2**63 and key == tantivy_schema.story_key(group)
    assert (key == tantivy_schema.story_key(other)) == same


@pytest.mark.parametrize("which", ["new", "old"])
def test_live_writes_keep_the_index_schema_and_its_counts(indexes, tmp_path, which, monkeypatch):
    import shutil

    monkeypatch.setenv("FAHRAS_REFRESH_SECONDS", "0")
    path = tmp_path / which
    shutil.copytree(indexes[0] if which == "new" else indexes[1], path, symlinks=True)
    # A third copy of the hospital story, and a delete of one of the school story's copies.
    write(path, adds=[to_document({"id": "a3", "title": "مستشفى", "body": STORY, "source": "Sky"})[0]], deletes=["b3"])
    searcher = Searcher(path, suggest="off")
    with searcher.served.using() as index:
        assert index.reader._stories_in == ("story" if which == "new" else "group")
    every = searcher.search(SearchRequest("مستشفى", size=100, group=False)).hits
    stories, articles, _, story_facets = _counts(path, "مستشفى")
    assert {"a3", "a1", "a2"} <= {h.id for h in every} and (stories, articles) == (len({h.group for h in every}), len(every))
    assert story_facets["source"]["Sky"] == len({h.group for h in every if h.source == "Sky"})


def _page(path, q: str, **flags) -> list[tuple]:
    r = Searcher(path, suggest="off").search(SearchRequest(q, size=3), **flags)
    return [(h.id, h.score, h.group, [c["id"] for c in h.copies]) for h in r.hits]


@pytest.mark.parametrize("q", QUERIES)
def test_pages_group_the_same_on_either_column(indexes, q):
    new, old = indexes
    for flags in ({}, {"snippets": False, "facets": False, "suggest": False, "totals": False, "details": False}):
        assert [(i, g, c) for i, _, g, c in _page(new, q, **flags)] == [(i, g, c) for i, _, g, c in _page(old, q, **flags)]


def test_grouping_reads_the_stored_documents_only_of_the_stories_it_keeps(indexes, monkeypatch):
    from search.index import tantivy_hits
    from search.query.scoring import describe

    new, old = indexes
    read: list = []
    real = tantivy_hits.stored
    monkeypatch.setattr(tantivy_hits, "stored", lambda searcher, address: read.append(address) or real(searcher, address))
    # The hospital story (a1, a2) and the school story (b1, b2, b3) hold the top ranks of "المستشفى المدارس".
    searcher = Searcher(new, suggest="off")
    with searcher.served.using() as index:
        hits = list(index.reader.scan(describe(searcher.plan("المستشفى المدارس")), 10))
    assert len(hits) >= 5 and not read  # ranked, stories known, nothing read yet
    assert {h.story for h in hits} >= {tantivy_schema.story_key(g) for g in ("a1", "b1")}
    assert [h.story for h in hits if h.id in ("a1", "a2")] == [tantivy_schema.story_key("a1")] * 2
    read.clear()
    r = searcher.search(SearchRequest("المستشفى المدارس", size=2), snippets=False, facets=False, suggest=False, totals=False)
    # Two stories shown: their two stored documents, then one per copy listed (the copies' own query).
    assert len(r.hits) == 2 and len(read) == 2 + sum(len(h.copies) for h in r.hits)
