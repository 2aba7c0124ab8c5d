"""Ranking quality against judged queries: MRR@10, nDCG@10 and Recall@100, as trec_eval computes them.

Inputs:
  qrels  TREC qrels, one judgement a line: "qid iter docid rel".
  run    either our batch output (`fahras search --batch`, JSON Lines of
         {"qid", "hits": [{"id", "score"}]}) or a TREC run ("qid Q0 docid rank
         score tag"); the format is detected from the first non-blank line.

Conventions, chosen to match `trec_eval -c -M 100` (version 9):
  * Order: a query's documents are ranked by score descending, ties broken by
    docid descending (byte-wise, as C `strcmp(b, a)` in trec_eval's
    `comp_sim_docno`). The rank column and the order of the lines are ignored,
    exactly as trec_eval ignores them; a run whose ties were broken some other
    way is re-ranked.
  * Every query in the qrels counts, also those the run has no line or no hits
    for (trec_eval -c); they score 0. Queries in the run without qrels are ignored.
  * A document is relevant when its judgement is > 0. nDCG uses binary gains
    (relevant = 1), so graded judgements count like 1: this equals trec_eval's
    ndcg_cut.10 on qrels with 0/1 judgements. Discount 1/log2(rank + 1).
  * MRR@10 is trec_eval's recip_rank over the first 10 documents (-M 10):
    1/rank of the first relevant document, 0 when none is in the top 10.
  * Recall@100: relevant documents in the top 100 / relevant documents judged
    (0 for a query with no relevant document judged).
  * A document listed twice for one query is an error, as in trec_eval.
  * Grouped results (our batch output lists each hit's other `copies`): a
    judged document hidden in a story is found at its story's rank. A story
    counts once, relevant when any of its articles is judged relevant; its
    copies leave the ranking (they are not shown), so they take no rank. The
    batch output also lists those copies after their story, marked `copy_of`,
    for readers of the ids alone; they are read as copies here.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

Qrels = dict[str, dict[str, int]]  # qid -> {docid: judgement}
Run = dict[str, dict[str, float]]  # qid -> {docid: score}
Copies = dict[str, dict[str, list[str]]]  # qid -> {shown docid: the ids of its story's other copies}

METRICS = ("MRR@10", "nDCG@10", "Recall@100")


# --- reading -----------------------------------------------------------------


def read_qrels(path: str | Path) -> Qrels:
    """TREC qrels ("qid iter docid rel") as {qid: {docid: rel}}."""
    qrels: Qrels = {}
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, start=1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != 4:
                raise ValueError(f"{path}:{lineno}: expected 'qid iter docid rel', got {line.strip()!r}")
            qid, _, docid, rel = fields
            try:
                qrels.setdefault(qid, {})[docid] = int(rel)
            except ValueError:
                raise ValueError(f"{path}:{lineno}: relevance {rel!r} is not an integer") from None
    return qrels


def read_run(path: str | Path) -> Run:
    """A run as {qid: {docid: score}}, from our batch JSON Lines or a TREC run file."""
    with open(path, encoding="utf-8") as f:
        lines = [(n, line) for n, line in enumerate(f, start=1) if line.strip()]
    if lines and lines[0][1].lstrip().startswith("{"):
        return _read_json_run(path, lines)
    return _read_trec_run(path, lines)


def read_copies(path: str | Path) -> Copies:
    """The copies each hit of a batch run stands for ({} for a TREC run or ungrouped results)."""
    copies: Copies = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.lstrip().startswith("{"):
                continue
            try:
                item = json.loads(line)
                found = {str(h["id"]): [str(c) for c in h["copies"]] for h in item["hits"] if h.get("copies")}
            except (ValueError, KeyError, TypeError):
                continue  # read_run names the malformed line
            if found:
                copies[str(item["qid"])] = found
    return copies


def _at_story_rank(judgements: Mapping[str, int], copies: Mapping[str, list[str]]) -> dict[str, int]:
    """Judgements with each story's best judgement on its shown copy, and none on the hidden ones."""
    out = dict(judgements)
    for shown, hidden in copies.items():
        best = max([out.get(shown, 0)] + [out.pop(c, 0) for c in hidden])
        if best or shown in out:
            out[shown] = best
    return out


def _add(run: Run, qid: str, docid: str, score: float, where: str) -> None:
    docs = run.setdefault(qid, {})
    if docid in docs:
        raise ValueError(f"{where}: document {docid!r} appears twice for query {qid!r}")
    docs[docid] = score


