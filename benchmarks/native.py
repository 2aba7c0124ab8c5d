"""The native analysis core against the Python chain, in one run on the same corpus.

    python -m benchmarks.native [--corpus DIR] [--limit N] [--no-reindex]

1. Analysis alone: documents/s of `analyze_document` (title and body), each
   path in a fresh process (FAHRAS_NATIVE=0, then 1) so that neither starts
   with the other's word caches; every document is read and parsed first.
2. `fahras reindex` through the command line, process start included, into a
   scratch index, with FAHRAS_NATIVE=0 and then =1.
Prints one line per measurement and the machine's load average before each.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NEWS = REPO.parent / "shared" / "data" / "news"


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _analysis(corpus: Path, limit: int | None) -> None:
    """In a child process: documents/s of the analysis of every document of `corpus`."""
    from indexer.sources import read_records, source_files
    from search.analysis import analyze_document, get_analyzer

    docs = []
    for path in source_files([corpus]):
        docs += [r.document for r in read_records(path) if r.document is not None]
    docs = docs[:limit]
    analyzer = get_analyzer()
    start = time.perf_counter()
    for doc in docs:
        analyze_document(doc, analyzer)
    seconds = time.perf_counter() - start
    print(json.dumps({"native": analyzer.native, "documents": len(docs), "seconds": seconds}))


def _child(flag: str, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, FAHRAS_NATIVE=flag)
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=NEWS)
    parser.add_argument("--limit", type=int, default=None, help="analyse only the first N documents")
    parser.add_argument("--no-reindex", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return _analysis(args.corpus, args.limit)
    if not args.corpus.exists():
        sys.exit(f"corpus not found: {args.corpus}")
    limit = ["--limit", str(args.limit)] if args.limit else []
    rates = {}
    for flag in ("0", "1"):
        load = _load()
        out = json.loads(_child(flag, "-m", "benchmarks.native", "--child", "--corpus", str(args.corpus), *limit).stdout)
        path = "native" if out["native"] else "Python"
        rates[flag] = out["documents"] / out["seconds"]
        print(f"analysis FAHRAS_NATIVE={flag} ({path}): {out['documents']} documents in {out['seconds']:.1f} s,"
              f" {rates[flag]:.0f} docs/s (load {load})", flush=True)
    print(f"analysis: native ×{rates['1'] / rates['0']:.2f} the Python chain")
    if args.no_reindex:
        return
    fahras = str(Path(sys.executable).with_name("fahras"))
    rates = {}
    with tempfile.TemporaryDirectory(prefix="fahras-native-bench-") as scratch:
        for flag in ("0", "1"):
            load = _load()
            index = Path(scratch) / f"index-{flag}"
            start = time.perf_counter()
            done = subprocess.run([fahras, "reindex", "--index", str(index), "--json", str(args.corpus)],
                                  env=dict(os.environ, FAHRAS_NATIVE=flag), capture_output=True, text=True, check=True)
            seconds = time.perf_counter() - start
            indexed = json.loads(done.stdout)["indexed"]
            rates[flag] = indexed / seconds
            print(f"fahras reindex FAHRAS_NATIVE={flag}: {indexed} documents in {seconds:.1f} s,"
                  f" {rates[flag]:.0f} docs/s (load {load})", flush=True)
    print(f"reindex: native ×{rates['1'] / rates['0']:.2f} the Python chain")


if __name__ == "__main__":
    main()
