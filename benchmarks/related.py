"""Related coverage on a built index: latency (median, p95) and how the lists compare with the former method.

    python -m benchmarks.related --index var/news [--n 300]

The former method, kept here as the reference: 20 more-like-this terms,
read through the results page's collapse (every match counted, wide window,
the copies of each story fetched). Lists are compared by the share of the
former list's stories still listed (overlap) and by the share of listed
articles in the article's own category (categorised corpora only).
"""
from __future__ import annotations

import argparse
import random
import statistics
import time

from search import related as related_module
from search.collapse import grouped_page
from search.related import related_query
from search.searcher import Searcher


def former(searcher: Searcher, doc_id: str, limit: int = 10) -> list:
    with searcher.served.using(realtime=True) as index:
        doc = index.reader.get(doc_id)
        own = doc.get("group") or doc_id
        terms = related_module.QUERY_TERMS
        related_module.QUERY_TERMS = 20
        try:
            query = related_query(doc, index.analyzer, lambda stem: index.reader.doc_frequency("body", stem),
                                  index.reader.doc_count(), limit + 1)
        finally:
            related_module.QUERY_TERMS = terms
        page = grouped_page(index.reader, query, searcher.limits.max_result_window, count_stories=False).hits if query else []
        hits = [h for h in page if (h.fields.get("group") or h.id) != own]
        return [(h.id, h.fields.get("group") or h.id, h.fields.get("category")) for h in hits][:limit]


def current(searcher: Searcher, doc_id: str) -> list:
    return [(h.id, h.group, h.category) for h in searcher.related(doc_id)]


def timed(searcher, ids) -> tuple[dict, dict]:
    """Both methods on each article, alternately first, so that the machine's load weighs on both alike."""
    took: dict = {former: [], current: []}
    lists: dict = {former: {}, current: {}}
    for n, doc_id in enumerate(ids):
        for fn in ((former, current) if n % 2 else (current, former)):
            started = time.perf_counter()
            lists[fn][doc_id] = fn(searcher, doc_id)
            took[fn].append(time.perf_counter() - started)
    return took, lists


def summary(seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    return f"median {statistics.median(ms):.2f} ms, p95 {ms[int(len(ms) * 0.95)]:.2f} ms ({len(ms)} calls)"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--index", required=True)
    p.add_argument("--n", type=int, default=300)
    p.add_argument("--seed", type=int, default=14)
    args = p.parse_args()
    searcher = Searcher(args.index, suggest="off")
    pool = sorted({h.id for word in ("الحكومة", "الرئيس", "المملكة", "المباراة", "الاقتصاد", "الأسعار", "المنتخب")
                   for h in searcher.find(word, size=100, snippets=False, facets=False, suggest=False, group=False).hits})
    ids = random.Random(args.seed).sample(pool, min(args.n, len(pool)))
    categories = {doc_id: searcher.document(doc_id).get("category") for doc_id in ids}
    timed(Searcher(args.index, suggest="off"), ids[:20])  # warm both (page cache, analyser caches)
    took, lists = timed(searcher, ids)
    (before, after), (old, new) = (took[former], took[current]), (lists[former], lists[current])
    print(f"related, former method: {summary(before)}")
    print(f"related, now:           {summary(after)}")
    print(f"ratio of medians now/former: {statistics.median(after) / statistics.median(before):.2f}")
    overlap = [len({g for _, g, _ in new[d]} & {g for _, g, _ in old[d]}) / len(old[d]) for d in ids if old[d]]
    print(f"stories of the former list still listed: {statistics.mean(overlap):.1%}")
    for name, lists in (("former", old), ("now", new)):
        same = [c == categories[d] for d in ids if categories[d] for _, _, c in lists[d]]
        print(f"listed articles in the article's category, {name}: {statistics.mean(same):.1%} ({len(same)} listed)")
    searcher.close()


if __name__ == "__main__":
    main()
