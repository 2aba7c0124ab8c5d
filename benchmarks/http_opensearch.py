"""HTTP search at 20 concurrent clients, Fahras against OpenSearch, on one machine in one run.

    python -m benchmarks.http_opensearch [--seconds 20] [--queries 600] [--rounds 2] [--docs N]

Both engines get the news corpora (../shared/data/news, 72,716 articles; `--docs N`
takes the first N of them, the three sources mixed, for a short trial):
- Fahras: `fahras reindex` into var/bench/http-opensearch/fahras (built anew),
  then `fahras serve` (gunicorn with its default workers and threads) on
  127.0.0.1 and a free port, asked GET /api/search?q=... with the API's
  defaults: ten stories, snippets, facets, grouping of copies, did-you-mean.
- OpenSearch: one node of scripts/opensearch-cluster.sh on port 9950 with a
  1 GB heap, an index with its own `arabic` analyzer on title and body, the
  same articles sent through `_bulk` (1,000 a request, two requests in flight:
  one per core, as `fahras reindex` runs one analysis process per core), then
  GET /<index>/_search?source_content_type=application/json&source=<JSON>:
  multi_match on title and body, highlighting on body, terms aggregations on
  source and category, top 10 (benchmarks/live_ingest_opensearch.py).
The same development queries for both (arabic-qa-dev and news-known-item-dev,
shuffled with a fixed seed), sent by wrk (2 threads, 20 connections, closed
loop, benchmarks/wrk_paths.lua) for `--seconds` after a warm-up. Rounds run
the engines in turns, ABBA, so that the load of the shared machine weighs on
both alike; the other engine sits idle meanwhile. The load average is read
before and after each phase. Prints Markdown tables; the figures also go to
var/bench/http-opensearch/results-<time>.json.
"""
from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

from .live_ingest_opensearch import Node, search_body
from .run import BENCH, NEWS, Server, load_queries, loadavg, machine, news_slice, request_paths, wait_idle, wrk_load

OUT = BENCH / "http-opensearch"
PORT = 9950
INDEX = "news-http-bench"
CLIENTS = 20
BULK_DOCS = 1000
TARGETS = {"throughput_ratio": 2.0, "p95_stretch_ms": 20.0}


def _articles(sources: list[Path]) -> list[dict]:
    out = []
    for path in sources:
        with (gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else open(path, encoding="utf-8")) as f:
            out += [json.loads(line) for line in f if line.strip()]
    return out


def _phase(run) -> dict:
    """`run()`'s figures with the load average before and after it."""
    before = loadavg()
    figures = run()
    return {**figures, "loadavg_before": before, "loadavg_after": loadavg()}


def fahras_index(sources: list[Path], index: Path) -> dict:
    shutil.rmtree(index, ignore_errors=True)
    fahras = str(Path(sys.executable).with_name("fahras"))

    def build() -> dict:
        done = subprocess.run([fahras, "reindex", *map(str, sources), "--index", str(index), "--json"],
                              capture_output=True, text=True, check=True)
        summary = json.loads(done.stdout)
        return {k: summary[k] for k in ("read", "indexed", "skipped", "seconds", "docs_per_second")}

    return _phase(build)


def opensearch_index(node: Node, articles: list[dict]) -> dict:
    node.create()

    def load() -> dict:
        started = time.perf_counter()
        batches = [articles[i : i + BULK_DOCS] for i in range(0, len(articles), BULK_DOCS)]
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(node.bulk, batches))
        node.call("POST", f"/{INDEX}/_refresh")
        seconds = time.perf_counter() - started
        count = node.call("GET", f"/{INDEX}/_count")[1]["count"]
        return {"read": len(articles), "indexed": count, "seconds": round(seconds, 2),
                "docs_per_second": round(len(articles) / seconds, 1)}

    return _phase(load)


