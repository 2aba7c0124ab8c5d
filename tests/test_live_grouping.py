"""A copy written later joins its story's group, through every live write; deletes and replacements keep names stable."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from cli import main
from indexer import reindex as reindex_module
from indexer.live import write
from indexer.reindex import reindex
from indexer.sources import to_document
from search.index import EMBEDDED_BACKENDS
from search.searcher import Searcher
from webui import create_app

from .conftest import write_jsonl
from .test_grouping import OTHER_STORY, STORY

DATELINE = "جدة - (واس) - "
THIRD_STORY = "\n".join([
    "افتتح أمير المنطقة الشرقية صباح اليوم معرضا للكتاب في مدينة الدمام بمشاركة أكثر من ثلاثمائة دار نشر عربية وأجنبية.",
    "ويستمر المعرض عشرة أيام ويضم ندوات ثقافية وأمسيات شعرية وورشا للأطفال في القاعة الكبرى لمركز المعارض.",
    "وقال مدير المعرض إن عدد الزوار المتوقع يتجاوز مئتي ألف زائر وإن الدخول مجاني لجميع الفئات طوال أيام المعرض.",
])


def _doc(doc_id: str, body: str, title: str = "خبر", date: str | None = "2018-03-01", source: str = "BBC"):
    return to_document({"id": doc_id, "title": title, "body": body, "date": date, "source": source})[0]


@pytest.fixture(params=EMBEDDED_BACKENDS)
def index(request, tmp_path, monkeypatch):
    monkeypatch.setenv("FAHRAS_BACKEND", request.param)
    monkeypatch.setenv("FAHRAS_REFRESH_SECONDS", "0")
    path = tmp_path / "index"
    seed = [_doc("bbc-1", STORY).stored(), _doc("bbc-2", OTHER_STORY).stored()]
    reindex([write_jsonl(tmp_path / "seed.jsonl", seed)], index_dir=path)
    return path


def _groups(index, *ids) -> dict[str, str]:
    engine = Searcher(index, suggest="off")
    try:
        return {doc_id: (engine.document(doc_id) or {}).get("group") for doc_id in ids}
    finally:
        engine.close()


# (what is written, live, after the seed; the group of each id afterwards)
WRITES = [
    ("a copy with a dateline joins the indexed story", [[_doc("cnn-1", DATELINE + STORY)]], {"cnn-1": "bbc-1"}),
    ("a copy of the other story joins that one", [[_doc("cnn-2", OTHER_STORY)]], {"cnn-2": "bbc-2"}),
    ("a new story starts its own group", [[_doc("new", THIRD_STORY)]], {"new": "new"}),
    ("two copies of a new story in one batch", [[_doc("a", THIRD_STORY), _doc("b", DATELINE + THIRD_STORY)]],
     {"a": "a", "b": "a"}),
    ("a copy of a copy written in an earlier batch", [[_doc("a", THIRD_STORY)], [_doc("b", DATELINE + THIRD_STORY)]],
     {"a": "a", "b": "a"}),
    ("a near copy three weeks later is another story", [[_doc("late", DATELINE + STORY, date="2018-03-22")]],
     {"late": "late"}),
    ("an identical text groups whatever the dates", [[_doc("same", STORY, date="2019-01-01")]], {"same": "bbc-1"}),
]


@pytest.mark.parametrize("name, batches, expected", WRITES, ids=[w[0] for w in WRITES])
def test_a_live_copy_joins_its_story(index, name, batches, expected):
    for batch in batches:
        write(index, batch)
    assert _groups(index, *expected) == expected


def test_grouped_results_show_a_live_copy_under_its_story(index):
    write(index, [_doc("cnn-1", DATELINE + STORY, source="CNN")])
    found = Searcher(index, suggest="off").find("مستشفى جدة")
    assert [(h.id, [c["id"] for c in h.copies]) for h in found.hits][:1] in ([("bbc-1", ["cnn-1"])], [("cnn-1", ["bbc-1"])])
    assert found.total == 1 and found.articles == 2


# (the batches after the seed and cnn-1, a copy of bbc-1; the group of each id afterwards)
CHANGES = [
    ("the first copy deleted: the group keeps its name, a later copy joins it",
     [{"deletes": ["bbc-1"]}, {"adds": [_doc("later", "\n".join(STORY.split("\n")[:-1]))]}], {"cnn-1": "bbc-1", "later": "bbc-1", "bbc-1": None}),
    ("every copy deleted: a later copy starts its own group",
     [{"deletes": ["bbc-1", "cnn-1"]}, {"adds": [_doc("later", STORY)]}], {"later": "later"}),
    ("the first copy's title changed: its group stays",
     [{"adds": [_doc("bbc-1", STORY, title="عنوان جديد")]}], {"bbc-1": "bbc-1", "cnn-1": "bbc-1"}),
    ("the first copy replaced by another story: it joins that one",
     [{"adds": [_doc("bbc-1", OTHER_STORY)]}], {"bbc-1": "bbc-2", "cnn-1": "bbc-1"}),
    ("a copy replaced by a new story: its own group",
     [{"adds": [_doc("cnn-1", THIRD_STORY)]}], {"bbc-1": "bbc-1", "cnn-1": "cnn-1"}),
    ("a copy edited: it stays in its story",
     [{"adds": [_doc("cnn-1", STORY.replace("خمسمائة سرير", "ستمائة سرير"))]}], {"cnn-1": "bbc-1"}),
]


@pytest.mark.parametrize("name, batches, expected", CHANGES, ids=[c[0] for c in CHANGES])
def test_deletes_and_replacements(index, name, batches, expected):
    write(index, [_doc("cnn-1", DATELINE + STORY)])
    for batch in batches:
        write(index, batch.get("adds", ()), batch.get("deletes", ()))
    assert _groups(index, *expected) == expected


def test_a_new_story_under_an_id_still_naming_another_group_gets_a_name_of_its_own(index):
    write(index, [_doc("cnn-1", DATELINE + STORY)])
    write(index, [_doc("bbc-1", THIRD_STORY)])  # bbc-1 still names the group of cnn-1
    groups = _groups(index, "bbc-1", "cnn-1")
    assert groups["cnn-1"] == "bbc-1"
    assert groups["bbc-1"].startswith("bbc-1~")
    write(index, [_doc("copy", DATELINE + THIRD_STORY)])
    assert _groups(index, "copy") == {"copy": groups["bbc-1"]}


def test_every_face_groups_a_live_copy(index, tmp_path):
    added = CliRunner().invoke(main, ["add", str(write_jsonl(tmp_path / "a.jsonl", [_doc("cli-1", DATELINE + STORY).stored()])),
                                      "--index", str(index)])
    assert added.exit_code == 0, added.output
    client = create_app({"INDEX_DIR": str(index), "SUGGEST": "off", "TESTING": True, "API_TOKEN": "t"}).test_client()
    auth = {"Authorization": "Bearer t"}
    posted = client.post("/api/documents", json=[{"id": "api-1", "body": OTHER_STORY + "\nانتهى.", "date": "2018-03-02"}], headers=auth)
    assert posted.status_code == 200, posted.data
    put = client.put("/api/documents/api-2", json={"title": "خبر", "body": DATELINE + OTHER_STORY}, headers=auth)
    assert put.status_code in (200, 201), put.data
    feed = tmp_path / "feed.xml"
    entry = STORY.replace("\n", " ")
    feed.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>وكالة</title><item><title>مستشفى</title><link>https://example.org/h</link>
<guid>feed-1</guid><description>{entry}</description></item></channel></rss>""", encoding="utf-8")
    ingested = CliRunner().invoke(main, ["ingest", "--feed", str(feed), "--index", str(index), "--json"])
    assert ingested.exit_code == 0, ingested.output
    fed = [h for h in Searcher(index, suggest="off").find("مستشفى", group=False, size=20).hits if h.id not in ("bbc-1", "cli-1")]
    assert [h.group for h in fed] == ["bbc-1"]
    assert _groups(index, "cli-1", "api-1", "api-2") == {"cli-1": "bbc-1", "api-1": "bbc-2", "api-2": "bbc-2"}
    assert client.get("/api/documents/api-2").get_json()["group"] == "bbc-2"


def test_copies_written_during_a_reindex_join_their_story_in_the_new_index(index, tmp_path, monkeypatch):
    build = reindex_module._check_count

    def write_while_building(*args):
        build(*args)  # the new generation is complete, not yet swapped in
        write(index, [_doc("live-copy", DATELINE + STORY), _doc("live-new", THIRD_STORY)])

    monkeypatch.setattr(reindex_module, "_check_count", write_while_building)
    source = write_jsonl(tmp_path / "full.jsonl", [_doc("r1", STORY).stored(), _doc("r2", OTHER_STORY).stored()])
    summary = reindex([source], index_dir=index)
    assert summary.replayed == 2
    assert _groups(index, "r1", "live-copy", "live-new") == {"r1": "r1", "live-copy": "r1", "live-new": "live-new"}
