"""Related coverage on a built index: latency (median, p95) and how the lists compare with the former method.

    python -m benchmarks.related --index var/news [--n 300]

The former method, kept here as the reference: 20 more-like-this stems, each
looked for in title and body, the top hits read in full (a stored document
each) before their stories are told apart, and read again wider when their
copies fill the top. Lists are compared by the share of the former list's
stories still listed (overlap), of its first three still in the first three,
and by the share of listed articles in the article's own category
(categorised corpora only).
"""
from __future__ import annotations

import argparse
import random
import statistics
import time
from contextlib import contextmanager
from dataclasses import replace

from search import related as related_module
from search.collapse import group_of
from search.related import related_query
from search.searcher import Searcher

FORMER = {"QUERY_TERMS": 20, "CANDIDATES": 60, "TITLE_TERMS": 20}


@contextmanager
def former_settings():
    now = {name: getattr(related_module, name) for name in FORMER}
    for name, value in FORMER.items():
        setattr(related_module, name, value)
    try:
        yield
    finally:
        for name, value in now.items():
            setattr(related_module, name, value)


def former_top_stories(reader, query, wanted: int, window_cap: int, leave_out: frozenset) -> list:
    n = min(wanted + len(leave_out) + 4, window_cap)
    while True:
        found = reader.search(replace(query, offset=0, limit=n, count=False))
        seen, stories = set(leave_out), []
        for hit in found.hits:
            if group_of(hit) not in seen:
                seen.add(group_of(hit))
                stories.append(hit)
        if len(stories) >= wanted or len(found.hits) < n or n >= window_cap:
            return stories[:wanted]
        n = min(n * 4, window_cap)


def former(searcher: Searcher, doc_id: str, limit: int = 10) -> list:
    with searcher.served.using(realtime=True) as index:
        doc = index.reader.get(doc_id)
        own = doc.get("group") or doc_id
        with former_settings():
            query = related_query(doc, index.analyzer, lambda stem: index.reader.doc_frequency("body", stem),
                                  index.reader.doc_count())
        page = former_top_stories(index.reader, query, limit, searcher.limits.max_result_window, frozenset({own})) if query else []
        hits = [searcher._hit(h.id, h.fields, h.score, None, index.analyzer, False, "relevance") for h in page]
        return [(h.id, h.group, h.category) for h in hits]


def current(searcher: Searcher, doc_id: str) -> list:
    return [(h.id, h.group, h.category) for h in searcher.related(doc_id)]


def timed(searcher, ids) -> tuple[dict, dict, dict]:
    """Both methods on each article, alternately first, so that the machine's load weighs on both alike.

    Wall time and CPU time: on a shared machine the wall time is mostly the
    wait for a core, the CPU time what the call itself costs.
    """
    took: dict = {former: [], current: []}
    cpu: dict = {former: [], current: []}
    lists: dict = {former: {}, current: {}}
    for n, doc_id in enumerate(ids):
        for fn in ((former, current) if n % 2 else (current, former)):
            started, used = time.perf_counter(), time.process_time()
            lists[fn][doc_id] = fn(searcher, doc_id)
            took[fn].append(time.perf_counter() - started)
            cpu[fn].append(time.process_time() - used)
    return took, cpu, lists


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
    took, cpu, lists = timed(searcher, ids)
    (before, after), (old, new) = (took[former], took[current]), (lists[former], lists[current])
    print(f"related, former method: {summary(before)}")
    print(f"related, now:           {summary(after)}")
    print(f"ratio of medians now/former: {statistics.median(after) / statistics.median(before):.2f}")
    print(f"CPU time, former method: {summary(cpu[former])}")
    print(f"CPU time, now:           {summary(cpu[current])}")
    overlap = [len({g for _, g, _ in new[d]} & {g for _, g, _ in old[d]}) / len(old[d]) for d in ids if old[d]]
    print(f"stories of the former list still listed: {statistics.mean(overlap):.1%}")
    first = [len({g for _, g, _ in new[d][:3]} & {g for _, g, _ in old[d][:3]}) / len(old[d][:3]) for d in ids if old[d]]
    print(f"of its first three still in the first three: {statistics.mean(first):.1%}")
    for name, lists in (("former", old), ("now", new)):
        same = [c == categories[d] for d in ids if categories[d] for _, _, c in lists[d]]
        print(f"listed articles in the article's category, {name}: {statistics.mean(same):.1%} ({len(same)} listed)")
    searcher.close()


if __name__ == "__main__":
    main()
