"""Search latency with and without name spellings (learned variants, Latin names read in Arabic), in-process.

    python -m benchmarks.name_spellings --index var/dev-eval/index [--n 300]

The same queries run on two Searchers of one index, one with the spellings of
its generation and one without, in alternation (the machine is shared and
noisy): development headlines, and Latin names typed alone or before an
Arabic word. Prints p50/p95 of each and their ratios, and how many queries
had spellings added.
"""
from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

from search.request import SearchRequest
from search.searcher import Searcher

from .latency import percentiles

EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "eval"
LATIN = ("trump", "obama", "erdogan", "gaza", "kuwait", "putin", "google", "twitter", "london", "macron", "messi", "iran")


def _pick(ms: list[float], p: float) -> float:
    ms = sorted(ms)
    return ms[min(len(ms) - 1, int(len(ms) * p))]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--index", required=True)
    p.add_argument("--n", type=int, default=300)
    p.add_argument("--seed", type=int, default=14)
    args = p.parse_args()
    rng = random.Random(args.seed)
    headlines = [json.loads(line)["query"] for line in open(EVAL / "news-known-item-dev" / "queries.jsonl", encoding="utf-8")]
    queries = rng.sample(headlines, min(args.n, len(headlines)))
    queries += [rng.choice(LATIN) + ("" if rng.random() < 0.5 else " " + rng.choice(headlines).split()[0]) for _ in range(args.n // 3)]
    rng.shuffle(queries)
    on, off = Searcher(args.index, suggest="sync"), Searcher(args.index, suggest="sync")
    off.spellings.get = lambda root, generation: None  # the search as it was without them
    took = {"with": [], "without": []}
    expanded = 0
    for searcher in (on, off):  # warm: the vocabulary, the names, the caches of the analyser
        searcher.search(SearchRequest("trump"))
    for q in queries:
        for name, searcher in (("with", on), ("without", off)) if rng.random() < 0.5 else (("without", off), ("with", on)):
            t = time.perf_counter()
            result = searcher.search(SearchRequest(q))
            took[name].append(time.perf_counter() - t)
            expanded += name == "with" and bool(result.spellings)
    for name, seconds in took.items():
        print(f"search {name} spellings: {percentiles(seconds)}")
    ratio = {q: _pick(took["with"], q) / _pick(took["without"], q) for q in (0.5, 0.95)}
    print(f"with / without: p50 {ratio[0.5]:.2f}x, p95 {ratio[0.95]:.2f}x; {expanded} of {len(queries)} queries had spellings added")


if __name__ == "__main__":
    main()
