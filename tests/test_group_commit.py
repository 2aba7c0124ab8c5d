"""Group commit: batches submitted by threads while a commit runs share the next commit, each with its own result."""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager

import pytest
from hypothesis import given, settings, strategies as st

from indexer import live
from indexer.group_commit import GroupCommit
from indexer.live import write
from indexer.reindex import reindex
from indexer.sources import to_document
from search.index import EMBEDDED_BACKENDS, IndexRoot
from search.searcher import Searcher

from .conftest import write_jsonl


def _wait_for(condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def _submit_all(group: GroupCommit, batches: list, commit) -> list:
    """Each batch from a thread of its own; their outcomes (or errors), in the order of `batches`."""
    outcomes: list = [None] * len(batches)

    def run(i: int) -> None:
        try:
            outcomes[i] = group.submit(batches[i], commit)
        except Exception as exc:
            outcomes[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(batches))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(-1000, 1000), min_size=1, max_size=12))
def test_every_batch_is_committed_once_and_gets_its_own_outcome(batches):
    group: GroupCommit = GroupCommit()
    commits: list[list[int]] = []

    def commit(queued: list[int]) -> list[int]:
        commits.append(list(queued))
        return [b * 2 for b in queued]

    assert _submit_all(group, batches, commit) == [b * 2 for b in batches]
    assert sorted(b for c in commits for b in c) == sorted(batches)
    assert group.waiting == 0


def test_batches_submitted_during_a_commit_share_the_next_one():
    group: GroupCommit = GroupCommit()
    release, commits = threading.Event(), []

    def commit(queued: list[str]) -> list[str]:
        commits.append(list(queued))
        if len(commits) == 1:
            release.wait(10)
        return [b.upper() for b in queued]

    first = threading.Thread(target=group.submit, args=("a", commit))
    first.start()
    _wait_for(lambda: commits)
    later: list = []
    threads = [threading.Thread(target=lambda b=b: later.append(group.submit(b, commit))) for b in "bcd"]
    for t in threads:
        t.start()
    _wait_for(lambda: group.waiting == 3)
    release.set()
    for t in [first, *threads]:
        t.join(10)
    assert commits[0] == ["a"] and sorted(commits[1]) == ["b", "c", "d"] and len(commits) == 2
    assert sorted(later) == ["B", "C", "D"]


def test_a_failed_commit_fails_every_batch_of_its_group_and_the_next_group_commits():
    group: GroupCommit = GroupCommit()
    release = threading.Event()
    calls: list[list[int]] = []

    def commit(queued: list[int]) -> list[int]:
        calls.append(list(queued))
        if len(calls) == 1:
            release.wait(10)
            return [0]
        if len(calls) == 2:
            raise OSError("disk full")
        return queued

    first = threading.Thread(target=group.submit, args=(0, commit))
    first.start()
    _wait_for(lambda: calls)
    outcomes: dict[int, object] = {}

    def run(b: int) -> None:
        try:
            outcomes[b] = group.submit(b, commit)
        except OSError as exc:
            outcomes[b] = str(exc)

    threads = [threading.Thread(target=run, args=(b,)) for b in (1, 2)]
    for t in threads:
        t.start()
    _wait_for(lambda: group.waiting == 2)
    release.set()
    for t in [first, *threads]:
        t.join(10)
    assert outcomes == {1: "disk full", 2: "disk full"}
    assert group.submit(3, commit) == 3  # the queue is free again


def test_a_lock_not_had_fails_its_batch_and_those_whose_wait_is_over():
    group: GroupCommit = GroupCommit()
    release, holds, commits = threading.Event(), [], []

    @contextmanager
    def hold(seconds: float):
        holds.append(seconds)
        if len(holds) == 1:
            release.wait(10)
            raise TimeoutError("lock busy")
        yield

    def commit(queued: list[str]) -> list[str]:
        commits.append(list(queued))
        return queued

    outcomes = {}

    def run(b: str, wait: float) -> None:
        try:
            outcomes[b] = group.submit(b, commit, hold, wait)
        except TimeoutError as exc:
            outcomes[b] = str(exc)

    waits = {"a": 5.0, "b": 0.0, "c": 60.0, "d": float("inf")}
    threads = [threading.Thread(target=run, args=item) for item in waits.items()]
    for queued, t in enumerate(threads, 1):
        t.start()
        _wait_for(lambda: group.waiting == queued and group.committing)
    release.set()
    for t in threads:
        t.join(10)
    assert outcomes == {"a": "lock busy", "b": "lock busy", "c": "c", "d": "d"}
    assert commits == [["c", "d"]]
    # Each waits for the lock what is left of its own wait (the next to commit is c or d, whichever wakes first).
    assert 0 < holds[0] <= 5 and holds[1] > 50


def _doc(doc_id: str, title: str = "خبر عن المطر"):
    return to_document({"id": doc_id, "title": title, "body": f"نص {title} رقم {doc_id}."})[0]


@pytest.fixture(params=EMBEDDED_BACKENDS)
def index(request, tmp_path, monkeypatch):
    monkeypatch.setenv("FAHRAS_BACKEND", request.param)
    monkeypatch.setenv("FAHRAS_REFRESH_SECONDS", "0")
    path = tmp_path / "index"
    reindex([write_jsonl(tmp_path / "seed.jsonl", [_doc(f"s{i}").stored() for i in range(3)])], index_dir=path)
    return path


def test_live_batches_of_one_group_are_one_commit_with_results_as_if_alone(index, monkeypatch):
    commits: list[int] = []
    real_apply = live.apply

    def counted_apply(generation, backend, version, ops):
        commits.append(len(ops))
        return real_apply(generation, backend, version, ops)

    monkeypatch.setattr(live, "apply", counted_apply)
    root = IndexRoot(index)
    queue = live.commit_queue(root)
    results: dict[str, object] = {}

    def run(name: str, **batch) -> None:
        results[name] = write(index, **batch)

    # The first writer waits for the lock held here; the batches submitted meanwhile join its commit.
    with root.write_lock():
        threads = [
            threading.Thread(target=run, args=("first",), kwargs={"adds": [_doc("f")]}),
            threading.Thread(target=run, args=("add",), kwargs={"adds": [_doc("x"), _doc("y")]}),
            threading.Thread(target=run, args=("delete",), kwargs={"deletes": ["x", "s0", "absent"]}),
        ]
        for queued, t in enumerate(threads, 1):
            t.start()
            _wait_for(lambda: queue.waiting == queued and queue.committing)
    for t in threads:
        t.join(60)
    assert commits == [6]  # one commit of the three batches' operations
    assert (results["add"].indexed, results["add"].deleted) == (2, [])
    assert (results["delete"].deleted, results["delete"].missing) == (["x", "s0"], ["absent"])
    assert [results[name].documents for name in ("first", "add", "delete")] == [4, 4, 4]  # 3 + f + x + y - x - s0
    engine = Searcher(index, suggest="off")
    assert engine.document("y") is not None and engine.document("x") is None and engine.document("s0") is None
    assert engine.health()["documents"] == 4
