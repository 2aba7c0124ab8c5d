"""The OpenSearch side of benchmarks/live_ingest.py: the same writes through its own `_bulk` API.

One node (scripts/opensearch-cluster.sh with FAHRAS_OS_NODES=1, on a port of
its own), an index with OpenSearch's `arabic` analyzer on title and body and
its default 1-second refresh. Each `_bulk` is acknowledged once its
translog is fsynced (index.translog.durability: request, the default), as a
Fahras write is acknowledged once its commit is fsynced. Measured as for
Fahras, bounded in count and time:
- throughput of sequential `_bulk` requests of 1, 100 and 1,000 documents;
- time from acknowledgement to found by `_search` (median, 95th percentile);
- `_search` latency (match on title and body, highlight, terms aggregations
  on source and category) while 50 documents a second are written.
Node and search_body serve benchmarks/http_opensearch.py too.
"""
from __future__ import annotations

import json
import os
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

from .live_ingest import measure

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "opensearch-cluster.sh"
CACHE = Path(os.environ.get("FAHRAS_OS_CACHE") or REPO / ".cache" / "opensearch")
PORT = 9870
INDEX = "live-ingest-bench"
MAPPING = {
    "settings": {"number_of_shards": 1, "number_of_replicas": 0},
    "mappings": {"properties": {
        "id": {"type": "keyword"}, "title": {"type": "text", "analyzer": "arabic"},
        "body": {"type": "text", "analyzer": "arabic"}, "source": {"type": "keyword"},
        "category": {"type": "keyword"}, "date": {"type": "keyword"}, "probe": {"type": "keyword"},
    }},
}


class Node:
    """One OpenSearch node of scripts/opensearch-cluster.sh on `port`, and one index of MAPPING on it."""

    def __init__(self, port: int, index: str, heap: str | None = None) -> None:
        self.port, self.index, self.heap = port, index, heap

    def env(self) -> dict:
        heap = {"FAHRAS_OS_HEAP": self.heap} if self.heap else {}
        return {**os.environ, "FAHRAS_OS_NODES": "1", "FAHRAS_OS_HTTP_PORT": str(self.port), **heap}

    def start(self) -> str | None:
        """Start the node (a fresh one when none runs on the port); the reason when it did not start."""
        started = subprocess.run([str(SCRIPT), "start"], env=self.env(), capture_output=True, text=True, timeout=480)
        return None if started.returncode == 0 else "OpenSearch did not start: " + started.stderr[-500:]

    def stop(self) -> None:
        subprocess.run([str(SCRIPT), "stop"], env=self.env(), capture_output=True, text=True, timeout=120)

    def pid(self) -> int | None:
        """The node's JVM, from the pid file the script keeps (None when it cannot be found)."""
        for cache in (CACHE, Path("/var/tmp/fahras-opensearch")):  # the script's fallback cache as root
            path = cache / f"nodes-{self.port}" / "1" / "opensearch.pid"
            if path.exists():
                return int(path.read_text())
        return None

    def call(self, method: str, path: str, body: bytes | None = None, ndjson: bool = False) -> tuple[int, dict]:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=body, method=method, headers={
            "Content-Type": "application/x-ndjson" if ndjson else "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")

    def create(self) -> None:
        """The index anew, with MAPPING."""
        self.call("DELETE", f"/{self.index}")
        status, answer = self.call("PUT", f"/{self.index}", json.dumps(MAPPING).encode())
        assert status == 200, answer

    def bulk(self, docs: list[dict]) -> None:
        lines = []
        for doc in docs:
            lines.append(json.dumps({"index": {"_index": self.index, "_id": doc["id"]}}))
            lines.append(json.dumps({k: doc.get(k) for k in MAPPING["mappings"]["properties"]}, ensure_ascii=False))
        status, answer = self.call("POST", "/_bulk", ("\n".join(lines) + "\n").encode(), ndjson=True)
        assert status == 200 and not answer.get("errors"), (status, str(answer)[:500])

    def search(self, q: str) -> dict:
        body = json.dumps(search_body(q), ensure_ascii=False).encode()
        status, answer = self.call("POST", f"/{self.index}/_search", body)
        assert status == 200, (status, str(answer)[:500])
        return answer


def search_body(q: str) -> dict:
    """The search a results page needs: match on title and body, highlight, terms aggregations on source and category."""
    return {
        "query": {"multi_match": {"query": q, "fields": ["title^2", "body"]}}, "size": 10,
        "highlight": {"fields": {"body": {"fragment_size": 160, "number_of_fragments": 2}}},
        "aggs": {"source": {"terms": {"field": "source"}}, "category": {"terms": {"field": "category"}}},
    }


def run(fresh, seed: list[dict], docs: int, port: int = PORT) -> dict:
    """The same measurements as live_ingest.run, on one OpenSearch node started (and stopped) here."""
    node = Node(port, INDEX)
    error = node.start()
    if error:
        return {"error": error}
    try:
        node.create()
        for i in range(0, len(seed), 1000):
            node.bulk(seed[i : i + 1000])
        node.call("POST", f"/{INDEX}/_refresh")
        results: dict = {"version": node.call("GET", "/")[1].get("version", {}).get("number")}

        def found(probe: str) -> bool:
            query = json.dumps({"query": {"term": {"probe": probe}}, "size": 0}).encode()
            return bool(node.call("POST", f"/{INDEX}/_search", query)[1]["hits"]["total"]["value"])

        results.update(measure(node.bulk, found, node.search, fresh, docs, tag=lambda doc, probe: dict(doc, probe=probe)))
        return results
    finally:
        node.stop()
