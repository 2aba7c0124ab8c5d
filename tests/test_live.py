"""Live writes on the served index: replace by id, delete, one writer, whole batches, durable, replayed by reindex."""
from __future__ import annotations

import json
import multiprocessing
import threading
import time

import pytest
from click.testing import CliRunner

from cli import main
from indexer import reindex as reindex_module
from indexer.live import add_sources, delete_ids, recover, write
from indexer.reindex import reindex
from indexer.sources import to_document
from search.index import EMBEDDED_BACKENDS, IndexRoot, WriterBusy
from search.searcher import Searcher

from .conftest import write_jsonl


def _doc(doc_id: str, title: str = "خبر عن المدرسة", body: str = "تلاميذ المدرسة في الفصل.", **extra):
    return to_document({"id": doc_id, "title": title, "body": body, **extra})[0]


@pytest.fixture(params=EMBEDDED_BACKENDS)
def index(request, tmp_path, monkeypatch):
    monkeypatch.setenv("FAHRAS_BACKEND", request.param)
    monkeypatch.setenv("FAHRAS_REFRESH_SECONDS", "0")
    path = tmp_path / "index"
    reindex([write_jsonl(tmp_path / "seed.jsonl", [_doc(f"s{i}").stored() for i in range(4)])], index_dir=path)
    return path


def _ids(engine: Searcher, q: str) -> set[str]:
    return {h.id for h in engine.find(q, size=100, snippets=False).hits}


def test_add_replaces_by_id_and_delete_removes(index):
    engine = Searcher(index, suggest="off")
    assert engine.doc_count() == 4
    result = write(index, [_doc("n1", "زلزال في المدينة"), _doc("s0", "المدرسة أغلقت بعد الزلزال")])
    assert (result.indexed, result.documents) == (2, 5)
    assert _ids(engine, "زلزال") == {"n1", "s0"}
    assert engine.document("s0")["title"] == "المدرسة أغلقت بعد الزلزال"
    result = write(index, deletes=["n1", "absent"])
    assert (result.deleted, result.missing, result.documents) == (["n1"], ["absent"], 4)
    assert _ids(engine, "زلزال") == {"s0"} and engine.document("n1") is None
    assert engine.health()["documents"] == 4  # the manifest follows writes


def test_the_last_write_of_an_id_in_a_batch_wins(index):
    write(index, [_doc("d", "الأولى"), _doc("d", "الثانية"), _doc("d", "الثالثة")])
    engine = Searcher(index, suggest="off")
    assert engine.document("d")["title"] == "الثالثة" and engine.doc_count() == 5


def test_a_write_is_visible_within_the_refresh_interval(index, monkeypatch):
    monkeypatch.setenv("FAHRAS_REFRESH_SECONDS", "0.3")
    engine = Searcher(index, suggest="off")
    assert engine.doc_count() == 4
    write(index, [_doc("v1", "بركان")])
    acknowledged = time.monotonic()
    while not _ids(engine, "بركان"):
        assert time.monotonic() - acknowledged < 1.0
        time.sleep(0.02)


def test_readers_never_see_half_a_batch(index):
    engine = Searcher(index, suggest="off")
    seen: list[int] = []
    errors: list[Exception] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                # Articles, not stories: the batches' identical texts are copies of one story.
                seen.append(engine.find("مطر", size=1, snippets=False, facets=False, group=False).total)
            except Exception as exc:  # any error fails the test
                errors.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    for b in range(6):
        write(index, [_doc(f"b{b}-{i}", "مطر غزير") for i in range(25)])
    stop.set()
    reader.join()
    assert errors == []
    assert seen and all(total % 25 == 0 for total in seen)
    assert engine.find("مطر", group=False).total == 150 and engine.find("مطر").total == 1


def _writer_process(index: str, n: int, prefix: str) -> None:
    for i in range(n):
        write(index, [_doc(f"{prefix}{i}", "سباق")])


