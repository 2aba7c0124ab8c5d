"""Live ingestion into the two-node cluster: kill -9 of the writer, and a node stopped mid-way, lose nothing.

As tests/test_live_kill.py does on Tantivy: a forked writer adds small
batches with `indexer.live.write` in a loop and reports each batch's ids
once the write has returned (acknowledged); it is killed with SIGKILL at a
random moment, TRIALS times. Node 2 is stopped during the third trial and
stays down for the rest, so later writes go through node 1 alone, with the
replicas unassigned. After every kill the served index must answer, hold
every acknowledged id and every seed, and nothing beyond the batch in
flight. Bounded: TRIALS trials of at most a few seconds, and a time limit.
"""
from __future__ import annotations

import multiprocessing
import os
import random
import signal
import threading
import time

import pytest

from indexer.live import recover, write
from indexer.reindex import reindex
from search.searcher import Searcher

from .conftest import write_jsonl
from .opensearch_support import cluster_env, cluster_script, drop, require_cluster, test_alias
from .test_live_kill import _doc

pytestmark = pytest.mark.opensearch
TRIALS = 8
NODE_STOPS_IN = 2  # the trial (from 0) during which node 2 is stopped
MAX_BATCH = 5
SECONDS = 900


def _writer(index: str, trial: int, conn) -> None:
    rng = random.Random(trial)
    n = 0
    while True:
        ids = [f"t{trial}-{n + i}" for i in range(rng.randint(1, MAX_BATCH))]
        n += len(ids)
        conn.send(("sent", ids))
        try:
            write(index, [_doc(i) for i in ids], wait=60)
        except Exception as exc:  # e.g. the cluster electing a new manager as node 2 leaves: not acknowledged
            conn.send(("failed", [repr(exc)]))
            time.sleep(0.2)
            continue
        conn.send(("acked", ids))


def _drain(parent, acknowledged: set[str], sent: set[str], failures: list[str]) -> None:
    while parent.poll():
        try:
            kind, ids = parent.recv()
        except (EOFError, OSError):
            break
        if kind == "sent":
            sent.update(ids)
        elif kind == "acked":
            acknowledged.update(ids)
        else:
            failures.extend(ids)


def test_kill_9_and_a_lost_node_lose_no_acknowledged_live_write(tmp_path, monkeypatch):
    health = require_cluster()
    if health["number_of_nodes"] < 2:
        pytest.fail(f"this test needs the two-node cluster; it found {health['number_of_nodes']} node(s)")
    port = int(os.environ.get("FAHRAS_OS_HTTP_PORT") or 9200)
    both = f"http://127.0.0.1:{port},http://127.0.0.1:{port + 1}"
    alias = test_alias("livefault")
    index = tmp_path / "index"
    seeds = [{"id": f"seed{i}", "title": "خبر قديم", "body": "نص قديم عن المدرسة."} for i in range(20)]
    ctx = multiprocessing.get_context("fork")
    rng = random.Random(13)
    acknowledged: set[str] = set()
    sent: set[str] = set()  # every id a write was attempted for
    failures: list[str] = []  # writes that failed (not acknowledged), as the writer reported them
    per_trial: list[int] = []
    started = time.monotonic()
    stopper: threading.Thread | None = None
    stop_errors: list[str] = []
    monkeypatch.setenv("FAHRAS_BACKEND", "opensearch")
    try:
        with cluster_env(alias, url=both, shards="2", replicas="1"):
            reindex([write_jsonl(tmp_path / "seed.jsonl", seeds)], index_dir=index)
            for trial in range(TRIALS):
                parent, child = ctx.Pipe(duplex=False)
                proc = ctx.Process(target=_writer, args=(str(index), trial, child), daemon=True)
                proc.start()
                child.close()
                if trial == NODE_STOPS_IN:
                    def stop_node() -> None:
                        try:
                            cluster_script("stop-node", "2", timeout=120)
                        except BaseException as exc:  # reported below, not lost in the thread
                            stop_errors.append(repr(exc))
                    stopper = threading.Thread(target=stop_node, daemon=True)
                    stopper.start()
                before = len(acknowledged)
                # The kill comes at a random moment once the writer is writing (its first
                # write, a new process's first cluster round trips, is slow on a busy machine).
                deadline, first_ack = None, time.monotonic() + 120
                while (deadline is None and time.monotonic() < first_ack) or (deadline and time.monotonic() < deadline) \
                        or (stopper is not None and stopper.is_alive()):
                    if parent.poll(0.01):
                        _drain(parent, acknowledged, sent, failures)
                        if deadline is None and len(acknowledged) > before:
                            deadline = time.monotonic() + rng.uniform(0.3, 2.0)
                os.kill(proc.pid, signal.SIGKILL)
                proc.join(10)
                _drain(parent, acknowledged, sent, failures)
                parent.close()
                assert proc.exitcode == -signal.SIGKILL
                per_trial.append(len(acknowledged) - before)

                recover(index)
                engine = Searcher(index, suggest="off")
                assert engine.health()["status"] == "ok"
                missing = [i for i in acknowledged | {s["id"] for s in seeds} if engine.document(i) is None]
                assert missing == [], f"trial {trial}: lost {missing[:5]}"
                # Batches cut by a kill, or failed, may have landed whole or in part.
                expected = len(seeds) + len(acknowledged)
                count = engine.doc_count()
                assert expected <= count <= expected + len(sent - acknowledged), (trial, count, expected)
                engine.close()
            assert stop_errors == []
            nodes = require_cluster()["number_of_nodes"]
    finally:
        drop(alias)
        cluster_script("start", timeout=480)  # node 2 back, both nodes green
    assert nodes == 1  # the later trials really wrote through one node
    assert all(n > 0 for n in per_trial), per_trial  # every trial, before and after the loss, acknowledged writes
    assert time.monotonic() - started < SECONDS
    print(f"\ncluster kill -9 trials: {TRIALS} (node 2 stopped in trial {NODE_STOPS_IN + 1}), acknowledged writes: "
          f"{len(acknowledged)} ({per_trial}), failed writes (not acknowledged): {len(failures)}, lost: 0, "
          f"{time.monotonic() - started:.1f} s")
