"""The Whoosh backend's own reading (search/index/whoosh_collect.py) against Whoosh's evaluation of the same queries.

On an index of two segments, one with deletions: sets of matches as Whoosh's
own matchers find them, scores as Whoosh's collector gives them, counts as
Whoosh's facets count them.
"""
from __future__ import annotations

import random

import pytest
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.sorting import Count, FieldFacet

from search.index import whoosh_collect
from search.index.whoosh_collect import Columns, docset, intersection, ranked
from search.index.description import Bool, Phrase, Term
from search.index.whoosh_index import INDEX_NAME, WhooshReader, _first_stage, _schema

WORDS = [f"w{i}" for i in range(12)]
SOURCES = ["a", "b", "c", None]
DELETED = {f"d{i:03d}" for i in range(0, 250, 7)}  # of the first segment


def _add(writer, rng: random.Random, n: int) -> None:
    fields = {"id": f"d{n:03d}", "group": f"g{n // 3}", "day": f"2024-01-{1 + n % 28:02d}"}
    for name in ("title", "body", "lead", "exact"):
        # Skewed: the first words are common, the last rare.
        fields[name] = " ".join(rng.choice(WORDS[: rng.randint(1, len(WORDS))]) for _ in range(rng.randint(1, 12)))
    if source := SOURCES[n % len(SOURCES)]:
        fields["source"] = source
    writer.add_document(doc='{"id": "%s"}' % fields["id"], **fields)


@pytest.fixture(scope="module")
def reader(tmp_path_factory):
    path = tmp_path_factory.mktemp("whoosh-collect")
    ix = whoosh_index.create_in(str(path), _schema(), indexname=INDEX_NAME)
    rng = random.Random(7)
    for part in (range(0, 250), range(250, 400)):
        writer = ix.writer()
        for n in part:
            _add(writer, rng, n)
        if part.start:
            for doc_id in DELETED:
                writer.delete_by_term("id", doc_id)
        writer.commit(merge=False)
    opened = WhooshReader(path)
    segments = [sub.reader() for sub, _ in opened._one.leaf_searchers()]
    assert len(segments) == 2 and segments[0].has_deletions()
    yield opened
    opened.close()


def _or(field: str, *words: str) -> wq.Query:
    return wq.Or([wq.Term(field, w) for w in words])


QUERIES = [
    wq.Term("body", "w0"),
    wq.Term("body", "w11"),
    wq.Term("body", "absent"),
    _or("title", "w1", "w5", "w9"),
    wq.And([wq.Term("body", "w0"), wq.Term("title", "w2")]),
    wq.AndNot(wq.Term("body", "w0"), wq.Term("title", "w0")),
    wq.Require(_or("body", "w3", "w4"), wq.Term("source", "a")),
    wq.AndMaybe(wq.Term("body", "w1"), wq.Term("title", "w7")),
    wq.Phrase("exact", ["w0", "w1"]),
    wq.TermRange("day", "2024-01-03", "2024-01-09", startexcl=False, endexcl=False),
    wq.Every(),
    wq.NullQuery,
]


@pytest.mark.parametrize("q", QUERIES, ids=str)
def test_sets_of_matches_are_what_whoosh_matches(reader, q):
    searcher = reader._one
    found = docset(searcher, q)
    assert found == set(searcher.docs_for_query(q))
    assert not any(searcher.stored_fields(d)["doc"].split('"')[3] in DELETED for d in found)


def test_intersection_of_no_sets_is_empty():
    assert intersection([]) == set() and intersection([{1, 2}, {2, 3}]) == {2}


def _whoosh_ranking(searcher, q: wq.Query, allow) -> list[tuple[float, int]]:
    found = searcher.search(q, limit=None, filter=allow)
    return [(score, docnum) for score, docnum in found.top_n]


FULL = wq.Or([*(wq.Term(f, w, boost=b) for f, b in (("title", 3.0), ("body", 1.0), ("lead", 0.5)) for w in ("w2", "w8")),
              wq.Phrase("exact", ["w2", "w8"], boost=0.5)])
FIRST = wq.Or([wq.Term(f, w) for f in ("title", "body", "lead") for w in ("w2", "w8")])


@pytest.mark.parametrize("rescored", [1000, 30, 5])
@pytest.mark.parametrize("n", [1, 10, 40])
@pytest.mark.parametrize("allowed", [None, "source a"])
def test_two_stage_scores_are_the_full_querys_and_exact_when_every_match_is_rescored(reader, monkeypatch, rescored, n, allowed):
    searcher = reader._one
    allow = docset(searcher, wq.Term("source", "a")) if allowed else None
    monkeypatch.setattr(whoosh_collect, "RESCORED", rescored)
    got = ranked(searcher, FULL, FIRST, n, allow)
    exact = _whoosh_ranking(searcher, FULL, allow)
    full_score = {d: s for s, d in exact}
    assert len(got) == min(n, len(exact))
    assert all(full_score[d] == pytest.approx(s) for s, d in got)
    assert [s for s, _ in got] == sorted((s for s, _ in got), reverse=True)
    if rescored >= len(exact):
        assert [d for _, d in got] == [d for _, d in exact[:n]]
    # Without a first stage every match is scored by every clause.
    assert [d for _, d in ranked(searcher, FULL, None, n, allow)] == [d for _, d in exact[:n]]


@pytest.mark.parametrize("q", QUERIES[:8], ids=str)
@pytest.mark.parametrize("field", ["source", "day", "group"])
def test_counts_by_column_are_whooshs_facet_counts(reader, q, field):
    searcher = reader._one
    columns = Columns(searcher, ("source", "day", "group"))
    matches = docset(searcher, q)
    found = searcher.search(q, limit=None, groupedby={field: FieldFacet(field, maptype=Count)})
    assert columns.counts(field, matches) == {k: v for k, v in found.groups(field).items() if k}
    assert columns.distinct("group", matches) == len(found.groups("group") if field == "group" else
                                                     searcher.search(q, limit=None, groupedby="group").groups("group"))


@pytest.mark.parametrize(
    "should, prunable",
    [
        ((Term("title", "w1", 3.0), Term("body", "w1")), True),
        ((Term("exact", "w1"), Term("exact", "w2"), Phrase("exact", ("w1", "w2"))), True),  # a pair of its words
        ((Term("exact", "w1"), Phrase("exact", ("w1", "w2"))), False),  # w2 matches only through the phrase
        ((Term("body", "w1"), Term("body", "w2"), Phrase("exact", ("w1", "w2"))), False),  # another field's words
        ((Term("body", "w1"), Bool(should=(Term("body", "w2"),))), False),
        ((Phrase("exact", ("w1", "w2")),), False),
    ],
)
def test_the_first_stage_is_the_term_clauses_when_they_match_all_the_query_does(should, prunable):
    first = _first_stage(should)
    if not prunable:
        assert first is None
        return
    terms = [c for c in should if isinstance(c, Term)]
    assert {(t.fieldname, t.text, t.boost) for t in (first.subqueries if isinstance(first, wq.Or) else [first])} == \
        {(t.field, t.value, t.boost) for t in terms}
