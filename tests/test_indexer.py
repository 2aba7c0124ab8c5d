"""Reindex: every record accounted for, duplicates, the single writer, atomic swaps."""
from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer import reindex as reindex_module
from indexer.reindex import DUPLICATE, PublishRefused, reindex
from indexer.sources import (
    EMPTY,
    INVALID_DATE,
    INVALID_JSON,
    INVALID_UTF8,
    MAX_RECORD_BYTES,
    MISSING_ID,
    NOT_OBJECT,
    OVERSIZE,
    TOO_DEEP,
    SourceError,
    wrong_type,
)
from search.index import EMBEDDED_BACKENDS
from search.searcher import Searcher
from search.index import IndexRoot, IndexUnavailable, ReindexBusy

from .conftest import REPO, write_jsonl

GOOD = [
    {"id": "a1", "title": "وزير الخارجية يزور القاهرة", "body": "زار وزير الخارجية العاصمة المصرية.", "date": "2018-03-01", "source": "BBC"},
    {"id": "a2", "title": "مباراة كرة القدم", "body": "فاز الفريق في الدوري.", "date": "2018-03-02T10:00:00Z", "source": "CNN"},
    {"id": "a3", "title": "", "body": "نص بلا عنوان عن المدرسة.", "category": "تعليم"},
]


def _reindex(tmp_path: Path, records: list, **kwargs):
    source = write_jsonl(tmp_path / "docs.jsonl", records)
    return reindex([source], index_dir=tmp_path / "index", **kwargs)


def test_every_record_is_indexed_or_skipped_with_its_reason_and_line(tmp_path):
    records = GOOD + [
        b'{"id": "bad-json", "title": ',
        b'{"id": "bad-utf8", "title": "\xff\xfe"}',
        "[1, 2, 3]",
        {"title": "بلا معرف"},
        {"id": "", "title": "معرف فارغ"},
        {"id": "empty", "title": "", "body": "   "},
        {"id": "listy", "title": ["a"], "body": "x"},
        {"id": "big", "title": "كبير", "body": "ك" * MAX_RECORD_BYTES},
        {"id": "a2", "title": "مباراة معادة", "body": "النسخة الأحدث تفوز.", "date": "not a date"},
        "",
        "[" * 1500,
    ]
    summary = _reindex(tmp_path, records)
    assert summary.read == 13  # the blank line is not a record
    assert summary.indexed == 3
    assert summary.read == summary.indexed + summary.skipped_total
    assert dict(summary.skipped) == {
        INVALID_JSON: 1,
        INVALID_UTF8: 1,
        NOT_OBJECT: 1,
        MISSING_ID: 2,
        EMPTY: 1,
        wrong_type("title"): 1,
        OVERSIZE: 1,
        DUPLICATE: 1,
        TOO_DEEP: 1,
    }
    assert summary.examples[INVALID_JSON] == [f"{tmp_path / 'docs.jsonl'}:4"]
    assert summary.examples[DUPLICATE] == [f"{tmp_path / 'docs.jsonl'}:2"]
    assert summary.warnings[INVALID_DATE] == 1
    assert summary.warning_examples[INVALID_DATE] == [f"{tmp_path / 'docs.jsonl'}:12"]
    engine = Searcher(tmp_path / "index")
    assert engine.doc_count() == 3
    assert engine.document("a2")["title"] == "مباراة معادة"  # the later record wins
    assert engine.document("a2")["date"] is None
    assert engine.manifest.document_count == 3


