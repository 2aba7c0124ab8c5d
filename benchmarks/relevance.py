"""Relevance experiments on the development protocol: one row per configuration.

    python -m benchmarks.relevance [--stemmer fahras] [--fold-hamza] [--no-stopwords]
        [--keep-question-words] [--title-boost 2] [--exact-boost 0.5] [--question-weight 1] [--backend tantivy]
        [--backend opensearch --k1 1.2 --b 0.75]

Builds (once, cached under var/relevance/) the development corpus index for the
analysis configuration, runs both judged query sets top 100 in-process, and
prints MRR@10, nDCG@10 and Recall@100 per set as one Markdown table row.
Query-time options (boosts, question words) reuse the same index. With
--backend opensearch the index lives in the cluster at FAHRAS_OPENSEARCH_URL
behind the alias relevance-<analysis version>, and --k1/--b are applied to it
before the queries run (Tantivy's k1/b are fixed).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from indexer.reindex import reindex
from search import analysis
from search.analysis import AnalysisConfig, Analyzer
from search.index import CLUSTER_BACKENDS, open_reader, open_store
from search.index.ranking import RANKING
from search.evaluation import evaluate, read_qrels
from search.feedback import FEEDBACK_DOCUMENTS, expand
from search.query import describe, parse_query

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SETS = ("arabic-qa-dev", "news-known-item-dev")
# Lucene ArabicAnalyzer + BM25 (k1=1.2, b=0.75) on this protocol, from the data README.
DEFAULT_LEAD_TERMS = analysis.LEAD_TERMS
LUCENE = {"arabic-qa-dev": (0.730, 0.763, 0.937), "news-known-item-dev": (0.576, 0.640, 0.946)}


def dev_corpus() -> Path:
    corpus = REPO / "var" / "dev" / "corpus.jsonl"
    if not corpus.exists():
        if not (SHARED / "data").is_dir():
            sys.exit(f"relevance: {SHARED / 'data'} is absent; the development protocol needs it")
        corpus.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(SHARED / "eval" / "make_dev_corpus.py"), str(corpus)], check=True)
    return corpus


def build_index(config: AnalysisConfig, backend: str):
    """The served generation: a directory for the embedded engines, an index handle for a cluster."""
    lead = "" if analysis.LEAD_TERMS == DEFAULT_LEAD_TERMS else f"-lead{analysis.LEAD_TERMS}"
    index = REPO / "var" / "relevance" / f"{backend}-{config.version.replace(':', '_')}{lead}"
    if backend in CLUSTER_BACKENDS:  # one alias per configuration, as one directory for the embedded backends
        os.environ["FAHRAS_OPENSEARCH_INDEX"] = "relevance-" + index.name.split("-", 1)[1].lower()
    root = open_store(index, backend)
    try:
        root.manifest()
    except Exception:
        reindex([dev_corpus()], index_dir=index, backend=backend, config=config)
    return root.current()


def set_bm25(index, k1: float, b: float) -> None:
    """Give the cluster index `index` BM25 k1/b. Lucene applies them at search time
    (the norms hold only field lengths), so one index serves a whole k1/b grid;
    similarity settings change only on a closed index."""
    from search.index.opensearch.mapping import SIMILARITY

    client, name = index.client, index.name
    client.indices.close(index=name)
    client.indices.put_settings(index=name, body={"index": {"similarity": {SIMILARITY: {"type": "BM25", "k1": k1, "b": b}}}})
    client.indices.open(index=name)
    health = client.cluster.health(index=name, wait_for_status="yellow", timeout="60s", request_timeout=70)
    if health["status"] not in ("green", "yellow"):
        sys.exit(f"relevance: index {name} is {health['status']} after setting k1/b")


def run_set(reader, analyzer: Analyzer, ranking, name: str, size: int = 100) -> dict:
    queries = [json.loads(line) for line in open(SHARED / "data" / "eval" / name / "queries.jsonl", encoding="utf-8")]
    run = {}
    for q in queries:
        plan = parse_query(q["query"], analyzer)
        found = reader.search(describe(plan, limit=size, ranking=ranking))
        if ranking.feedback_weight:
            plan = expand(
                plan,
                [h.fields.get("body") or h.fields.get("title") or "" for h in found.hits[:FEEDBACK_DOCUMENTS]],
                analyzer,
                lambda stem: reader.doc_frequency("body", stem),
                reader.doc_count(),
                ranking.feedback_weight,
            )
            found = reader.search(describe(plan, limit=size, ranking=ranking))
        run[q["qid"]] = {h.id: h.score for h in found.hits}
    return evaluate(run, read_qrels(SHARED / "data" / "eval" / name / "qrels.txt")).mean


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--backend", default="tantivy")
    p.add_argument("--stemmer", default="fahras")
    p.add_argument("--fold-hamza", action="store_true")
    p.add_argument("--no-normalize", action="store_true")
    p.add_argument("--no-stopwords", action="store_true")
    p.add_argument("--keep-question-words", action="store_true")
    p.add_argument("--title-boost", type=float, default=RANKING.title_boost)
    p.add_argument("--body-boost", type=float, default=RANKING.body_boost)
    p.add_argument("--exact-boost", type=float, default=RANKING.exact_boost)
    p.add_argument("--lead-boost", type=float, default=RANKING.lead_boost)
    p.add_argument("--feedback", type=float, default=RANKING.feedback_weight)
    p.add_argument("--pair-boost", type=float, default=RANKING.pair_boost)
    p.add_argument("--pair-slop", type=int, default=RANKING.pair_slop)
    p.add_argument("--phrase-boost", type=float, default=RANKING.phrase_boost)
    p.add_argument("--k1", type=float, default=RANKING.k1)
    p.add_argument("--b", type=float, default=RANKING.b)
    p.add_argument("--lead-terms", type=int, default=analysis.LEAD_TERMS, help="index-time lead length")
    p.add_argument("--question-weight", type=float, default=RANKING.question_weight,
                   help="lead and pair boosts of questions, as a share of the others'")
    p.add_argument("--label", default="")
    args = p.parse_args(argv)
    analysis.LEAD_TERMS = args.lead_terms

    config = AnalysisConfig(
        stemmer=args.stemmer,
        fold_hamza_carriers=args.fold_hamza,
        stopwords=not args.no_stopwords,
        drop_question_words=not args.keep_question_words,
        normalize=not args.no_normalize,
    )
    ranking = replace(
        RANKING, title_boost=args.title_boost, body_boost=args.body_boost, exact_boost=args.exact_boost, k1=args.k1, b=args.b,
        pair_boost=args.pair_boost, feedback_weight=args.feedback, lead_boost=args.lead_boost, phrase_boost=args.phrase_boost,
        pair_slop=args.pair_slop, question_weight=args.question_weight,
    )
    started = time.perf_counter()
    index = build_index(replace(config, drop_question_words=True), args.backend)
    if args.backend in CLUSTER_BACKENDS:
        set_bm25(index, args.k1, args.b)
    reader = open_reader(args.backend, index)
    analyzer = Analyzer(config)
    cells = []
    for name in SETS:
        m = run_set(reader, analyzer, ranking, name)
        cells += [f"{m['MRR@10']:.3f}", f"{m['nDCG@10']:.3f}", f"{m['Recall@100']:.3f}"]
    label = args.label or " ".join(a for a in (argv if argv is not None else sys.argv[1:]))
    print(f"| {label or 'default'} | " + " | ".join(cells) + f" |  <!-- {time.perf_counter() - started:.0f} s -->")


if __name__ == "__main__":
    main()
