"""Latency of search as you type and of related coverage, in-process, on a built index.

    python -m benchmarks.latency --index var/news [--n 500]

Prefixes are the first 2..6 letters of words of the development questions
(../shared/data/eval), typed after the words before them; related coverage is
asked for random indexed articles (ids from a search for common words).
"""
from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

from search.searcher import Searcher

QUERIES = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "eval" / "arabic-qa-dev" / "queries.jsonl"


def percentiles(seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    pick = lambda p: ms[min(len(ms) - 1, int(len(ms) * p))]  # noqa: E731
    return f"p50 {pick(0.5):.2f} ms, p95 {pick(0.95):.2f} ms, max {ms[-1]:.2f} ms ({len(ms)} calls)"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--index", required=True)
    p.add_argument("--n", type=int, default=500)
    p.add_argument("--seed", type=int, default=14)
    args = p.parse_args()
    rng = random.Random(args.seed)
    searcher = Searcher(args.index, suggest="sync")
    started = time.perf_counter()
    searcher.complete("ال")  # builds the vocabulary and the completions
    print(f"vocabulary and completions built in {time.perf_counter() - started:.1f} s")

    questions = [json.loads(line)["query"] for line in open(QUERIES, encoding="utf-8")]
    typed = []
    for q in rng.sample(questions, args.n):
        words = q.split()
        i = rng.randrange(len(words))
        typed.append(" ".join(words[:i] + [words[i][: rng.randint(2, 6)]]))
    took = []
    for q in typed:
        t = time.perf_counter()
        searcher.complete(q)
        took.append(time.perf_counter() - t)
    print(f"suggest: {percentiles(took)}")
    for q in ("اردو", "السعو", "ترا", "الرياض ال"):
        print(f"  {q!r} -> {searcher.complete(q)}")

    ids = [h.id for word in ("الحكومة", "الرئيس", "المملكة", "المباراة", "الاقتصاد")
           for h in searcher.find(word, size=100, snippets=False, facets=False, suggest=False, group=False).hits]
    took = []
    for doc_id in rng.sample(ids, min(args.n, len(ids))):
        t = time.perf_counter()
        searcher.related(doc_id)
        took.append(time.perf_counter() - t)
    print(f"related: {percentiles(took)}")
    searcher.close()


if __name__ == "__main__":
    main()
