"""Learning to rank on the development protocol: rerank the first-stage top N, cross-validated by query.

    python -m benchmarks.ltr extract [--depth 100]      # candidates and features -> var/ltr/features-100.npz
    python -m benchmarks.ltr cv [--rerank 100] [--trees 100] [--leaves 7]
        [--drop title_length,body_length,title_cover] [--monotone] [--separate]

`extract` runs both judged sets against the cached development index of
benchmarks.relevance (Tantivy, default analysis) and writes one row of
benchmarks.ltr_features.NAMES per candidate. `cv` trains LightGBM's
lambdarank (pip install -e '.[bench]') on five folds by query of each set
(never by document) and prints, per set, each fold's nDCG@10 before -> after
and the mean; then each set's model applied to the other set, the held-out
check that matters since the product is judged on queries from other
sources; then the features by gain. nDCG@10 is over every judged query
(2,585 and 500), a relevant document outside the reranked depth keeps its
first-stage rank; no story grouping (dev-eval.sh groups, which adds about
0.001).
"""
from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from benchmarks.ltr_features import NAMES, Candidate, QueryView, features, idf
from benchmarks.relevance import REPO, SETS, SHARED, build_index
from search.analysis import DEFAULT_CONFIG, FIELD_GAP, Analyzer, analyze_document
from search.documents import Document
from search.evaluation import read_qrels
from search.index import open_reader
from search.query import describe, parse_query

OUT = REPO / "var" / "ltr"
JUDGED = (2585, 500)
# Coverage of the query by any kind of match can only help; so can the first-stage score.
MONOTONE = ("score", "score_ratio", "title_cover", "body_cover", "lead_cover", "exact_cover", "word_cover",
            "pair_cover", "longest_run", "window_cover", "span_density", "body_tf")


def _candidate(fields: dict, doc_id: str, analyzer: Analyzer) -> Candidate:
    a = analyze_document(Document(id=doc_id, title=fields.get("title") or "", body=fields.get("body") or ""), analyzer)
    return Candidate(tuple(a.title_stems.split()), tuple(a.body_stems.split()), tuple(w for w in a.exact.split() if w != FIELD_GAP))


