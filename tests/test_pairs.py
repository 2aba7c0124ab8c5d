"""Two-word phrases are looked up as pair terms on Tantivy; an index written before the pairs field still answers them."""
from __future__ import annotations

import pytest

from indexer.reindex import reindex
from search.index.fields import adjacent_pairs, pair_term
from search.request import SearchRequest
from search.searcher import Searcher

from .conftest import reindex_in_an_older_schema, write_jsonl

DOCS = [
    {"id": "a", "title": "وزير الخارجية يزور القاهرة", "body": "قال وزير الخارجية إن الزيارة ناجحة."},
    {"id": "b", "title": "الخارجية تستدعي السفير", "body": "استدعت وزارة الخارجية السفير وقال الوزير كلمته."},
    {"id": "c", "title": "وزير المالية", "body": "أعلن وزير المالية الميزانية. الخارجية لم تعلق."},
    {"id": "d", "title": "القاهرة", "body": "زار الوزير القاهرة ثم الخارجية"},
]
QUERIES = ['"وزير الخارجية"', "وزير الخارجية", '"الخارجية وزير"', 'title:"وزير الخارجية"', '"وزير الخارجية" OR "وزير المالية"']


@pytest.mark.parametrize(
    ("exact", "pairs"),
    [
        ("وزير خارجية", "وزير_خارجية"),
        ("عنوان ¶ نص اول", "نص_اول"),  # never across the end of the title
        ("كلمة", ""),
        ("", ""),
    ],
)
def test_adjacent_pairs(exact, pairs):
    assert adjacent_pairs(exact) == pairs


def test_a_pair_term_is_two_forms_joined():
    assert pair_term("وزير", "خارجية").split() == ["وزير_خارجية"]


@pytest.fixture(scope="module")
def indexes(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pairs")
    source = write_jsonl(tmp / "docs.jsonl", DOCS)
    reindex([source], tmp / "new", backend="tantivy")
    reindex_in_an_older_schema(source, tmp / "old", pairs=False, story=False)  # before the pairs field
    return Searcher(tmp / "new", suggest="off"), Searcher(tmp / "old", suggest="off")


def test_the_old_index_has_no_pairs_field(indexes):
    new, old = indexes
    with new.served.using() as n, old.served.using() as o:
        assert n.reader._pairs and not o.reader._pairs


@pytest.mark.parametrize("q", QUERIES)
def test_pair_terms_match_what_phrases_match(indexes, q):
    new, old = indexes
    found = [new.search(SearchRequest(q, group=False)), old.search(SearchRequest(q, group=False))]
    assert {h.id for h in found[0].hits} == {h.id for h in found[1].hits}
    assert found[0].total == found[1].total


def test_a_phrase_finds_only_its_words_side_by_side(indexes):
    new, _ = indexes
    assert {h.id for h in new.search(SearchRequest('"وزير الخارجية"', group=False)).hits} == {"a"}
    assert {h.id for h in new.search(SearchRequest('"الخارجية وزير"', group=False)).hits} == set()
