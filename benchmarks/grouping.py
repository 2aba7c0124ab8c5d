"""Copies grouping measured: precision and recall on a labelled set, and the groups of each news corpus.

    python -m benchmarks.grouping [--per-corpus 300] [--negatives 3000] [--thresholds 0.3,0.4,...]
    python -m benchmarks.grouping --corpora     # groups found in each news corpus, and the time taken
    python -m benchmarks.grouping --indexing saudinewsnet [--rounds 2]   # reindex speed, grouping on and off

The labelled set is built from ../shared/data/news (never copied anywhere):
positives are an article and a copy of it, as the corpus holds them (bodies
shared by two ids) or made as outlets make them: the same text, a dateline
added, a paragraph dropped, a paragraph edited, hamza written as bare alef,
diacritics added, tatweel added. Negatives are two different articles of the
same day, category and outlet, the hardest stories to tell apart. Each
threshold groups every labelled document with search.grouping.Grouper, in
order, as reindex does; a pair is found when both end in one group.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from search.analysis import analyze_document, get_analyzer
from search.documents import Document
from search.grouping import DEFAULT_GROUPING, Grouper, fingerprint

NEWS = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "news"
CORPORA = ("antcorpus-v1.1", "antcorpus-v2.1-multisource", "saudinewsnet")
DATELINES = ("القاهرة - (رويترز) - ", "باريس (أ ف ب) - ", "دبي - سكاي نيوز عربية\n", "لندن - بي بي سي: ")
MARKS = "\u064e\u064f\u0650\u0652\u0651"
KINDS = ("exact copy", "dateline added", "paragraph dropped", "paragraph edited", "hamza as alef", "diacritics", "tatweel")


def read(name: str) -> list[Document]:
    out = []
    with gzip.open(NEWS / f"{name}.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            out.append(Document(str(o["id"]), o.get("title") or "", o.get("body") or "", o.get("date"), o.get("source"), o.get("category")))
    return out


def paragraphs(body: str) -> list[str]:
    return [p for p in body.split("\n") if p.strip()]


def variant(doc: Document, kind: str, rng: random.Random, filler: list[str]) -> Document:
    paras = paragraphs(doc.body)
    body = doc.body
    if kind == "dateline added":
        body = rng.choice(DATELINES) + body
    elif kind == "paragraph dropped":
        del paras[rng.randrange(1, len(paras))]
        body = "\n".join(paras)
    elif kind == "paragraph edited":
        # A quarter of one paragraph's words replaced, its last sentence cut.
        i = rng.randrange(len(paras))
        words = paras[i].split()
        words = [rng.choice(filler) if rng.random() < 0.25 else w for w in words]
        paras[i] = re.sub(r"[^.!؟]*[.!؟]?\s*$", "", " ".join(words)) or " ".join(words)
        body = "\n".join(paras)
    elif kind == "hamza as alef":
        body = re.sub("[أإآ]", "ا", body)
    elif kind == "diacritics":
        body = "".join(c + rng.choice(MARKS) if "\u0621" <= c <= "\u064a" and rng.random() < 0.3 else c for c in body)
    elif kind == "tatweel":
        body = " ".join(w[:2] + "ـ" + w[2:] if len(w) > 3 and rng.random() < 0.2 else w for w in body.split(" "))
    return replace(doc, id=f"{doc.id}~{kind}", body=body)


def labelled_set(per_corpus: int, n_negatives: int, seed: int):
    """(documents in arrival order, positive pairs by kind, negative pairs)."""
    rng = random.Random(seed)
    docs: dict[str, Document] = {}
    positives: dict[str, list[tuple[str, str]]] = defaultdict(list)
    negatives: list[tuple[str, str]] = []
    for name in CORPORA:
        corpus = read(name)
        by_body = defaultdict(list)
        for d in corpus:
            if d.body.strip():
                by_body[d.body].append(d)
        # Real copies: one body under two ids.
        shared = [ids for ids in by_body.values() if len(ids) > 1]
        for pair in rng.sample(shared, min(per_corpus, len(shared))):
            a, b = pair[:2]
            docs[a.id], docs[b.id] = a, b
            positives["corpus copies (one body, two ids)"].append((a.id, b.id))
        filler = [w for d in rng.sample(corpus, 200) for w in d.body.split()]
        long = [d for d in corpus if len(paragraphs(d.body)) >= 3 and len(d.body.split()) >= 80]
        for d in rng.sample(long, min(per_corpus, len(long))):
            docs[d.id] = d
            for kind in KINDS:
                v = variant(d, kind, rng, filler)
                docs[v.id] = v
                positives[kind].append((d.id, v.id))
        # Negatives: same day, category and outlet, different bodies.
        cells = defaultdict(list)
        for d in corpus:
            if len(d.body.split()) >= 20:
                cells[(d.date or "")[:10], d.category, d.source].append(d)
        cells = [c for c in cells.values() if len(c) > 1]
        found = 0
        while found < n_negatives // len(CORPORA):
            a, b = rng.sample(rng.choice(cells), 2)
            if a.body == b.body or a.title == b.title:
                continue
            docs[a.id], docs[b.id] = a, b
            negatives.append((a.id, b.id))
            found += 1
    return list(docs.values()), positives, negatives


def measure(args) -> None:
    started = time.perf_counter()
    docs, positives, negatives = labelled_set(args.per_corpus, args.negatives, args.seed)
    analyzer = get_analyzer()
    fingerprints = [(d.id, fingerprint(analyze_document(d, analyzer))) for d in docs]
    print(f"labelled set: {len(docs)} documents, built and fingerprinted in {time.perf_counter() - started:.0f} s")
    for kind, pairs in positives.items():
        print(f"  positives  {kind:<36} {len(pairs):>5}")
    print(f"  negatives  {'same day, category and outlet':<36} {len(negatives):>5}")
    print()
    print("| threshold | precision | recall | false positives | " + " | ".join(positives) + " |")
    print("|---" * (4 + len(positives)) + "|")
    n_pos = sum(map(len, positives.values()))
    for threshold in args.thresholds:
        grouper = Grouper(replace(DEFAULT_GROUPING, threshold=threshold))
        group = {doc_id: grouper.assign(doc_id, fp) for doc_id, fp in fingerprints}
        found = {kind: sum(group[a] == group[b] for a, b in pairs) for kind, pairs in positives.items()}
        tp = sum(found.values())
        fp = sum(group[a] == group[b] for a, b in negatives)
        precision = tp / (tp + fp) if tp + fp else 1.0
        per_kind = " | ".join(f"{found[k] / len(positives[k]):.3f}" for k in positives)
        print(f"| {threshold:.2f} | {precision:.4f} | {tp / n_pos:.4f} | {fp}/{len(negatives)} | {per_kind} |")


def corpora() -> None:
    analyzer = get_analyzer()
    for name in CORPORA:
        corpus = read(name)
        t0 = time.perf_counter()
        analyzed = [analyze_document(d, analyzer) for d in corpus]
        t1 = time.perf_counter()
        prints = [fingerprint(a) for a in analyzed]
        t2 = time.perf_counter()
        grouper = Grouper()
        for d, fp in zip(corpus, prints):
            grouper.assign(d.id, fp)
        t3 = time.perf_counter()
        groups = grouper.groups()
        print(f"{name}: {len(corpus)} articles, {len(groups)} groups of copies holding {sum(groups.values())} articles "
              f"(largest {max(groups.values(), default=0)}); stories {len(corpus) - sum(groups.values()) + len(groups)}; "
              f"analysis {t1 - t0:.1f} s, fingerprints {t2 - t1:.1f} s, grouping {t3 - t2:.1f} s")


def indexing(name: str, rounds: int) -> None:
    """`reindex` of one corpus with grouping and without, alternately: documents per second, medians and their ratio."""
    import statistics
    import tempfile

    from indexer.reindex import reindex

    speeds: dict[str, list[float]] = {"on": [], "off": []}
    with tempfile.TemporaryDirectory(prefix="fahras-grouping-") as tmp:
        for r in range(rounds):
            for mode in ("on", "off"):
                kwargs = {} if mode == "on" else {"grouping": None}
                summary = reindex([NEWS / f"{name}.jsonl.gz"], index_dir=Path(tmp) / f"{mode}{r}", **kwargs)
                speeds[mode].append(summary.indexed / summary.seconds)
                print(f"round {r + 1}, grouping {mode}: {summary.indexed} documents in {summary.seconds:.1f} s "
                      f"({speeds[mode][-1]:.0f}/s)")
    on, off = statistics.median(speeds["on"]), statistics.median(speeds["off"])
    print(f"{name}: median {on:.0f} documents/s with grouping, {off:.0f} without; with/without {on / off:.2f}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--per-corpus", type=int, default=300, help="originals (and real copy pairs) drawn from each corpus")
    p.add_argument("--negatives", type=int, default=3000)
    p.add_argument("--seed", type=int, default=14)
    p.add_argument("--thresholds", type=lambda s: [float(x) for x in s.split(",")],
                   default=[0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
    p.add_argument("--corpora", action="store_true", help="the groups of each news corpus instead")
    p.add_argument("--indexing", choices=CORPORA, help="reindex speed of this corpus, grouping on and off, instead")
    p.add_argument("--rounds", type=int, default=2)
    args = p.parse_args()
    if not NEWS.is_dir():
        raise SystemExit(f"no news corpora at {NEWS}")
    if args.indexing:
        indexing(args.indexing, args.rounds)
    else:
        corpora() if args.corpora else measure(args)


if __name__ == "__main__":
    main()