def extract(depth: int) -> Path:
    reader = open_reader("tantivy", build_index(replace(DEFAULT_CONFIG, drop_question_words=True), "tantivy"))
    analyzer, n, cache = Analyzer(DEFAULT_CONFIG), reader.doc_count(), {}
    rows, labels, qids, sets = [], [], [], []
    started = time.perf_counter()
    for k, name in enumerate(SETS):
        qrels = read_qrels(SHARED / "data" / "eval" / name / "qrels.txt")
        for line in open(SHARED / "data" / "eval" / name / "queries.jsonl", encoding="utf-8"):
            q = json.loads(line)
            plan = parse_query(q["query"], analyzer)
            hits = reader.search(describe(plan, limit=depth)).hits
            view = QueryView(
                stems=tuple(plan.stems),
                idf=tuple(idf(reader.doc_frequency("body", s), n) for s in plan.stems),
                exacts=tuple(t.exact for t in plan.terms),
                exact_idf={e: idf(reader.doc_frequency("exact", e), n) for e in plan.exacts},
                pairs=plan.pairs,
            )
            judged = qrels.get(q["qid"], {})
            for rank, h in enumerate(hits):
                if h.id not in cache:
                    cache[h.id] = _candidate(h.fields, h.id, analyzer)
                rows.append(features(view, cache[h.id], h.score, hits[0].score, rank))
                labels.append(int(judged.get(h.id, 0) > 0))
                qids.append(q["qid"])
                sets.append(k)
        print(f"{name}: {len(rows)} candidates so far, {time.perf_counter() - started:.0f} s", flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"features-{depth}.npz"
    np.savez_compressed(path, X=np.array(rows, dtype=np.float32), y=np.array(labels), qid=np.array(qids), set=np.array(sets))
    return path


def _spans(qid: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each query's rows: extract writes them contiguously."""
    change = np.flatnonzero(qid[1:] != qid[:-1]) + 1
    return list(zip(np.concatenate([[0], change]), np.concatenate([change, [len(qid)]])))


def dcg(y: np.ndarray, spans, depth: int, scores: np.ndarray | None = None) -> float:
    """Summed nDCG@10 (one relevant document, binary gain) with the top `depth` of each query reordered by `scores`."""
    total = 0.0
    for s, e in spans:
        order = np.arange(e - s)
        head = min(depth, e - s)
        if scores is not None:
            order = np.concatenate([np.argsort(-scores[s:s + head], kind="stable"), order[head:]])
        hit = np.flatnonzero(y[s:e][order][:10])
        total += 1 / np.log2(hit[0] + 2) if len(hit) else 0.0
    return total


def cv(args) -> None:
    import lightgbm as lgb

    data = np.load(args.features)
    keep = [i for i, name in enumerate(NAMES) if name not in args.drop]
    names = [NAMES[i] for i in keep]
    X, y, qid, st = data["X"][:, keep], data["y"], data["qid"], data["set"]
    params = dict(objective="lambdarank", learning_rate=0.05, num_leaves=args.leaves, min_data_in_leaf=50,
                  feature_fraction=0.8, bagging_fraction=0.8, bagging_freq=1, lambdarank_truncation_level=20,
                  monotone_constraints=[int(args.monotone and n in MONOTONE) for n in names], verbose=-1, num_threads=1)

    def train(spans):
        rows = np.concatenate([np.arange(s, min(e, s + args.rerank)) for s, e in spans])
        group = [min(e - s, args.rerank) for s, e in spans]
        return lgb.train(params, lgb.Dataset(X[rows], y[rows], group=group), num_boost_round=args.trees)

    by_set = [[sp for sp in _spans(qid) if st[sp[0]] == k] for k in (0, 1)]
    folds = [np.random.default_rng(7 + k).permutation(len(by_set[k])) % 5 for k in (0, 1)]
    results = [[], []]
    for f in range(5):
        train_on = [[sp for i, sp in enumerate(by_set[k]) if folds[k][i] != f] for k in (0, 1)]
        shared = None if args.separate else train(train_on[0] + train_on[1])
        for k in (0, 1):
            model = train(train_on[k]) if args.separate else shared
            test = [sp for i, sp in enumerate(by_set[k]) if folds[k][i] == f]
            judged = JUDGED[k] * len(test) / len(by_set[k])
            results[k].append((dcg(y, test, args.rerank) / judged, dcg(y, test, args.rerank, model.predict(X)) / judged))
    for k in (0, 1):
        before, after = zip(*results[k])
        print(f"{SETS[k]} folds: " + " ".join(f"{b:.4f}->{a:.4f}" for b, a in results[k])
              + f" | mean {np.mean(before):.4f} -> {np.mean(after):.4f}")
    for a, b in ((0, 1), (1, 0)):
        scores = train(by_set[a]).predict(X)
        print(f"trained on {SETS[a]}, {SETS[b]}: {dcg(y, by_set[b], args.rerank) / JUDGED[b]:.4f} -> "
              f"{dcg(y, by_set[b], args.rerank, scores) / JUDGED[b]:.4f}")
    gain = train(by_set[0] + by_set[1]).feature_importance("gain")
    print("gain: " + ", ".join(f"{n} {g:.0f}" for n, g in sorted(zip(names, gain), key=lambda t: -t[1])))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("extract")
    e.add_argument("--depth", type=int, default=100)
    c = sub.add_parser("cv")
    c.add_argument("--features", default=str(OUT / "features-100.npz"))
    c.add_argument("--rerank", type=int, default=100, help="how many first-stage candidates are reordered")
    c.add_argument("--trees", type=int, default=100)
    c.add_argument("--leaves", type=int, default=7)
    c.add_argument("--drop", type=lambda s: set(filter(None, s.split(","))), default=set(), help="features left out, comma-separated")
    c.add_argument("--monotone", action="store_true", help="scores and coverages may only raise a candidate")
    c.add_argument("--separate", action="store_true", help="one model per set instead of one for both")
    args = p.parse_args()
    if args.command == "extract":
        print(extract(args.depth))
    else:
        cv(args)


if __name__ == "__main__":
    main()
