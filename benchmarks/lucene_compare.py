"""Fahras beside Lucene (its ArabicAnalyzer, BM25, 2 threads) in one run: indexing docs/s and top-10 queries/s.

    python -m benchmarks.lucene_compare [--sizes dev,news,290k,1m] [--out var/bench-lucene]

Both sides run through their own command lines, process start included:
`fahras reindex --workers 2` and `fahras search --batch --size 10` against
benchmarks/lucene/LuceneBench.java (Lucene 9.12.3 jars from Maven Central,
the newest line on this machine's Java 17). Corpora, generated from
../shared/data and never committed:
  dev   the development corpus (31,559 documents), both judged query sets
        (3,085 queries); nDCG@10 of both runs is reported too;
  news  the three news corpora (72,716 articles), the same queries;
  290k  the news corpora four times, each copy missing one paragraph;
  1m    the same, fourteen times, cut at 1,000,000.
The machine is shared: each row records the load average around it; compare ratios.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .run import TreeRss

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
LUCENE_VERSION = "9.12.3"
JARS = ("lucene-core", "lucene-analysis-common", "lucene-queryparser")
SETS = ("arabic-qa-dev", "news-known-item-dev")
COPIES = {"290k": (4, 290_000), "1m": (14, 1_000_000)}


def _run(cmd: list[str], **kw) -> tuple[float, str, float]:
    """(wall seconds, stdout, peak RSS of the process tree in MB)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    rss = TreeRss(proc.pid)
    rss.start()
    stdout, stderr = proc.communicate()
    peak_mb = rss.stop() / 1024
    if proc.returncode != 0:
        sys.exit(f"lucene_compare: {' '.join(cmd[:3])} exited with {proc.returncode}: {stderr[-2000:]}")
    return time.perf_counter() - started, stdout, peak_mb


def _commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    return done.stdout.strip() or "unknown"


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else 0.0


def lucene_classpath(out: Path) -> str:
    lib, classes = out / "lucene" / "lib", out / "lucene" / "classes"
    for jar in JARS:
        if not (lib / f"{jar}-{LUCENE_VERSION}.jar").exists():
            subprocess.run(["mvn", "-q", "dependency:copy", f"-Dartifact=org.apache.lucene:{jar}:{LUCENE_VERSION}",
                            f"-DoutputDirectory={lib}"], check=True, cwd=out)
    source = ROOT / "benchmarks" / "lucene" / "LuceneBench.java"
    classes.mkdir(parents=True, exist_ok=True)
    if not (classes / "LuceneBench.class").exists() or (classes / "LuceneBench.class").stat().st_mtime < source.stat().st_mtime:
        subprocess.run(["javac", "-cp", f"{lib}/*", "-d", str(classes), str(source)], check=True)
    return f"{lib}/*:{classes}"


