"""search.evaluation and `fahras eval` on a small run whose figures were worked out by hand."""
import json
import math

import pytest
from click.testing import CliRunner

from cli import main
from search.evaluation import evaluate, mrr_at, ndcg_at, ranking, read_qrels, read_run, recall_at

# q1: one relevant doc (d1); d2 judged non-relevant (rel 0).
# q2: graded judgements (d5 = 2, d6 = 1), both count as relevant with gain 1.
# q3: judged, but the run has nothing for it.
# q4: the relevant doc is at rank 11.
# q5: three tied scores; the relevant doc "a" is listed first in the run.
QRELS = """\
q1 0 d1 1
q1 0 d2 0
q2 0 d5 2
q2 0 d6 1
q3 0 d9 1
q4 0 d11 1
q5 0 a 1
"""

RUN = [
    # ranked d3, d1, d2: first relevant at rank 2
    {"qid": "q1", "hits": [{"id": "d3", "score": 3.0}, {"id": "d1", "score": 2.0}, {"id": "d2", "score": 1.0}]},
    # ranked d5, d7, d6: relevant at ranks 1 and 3
    {"qid": "q2", "hits": [{"id": "d5", "score": 9.0}, {"id": "d7", "score": 8.0}, {"id": "d6", "score": 7.0}]},
    # ten non-relevant docs x01..x10 (scores 20..11), then d11 at rank 11
    {"qid": "q4", "hits": [{"id": f"x{i:02d}", "score": 21.0 - i} for i in range(1, 11)] + [{"id": "d11", "score": 0.5}]},
    # ties: trec_eval orders equal scores by docid descending, so c, b, a: "a" is at rank 3
    {"qid": "q5", "hits": [{"id": "a", "score": 1.0}, {"id": "b", "score": 1.0}, {"id": "c", "score": 1.0}]},
    # not in the qrels: ignored
    {"qid": "q6", "hits": [{"id": "zz", "score": 1.0}]},
]

# Worked by hand (binary gains, discount 1/log2(rank + 1)):
#   q1  MRR 1/2            nDCG (1/log2 3) / 1            = 0.630930   R@100 1
#   q2  MRR 1              nDCG (1 + 1/log2 4) / (1 + 1/log2 3)
#                               = 1.5 / 1.630930          = 0.919721   R@100 1
#   q3  MRR 0              nDCG 0                                      R@100 0
#   q4  MRR 0 (rank 11)    nDCG 0                                      R@100 1
#   q5  MRR 1/3            nDCG (1/log2 4) / 1            = 0.5        R@100 1
#   mean over the 5 judged queries:
#   MRR@10  (0.5 + 1 + 0 + 0 + 1/3) / 5                   = 0.366667
#   nDCG@10 (0.630930 + 0.919721 + 0 + 0 + 0.5) / 5       = 0.410130
#   R@100   (1 + 1 + 0 + 1 + 1) / 5                       = 0.8
EXPECTED_MEAN = {"MRR@10": 0.366667, "nDCG@10": 0.410130, "Recall@100": 0.8}
EXPECTED = {
    "q1": (0.5, 0.630930, 1.0),
    "q2": (1.0, 0.919721, 1.0),
    "q3": (0.0, 0.0, 0.0),
    "q4": (0.0, 0.0, 1.0),
    "q5": (1 / 3, 0.5, 1.0),
}


@pytest.fixture
def files(tmp_path):
    qrels = tmp_path / "qrels.txt"
    qrels.write_text(QRELS, encoding="utf-8")
    run = tmp_path / "run.jsonl"
    run.write_text("".join(json.dumps(r) + "\n" for r in RUN), encoding="utf-8")
    # The same run in TREC format, lines shuffled and rank column wrong: both are ignored.
    trec = tmp_path / "run.trec"
    lines = [f"{r['qid']} Q0 {h['id']} 1 {h['score']} test" for r in RUN for h in r["hits"]]
    trec.write_text("\n".join(reversed(lines)) + "\n", encoding="utf-8")
    return qrels, run, trec


