"""Readers and the served index: swaps under load, damaged indexes, file handles."""
from __future__ import annotations

import os
import threading

import pytest

from indexer.reindex import reindex
from search.searcher import Searcher
from search.index import IndexRoot, IndexUnavailable

from .conftest import write_jsonl


def _docs(n: int, prefix: str) -> list[dict]:
    return [{"id": f"{prefix}{i}", "title": f"خبر عن المدرسة رقم {i}", "body": "تلاميذ المدرسة في الفصل."} for i in range(n)]


def test_readers_see_no_error_and_no_drop_while_reindex_swaps(tmp_path):
    index = tmp_path / "index"
    reindex([write_jsonl(tmp_path / "a.jsonl", _docs(50, "a"))], index_dir=index)
    engine = Searcher(index)
    errors: list[Exception] = []
    totals: list[int] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                totals.append(engine.find("المدرسة", size=5).total)
            except Exception as exc:  # any error at all fails the test
                errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(4)]
    for r in readers:
        r.start()
    for n in (60, 70, 80):
        reindex([write_jsonl(tmp_path / f"{n}.jsonl", _docs(n, "b"))], index_dir=index)
    stop.set()
    for r in readers:
        r.join()
    assert errors == []
    assert totals and all(t >= 50 for t in totals)
    assert engine.find("المدرسة").total == 80  # the reader followed the swaps
    engine.close()


def test_damaged_index_is_reported_not_raised_as_a_crash(tmp_path):
    index = tmp_path / "index"
    reindex([write_jsonl(tmp_path / "a.jsonl", _docs(5, "a"))], index_dir=index)
    generation = IndexRoot(index).current()
    for path in generation.iterdir():
        if path.name != "manifest.json":
            path.write_bytes(b"\0garbage")
    with pytest.raises(IndexUnavailable):
        Searcher(index).find("المدرسة")


def test_damaged_manifest_is_reported(tmp_path):
    index = tmp_path / "index"
    reindex([write_jsonl(tmp_path / "a.jsonl", _docs(5, "a"))], index_dir=index)
    (IndexRoot(index).current() / "manifest.json").write_text("{not json")
    with pytest.raises(IndexUnavailable, match="damaged"):
        Searcher(index).doc_count()


def test_no_file_handle_growth_over_open_search_close_cycles(tmp_path):
    index = tmp_path / "index"
    reindex([write_jsonl(tmp_path / "a.jsonl", _docs(20, "a"))], index_dir=index)

    def cycle() -> None:
        engine = Searcher(index)
        engine.find("المدرسة", facets=True)
        engine.close()

    for _ in range(20):
        cycle()
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(300):
        cycle()
    assert len(os.listdir("/proc/self/fd")) <= before + 2