def opensearch_paths(queries: list[str], out: Path) -> Path:
    """Each query's `_search` as a GET path with the body in the `source` parameter, for wrk."""
    lines = []
    for q in queries:
        source = quote(json.dumps(search_body(q), ensure_ascii=False, separators=(",", ":")), safe="")
        lines.append(f"/{INDEX}/_search?source_content_type=application/json&source={source}\n")
    out.write_text("".join(lines), encoding="ascii")
    return out


def load(url: str, paths: Path, seconds: float, pids: list[int]) -> dict:
    warm = wrk_load(url, paths, 4, 5)
    idle = wait_idle(pids, timeout=60)
    figures = _phase(lambda: wrk_load(url, paths, CLIENTS, seconds))
    figures["errors"] = figures["non_2xx"] + sum(figures["connection_errors"].values())
    return {**figures, "warmup_requests": warm["requests"], "idle_wait_seconds": idle}


def check_answers(fahras_url: str, node: Node, query: str) -> dict:
    """One query on each, so that a table is never made of empty or failed answers."""
    with urllib.request.urlopen(fahras_url + "/api/search?q=" + quote(query), timeout=60) as response:
        ours = json.loads(response.read())
    theirs = node.search(query)
    return {"query": query, "fahras_hits": len(ours.get("hits", [])), "opensearch_hits": len(theirs["hits"]["hits"]),
            "opensearch_highlights": sum(1 for h in theirs["hits"]["hits"] if h.get("highlight")),
            "opensearch_aggregations": sorted(theirs.get("aggregations", {}))}


def _row(name: str, f: dict) -> str:
    return (f"| {name} | {f['requests_per_second']:.1f} | {f['median_ms']:.1f} | {f['p95_ms']:.1f} | {f['p99_ms']:.1f} "
            f"| {f['errors']} | {f['loadavg_before']:.1f} → {f['loadavg_after']:.1f} |")


def report(results: dict) -> str:
    idx = results["indexing"]
    lines = [f"{results['documents']} articles, {results['parameters']['queries']} queries, {CLIENTS} connections, "
             f"{results['parameters']['seconds']:g} s a phase; machine: {results['machine']['nproc']} cores, "
             f"commit {results['machine']['commit']}, OpenSearch {results['opensearch_version']}",
             "First query on each: " + json.dumps(results["check"], ensure_ascii=False), "",
             "| indexing | articles indexed | seconds | docs/s | load before → after |", "| --- | --- | --- | --- | --- |"]
    for name, key in (("`fahras reindex`", "fahras"), ("OpenSearch `_bulk`", "opensearch")):
        f = idx[key]
        lines.append(f"| {name} | {f['indexed']} | {f['seconds']} | {f['docs_per_second']:.0f} "
                     f"| {f['loadavg_before']:.1f} → {f['loadavg_after']:.1f} |")
    lines += ["", "| phase | req/s | median ms | p95 ms | p99 ms | errors | load before → after |",
              "| --- | --- | --- | --- | --- | --- | --- |"]
    lines += [_row(f"{p['round']}. {p['engine']}", p) for p in results["phases"]]
    lines += ["", "| round | req/s Fahras / OpenSearch | p95 Fahras / OpenSearch |", "| --- | --- | --- |"]
    for r in results["rounds"]:
        lines.append(f"| {r['round']} | {r['throughput_ratio']:.2f} | {r['p95_ratio']:.2f} |")
    s = results["summary"]
    lines += ["", f"Medians over rounds: Fahras {s['fahras_rps']:.1f} req/s, p95 {s['fahras_p95_ms']:.1f} ms; "
              f"OpenSearch {s['opensearch_rps']:.1f} req/s, p95 {s['opensearch_p95_ms']:.1f} ms; "
              f"req/s ratio {s['throughput_ratio']:.2f}, p95 ratio {s['p95_ratio']:.2f}.",
              f"Targets: req/s at least {TARGETS['throughput_ratio']:g}× OpenSearch's: {_yes(s['throughput_ratio'] >= TARGETS['throughput_ratio'])}; "
              f"lower p95: {_yes(s['p95_ratio'] < 1)}; p95 at most {TARGETS['p95_stretch_ms']:g} ms (stretch): "
              f"{_yes(s['fahras_p95_ms'] <= TARGETS['p95_stretch_ms'])}."]
    return "\n".join(lines)