def _check(result):
    assert result.queries == 5
    for metric, value in EXPECTED_MEAN.items():
        assert result.mean[metric] == pytest.approx(value, abs=1e-6)
    for qid, (mrr, ndcg, recall) in EXPECTED.items():
        got = result.per_query[qid]
        assert (got["MRR@10"], got["nDCG@10"], got["Recall@100"]) == pytest.approx((mrr, ndcg, recall), abs=1e-6)
    assert result.no_hits == ["q3"]
    assert result.unjudged == ["q6"]


def test_evaluate_json_run(files):
    qrels, run, _ = files
    _check(evaluate(read_run(run), read_qrels(qrels)))


def test_trec_run_detected_and_scored_the_same(files):
    qrels, run, trec = files
    assert read_run(trec) == read_run(run)
    _check(evaluate(read_run(trec), read_qrels(qrels)))


def test_qrels_grades_and_run_scores(files):
    qrels, run, _ = files
    assert read_qrels(qrels)["q2"] == {"d5": 2, "d6": 1}
    assert read_run(run)["q1"] == {"d3": 3.0, "d1": 2.0, "d2": 1.0}


def test_ties_score_then_docid_descending():
    assert ranking({"a": 1.0, "c": 1.0, "b": 2.0, "d": 0.5}) == ["b", "c", "a", "d"]


def test_metric_functions():
    # Two relevant docs, one found at rank 2: recall 1/2; nDCG (1/log2 3) / (1 + 1/log2 3).
    judged = {"r1": 1, "r2": 3, "n": 0}
    ranked = ["n", "r1", "x"]
    assert mrr_at(ranked, judged, 10) == 0.5
    assert mrr_at(ranked, judged, 1) == 0.0
    assert recall_at(ranked, judged, 100) == 0.5
    assert ndcg_at(ranked, judged, 10) == pytest.approx((1 / math.log2(3)) / (1 + 1 / math.log2(3)))
    # The ideal ranking is cut at k too: 3 relevant docs, k = 1, relevant at rank 1 -> 1.0.
    assert ndcg_at(["r1"], {"r1": 1, "r2": 1, "r3": 1}, 1) == 1.0
    # Nothing relevant judged: every metric is 0, not an error.
    assert (mrr_at(ranked, {"n": 0}), ndcg_at(ranked, {"n": 0}), recall_at(ranked, {"n": 0})) == (0, 0, 0)


def test_duplicate_document_is_an_error(tmp_path):
    run = tmp_path / "dup.trec"
    run.write_text("q1 Q0 d1 1 2.0 t\nq1 Q0 d1 2 1.0 t\n", encoding="utf-8")
    with pytest.raises(ValueError, match="twice"):
        read_run(run)


def test_cli_summary(files):
    qrels, run, _ = files
    result = CliRunner().invoke(main, ["eval", "--run", str(run), "--qrels", str(qrels)])
    assert result.exit_code == 0, result.output
    assert "MRR@10      0.3667" in result.output
    assert "nDCG@10     0.4101" in result.output
    assert "Recall@100  0.8000" in result.output
    assert "queries     5 (1 without hits)" in result.output


def test_cli_json_per_query(files):
    qrels, _, trec = files
    result = CliRunner().invoke(main, ["eval", "--run", str(trec), "--qrels", str(qrels), "--json", "--per-query"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["queries"] == 5 and data["no_hits"] == 1 and data["unjudged"] == 1
    assert data["MRR@10"] == pytest.approx(EXPECTED_MEAN["MRR@10"], abs=1e-6)
    assert data["per_query"]["q4"] == {"MRR@10": 0.0, "nDCG@10": 0.0, "Recall@100": 1.0}


def test_cli_per_query_table(files):
    qrels, run, _ = files
    result = CliRunner().invoke(main, ["eval", "--run", str(run), "--qrels", str(qrels), "--per-query"])
    assert result.exit_code == 0, result.output
    assert "q4\t0.0000\t0.0000\t1.0000" in result.output
    assert "q3\t0.0000\t0.0000\t0.0000" in result.output


def test_cli_bad_run_exits_2(tmp_path, files):
    qrels, _, _ = files
    bad = tmp_path / "bad.txt"
    bad.write_text("not a run\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "--run", str(bad), "--qrels", str(qrels)])
    assert result.exit_code == 2
    assert "fahras eval:" in result.output