def _news_records():
    for path in sorted((SHARED / "data" / "news").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                yield json.loads(line)


def _dev_records(out: Path):
    corpus = out / "dev-corpus.jsonl"
    if not corpus.exists():
        subprocess.run([sys.executable, str(SHARED / "eval" / "make_dev_corpus.py"), str(corpus)], check=True)
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def _copies(times: int, cap: int):
    """The news corpora `times` over, copy k without its k-th paragraph (a near copy, not a duplicate)."""
    n = 0
    for k in range(times):
        for r in _news_records():
            paragraphs = [p for p in (r.get("body") or "").split("\n") if p.strip()]
            if len(paragraphs) > 1:
                del paragraphs[k % len(paragraphs)]
            yield {**r, "id": f"{r['id']}~{k}", "body": "\n".join(paragraphs)}
            n += 1
            if n == cap:
                return


def write_corpus(size: str, out: Path) -> tuple[Path, Path, int]:
    """JSON Lines for Fahras and TSV for Lucene, the same documents in the same order."""
    jsonl, tsv = out / f"{size}.jsonl", out / f"{size}.tsv"
    if jsonl.exists() and tsv.exists():
        return jsonl, tsv, sum(1 for _ in open(tsv, encoding="utf-8"))
    records = _dev_records(out) if size == "dev" else _news_records() if size == "news" else _copies(*COPIES[size])
    n = 0
    with open(jsonl, "w", encoding="utf-8") as j, open(tsv, "w", encoding="utf-8") as t:
        for r in records:
            j.write(json.dumps(r, ensure_ascii=False) + "\n")
            flat = [" ".join(str(r.get(k) or "").split()) for k in ("title", "body")]
            t.write("\t".join([str(r["id"]).replace("\t", " "), *flat]) + "\n")
            n += 1
    return jsonl, tsv, n


def write_queries(out: Path) -> tuple[Path, Path]:
    jsonl, tsv = out / "queries.jsonl", out / "queries.tsv"
    with open(jsonl, "w", encoding="utf-8") as j, open(tsv, "w", encoding="utf-8") as t:
        for name in SETS:
            for line in open(SHARED / "data" / "eval" / name / "queries.jsonl", encoding="utf-8"):
                q = json.loads(line)
                j.write(json.dumps({"qid": q["qid"], "query": q["query"]}, ensure_ascii=False) + "\n")
                t.write(f"{q['qid']}\t{' '.join(q['query'].split())}\n")
    return jsonl, tsv


def ndcg(run: dict[str, dict[str, float]], copies: dict | None = None) -> dict[str, float]:
    """nDCG@10 per judged set; with `copies` (grouped results), a judged copy counts at its story's rank."""
    from search.evaluation import evaluate, read_qrels

    return {name: round(evaluate(run, read_qrels(SHARED / "data" / "eval" / name / "qrels.txt"), copies).mean["nDCG@10"], 4)
            for name in SETS}


def measure(size: str, out: Path, classpath: str, queries: tuple[Path, Path]) -> dict:
    fahras = Path(sys.executable).with_name("fahras")
    jsonl, tsv, n = write_corpus(size, out)
    row = {"size": size, "documents": n, "load_before": os.getloadavg()[0]}
    index = out / f"fahras-{size}"
    shutil.rmtree(index, ignore_errors=True)
    seconds, _, row["fahras_index_rss_mb"] = _run([str(fahras), "reindex", str(jsonl), "--index", str(index), "--workers", "2",
                                                   "--allow-shrink"])
    row["fahras_docs_s"] = n / seconds
    lucene_index = out / f"lucene-{size}"
    shutil.rmtree(lucene_index, ignore_errors=True)
    seconds, _, row["lucene_index_rss_mb"] = _run(["java", "-cp", classpath, "LuceneBench", "index", str(tsv), str(lucene_index), "2"])
    row["lucene_docs_s"] = n / seconds
    row["load_indexed"] = os.getloadavg()[0]
    nq = sum(1 for _ in open(queries[1], encoding="utf-8"))
    seconds, stdout, row["fahras_search_rss_mb"] = _run([str(fahras), "search", "--batch", str(queries[0]), "--size", "10",
                                                         "--index", str(index)])
    row["fahras_q_s"] = nq / seconds
    fahras_run, copies, took = {}, {}, []
    for line in stdout.splitlines():
        item = json.loads(line)
        fahras_run[item["qid"]] = {h["id"]: h["score"] for h in item["hits"] if not h.get("copy_of")}
        copies[item["qid"]] = {h["id"]: h["copies"] for h in item["hits"] if h.get("copies")}
        took.append(item.get("took_ms", 0.0))
    row["fahras_p50_ms"], row["fahras_p95_ms"] = _percentile(took, 0.5), _percentile(took, 0.95)
    # The same top 10 in articles, as Lucene answers (`--no-group`): no story grouped, no copy listed.
    seconds, stdout, _ = _run([str(fahras), "search", "--batch", str(queries[0]), "--size", "10", "--no-group", "--index", str(index)])
    row["fahras_articles_q_s"] = nq / seconds
    took = [json.loads(line).get("took_ms", 0.0) for line in stdout.splitlines()]
    row["fahras_articles_p50_ms"], row["fahras_articles_p95_ms"] = _percentile(took, 0.5), _percentile(took, 0.95)
    lucene_run_path = out / f"lucene-{size}.run.tsv"
    seconds, stdout, row["lucene_search_rss_mb"] = _run(["java", "-cp", classpath, "LuceneBench", "search", str(lucene_index),
                                                         str(queries[1]), "10", "2", str(lucene_run_path)])
    row["lucene_q_s"] = nq / seconds
    lucene_figures = json.loads(stdout.strip().splitlines()[-1])
    row["lucene_p50_ms"], row["lucene_p95_ms"] = lucene_figures.get("p50_ms", 0.0), lucene_figures.get("p95_ms", 0.0)
    if size == "dev":
        lucene_run: dict[str, dict[str, float]] = {}
        for line in open(lucene_run_path, encoding="utf-8"):
            qid, doc, score = line.rstrip("\n").split("\t")
            lucene_run.setdefault(qid, {})[doc] = float(score)
        # Fahras groups copies (a story once): a judged copy counts at its story's rank, as `fahras eval` does.
        row["fahras_ndcg10"], row["lucene_ndcg10"] = ndcg(fahras_run, copies), ndcg(lucene_run)
    row["load_after"] = os.getloadavg()[0]
    return row


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="dev,news,290k,1m")
    p.add_argument("--out", default=str(ROOT / "var" / "bench-lucene"))
    args = p.parse_args(argv)
    if not (SHARED / "data" / "news").is_dir():
        sys.exit(f"lucene_compare: the shared data is not here ({SHARED / 'data'}); nothing to measure")
    # Absolute: Maven runs in it and takes the jars' folder relative to itself.
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    classpath = lucene_classpath(out)
    queries = write_queries(out)
    print("| corpus | documents | fahras docs/s | Lucene docs/s | ratio | fahras q/s (top 10) | Lucene q/s | ratio | load |")
    print("|---|---|---|---|---|---|---|---|---|")
    rows = []
    machine = f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit {_commit()}"
    for size in args.sizes.split(","):
        row = measure(size, out, classpath, queries)
        rows.append(row)
        print(f"| {size} | {row['documents']:,} | {row['fahras_docs_s']:,.0f} | {row['lucene_docs_s']:,.0f} | "
              f"×{row['fahras_docs_s'] / row['lucene_docs_s']:.2f} | {row['fahras_q_s']:,.0f} | {row['lucene_q_s']:,.0f} | "
              f"×{row['fahras_q_s'] / row['lucene_q_s']:.2f} | {row['load_before']:.1f}–{row['load_after']:.1f} |", flush=True)
        if "fahras_ndcg10" in row:
            print(f"|  | nDCG@10 (top 10 runs) | fahras {row['fahras_ndcg10']} | Lucene {row['lucene_ndcg10']} |||||", flush=True)
        # Each row as it is measured: a long run keeps what it has.
        (out / "results.json").write_text(json.dumps({"machine": machine, "rows": rows}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