def test_one_writer_at_a_time_across_processes(index):
    procs = [multiprocessing.get_context("fork").Process(target=_writer_process, args=(str(index), 8, f"p{k}-")) for k in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    engine = Searcher(index, suggest="off")
    assert engine.find("سباق", group=False).total == 24
    assert engine.health()["documents"] == 28


def test_a_busy_writer_lock_is_reported_after_the_wait(index):
    with IndexRoot(index).write_lock():
        with pytest.raises(WriterBusy, match="another writer"):
            write(index, [_doc("w")], wait=0.1)


def test_a_stale_manifest_after_a_crash_is_recovered(index):
    write(index, [_doc("c1")])
    root = IndexRoot(index)
    manifest = json.loads((root.current() / "manifest.json").read_text())
    manifest["document_count"] = 4  # as if the writer died between its commit and its manifest
    (root.current() / "manifest.json").write_text(json.dumps(manifest))
    assert recover(index) is True
    assert Searcher(index, suggest="off").health()["documents"] == 5


def test_first_write_creates_the_index(tmp_path, monkeypatch):
    monkeypatch.setenv("FAHRAS_REFRESH_SECONDS", "0")
    summary = add_sources([write_jsonl(tmp_path / "a.jsonl", [_doc("a").stored()])], tmp_path / "fresh")
    assert summary.indexed == 1 and Searcher(tmp_path / "fresh", suggest="off").doc_count() == 1


def test_live_writes_during_a_reindex_are_replayed_onto_the_new_generation(index, tmp_path, monkeypatch):
    build = reindex_module._check_count

    def write_while_building(*args):
        build(*args)  # the new generation is complete, not yet swapped in
        write(index, [_doc("live1", "عاصفة"), _doc("r2", "عاصفة ثانية")])
        write(index, deletes=["r3"])

    monkeypatch.setattr(reindex_module, "_check_count", write_while_building)
    source = write_jsonl(tmp_path / "full.jsonl", [_doc(f"r{i}").stored() for i in range(6)])
    summary = reindex([source], index_dir=index)
    assert summary.replayed == 3
    engine = Searcher(index, suggest="off")
    assert _ids(engine, "عاصفة") == {"live1", "r2"}
    assert engine.document("r3") is None
    assert engine.health()["documents"] == 6  # r0..r5 - r3 + live1
    assert not (index / "replay.jsonl").exists()


def test_cli_add_and_delete_print_the_summary(index, tmp_path):
    source = write_jsonl(tmp_path / "add.jsonl", [_doc("c1", "قمة عربية").stored(), {"id": "bad", "title": 123}, "junk"])
    added = CliRunner().invoke(main, ["add", str(source), "--index", str(index)])
    assert added.exit_code == 0, added.output
    assert "read 3, indexed 1, skipped 2" in added.output and "title must be a string (at " in added.output
    deleted = CliRunner().invoke(main, ["delete", "c1", "nope", "--index", str(index), "--json"])
    summary = json.loads(deleted.output)
    assert (summary["read"], summary["deleted"], summary["skipped"]) == (2, 1, 1)
    assert delete_ids(["c1"], index).skipped_total == 1


def test_the_did_you_mean_vocabulary_follows_live_writes_after_its_delay(index, monkeypatch):
    from search.suggest import served as served_vocabulary

    engine = Searcher(index, suggest="background")

    def vocabulary():
        deadline = time.monotonic() + 30
        while (found := engine.vocabulary.get(engine.served)) is None or engine.vocabulary._building:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        return found

    before = vocabulary()
    write(index, [_doc(f"v{i}", "بركان") for i in range(3)])
    monkeypatch.setattr(served_vocabulary, "REFRESH_AFTER_WRITES", 0.0)
    engine.vocabulary.get(engine.served)  # notices the write and rebuilds in the background
    after = vocabulary()
    assert len(after) > len(before)  # the new word is a term of the rebuilt vocabulary
