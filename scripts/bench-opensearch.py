#!/usr/bin/env python3
"""Indexing throughput, index size, query latency and ranking parity: OpenSearch next to an embedded backend.

    scripts/opensearch-cluster.sh start
    .venv/bin/python scripts/bench-opensearch.py index [--shards 2 --replicas 1]   # all news articles
    .venv/bin/python scripts/bench-opensearch.py queries [--other whoosh] [--queries 500]

`index` reindexes the three news corpora of ../shared/data/news (72,716
articles) into the cluster (alias fahras-bench) and prints documents/s and the
index size per document (primaries and all copies). `queries` builds the
development corpus index (var/dev/corpus.jsonl, see scripts/dev-eval.sh) in the
cluster (alias fahras-dev) and with the other backend under var/bench/<backend>
(both kept for the next run when they match the analysis version), runs the
first N arabic-qa-dev questions (top 10) in-process on both, and prints latency
percentiles, MRR@10 against the qrels, and how often the top 10 agree.
Figures go to stdout as JSON as well (last line).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.reindex import reindex  # noqa: E402
from search.analysis import DEFAULT_CONFIG  # noqa: E402
from search.index import IndexUnavailable, open_store  # noqa: E402
from search.searcher import Searcher  # noqa: E402

DATA = Path(os.environ.get("FAHRAS_SHARED_DATA", ROOT.parent / "shared" / "data"))
NEWS = sorted((DATA / "news").glob("*.jsonl.gz"))
DEV_CORPUS = ROOT / "var" / "dev" / "corpus.jsonl"
QUESTIONS = DATA / "eval" / "arabic-qa-dev" / "queries.jsonl"
QRELS = DATA / "eval" / "arabic-qa-dev" / "qrels.txt"


def _bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024:
            return f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"


def cmd_index(args) -> dict:
    os.environ["FAHRAS_OPENSEARCH_INDEX"] = args.alias
    os.environ["FAHRAS_OPENSEARCH_SHARDS"] = str(args.shards)
    os.environ["FAHRAS_OPENSEARCH_REPLICAS"] = str(args.replicas)
    summary = reindex(NEWS, index_dir=ROOT / "var" / "bench" / "lock", backend="opensearch")
    store = open_store(ROOT / "var" / "bench" / "lock", "opensearch")
    name = store.current_name()
    if args.merge:
        store.client.indices.forcemerge(index=name, max_num_segments=1, request_timeout=900)
    # Segments replaced by merges are deleted at the next flush: measure after it.
    store.client.indices.flush(index=name, request_timeout=300)
    time.sleep(2)
    stats = store.client.indices.stats(index=name, metric="store,docs", request_timeout=60)["indices"][name]
    primaries, total = stats["primaries"]["store"]["size_in_bytes"], stats["total"]["store"]["size_in_bytes"]
    figures = {
        "articles_read": summary.read,
        "indexed": summary.indexed,
        "skipped": summary.skipped_total,
        "seconds": round(summary.seconds, 1),
        "docs_per_second": round(summary.docs_per_second, 1),
        "shards": args.shards,
        "replicas": args.replicas,
        "nodes": summary.health["cluster"]["nodes"],
        "bulk": summary.bulk,
        "primary_bytes": primaries,
        "total_bytes": total,
        "primary_bytes_per_doc": round(primaries / summary.indexed),
        "total_bytes_per_doc": round(total / summary.indexed),
        "force_merged": bool(args.merge),
    }
    print(f"indexed {summary.indexed} of {summary.read} articles in {summary.seconds:.1f} s "
          f"({summary.docs_per_second:.0f} documents/s) into {args.shards} shard(s) x {1 + int(str(args.replicas)[-1])} "
          f"copies on {figures['nodes']} node(s); primaries {_bytes(primaries)} "
          f"({figures['primary_bytes_per_doc']} B/doc), all copies {_bytes(total)}")
    return figures


def _engine(backend: str, where: Path, alias: str) -> Searcher:
    """An engine over the dev corpus for `backend`, reindexed unless a matching index is there."""
    os.environ["FAHRAS_OPENSEARCH_INDEX"] = alias
    try:
        engine = Searcher(where, backend=backend, suggest="off")
        if engine.manifest.analysis_version == DEFAULT_CONFIG.version and engine.manifest.backend == backend:
            return engine
        engine.close()
    except IndexUnavailable:
        pass
    summary = reindex([DEV_CORPUS], index_dir=where, backend=backend)
    print(f"{backend}: indexed the dev corpus ({summary.indexed} documents) in {summary.seconds:.1f} s "
          f"({summary.docs_per_second:.0f} documents/s)", file=sys.stderr)
    return Searcher(where, backend=backend, suggest="off")


def _percentiles(ms: list[float]) -> dict:
    s = sorted(ms)
    pick = lambda q: round(s[min(len(s) - 1, int(q * len(s)))], 2)  # noqa: E731
    return {"mean": round(statistics.fmean(s), 2), "p50": pick(0.50), "p90": pick(0.90), "p95": pick(0.95),
            "p99": pick(0.99), "max": round(s[-1], 2)}


def cmd_queries(args) -> dict:
    if not DEV_CORPUS.exists():
        sys.exit(f"{DEV_CORPUS} is missing: run scripts/dev-eval.sh once (it builds the development corpus)")
    with open(QUESTIONS, encoding="utf-8") as f:
        queries = [json.loads(line) for _, line in zip(range(args.queries), f)]
    relevant: dict[str, set[str]] = {}
    for line in open(QRELS, encoding="utf-8"):
        qid, _, doc, rel = line.split()
        if int(rel) > 0:
            relevant.setdefault(qid, set()).add(doc)
    engines = {
        "opensearch": _engine("opensearch", ROOT / "var" / "bench" / "dev-opensearch", "fahras-dev"),
        args.other: _engine(args.other, ROOT / "var" / "bench" / args.other, "fahras-dev"),
    }
    figures: dict = {"queries": len(queries), "top": 10}
    runs: dict[str, list[list[str]]] = {}
    for name, engine in engines.items():
        for q in queries[:20]:  # warm caches: the figures are for a serving process
            engine.find(q["query"], size=10, snippets=False, suggest=False)
        ms, ranked, mrr = [], [], 0.0
        for q in queries:
            t = time.perf_counter()
            result = engine.find(q["query"], size=10, snippets=args.snippets, suggest=False)
            ms.append((time.perf_counter() - t) * 1000)
            ids = [h.id for h in result.hits]
            ranked.append(ids)
            rel = relevant.get(q["qid"], set())
            mrr += next((1 / (i + 1) for i, d in enumerate(ids) if d in rel), 0.0)
        runs[name] = ranked
        figures[name] = {"latency_ms": _percentiles(ms), "mrr@10": round(mrr / len(queries), 4),
                         "documents": engine.doc_count()}
        print(f"{name:10} latency ms {figures[name]['latency_ms']}  MRR@10 {figures[name]['mrr@10']}")
    a, b = runs["opensearch"], runs[args.other]
    n = len(queries)
    figures["parity"] = {
        "same_top10_list": round(sum(x == y for x, y in zip(a, b)) / n, 4),
        "same_top10_set": round(sum(set(x) == set(y) for x, y in zip(a, b)) / n, 4),
        "same_first": round(sum(x[:1] == y[:1] for x, y in zip(a, b)) / n, 4),
        "mean_overlap@10": round(sum(len(set(x) & set(y)) / max(1, len(x)) for x, y in zip(a, b)) / n, 4),
    }
    print(f"parity opensearch vs {args.other}: {figures['parity']}")
    for engine in engines.values():
        engine.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("index")
    p.add_argument("--alias", default="fahras-bench")
    p.add_argument("--shards", type=int, default=2)
    p.add_argument("--replicas", default="1")
    p.add_argument("--merge", action="store_true", help="force-merge to one segment before measuring the size")
    p.set_defaults(run=cmd_index)
    q = sub.add_parser("queries")
    q.add_argument("--other", default="whoosh", choices=["whoosh", "tantivy"])
    q.add_argument("--queries", type=int, default=500)
    q.add_argument("--snippets", action="store_true", help="also build highlighted snippets (as the web page does)")
    q.set_defaults(run=cmd_queries)
    args = parser.parse_args()
    print(json.dumps(args.run(args), ensure_ascii=False))


if __name__ == "__main__":
    main()
