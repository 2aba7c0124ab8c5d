"""Live writes on the cluster backend: replace by id, delete, counts in the manifest, replay beside a reindex."""
from __future__ import annotations

import pytest

from indexer import reindex as reindex_module
from indexer.live import write
from indexer.reindex import reindex
from indexer.sources import to_document

from .conftest import write_jsonl
from .opensearch_support import cluster_engine, cluster_env

pytestmark = pytest.mark.opensearch

SEED = [{"id": f"s{i}", "title": "خبر عن المدرسة", "body": "تلاميذ المدرسة في الفصل."} for i in range(4)]


def _doc(doc_id: str, title: str):
    return to_document({"id": doc_id, "title": title, "body": "نص الخبر."})[0]


def test_live_writes_on_the_cluster(tmp_path, monkeypatch):
    monkeypatch.setenv("FAHRAS_BACKEND", "opensearch")
    with cluster_engine(tmp_path, SEED, "live") as engine:
        alias = engine.root.alias
        with cluster_env(alias):
            result = write(tmp_path / "index", [_doc("n1", "زلزال في المدينة"), _doc("s0", "المدرسة بعد الزلزال")])
            assert (result.indexed, result.documents) == (2, 5)
            # Acknowledged after the bulk and a refresh: searchable at once.
            assert {h.id for h in engine.find("زلزال").hits} == {"n1", "s0"}
            assert engine.document("s0")["title"] == "المدرسة بعد الزلزال"
            result = write(tmp_path / "index", deletes=["n1", "absent"])
            assert (result.deleted, result.missing, result.documents) == (["n1"], ["absent"], 4)
            assert engine.document("n1") is None
            assert engine.health()["documents"] == 4

            build = reindex_module._check_count

            def write_while_building(*args):
                build(*args)
                write(tmp_path / "index", [_doc("during", "عاصفة")])

            monkeypatch.setattr(reindex_module, "_check_count", write_while_building)
            summary = reindex([write_jsonl(tmp_path / "full.jsonl", SEED)], index_dir=tmp_path / "index", backend="opensearch")
            assert summary.replayed == 1
            assert engine.document("during")["title"] == "عاصفة"
            assert engine.health()["documents"] == 5


def test_a_live_copy_joins_its_story_on_the_cluster(tmp_path, monkeypatch):
    from .test_grouping import OTHER_STORY, STORY

    monkeypatch.setenv("FAHRAS_BACKEND", "opensearch")
    seed = [{"id": "bbc-1", "title": "مستشفى", "body": STORY}, {"id": "bbc-2", "title": "مدارس", "body": OTHER_STORY}]
    with cluster_engine(tmp_path, seed, "live-groups") as engine:
        with cluster_env(engine.root.alias):
            copy = to_document({"id": "cnn-1", "title": "مستشفى جديد", "body": "جدة - (واس) - " + STORY})[0]
            new = to_document({"id": "new", "title": "مدارس", "body": OTHER_STORY.replace("ستة ملايين", "سبعة ملايين")})[0]
            write(tmp_path / "index", [copy, new])
            assert engine.document("cnn-1")["group"] == "bbc-1"
            assert engine.document("new")["group"] == "bbc-2"
            write(tmp_path / "index", deletes=["bbc-1"])
            later = to_document({"id": "later", "title": "مستشفى", "body": STORY})[0]
            write(tmp_path / "index", [later])
            assert engine.document("later")["group"] == "bbc-1"  # through cnn-1, under the group's name
            found = engine.find("مستشفى جدة")
            assert (found.total, found.articles) == (1, 2)
