"""Learning-to-rank experiments: what a reranker would know of one candidate (docs/relevance.md).

A candidate is read as its analysed terms (title stems, body stems, exact
forms of title then body), the same ones the index holds, so the features
describe exactly what matched. Each feature is cheap (one pass over the
document's terms) and names something a reader would look for: how much of
the query the title, the lead and the body hold, weighted by how rare each
word is; whether the query's words stand together, in order, as written;
how early the body answers; how long it is.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from search.analysis import LEAD_TERMS

# Window of body terms in which the densest part of the query is sought.
WINDOW = 20
NAMES = (
    "score", "score_ratio", "rank", "query_words", "query_idf",
    "title_cover", "body_cover", "lead_cover", "exact_cover", "word_cover",
    "pair_cover", "longest_run", "window_cover", "span_density", "first_position",
    "body_length", "title_length", "body_tf",
)


@dataclass(frozen=True)
class QueryView:
    stems: tuple[str, ...]  # distinct stems, in query order
    idf: tuple[float, ...]  # one per stem
    exacts: tuple[str, ...]  # exact forms as written, in order (repeats kept)
    exact_idf: dict  # exact form -> idf
    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Candidate:
    title: tuple[str, ...]  # stems
    body: tuple[str, ...]  # stems
    exact: tuple[str, ...]  # exact forms, title then body


def idf(df: int, n: int) -> float:
    """BM25's idf, as Lucene and Tantivy compute it."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def _cover(weights: dict, present) -> float:
    total = sum(weights.values())
    return sum(w for s, w in weights.items() if s in present) / total if total else 0.0


def _longest_run(exact: tuple[str, ...], words: tuple[str, ...]) -> int:
    """The longest stretch of the document that repeats consecutive query words, as written."""
    follows: dict[str, set[str]] = {}
    for a, b in zip(words, words[1:]):
        follows.setdefault(a, set()).add(b)
    wanted = set(words)
    best = run = 0
    previous = None
    for word in exact:
        if word in wanted:
            run = run + 1 if previous is not None and word in follows.get(previous, ()) else 1
            best = max(best, run)
            previous = word
        else:
            run, previous = 0, None
    return best


def _windows(body: tuple[str, ...], weights: dict) -> tuple[float, float, int]:
    """(the best idf share of the query inside WINDOW consecutive body terms,
    matched distinct stems per term of the shortest span holding all of them,
    the first matching position)."""
    hits = [(i, s) for i, s in enumerate(body) if s in weights]
    if not hits:
        return 0.0, 0.0, len(body)
    total = sum(weights.values())
    counts: dict[str, int] = {}
    got = best = 0.0
    lo = 0
    for i, s in hits:
        counts[s] = counts.get(s, 0) + 1
        if counts[s] == 1:
            got += weights[s]
        while hits[lo][0] <= i - WINDOW:
            old = hits[lo][1]
            counts[old] -= 1
            if not counts[old]:
                got -= weights[old]
            lo += 1
        best = max(best, got)
    # Shortest span holding every matched stem (minimum window over the hit list).
    distinct = {s for _, s in hits}
    need, have, counts2, lo, span = len(distinct), 0, {}, 0, len(body)
    for i, s in hits:
        counts2[s] = counts2.get(s, 0) + 1
        if counts2[s] == 1:
            have += 1
        while have == need:
            span = min(span, i - hits[lo][0] + 1)
            old = hits[lo][1]
            counts2[old] -= 1
            if not counts2[old]:
                have -= 1
            lo += 1
    return best / total if total else 0.0, need / span, hits[0][0]


def features(query: QueryView, doc: Candidate, score: float, top: float, rank: int) -> list[float]:
    """One row of NAMES for `doc`, the candidate at `rank` (0 first) with first-stage `score`."""
    weights = dict(zip(query.stems, query.idf))
    body = doc.body
    body_set = set(body)
    exact_set = set(doc.exact)
    tf = {}
    for s in body:
        if s in weights:
            tf[s] = tf.get(s, 0) + 1
    body_tf = sum(weights[s] * t / (t + 1.2) for s, t in tf.items())
    window, density, first = _windows(body, weights)
    exact_weights = {e: query.exact_idf.get(e, 0.0) for e in query.exacts}
    pairs = set(zip(doc.exact, doc.exact[1:]))
    present = body_set | set(doc.title)
    return [
        score,
        score / top if top else 0.0,
        math.log1p(rank),
        float(len(query.stems)),
        sum(query.idf),
        _cover(weights, set(doc.title)),
        _cover(weights, body_set),
        _cover(weights, set(body[:LEAD_TERMS])),
        _cover(exact_weights, exact_set),
        sum(1 for s in query.stems if s in present) / len(query.stems) if query.stems else 0.0,
        sum(1 for p in query.pairs if p in pairs) / len(query.pairs) if query.pairs else 0.0,
        _longest_run(doc.exact, query.exacts) / len(query.exacts) if query.exacts else 0.0,
        window,
        density,
        math.log1p(first),
        math.log1p(len(body)),
        float(len(doc.title)),
        body_tf,
    ]
