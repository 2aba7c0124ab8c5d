"""Snippets on the Python code against the native core, side by side in one run, on a built index.

    python -m benchmarks.snippets [--index var/news] [--queries 400] [--rounds 3]

The index is built first when DIR holds none it can read (`fahras reindex ../shared/data/news
--index DIR`: the 72,716 news articles). Queries are the development questions
and headlines (../shared/data/eval), sampled; each gets the page of results
`/api/search` shows (ten stories), fetched once. Then, for every page, the
snippets of its hits are cut by each path in turn (which goes first
alternates), after one warm-up pass so that both word caches hold the pages'
words as a long-lived web worker's would. Prints the time per hit and per
request (the page's snippets), median and p95, the least of `--rounds`
rounds, and checks that both paths cut the same snippets.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from search.analysis import Analyzer
from search.highlight import snippet
from search.index import IndexUnavailable
from search.searcher import Searcher

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
QUERY_SETS = ("arabic-qa-dev", "news-known-item-dev")


def _python_analyzer(config) -> Analyzer:
    """An analyzer of `config` on the Python chain alone (the native core is chosen when an analyzer is made)."""
    saved = os.environ.get("FAHRAS_NATIVE")
    os.environ["FAHRAS_NATIVE"] = "0"
    try:
        return Analyzer(config)
    finally:
        os.environ.pop("FAHRAS_NATIVE") if saved is None else os.environ.__setitem__("FAHRAS_NATIVE", saved)


def _open(index_dir: Path, corpus: Path) -> Searcher:
    """A searcher on `index_dir`, built from `corpus` first when it holds no index this version reads."""
    try:
        with Searcher(index_dir).served.using():
            pass
    except IndexUnavailable as exc:  # none yet, or built by another version
        print(f"{exc}\nbuilding {index_dir} from {corpus}", flush=True)
        fahras = str(Path(sys.executable).with_name("fahras"))
        subprocess.run([fahras, "reindex", str(corpus), "--index", str(index_dir)], check=True)
    return Searcher(index_dir)


def _pages(searcher: Searcher, queries: list[str]) -> list[tuple]:
    """(plan, texts the snippets are cut from) of each query's first page, as the API asks for it."""
    pages = []
    for q in queries:
        result = searcher.find(q, snippets=False, facets=False, suggest=False)
        with searcher.served.using() as index:
            docs = [index.reader.get(hit.id) or {} for hit in result.hits]
        texts = [d.get("body") or d.get("title") or "" for d in docs]
        if texts:
            pages.append((result.plan, texts))
    return pages


def _cut(pages: list[tuple], analyzer: Analyzer) -> tuple[list[float], list[float], list[list[str]]]:
    """Seconds per hit and per page, and the snippets, of every page."""
    per_hit, per_page, cut = [], [], []
    for plan, texts in pages:
        snippets = []
        page_start = time.thread_time()
        for text in texts:
            start = time.thread_time()
            snippets.append(snippet(text, plan, analyzer))
            per_hit.append(time.thread_time() - start)
        per_page.append(time.thread_time() - page_start)
        cut.append(snippets)
    return per_hit, per_page, cut


def _stats(seconds: list[float]) -> tuple[float, float]:
    ms = sorted(s * 1000 for s in seconds)
    return ms[len(ms) // 2], ms[min(len(ms) - 1, int(len(ms) * 0.95))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, default=REPO / "var" / "news")
    parser.add_argument("--corpus", type=Path, default=DATA / "news", help="what to index when --index holds none")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    searcher = _open(args.index, args.corpus)
    with searcher.served.using() as index:
        native, python = index.analyzer, _python_analyzer(index.analyzer.config)
        documents = index.reader.doc_count()
    if not native.native:
        sys.exit("the native core is not built or is turned off (FAHRAS_NATIVE=0): nothing to compare")
    queries = [json.loads(line)["query"] for name in QUERY_SETS
               for line in open(DATA / "eval" / name / "queries.jsonl", encoding="utf-8") if line.strip()]
    pages = _pages(searcher, random.Random(args.seed).sample(queries, min(args.queries, len(queries))))
    hits = sum(len(texts) for _, texts in pages)
    print(f"{documents} documents, {len(pages)} queries with results, {hits} hits (load {os.getloadavg()[0]:.2f})")
    paths = {"Python": python, "native": native}
    for analyzer in paths.values():
        _cut(pages, analyzer)  # warm-up: the pages' words in each word cache
    best: dict[str, dict[str, tuple[float, float]]] = {}
    for r in range(args.rounds):
        order = list(paths) if r % 2 == 0 else list(reversed(paths))
        cut = {}
        for name in order:
            per_hit, per_page, cut[name] = _cut(pages, paths[name])
            for unit, seconds in (("hit", per_hit), ("request", per_page)):
                stats = _stats(seconds)
                kept = best.setdefault(name, {}).get(unit)
                best[name][unit] = stats if kept is None or stats[0] < kept[0] else kept
        if cut["Python"] != cut["native"]:
            sys.exit("the two paths cut different snippets")
    print(f"snippet CPU ms, least median of {args.rounds} rounds: {'':>4}{'per hit median / p95':>24}{'per request median / p95':>28}")
    for name in paths:
        (hm, hp), (rm, rp) = best[name]["hit"], best[name]["request"]
        print(f"  {name:<42}{hm:>11.3f} / {hp:<10.3f}{rm:>15.3f} / {rp:<10.3f}")
    ratio = best["Python"]["request"][0] / best["native"]["request"][0]
    print(f"native ×{ratio:.1f} as fast per request at the median; identical snippets on all {hits} hits")
    searcher.close()


if __name__ == "__main__":
    main()