def test_directories_and_gzip_sources(tmp_path):
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    write_jsonl(src / "one.jsonl", GOOD[:1])
    with gzip.open(src / "sub" / "two.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(json.dumps(GOOD[1], ensure_ascii=False) + "\n")
    (src / "notes.txt").write_text("ignored")
    summary = reindex([src], index_dir=tmp_path / "index")
    assert (summary.read, summary.indexed) == (2, 2)
    assert [(Path(p).name, r) for p, r in summary.unread] == [("notes.txt", "not .jsonl, .jsonl.gz, .ndjson, .ndjson.gz")]
    assert summary.to_dict()["unread"][0]["path"].endswith("notes.txt")


def _served(index: Path) -> tuple[str, int]:
    root = IndexRoot(index)
    return root.current_name(), root.manifest().document_count


# (what the new source holds, what it replaces): each is refused, and the served index stays.
ACCIDENTS = [
    ("no valid record", [b"{typo"], GOOD),
    ("an empty file", [], GOOD),
    ("fewer than half", GOOD[:1], GOOD),
]


@pytest.mark.parametrize("what, new, old", ACCIDENTS, ids=[a[0] for a in ACCIDENTS])
def test_an_accident_is_not_published(tmp_path, what, new, old):
    reindex([write_jsonl(tmp_path / "old.jsonl", old)], index_dir=tmp_path / "index")
    before = _served(tmp_path / "index")
    with pytest.raises(PublishRefused, match="served index is kept") as refused:
        reindex([write_jsonl(tmp_path / "new.jsonl", new)], index_dir=tmp_path / "index")
    assert _served(tmp_path / "index") == before
    assert refused.value.summary.read == refused.value.summary.indexed + refused.value.summary.skipped_total
    assert len(list(IndexRoot(tmp_path / "index").generations.iterdir())) == 1  # nothing left behind


def test_a_text_file_named_gz_is_refused_and_reported(tmp_path):
    reindex([write_jsonl(tmp_path / "old.jsonl", GOOD)], index_dir=tmp_path / "index")
    fake = tmp_path / "news.jsonl.gz"
    fake.write_text('{"id": "x", "body": "not compressed"}\n')
    with pytest.raises(PublishRefused, match="no documents") as refused:
        reindex([fake], index_dir=tmp_path / "index")
    assert any(reason.startswith("unreadable") for reason in refused.value.summary.skipped)
    assert Searcher(tmp_path / "index").doc_count() == 3


def test_no_first_index_from_nothing(tmp_path):
    with pytest.raises(PublishRefused, match="no documents"):
        reindex([write_jsonl(tmp_path / "new.jsonl", ["junk"])], index_dir=tmp_path / "index")
    assert IndexRoot(tmp_path / "index").current_name() is None


def test_allow_shrink_publishes_a_smaller_index(tmp_path):
    reindex([write_jsonl(tmp_path / "old.jsonl", GOOD)], index_dir=tmp_path / "index")
    summary = reindex([write_jsonl(tmp_path / "new.jsonl", GOOD[:1])], index_dir=tmp_path / "index", allow_shrink=True)
    assert summary.indexed == 1 and Searcher(tmp_path / "index").doc_count() == 1
    # Half is not an accident: 2 of 3 replaces 3 without the flag.
    reindex([write_jsonl(tmp_path / "old.jsonl", GOOD)], index_dir=tmp_path / "index")
    assert reindex([write_jsonl(tmp_path / "two.jsonl", GOOD[:2])], index_dir=tmp_path / "index").indexed == 2


def test_truncated_gzip_keeps_what_was_read_and_reports_the_rest(tmp_path):
    path = tmp_path / "cut.jsonl.gz"
    records = [dict(d, id=f"{d['id']}-{i}", body=f"{d['body']} {i}") for i in range(500) for d in GOOD]
    data = gzip.compress("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in records).encode())
    path.write_bytes(data[: len(data) // 2])
    summary = reindex([path], index_dir=tmp_path / "index")
    assert 0 < summary.indexed < len(records)
    assert summary.read == summary.indexed + summary.skipped_total
    assert any(reason.startswith("unreadable") for reason in summary.skipped)


def test_missing_source_is_a_clear_error(tmp_path):
    with pytest.raises(SourceError, match="no such file"):
        reindex([tmp_path / "nope.jsonl"], index_dir=tmp_path / "index")


def test_second_concurrent_reindex_is_refused(tmp_path):
    root = IndexRoot(tmp_path / "index")
    with root.writer_lock():
        with pytest.raises(ReindexBusy, match="another reindex"):
            _reindex(tmp_path, GOOD)


def test_failure_mid_batch_leaves_the_previous_index_served_and_the_lock_free(tmp_path, monkeypatch):
    _reindex(tmp_path, GOOD)
    before = IndexRoot(tmp_path / "index").current()

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(reindex_module, "_write", explode)
    with pytest.raises(RuntimeError):
        _reindex(tmp_path, GOOD + [{"id": "new", "title": "جديد"}])
    root = IndexRoot(tmp_path / "index")
    assert root.current() == before
    assert sorted(p.name for p in root.generations.iterdir()) == [before.name]
    assert Searcher(tmp_path / "index").doc_count() == 3
    monkeypatch.undo()
    assert _reindex(tmp_path, GOOD).indexed == 3  # lock released


def test_reindex_swaps_and_keeps_one_previous_generation(tmp_path):
    for _ in range(3):
        _reindex(tmp_path, GOOD)
    root = IndexRoot(tmp_path / "index")
    assert len(list(root.generations.iterdir())) == 2


def test_index_from_another_analysis_version_is_refused(tmp_path):
    _reindex(tmp_path, GOOD)
    root = IndexRoot(tmp_path / "index")
    manifest_path = root.current() / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["analysis_version"] = "1:fahras:hamza-kept:stop"
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IndexUnavailable, match="reindex"):
        Searcher(tmp_path / "index").doc_count()


def test_missing_index_is_a_clear_error(tmp_path):
    with pytest.raises(IndexUnavailable, match="fahras reindex"):
        Searcher(tmp_path / "nothing").find("كتاب")


def test_parallel_analysis_gives_the_same_index_as_serial(tmp_path, monkeypatch):
    monkeypatch.setattr(reindex_module, "PARALLEL_THRESHOLD", 10)
    monkeypatch.setattr(reindex_module, "BATCH", 7)  # batches for both workers
    records = [dict(d, id=f"{d['id']}-{i}") for i in range(40) for d in GOOD]
    serial = reindex([write_jsonl(tmp_path / "d.jsonl", records)], index_dir=tmp_path / "s", workers=1)
    parallel = reindex([tmp_path / "d.jsonl"], index_dir=tmp_path / "p", workers=2)
    assert serial.indexed == parallel.indexed == 120
    a = Searcher(tmp_path / "s").find("وزير", size=100, snippets=False)
    b = Searcher(tmp_path / "p").find("وزير", size=100, snippets=False)
    assert [(h.id, h.score) for h in a.hits] == [(h.id, h.score) for h in b.hits]
    # The completions' counts, tallied in each worker and handed over at the end, are those of one process.
    for name in ("written-forms.tsv", "phrases.tsv"):
        serial_file, parallel_file = (tmp_path / d / "current" / name for d in "sp")
        assert serial_file.read_text("utf-8") == parallel_file.read_text("utf-8") != ""


@pytest.mark.parametrize("backend", EMBEDDED_BACKENDS)
def test_kill_9_during_reindex_leaves_a_complete_index(tmp_path, backend):
    """kill -9 at several moments of a reindex: what is served is the old or the new index, complete."""
    old = write_jsonl(tmp_path / "old.jsonl", GOOD)
    reindex([old], index_dir=tmp_path / "index", backend=backend)
    big = write_jsonl(tmp_path / "new.jsonl", [dict(d, id=f"n{i}-{d['id']}") for i in range(700) for d in GOOD])
    env = dict(os.environ, PYTHONPATH=str(REPO))
    for delay in (0.3, 0.8, 1.5, 2.5):
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli", "reindex", str(big), "--index", str(tmp_path / "index"), "--workers", "1", "--backend", backend],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        engine = Searcher(tmp_path / "index")
        count = engine.doc_count()
        assert count in (3, 2100)
        assert count == engine.manifest.document_count
        engine.close()


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def test_kill_9_of_a_parallel_reindex_leaves_no_traceback_and_no_worker(tmp_path):
    records = [{"id": f"k{i}", "title": f"خبر رقم {i}", "body": "نص عن الاقتصاد والسياسة في العالم العربي " * 10} for i in range(6000)]
    big = write_jsonl(tmp_path / "big.jsonl", records)
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "reindex", str(big), "--index", str(tmp_path / "index"), "--workers", "2"],
        env=dict(os.environ, PYTHONPATH=str(REPO)), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not (workers := _children(proc.pid)):
        assert proc.poll() is None and time.monotonic() < deadline, "the reindex never started its workers"
        time.sleep(0.05)
    time.sleep(0.5)  # the workers are analysing
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    time.sleep(1.0)
    assert "Traceback" not in proc.stderr.read().decode()
    assert [w for w in workers if Path(f"/proc/{w}").exists() and "zombie" not in Path(f"/proc/{w}/status").read_text()] == []
