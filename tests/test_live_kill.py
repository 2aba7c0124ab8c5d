"""kill -9 of the writer at random moments during continuous ingestion: no acknowledged write is lost.

Each trial forks a writer that adds small batches in a loop and reports
each batch's ids once `write` has returned (acknowledged = durable); the
writer is killed with SIGKILL at a random moment. Afterwards the index must
open, hold every acknowledged id and every document it held before, and
nothing beyond the batch that was in flight. Bounded: TRIALS trials of at
most a few seconds each.
"""
from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time

from indexer.live import recover, write
from indexer.reindex import reindex
from indexer.sources import to_document
from search.index import IndexRoot
from search.searcher import Searcher

from .conftest import write_jsonl

TRIALS = 20
MAX_BATCH = 5


def _doc(doc_id: str):
    return to_document({"id": doc_id, "title": f"خبر عاجل {doc_id}", "body": "نص خبر عاجل عن الطقس."})[0]


def _writer(index: str, trial: int, conn) -> None:
    rng = random.Random(trial)
    n = 0
    while True:
        ids = [f"t{trial}-{n + i}" for i in range(rng.randint(1, MAX_BATCH))]
        n += len(ids)
        conn.send(("sent", ids))
        write(index, [_doc(i) for i in ids])
        conn.send(("acked", ids))


def test_kill_9_of_the_writer_loses_no_acknowledged_write(tmp_path, monkeypatch):
    monkeypatch.setenv("FAHRAS_BACKEND", "tantivy")
    index = tmp_path / "index"
    seeds = [{"id": f"seed{i}", "title": "خبر قديم", "body": "نص قديم عن المدرسة."} for i in range(20)]
    reindex([write_jsonl(tmp_path / "seed.jsonl", seeds)], index_dir=index)
    ctx = multiprocessing.get_context("fork")
    rng = random.Random(12)
    acknowledged: set[str] = set()  # every id reported acknowledged
    landed: set[str] = set()  # ids of batches in flight at a kill that made it in anyway
    started = time.monotonic()
    for trial in range(TRIALS):
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_writer, args=(str(index), trial, child), daemon=True)
        proc.start()
        child.close()
        deadline = time.monotonic() + rng.uniform(0.2, 1.2)
        in_flight: list[str] = []
        while time.monotonic() < deadline:
            if parent.poll(0.01):
                kind, ids = parent.recv()
                if kind == "sent":
                    in_flight = ids
                else:
                    acknowledged.update(ids)
                    in_flight = []
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(10)
        # Messages sent before the kill are still in the pipe.
        while parent.poll():
            try:
                kind, ids = parent.recv()
            except (EOFError, OSError):
                break
            if kind == "sent":
                in_flight = ids
            else:
                acknowledged.update(ids)
                in_flight = []
        parent.close()
        assert proc.exitcode == -signal.SIGKILL

        recover(index)  # what the next writer (or `fahras serve`) does first
        engine = Searcher(index, suggest="off")
        assert engine.health()["status"] == "ok"
        count = engine.doc_count()
        expected = len(seeds) + len(acknowledged | landed)
        assert expected <= count <= expected + len(in_flight), (trial, count, expected, in_flight)
        missing = [i for i in acknowledged | {s["id"] for s in seeds} if engine.document(i) is None]
        assert missing == [], f"trial {trial}: lost {missing[:5]}"
        landed |= {i for i in in_flight if engine.document(i) is not None}
        engine.close()
    assert len(acknowledged) > TRIALS  # the writer really was writing when killed
    assert len(list(IndexRoot(index).generations.iterdir())) == 1  # writes stay in the served generation
    print(f"\nkill -9 trials: {TRIALS}, acknowledged writes: {len(acknowledged)}, lost: 0, "
          f"{time.monotonic() - started:.1f} s")