def _yes(met: bool) -> str:
    return "met" if met else "not met"


def summarise(phases: list[dict], rounds: int) -> tuple[list[dict], dict]:
    by = {(p["round"], p["engine"]): p for p in phases}
    per_round = []
    for r in range(1, rounds + 1):
        ours, theirs = by[(r, "Fahras")], by[(r, "OpenSearch")]
        per_round.append({"round": r, "throughput_ratio": ours["requests_per_second"] / theirs["requests_per_second"],
                          "p95_ratio": ours["p95_ms"] / theirs["p95_ms"]})
    med = lambda engine, key: statistics.median(p[key] for p in phases if p["engine"] == engine)  # noqa: E731
    summary = {"fahras_rps": med("Fahras", "requests_per_second"), "fahras_p95_ms": med("Fahras", "p95_ms"),
               "opensearch_rps": med("OpenSearch", "requests_per_second"), "opensearch_p95_ms": med("OpenSearch", "p95_ms")}
    summary["throughput_ratio"] = summary["fahras_rps"] / summary["opensearch_rps"]
    summary["p95_ratio"] = summary["fahras_p95_ms"] / summary["opensearch_p95_ms"]
    return per_round, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="of load per phase")
    parser.add_argument("--queries", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=2, help="each runs both engines, in turns ABBA")
    parser.add_argument("--docs", type=int, default=0, help="only the first N articles (0: all)")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed: scripts/install-wrk.sh")
    if not 0 < args.seconds <= 60 or args.rounds < 1:
        parser.error("--seconds must be in (0, 60] and --rounds at least 1")

    OUT.mkdir(parents=True, exist_ok=True)
    sources = [news_slice(args.docs)] if args.docs else list(NEWS)
    queries = load_queries(args.queries)
    queries_file = OUT / "queries.jsonl"
    queries_file.write_text("".join(json.dumps({"query": q}, ensure_ascii=False) + "\n" for q in queries), encoding="utf-8")
    fahras_paths = request_paths(queries_file)
    theirs_paths = opensearch_paths(queries, OUT / "queries-opensearch.paths")
    results: dict = {"machine": machine(), "parameters": {**vars(args), "queries": len(queries), "clients": CLIENTS},
                     "indexing": {}, "phases": []}
    log = lambda text: print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)  # noqa: E731

    index = OUT / "fahras"
    log("fahras reindex")
    results["indexing"]["fahras"] = fahras_index(sources, index)
    node = Node(PORT, INDEX, heap="1g")
    log("OpenSearch: start")
    error = node.start()
    if error:
        print(error, file=sys.stderr)
        return 1
    try:
        results["opensearch_version"] = node.call("GET", "/")[1].get("version", {}).get("number")
        log("OpenSearch: _bulk")
        results["indexing"]["opensearch"] = opensearch_index(node, _articles(sources))
        results["documents"] = results["indexing"]["fahras"]["indexed"]
        with Server([str(Path(sys.executable).with_name("fahras")), "serve", "--index", str(index)], index,
                    OUT / "serve.log") as server:
            results["check"] = check_answers(server.url, node, queries[0])
            for r in range(1, args.rounds + 1):
                order = ("Fahras", "OpenSearch") if r % 2 else ("OpenSearch", "Fahras")
                for engine in order:
                    log(f"round {r}: {engine}")
                    if engine == "Fahras":
                        figures = load(server.url, fahras_paths, args.seconds, server.workers())
                    else:
                        figures = load(f"http://127.0.0.1:{PORT}", theirs_paths, args.seconds, [node.pid() or 0])
                    results["phases"].append({"round": r, "engine": engine, **figures})
    finally:
        node.stop()
    results["rounds"], results["summary"] = summarise(results["phases"], args.rounds)
    (OUT / f"results-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
