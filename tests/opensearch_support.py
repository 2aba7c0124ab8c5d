"""Helpers for tests against the real OpenSearch cluster (`pytest -m opensearch`).

The cluster is found through FAHRAS_OPENSEARCH_URL (default http://127.0.0.1:9200,
as started by scripts/opensearch-cluster.sh). An unreachable cluster FAILS these
tests: the CI step that selects them has started it, so its absence is a fault.
Every test works under an alias of its own and drops its indices afterwards.
"""
from __future__ import annotations

import os
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from indexer.reindex import reindex
from search.searcher import Searcher

from .conftest import REPO, write_jsonl

URL = os.environ.get("FAHRAS_OPENSEARCH_URL") or "http://127.0.0.1:9200"
CLUSTER_SCRIPT = REPO / "scripts" / "opensearch-cluster.sh"


def require_cluster() -> dict:
    """The cluster's health, or fail with what to do."""
    from opensearchpy import OpenSearch
    from opensearchpy.exceptions import TransportError

    client = OpenSearch(hosts=[u.strip() for u in URL.split(",")], timeout=10, max_retries=0)
    try:
        return client.cluster.health(wait_for_status="yellow", timeout="30s", request_timeout=40)
    except TransportError as exc:
        pytest.fail(
            f"no OpenSearch cluster at {URL} ({type(exc).__name__}): start one with "
            f"`{CLUSTER_SCRIPT.relative_to(REPO)} start` or set FAHRAS_OPENSEARCH_URL",
            pytrace=False,
        )
    finally:
        client.close()


@contextmanager
def cluster_env(alias: str, **settings: str) -> Iterator[None]:
    """FAHRAS_OPENSEARCH_* set for the duration (alias, and e.g. SHARDS="2", REPLICAS="1")."""
    values = {"FAHRAS_OPENSEARCH_URL": URL, "FAHRAS_OPENSEARCH_INDEX": alias}
    values.update({f"FAHRAS_OPENSEARCH_{k.upper()}": str(v) for k, v in settings.items()})
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def cluster_script(*args: str, timeout: float) -> str:
    """Run scripts/opensearch-cluster.sh (e.g. "stop-node", "2"); its stdout, or fail with its stderr."""
    done = subprocess.run([str(CLUSTER_SCRIPT), *args], capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_alias(name: str) -> str:
    return f"fahras-test-{name}-{os.getpid()}"


test_alias.__test__ = False  # a helper, not a test


def drop(alias: str) -> None:
    from search.index.opensearch import ClusterStore

    with cluster_env(alias):
        ClusterStore("/nonexistent-lock-dir").drop()


@contextmanager
def cluster_engine(tmp: Path, records: list, name: str, **settings: str) -> Iterator[Searcher]:
    """`records` reindexed into the cluster under an alias of their own; a Searcher over it."""
    require_cluster()
    alias = test_alias(name)
    source = write_jsonl(tmp / "corpus.jsonl", records)
    try:
        with cluster_env(alias, **settings):
            summary = reindex([source], index_dir=tmp / "index", backend="opensearch")
            assert summary.indexed + summary.skipped_total == summary.read, summary.to_dict()
            engine = Searcher(tmp / "index", backend="opensearch")
        assert engine.manifest.backend == "opensearch"
        try:
            yield engine
        finally:
            engine.close()
    finally:
        drop(alias)