def _read_json_run(path, lines) -> Run:
    run: Run = {}
    for lineno, line in lines:
        where = f"{path}:{lineno}"
        try:
            item = json.loads(line)
            qid, hits = str(item["qid"]), item["hits"]
            pairs = [(str(h["id"]), float(h["score"])) for h in hits if not h.get("copy_of")]
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f'{where}: not a {{"qid", "hits": [{{"id", "score"}}]}} line ({exc})') from None
        if qid in run:
            raise ValueError(f"{where}: query {qid!r} appears on two lines")
        run[qid] = {}
        for docid, score in pairs:
            _add(run, qid, docid, score, where)
    return run


def _read_trec_run(path, lines) -> Run:
    run: Run = {}
    for lineno, line in lines:
        where = f"{path}:{lineno}"
        fields = line.split()
        if len(fields) != 6:
            raise ValueError(f"{where}: expected 'qid Q0 docid rank score tag' or JSON, got {line.strip()!r}")
        qid, _, docid, _, score, _ = fields
        try:
            value = float(score)
        except ValueError:
            raise ValueError(f"{where}: score {score!r} is not a number") from None
        _add(run, qid, docid, value, where)
    return run


# --- metrics -------------------------------------------------------------------


def ranking(scores: Mapping[str, float]) -> list[str]:
    """Docids in trec_eval order: score descending, then docid descending."""
    return [docid for docid, _ in sorted(scores.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)]


def _relevant(judgements: Mapping[str, int]) -> set[str]:
    return {docid for docid, rel in judgements.items() if rel > 0}


def mrr_at(ranked: Sequence[str], judgements: Mapping[str, int], k: int = 10) -> float:
    """Reciprocal rank of the first relevant document in the top k, else 0."""
    relevant = _relevant(judgements)
    for rank, docid in enumerate(ranked[:k], start=1):
        if docid in relevant:
            return 1.0 / rank
    return 0.0


def ndcg_at(ranked: Sequence[str], judgements: Mapping[str, int], k: int = 10) -> float:
    """nDCG over the top k with binary gains; 0 when nothing is relevant."""
    relevant = _relevant(judgements)
    dcg = sum(1.0 / math.log2(rank + 1) for rank, docid in enumerate(ranked[:k], start=1) if docid in relevant)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(k, len(relevant)) + 1))
    return dcg / ideal if ideal else 0.0


def recall_at(ranked: Sequence[str], judgements: Mapping[str, int], k: int = 100) -> float:
    """Share of the relevant documents found in the top k; 0 when nothing is relevant."""
    relevant = _relevant(judgements)
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


# --- evaluation ----------------------------------------------------------------


@dataclass
class Evaluation:
    per_query: dict[str, dict[str, float]]  # qid -> {metric: value}, every qid of the qrels
    mean: dict[str, float]  # metric -> mean over per_query
    no_hits: list[str] = field(default_factory=list)  # judged queries the run returned nothing for
    unjudged: list[str] = field(default_factory=list)  # run queries absent from the qrels (ignored)

    @property
    def queries(self) -> int:
        return len(self.per_query)

    def to_dict(self, per_query: bool = False) -> dict:
        out = {"queries": self.queries, **self.mean, "no_hits": len(self.no_hits), "unjudged": len(self.unjudged)}
        if per_query:
            out["per_query"] = self.per_query
        return out


def evaluate(run: Run, qrels: Qrels, copies: Copies | None = None) -> Evaluation:
    """Score every query of `qrels` against `run` (see the module notes for the conventions)."""
    copies = copies or {}
    per_query: dict[str, dict[str, float]] = {}
    no_hits = []
    for qid in sorted(qrels):
        scores = run.get(qid, {})
        if not scores:
            no_hits.append(qid)
        ranked = ranking(scores)
        judgements = _at_story_rank(qrels[qid], copies[qid]) if qid in copies else qrels[qid]
        per_query[qid] = {
            "MRR@10": mrr_at(ranked, judgements, 10),
            "nDCG@10": ndcg_at(ranked, judgements, 10),
            "Recall@100": recall_at(ranked, judgements, 100),
        }
    n = len(per_query)
    mean = {m: (sum(q[m] for q in per_query.values()) / n if n else 0.0) for m in METRICS}
    unjudged = sorted(set(run) - set(qrels))
    return Evaluation(per_query=per_query, mean=mean, no_hits=no_hits, unjudged=unjudged)
