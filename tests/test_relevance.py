"""Ranking quality as a tested property: a fixed slice of the development protocol with score floors.

The index holds the 1,542 Wikipedia passages of the QA set and 4,000
SaudiNewsNet articles (titles withheld, as in the development protocol),
among them the articles of the first 200 headline queries. A change that
hurts ranking drops the scores below their floors and fails the build.
"""
from __future__ import annotations

import gzip
import json

import pytest

from indexer.reindex import reindex
from search.analysis import AnalysisConfig, Analyzer
from search.evaluation import evaluate, read_qrels
from search.index import IndexRoot, open_reader
from search.index.ranking import Ranking
from search.query import describe, parse_query
from search.searcher import Searcher

from .conftest import shared_data, write_jsonl

QA_QUERIES = 600
NEWS_QUERIES = 200
NEWS_DOCUMENTS = 4000
# Measured with the default configuration (docs/relevance.md), minus a margin
# for the small ranking differences between backends.
# (measured with chain 10 and the question weights: QA 0.834 / 0.975,
# news 0.886 / 0.990 nDCG@10 / Recall@100).
FLOORS = {
    "arabic-qa-dev": {"nDCG@10": 0.815, "Recall@100": 0.96},
    "news-known-item-dev": {"nDCG@10": 0.865, "Recall@100": 0.98},
}
# The reference chain on the same slice: Lucene's light stemmer, one field's worth of BM25.
LUCENE_LIKE = AnalysisConfig(stemmer="lucene")
LUCENE_RANKING = Ranking(title_boost=1.0, exact_boost=0.0, lead_boost=0.0, pair_boost=0.0)


def _jsonl(path):
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="module")
def slice_engine(tmp_path_factory):
    passages = _jsonl(shared_data("eval/arabic-qa-dev/passages.jsonl.gz"))
    news_qrels = read_qrels(shared_data("eval/news-known-item-dev/qrels.txt"))
    news_queries = _jsonl(shared_data("eval/news-known-item-dev/queries.jsonl"))[:NEWS_QUERIES]
    wanted = {doc for q in news_queries for doc in news_qrels[q["qid"]]}
    pool = shared_data("eval/news-known-item-dev/corpus_ids.txt").read_text().split()
    keep = wanted | set(sorted(set(pool) - wanted)[: NEWS_DOCUMENTS - len(wanted)])
    docs = [{"id": p["id"], "title": p["title"], "body": p["body"], "source": "Wikipedia"} for p in passages]
    for article in _jsonl(shared_data("news/saudinewsnet.jsonl.gz")):
        if article["id"] in keep:
            docs.append({"id": article["id"], "title": "", "body": article["body"], "source": article["source"]})
    tmp = tmp_path_factory.mktemp("relevance")
    corpus = write_jsonl(tmp / "slice.jsonl", docs)
    reindex([corpus], index_dir=tmp / "index", backend="tantivy")
    reindex([corpus], index_dir=tmp / "lucene", backend="tantivy", config=LUCENE_LIKE)
    engine = Searcher(tmp / "index")
    yield engine, tmp / "lucene", {"news-known-item-dev": news_queries}
    engine.close()


def _queries(fixed: dict, name: str) -> tuple[list, dict]:
    queries = fixed.get(name) or _jsonl(shared_data(f"eval/{name}/queries.jsonl"))[:QA_QUERIES]
    qrels = read_qrels(shared_data(f"eval/{name}/qrels.txt"))
    return queries, {q["qid"]: qrels[q["qid"]] for q in queries}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_ranking_stays_above_its_floor_and_the_reference_chain(slice_engine, name):
    engine, lucene_index, fixed = slice_engine
    queries, qrels = _queries(fixed, name)
    # Grouped by story, as served: a judged copy hidden in a story counts at its story's rank.
    results = {q["qid"]: engine.find(q["query"], size=100, snippets=False).hits for q in queries}
    run = {qid: {h.id: h.score for h in hits} for qid, hits in results.items()}
    copies = {qid: {h.id: [c["id"] for c in h.copies] for h in hits if h.copies} for qid, hits in results.items()}
    scores = evaluate(run, qrels, copies).mean
    print(f"{name}: " + ", ".join(f"{m} {v:.3f}" for m, v in scores.items()))
    for metric, floor in FLOORS[name].items():
        assert scores[metric] >= floor, f"{name} {metric} {scores[metric]:.3f} fell below {floor}"

    reader = open_reader("tantivy", IndexRoot(lucene_index).current())
    analyzer = Analyzer(LUCENE_LIKE)
    baseline_run = {
        q["qid"]: {
            h.id: h.score
            for h in reader.search(describe(parse_query(q["query"], analyzer), limit=100, ranking=LUCENE_RANKING)).hits
        }
        for q in queries
    }
    reader.close()
    baseline = evaluate(baseline_run, qrels).mean
    print(f"{name} reference chain: " + ", ".join(f"{m} {v:.3f}" for m, v in baseline.items()))
    # On this small slice the two are close on headlines (0.864 vs 0.862 measured;
    # the full protocol separates them, docs/relevance.md): never clearly worse.
    assert scores["nDCG@10"] >= baseline["nDCG@10"] - 0.015
