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


def _env() -> dict:
    return {**os.environ, "FAHRAS_OS_NODES": "1", "FAHRAS_OS_HTTP_PORT": str(PORT)}


def _call(method: str, path: str, body: bytes | None = None, ndjson: bool = False) -> tuple[int, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", data=body, method=method, headers={
        "Content-Type": "application/x-ndjson" if ndjson else "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def _bulk(docs: list[dict]) -> None:
    lines = []
    for doc in docs:
        lines.append(json.dumps({"index": {"_index": INDEX, "_id": doc["id"]}}))
        lines.append(json.dumps({k: doc.get(k) for k in MAPPING["mappings"]["properties"]}, ensure_ascii=False))
    status, answer = _call("POST", "/_bulk", ("\n".join(lines) + "\n").encode(), ndjson=True)
    assert status == 200 and not answer.get("errors"), (status, str(answer)[:500])


def _search(q: str) -> dict:
    body = {
        "query": {"multi_match": {"query": q, "fields": ["title^2", "body"]}}, "size": 10,
        "highlight": {"fields": {"body": {"fragment_size": 160, "number_of_fragments": 2}}},
        "aggs": {"source": {"terms": {"field": "source"}}, "category": {"terms": {"field": "category"}}},
    }
    status, answer = _call("POST", f"/{INDEX}/_search", json.dumps(body, ensure_ascii=False).encode())
    assert status == 200, (status, str(answer)[:500])
    return answer


def run(fresh, seed: list[dict], docs: int) -> dict:
    """The same measurements as live_ingest.run, on one OpenSearch node started (and stopped) here."""
    started = subprocess.run([str(SCRIPT), "start"], env=_env(), capture_output=True, text=True, timeout=480)
    if started.returncode != 0:
        return {"error": "OpenSearch did not start: " + started.stderr[-500:]}
    try:
        _call("DELETE", f"/{INDEX}")
        status, answer = _call("PUT", f"/{INDEX}", json.dumps(MAPPING).encode())
        assert status == 200, answer
        for i in range(0, len(seed), 1000):
            _bulk(seed[i : i + 1000])
        _call("POST", f"/{INDEX}/_refresh")
        results: dict = {"version": _call("GET", "/")[1].get("version", {}).get("number")}

        def found(probe: str) -> bool:
            query = json.dumps({"query": {"term": {"probe": probe}}, "size": 0}).encode()
            return bool(_call("POST", f"/{INDEX}/_search", query)[1]["hits"]["total"]["value"])

        results.update(measure(_bulk, found, _search, fresh, docs, tag=lambda doc, probe: dict(doc, probe=probe)))
        return results
    finally:
        subprocess.run([str(SCRIPT), "stop"], env=_env(), capture_output=True, text=True, timeout=120)
