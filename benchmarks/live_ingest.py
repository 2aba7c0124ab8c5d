"""Live ingestion through the JSON API of `fahras serve` over loopback: throughput, time to visible, search beside it.

    python -m benchmarks.live_ingest [--corpus ../shared/data/news/saudinewsnet.jsonl.gz] [--docs 3000] [--json]

Starts `fahras serve` (tantivy, two workers, 127.0.0.1, a token of its own) over
a fresh index of 1,000 news articles, then, bounded in count and time:
- throughput of POST /api/documents with batches of 1, 100 and 1,000 documents,
  and of CLIENTS clients each sending batches of 1 at once (their batches
  share commits: indexer/group_commit.py);
- time from acknowledgement to visible in search (a probe word of the new
  document's title is found by /api/search), median and 95th percentile over
  50 single-document writes (lookups by id are realtime: they see a write at once);
- search latency (median, p95) of a fixed query mix while 50 documents a
  second are written, for 15 s;
then the same documents, the same way, through OpenSearch's own `_bulk` API
into one node with its 1-second refresh (benchmarks/live_ingest_opensearch.py),
in the same run; `--no-opensearch` leaves it out.
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "news" / "saudinewsnet.jsonl.gz"
QUERIES = ["السعودية", "وزير الخارجية", "الاقتصاد", "كرة القدم", "النفط", "الرياض", "مجلس الوزراء", "التعليم"]
SEED_DOCS = 1000
# As many clients as `fahras serve` has request threads (two workers of four).
CLIENTS = 8


def _records(corpus: Path, n: int) -> list[dict]:
    out = []
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            out.append(json.loads(line))
            if len(out) == n:
                break
    return out


def _call(url: str, token: str, method: str = "GET", body: bytes | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * (len(ordered) - 1) + 0.5))]


def _fresh(records: list[dict]):
    # Articles reused under new ids once the corpus runs out: every write adds a document.
    return (dict(r, id=f"live-{i}") for i, r in zip(itertools.count(), itertools.cycle(records[SEED_DOCS:])))


def measure(write, found, search, fresh, docs: int, tag) -> dict:
    """The three measurements, for any engine: `write(batch)` acknowledged, `found(probe)` by search,
    `search(q)` one query as a reader sends it, `tag(doc, probe)` the document findable by its probe word."""
    results: dict = {}
    throughput = {}
    for size in (1, 100, 1000):
        sent, started = 0, time.perf_counter()
        while sent < min(docs, 100 if size == 1 else docs) and time.perf_counter() - started < 60:
            batch = list(itertools.islice(fresh, size))
            write(batch)
            sent += len(batch)
        throughput[size] = round(sent / (time.perf_counter() - started), 1)
    results["docs_per_second_by_batch"] = throughput
    results["docs_per_second_concurrent_single"] = concurrent(write, fresh, CLIENTS, min(docs, 50 * CLIENTS))
    lags = []
    for n in range(50):
        probe = f"probe{n}x{time.monotonic_ns()}"
        write([tag(next(fresh), probe)])
        acked = time.perf_counter()
        while not found(probe):
            time.sleep(0.005)
        lags.append(time.perf_counter() - acked)
    results["visible_ms"] = {"median": round(statistics.median(lags) * 1000), "p95": round(_pct(lags, 0.95) * 1000)}
    stop = threading.Event()

    def ingest() -> None:
        while not stop.is_set():
            tick = time.perf_counter()
            write([next(fresh)])
            time.sleep(max(0.0, 0.02 - (time.perf_counter() - tick)))  # 50 documents a second

    writer = threading.Thread(target=ingest)
    writer.start()
    latencies, started = [], time.perf_counter()
    try:
        for q in itertools.cycle(QUERIES):
            if time.perf_counter() - started > 15:
                break
            tick = time.perf_counter()
            search(q)
            latencies.append(time.perf_counter() - tick)
    finally:
        stop.set()
        writer.join()
    results["search_ms_while_ingesting_50_per_s"] = {
        "searches": len(latencies), "median": round(statistics.median(latencies) * 1000, 1),
        "p95": round(_pct(latencies, 0.95) * 1000, 1)}
    return results


def concurrent(write, fresh, clients: int, docs: int, seconds: float = 60) -> dict:
    """`clients` threads each writing batches of one, `docs` in all (bounded in time): acknowledged
    documents per second, and the writes refused (the writer lock not had within FAHRAS_WRITE_WAIT)."""
    taking = threading.Lock()
    sent, refused = [0], []

    def client() -> None:
        while time.perf_counter() - started < seconds:
            with taking:
                if sent[0] >= docs:
                    return
                sent[0] += 1
                doc = next(fresh)
            try:
                write([doc])
            except AssertionError as exc:  # the status, reported beside the rate
                refused.append(str(exc))

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    acknowledged = sent[0] - len(refused)
    return {"docs_per_second": round(acknowledged / (time.perf_counter() - started), 1), "refused": len(refused)}


def run(corpus: Path, docs: int) -> dict:
    sys.path.insert(0, str(REPO))
    from indexer.reindex import reindex
    from tests.conftest import fahras_serve, write_jsonl

    records = _records(corpus, SEED_DOCS + docs)
    fresh = _fresh(records)
    token = secrets.token_hex(16)
    os.environ["FAHRAS_API_TOKEN"] = token
    results: dict = {"corpus": corpus.name}
    with tempfile.TemporaryDirectory(prefix="fahras-live-") as tmp:
        tmp = Path(tmp)
        reindex([write_jsonl(tmp / "seed.jsonl", records[:SEED_DOCS])], index_dir=tmp / "index", backend="tantivy")
        with fahras_serve(tmp / "index", tmp / "serve.log") as (_, url):
            def write(batch: list[dict]) -> None:
                status, _ = _call(f"{url}/api/documents", token, "POST", json.dumps(batch, ensure_ascii=False).encode())
                assert status == 200, status

            def found(probe: str) -> bool:
                answer = json.loads(_call(f"{url}/api/search?q={probe}&group=off", token)[1])
                assert "hits" in answer, answer
                return bool(answer["hits"])

            def search(q: str) -> None:
                assert _call(f"{url}/api/search?q={quote(q)}", token)[0] == 200

            results.update(measure(write, found, search, fresh, docs,
                                   tag=lambda doc, probe: dict(doc, title=f"{doc.get('title') or ''} {probe}")))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--docs", type=int, default=3000, help="documents per batch-size run (at most)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-opensearch", dest="opensearch", action="store_false",
                        help="leave out OpenSearch's own bulk API (one node, started on --opensearch-port)")
    parser.add_argument("--opensearch-port", type=int, default=9870, help="HTTP port of that node (transport on port + 100)")
    args = parser.parse_args()
    results = {"fahras": run(args.corpus, args.docs)}
    if args.opensearch:
        from .live_ingest_opensearch import run as opensearch_run

        records = _records(args.corpus, SEED_DOCS + args.docs)
        results["opensearch"] = opensearch_run(_fresh(records), records[:SEED_DOCS], args.docs, args.opensearch_port)
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
    else:
        _table(results)
    return 0


def _table(results: dict) -> None:
    ours, theirs = results["fahras"], results.get("opensearch") or {}
    rows = [(f"docs/s, batches of {size}", ours["docs_per_second_by_batch"][size],
             theirs.get("docs_per_second_by_batch", {}).get(size)) for size in (1, 100, 1000)]
    rows.append((f"docs/s, {CLIENTS} clients sending batches of 1", ours["docs_per_second_concurrent_single"]["docs_per_second"],
                 theirs.get("docs_per_second_concurrent_single", {}).get("docs_per_second")))
    rows.append(("  of which refused (503 writer_busy)", ours["docs_per_second_concurrent_single"]["refused"],
                 theirs.get("docs_per_second_concurrent_single", {}).get("refused")))
    for key, label in (("visible_ms", "ack to visible in search, ms"),
                       ("search_ms_while_ingesting_50_per_s", "search while ingesting 50/s, ms")):
        for stat in ("median", "p95"):
            rows.append((f"{label} ({stat})", ours[key][stat], theirs.get(key, {}).get(stat)))
    print(f"{'':44} {'Fahras':>10} {'OpenSearch ' + str(theirs.get('version', '')):>18} {'ratio':>7}")
    for label, a, b in rows:
        ratio = f"{a / b:.2f}" if a and b else "-"
        print(f"{label:44} {a:>10} {b if b is not None else theirs.get('error', '-')!s:>18} {ratio:>7}")


if __name__ == "__main__":
    sys.exit(main())
