"""Fahras on Whoosh against its two targets on the news corpora (72,716 articles) or the development corpus, in one run.

1. Per query no slower than stock Whoosh (benchmarks/stock_whoosh.py): the
   same development queries through both, top 10, one after the other for
   each query (which goes first alternates), after a warm-up of each;
   Fahras as benchmarks/run.py measures it (grouped by story, no snippets,
   no facets) and as the page asks (snippets and facets on).
2. Each web worker of `fahras serve` (gunicorn, 2 workers x 4 threads) at
   most 600 MB RSS, read after 20 clients have searched `/api/search` for a
   while (benchmarks/http_load.py; snippets and facets on, as the page asks).

With --exact, each query is also ranked by every clause over every match
(no first stage): the share of first pages the two-stage ranking leaves
unchanged.

    .venv/bin/python -m benchmarks.whoosh_targets [--corpus news|dev] [--queries 600] [--warmup 200]
        [--http-seconds 30] [--no-http] [--exact] [--workers N]

Both indexes are built once under var/whoosh-targets/ (news) or
var/whoosh-targets/dev/ (only when absent). The load average is printed
beside each phase: the machine may be shared.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

from benchmarks.run import (REPO, Server, corpus_sources, dir_size, http_load, load_queries, loadavg, percentiles,
                            status_kb, wait_idle)

WORK = REPO / "var" / "whoosh-targets"
TOP = 10
WARMUP = 200
WORKER_LIMIT_MB = 600


def build(out: Path, sources: list[str], workers: int | None = None) -> dict:
    from benchmarks.stock_whoosh import build as build_stock
    from indexer.reindex import reindex
    from search.index import IndexRoot

    fahras, stock = out / "fahras", out / "stock"
    if IndexRoot(fahras).current_name() is None:
        reindex(sources, index_dir=fahras, backend="whoosh", workers=workers)
    if not stock.exists():
        # Whoosh writes its table of contents first: a build cut short would
        # look finished, so it is built aside and renamed when committed.
        partial = out / "stock.partial"
        shutil.rmtree(partial, ignore_errors=True)
        build_stock(sources, partial)
        partial.rename(stock)
    return {"fahras": fahras, "stock": stock, "fahras_mb": dir_size(IndexRoot(fahras).current()) / 2**20,
            "stock_mb": dir_size(stock) / 2**20}


def searches(paths: dict, queries: list[str], exact: bool, warmup: int = WARMUP) -> dict:
    from benchmarks.stock_whoosh import StockSearcher
    from search.searcher import Searcher

    engine = Searcher(paths["fahras"], suggest="off")
    stock = StockSearcher(paths["stock"])
    runs = {
        "fahras": lambda q: engine.find(q, size=TOP, snippets=False, facets=False),
        "fahras_as_the_page_asks": lambda q: engine.find(q, size=TOP, snippets=True, facets=True),
        "stock": lambda q: stock.search(q, limit=TOP),
    }
    for q in queries[:warmup]:
        for run in runs.values():
            run(q)
    seconds: dict[str, list[float]] = {name: [] for name in runs}
    pages = []
    load_before = loadavg()
    for i, q in enumerate(queries):
        order = list(runs) if i % 2 == 0 else list(reversed(runs))
        for name in order:
            started = time.perf_counter()
            found = runs[name](q)
            seconds[name].append(time.perf_counter() - started)
            if name == "fahras":
                pages.append([h.id for h in found.hits])
    out = {name: percentiles(s) for name, s in seconds.items()}
    out["load_average"] = [load_before, loadavg()]
    out["median_ratio_fahras_to_stock"] = round(out["fahras"]["median_ms"] / out["stock"]["median_ms"], 2)
    out["p95_ratio_fahras_to_stock"] = round(out["fahras"]["p95_ms"] / out["stock"]["p95_ms"], 2)
    out["process_rss_mb"] = round(status_kb(__import__("os").getpid(), "VmRSS") / 1024, 1)
    if exact:
        from search.index import whoosh_index

        whoosh_index._first_stage = lambda should: None  # every match scored by every clause
        same = sum(pages[i] == [h.id for h in runs["fahras"](q).hits] for i, q in enumerate(queries))
        out["first_pages_as_exact_ranking"] = f"{same} of {len(queries)}"
    return out


def served(work: Path, index: Path, queries: list[str], seconds: float) -> dict:
    queries_file = work / "queries.jsonl"
    queries_file.write_text("".join(json.dumps({"query": q}, ensure_ascii=False) + "\n" for q in queries), encoding="utf-8")
    serve = [sys.executable, "-m", "cli", "serve", "--index", str(index)]
    with Server(serve, index, work / "serve.log") as server:
        warm = http_load(server.url, queries_file, 4, 10)
        idle = wait_idle(server.workers())
        load_before = loadavg()
        load = http_load(server.url, queries_file, 20, seconds)
        workers = server.workers()
        return {
            "warmup_requests": warm.get("requests"),
            "idle_wait_seconds": idle,
            "load": {k: load.get(k) for k in ("requests", "requests_per_second", "median_ms", "p95_ms", "p99_ms", "errors")},
            "load_average": [load_before, loadavg()],
            **{f"worker_{field}_mb": [round(status_kb(pid, field) / 1024, 1) for pid in workers]
               for field in ("VmRSS", "RssAnon", "RssFile", "VmHWM")},
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=("news", "dev"), default="news")
    parser.add_argument("--workers", type=int, default=None, help="analysis processes when an index is built")
    parser.add_argument("--queries", type=int, default=600)
    parser.add_argument("--warmup", type=int, default=WARMUP, help="searches of each before the measured ones")
    parser.add_argument("--http-seconds", type=float, default=30)
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--exact", action="store_true")
    args = parser.parse_args(argv)
    work = WORK if args.corpus == "news" else WORK / args.corpus
    work.mkdir(parents=True, exist_ok=True)
    paths = build(work, [str(p) for p in corpus_sources(args.corpus)], args.workers)
    queries = load_queries(args.queries)
    report = {"corpus": args.corpus, "indexes_mb": {"fahras": round(paths["fahras_mb"]), "stock": round(paths["stock_mb"])},
              "search": searches(paths, queries, args.exact, args.warmup)}
    if not args.no_http:
        report["serve"] = served(work, paths["fahras"], queries, args.http_seconds)
        worst = max(report["serve"]["worker_VmRSS_mb"] + report["serve"]["worker_VmHWM_mb"])
        report["serve"]["largest_worker_mb"] = worst
        report["serve"]["within_limit"] = worst <= WORKER_LIMIT_MB
    s = report["search"]
    report["search"]["no_slower_than_stock"] = s["fahras"]["median_ms"] <= s["stock"]["median_ms"] and \
        s["fahras"]["p95_ms"] <= s["stock"]["p95_ms"]
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
