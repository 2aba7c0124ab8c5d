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
