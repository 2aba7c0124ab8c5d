"""Results grouped by story: each story once at its best copy, its copies listed, totals of both kinds, group=off."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli import main
from indexer.reindex import reindex
from search.evaluation import evaluate
from search.index import EMBEDDED_BACKENDS
from search.index.description import IndexQuery, Term
from search.searcher import Searcher
from webui import create_app

from .conftest import write_jsonl
from .test_api import validate
from .test_grouping import OTHER_STORY, STORY

RECORDS = [
    {"id": "bbc-1", "title": "افتتاح مستشفى", "body": STORY, "source": "BBC", "date": "2018-03-01", "category": "health"},
    {"id": "cnn-1", "title": "مستشفى جديد", "body": "جدة - (واس) - " + STORY, "source": "CNN", "date": "2018-03-02", "category": "health"},
    {"id": "sky-1", "title": "مستشفى بخمسمائة سرير في جدة", "body": STORY, "source": "Sky", "date": "2018-03-03", "category": "health"},
    {"id": "bbc-2", "title": "العام الدراسي", "body": OTHER_STORY, "source": "BBC", "date": "2018-03-01", "category": "education"},
]


@pytest.fixture(scope="module", params=EMBEDDED_BACKENDS)
def index(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(request.param)
    reindex([write_jsonl(root / "docs.jsonl", RECORDS)], index_dir=root / "index", backend=request.param)
    return root / "index"


def _story(hits, group):
    return [h for h in hits if h.group == group]


@pytest.mark.parametrize("q, group, total, articles, ids", [
    # The hospital story: three copies, shown once at the best-ranked one.
    ("مستشفى جدة", True, 1, 3, None),
    ("مستشفى جدة", False, 3, 3, {"bbc-1", "cnn-1", "sky-1"}),
    # Both stories match "الوزارة": two stories in four articles.
    ("الوزارة", True, 2, 4, None),
    ("الوزارة", False, 4, 4, {"bbc-1", "cnn-1", "sky-1", "bbc-2"}),
])
def test_each_story_once_or_every_copy(index, q, group, total, articles, ids):
    result = Searcher(index).find(q, group=group)
    assert (result.total, result.articles, result.grouped) == (total, articles, group)
    if group:
        assert len({h.group for h in result.hits}) == len(result.hits) == total
        hospital = _story(result.hits, "bbc-1")[0]
        shown_and_copies = {hospital.id} | {c["id"] for c in hospital.copies}
        assert shown_and_copies == {"bbc-1", "cnn-1", "sky-1"}
        assert all(set(c) == {"id", "source", "date"} for c in hospital.copies)
    else:
        assert {h.id for h in result.hits} == ids
        assert all(h.copies == [] for h in result.hits)


def test_a_story_ranks_where_its_best_copy_ranks(index):
    searcher = Searcher(index)
    every = searcher.find("مستشفى بخمسمائة سرير", group=False).hits
    grouped = searcher.find("مستشفى بخمسمائة سرير").hits
    assert grouped[0].id == every[0].id == "sky-1"  # the copy whose title matches


def test_facets_count_stories_and_articles(index):
    result = Searcher(index).find("الوزارة")
    assert result.facets["source"] == {"BBC": 2, "CNN": 1, "Sky": 1}
    assert result.story_facets["source"] == {"BBC": 2, "CNN": 1, "Sky": 1}
    assert result.facets["category"] == {"health": 3, "education": 1}
    assert result.story_facets["category"] == {"health": 1, "education": 1}


def test_pages_count_stories(index):
    searcher = Searcher(index)
    first, second = searcher.find("الوزارة", size=1), searcher.find("الوزارة", page=2, size=1)
    assert first.total == second.total == 2
    assert {first.hits[0].group, second.hits[0].group} == {"bbc-1", "bbc-2"}


@pytest.mark.parametrize("query, status, grouped", [
    ("q=الوزارة", 200, True),
    ("q=الوزارة&group=on", 200, True),
    ("q=الوزارة&group=off", 200, False),
    ("q=الوزارة&group=maybe", 400, None),
    ("q=الوزارة&group=", 400, None),  # a typed parameter given empty is refused
])
def test_api_group_parameter(index, query, status, grouped):
    client = create_app({"INDEX_DIR": str(index), "SUGGEST": "off", "TESTING": True}).test_client()
    response = client.get("/api/search?" + query)
    assert response.status_code == status
    if grouped is not None:
        body = response.get_json()
        validate(body, "SearchResult")
        assert body["grouped"] is grouped
        assert all("group" in h and "copies" in h for h in body["hits"])


def test_page_says_where_else_a_story_was_published(index):
    client = create_app({"INDEX_DIR": str(index), "SUGGEST": "off", "TESTING": True}).test_client()
    grouped = client.get("/?q=مستشفى جدة").get_data(as_text=True)
    assert "نُشر أيضًا في" in grouped and grouped.count('class="hit"') == 1
    every = client.get("/?q=مستشفى جدة&group=off").get_data(as_text=True)
    assert "نُشر أيضًا في" not in every and every.count('class="hit"') == 3


@pytest.mark.parametrize("flags, hits", [([], 1), (["--no-group"], 3)])
def test_cli_no_group(index, flags, hits):
    result = CliRunner().invoke(main, ["search", "مستشفى", "جدة", "--index", str(index), "--json", *flags])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)["hits"]) == hits


@pytest.mark.parametrize("judged, found_at", [
    ("bbc-1", 1.0),  # the shown copy itself
    ("sky-1", 1.0),  # a hidden copy: found at its story's rank
    ("bbc-2", 0.5),  # the other story, second
    ("nowhere", 0.0),
])
def test_a_judged_copy_hidden_in_a_story_is_found_at_its_storys_rank(judged, found_at):
    run = {"q1": {"bbc-1": 2.0, "bbc-2": 1.0}}
    copies = {"q1": {"bbc-1": ["cnn-1", "sky-1"]}}
    assert evaluate(run, {"q1": {judged: 1}}, copies).mean["MRR@10"] == found_at


@pytest.mark.parametrize("judged", ["bbc-1", "sky-1", "bbc-2"])
def test_a_batch_run_lists_each_storys_copies_after_it_for_readers_of_ids(index, tmp_path, judged):
    queries = write_jsonl(tmp_path / "q.jsonl", [{"qid": "q1", "query": "الوزارة"}])
    result = CliRunner().invoke(main, ["search", "--batch", str(queries), "--index", str(index), "--workers", "1"])
    assert result.exit_code == 0, result.output
    run_path = tmp_path / "run.jsonl"
    run_path.write_text(result.stdout, encoding="utf-8")
    hits = json.loads(result.stdout)["hits"]
    shown = [h for h in hits if "copy_of" not in h]
    assert len(shown) == 2 and "bbc-2" in {h["id"] for h in shown}
    at = next(i for i, h in enumerate(hits) if h.get("copies"))
    story, listed = hits[at], hits[at + 1 : at + 3]
    assert [h["id"] for h in listed] == story["copies"] and {story["id"], *story["copies"]} == {"bbc-1", "cnn-1", "sky-1"}
    assert all(h["copy_of"] == story["id"] for h in listed) and len(hits) == 4
    # Scores step down through the list, copies included: a reader ordering by score keeps the listed order.
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert len({h["score"] for h in hits}) == 4 or shown[0]["score"] == shown[1]["score"]
    qrels = tmp_path / "qrels.txt"
    qrels.write_text(f"q1 0 {judged} 1\n")
    # `fahras eval`: a story counts once, at its rank, whichever of its copies is judged.
    story_rank = 1 + [h["id"] for h in shown].index("bbc-2" if judged == "bbc-2" else story["id"])
    grouped = CliRunner().invoke(main, ["eval", "--run", str(run_path), "--qrels", str(qrels), "--json"])
    assert json.loads(grouped.output)["MRR@10"] == 1 / story_rank
    # trec_eval's reading of the ids alone, by score then docid descending: the judged copy is listed, within its story.
    ranked = sorted(hits, key=lambda h: (-h["score"], [-ord(ch) for ch in h["id"]]))
    stories = [h.get("copy_of", h["id"]) for h in ranked]
    assert judged in [h["id"] for h in ranked] and stories == sorted(stories, key=stories.index)  # each story's ids together
    assert ranked == hits or shown[0]["score"] == shown[1]["score"]


RIYADH_HOSPITAL = ("افتتحت وزارة الصحة مستشفى للأطفال في الرياض يضم أقساما لجراحة القلب والأورام، "
                   "وقال مدير المستشفى إن الأسرة الجديدة تخفف الانتظار في أقسام الطوارئ.")


RELATED_RECORDS = RECORDS + [{"id": "riyadh-1", "title": "مستشفى للأطفال في الرياض", "body": RIYADH_HOSPITAL, "source": "BBC"}]


@pytest.fixture(scope="module")
def related_index(tmp_path_factory):
    root = tmp_path_factory.mktemp("related")
    reindex([write_jsonl(root / "docs.jsonl", RELATED_RECORDS)], index_dir=root / "index", backend="tantivy")
    return root / "index"


# The cluster backend too, only under `pytest -m opensearch`.
@pytest.fixture(scope="module", params=[*EMBEDDED_BACKENDS, pytest.param("opensearch", marks=pytest.mark.opensearch)])
def related_engine(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(f"related-{request.param}")
    if request.param == "opensearch":
        from .opensearch_support import cluster_engine

        with cluster_engine(root, RELATED_RECORDS, "related") as engine:
            yield engine
        return
    reindex([write_jsonl(root / "docs.jsonl", RELATED_RECORDS)], index_dir=root / "index", backend=request.param)
    engine = Searcher(root / "index", suggest="off")
    yield engine
    engine.close()


@pytest.mark.parametrize("doc_id, first, never", [
    # Another hospital story, never a copy of the article's own story.
    ("bbc-1", "riyadh-1", {"bbc-1", "cnn-1", "sky-1"}),
    ("cnn-1", "riyadh-1", {"bbc-1", "cnn-1", "sky-1"}),
    ("riyadh-1", "bbc-1", {"riyadh-1"}),
])
def test_related_coverage_leaves_out_the_storys_own_copies(related_engine, doc_id, first, never):
    hits = related_engine.related(doc_id)
    assert hits and hits[0].group == first
    assert not {h.id for h in hits} & never
    assert len({h.group for h in hits}) == len(hits)


def test_an_article_not_indexed_has_no_related_list(related_engine):
    assert related_engine.related("nope") is None


@pytest.mark.parametrize("path, status", [
    ("/api/documents/bbc-1/related", 200),
    ("/api/documents/nope/related", 404),
    ("/api/documents/bbc-1", 200),
])
def test_related_api(related_index, path, status):
    client = create_app({"INDEX_DIR": str(related_index), "SUGGEST": "off", "TESTING": True}).test_client()
    response = client.get(path)
    assert response.status_code == status
    if path.endswith("/related") and status == 200:
        body = response.get_json()
        assert body["hits"][0]["id"] == "riyadh-1"
        validate(body, "Related")


def test_article_page_lists_related_coverage(related_index):
    client = create_app({"INDEX_DIR": str(related_index), "SUGGEST": "off", "TESTING": True}).test_client()
    page = client.get("/doc/bbc-1").get_data(as_text=True)
    assert "تغطية ذات صلة" in page and "/doc/riyadh-1" in page and "/doc/cnn-1" not in page


def test_a_kept_related_list_follows_live_writes(tmp_path, monkeypatch):
    from indexer.live import write

    monkeypatch.setenv("FAHRAS_REFRESH_SECONDS", "0")
    reindex([write_jsonl(tmp_path / "docs.jsonl", RELATED_RECORDS)], index_dir=tmp_path / "index", backend="tantivy")
    engine = Searcher(tmp_path / "index", suggest="off")
    assert engine.related("bbc-1")[0].id == "riyadh-1"
    assert engine.related("bbc-1")[0].id == "riyadh-1"  # kept
    write(tmp_path / "index", deletes=["riyadh-1"])
    assert "riyadh-1" not in {h.id for h in engine.related("bbc-1")}
    write(tmp_path / "index", deletes=["bbc-1"])
    assert engine.related("bbc-1") is None


# Twelve copies of story a lead the ranking, then b, another copy of a, and c.
RANKED = [("a", i) for i in range(1, 13)] + [("b", 1), ("a", 13), ("c", 1)]


@pytest.mark.parametrize("wanted, leave_out, expected, read", [
    (1, frozenset(), ["a1"], 1),  # no stored document read beyond the stories wanted
    (2, frozenset(), ["a1", "b1"], 8 + 13),  # the first window (4 times 2) holds one story: read again, wider
    (2, frozenset({"a"}), ["b1", "c1"], 12 + 15),
    (9, frozenset(), ["a1", "b1", "c1"], 15),  # fewer stories than wanted: every match read once
    (0, frozenset(), [], 0),
])
def test_top_stories_reads_until_it_has_the_stories_wanted(wanted, leave_out, expected, read):
    from search.collapse import top_stories
    from search.index.base import BackendHit

    ranked = [BackendHit(f"{g}{i}", 100.0 - n, {"group": g}) for n, (g, i) in enumerate(RANKED)]
    consumed = []

    class Ranking:
        def scan(self, query, limit):
            assert not query.count and not query.facets  # top hits only
            for hit in ranked[:limit]:
                consumed.append(hit.id)
                yield hit

    assert [h.id for h in top_stories(Ranking(), IndexQuery(should=(Term("body", "x"),)), wanted, 100, leave_out)] == expected
    assert len(consumed) == read


@pytest.mark.parametrize("limit, offset, expected, read, complete", [
    (2, 0, ["a1", "b1"], 13, False),  # one ranking, read as far as the second story
    (1, 1, ["b1"], 13, False),
    (3, 0, ["a1", "b1", "c1"], 15, False),  # stopped at the third story: more may follow
    (5, 0, ["a1", "b1", "c1"], 15, True),  # the ranking ran out: the totals are exact
])
def test_a_page_that_counts_nothing_is_read_from_one_ranking(limit, offset, expected, read, complete):
    from search.collapse import grouped_page
    from search.index.base import BackendHit, BackendResult

    ranked = [BackendHit(f"{g}{i}", 100.0 - n, {"group": g}) for n, (g, i) in enumerate(RANKED)]
    consumed, searched = [], []

    class Ranking:
        def scan(self, query, limit):
            for hit in ranked[:limit]:
                consumed.append(hit.id)
                yield hit

        def search(self, query):  # only the copies of the page's stories
            searched.append(query)
            return BackendResult(total=0, hits=[])

    query = IndexQuery(should=(Term("body", "x"),), offset=offset, limit=limit, count=False)
    page = grouped_page(Ranking(), query, 100, count_stories=False)
    assert [h.id for h in page.hits] == expected
    assert len(consumed) == read and len(searched) == 1
    assert page.result.total == (len(RANKED) if complete else read + 1)  # at least one more than read
    assert page.stories == (3 if complete else offset + limit)


@pytest.mark.parametrize("backend", EMBEDDED_BACKENDS)
def test_stories_of_a_small_result_set_are_counted_exactly(tmp_path, backend):
    # 1,500 distinct stories (and 300 copies of them): an estimate (HyperLogLog)
    # would be off by a few; a reader comparing counts would notice.
    words = ["سياسة", "اقتصاد", "رياضة", "ثقافة", "صحة", "تعليم", "طقس", "سفر", "علوم", "فنون"]
    records = [{"id": f"d{i}", "title": f"خبر رقم {i}",
                "body": f"خبر عن {words[i % 10]} و{words[i // 10 % 10]} و{words[i // 100 % 10]} رقم {i} " + " ".join(
                    f"كلمة{i}x{k}" for k in range(30))} for i in range(1500)]
    records += [dict(r, id=f"copy-{r['id']}") for r in records[:300]]
    reindex([write_jsonl(tmp_path / "docs.jsonl", records)], index_dir=tmp_path / "index", backend=backend)
    result = Searcher(tmp_path / "index", backend=backend, suggest="off").find("خبر", snippets=False)
    assert (result.total, result.articles) == (1500, 1800)
