"""CPU per article of the near-duplicate fingerprint and its keys (search/grouping), datasketch against the native core.

    python -m benchmarks.fingerprint [--corpus DIR] [--limit N] [--rounds R]

The first N articles of the corpus are parsed and analysed first (not timed);
then, in rounds that alternate the two paths (FAHRAS_NATIVE=0, then 1),
`fingerprint` and `keys` of every article are timed apart in process CPU
time. Prints the median per article of each path and step, the ratio, and
the load average: the machine is shared, so the ratio matters more than
the figures.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NEWS = REPO.parent / "shared" / "data" / "news"
PATHS = {"0": "datasketch", "1": "native"}


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _round(analysed: list) -> tuple[float, float]:
    """CPU seconds of all the fingerprints, then of all their keys."""
    from search.grouping import fingerprint, keys

    start = time.process_time()
    prints = [fingerprint(a) for a in analysed]
    middle = time.process_time()
    for fp in prints:
        keys(fp)
    return middle - start, time.process_time() - middle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=NEWS)
    parser.add_argument("--limit", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"corpus not found: {args.corpus}")
    from indexer.sources import read_records, source_files
    from search.analysis import analyze_document, get_analyzer
    from search.arabic import native

    if native._native is None:
        sys.exit("the native core is not built: nothing to compare")
    docs = []
    for path in source_files([args.corpus]):
        docs += [r.document for r in read_records(path) if r.document is not None]
    analyzer = get_analyzer()
    step = max(1, len(docs) // args.limit)  # spread over every corpus of the folder
    analysed = [analyze_document(doc, analyzer) for doc in docs[::step][:args.limit]]
    times: dict[str, list[tuple[float, float]]] = {flag: [] for flag in PATHS}
    load = _load()
    for _ in range(args.rounds):
        for flag in PATHS:
            os.environ["FAHRAS_NATIVE"] = flag
            times[flag].append(_round(analysed))
    medians = {}
    for flag, path in PATHS.items():
        per = len(analysed) / 1e3  # seconds of all articles -> ms per article
        fp, ks = (statistics.median(t[i] for t in times[flag]) / per for i in (0, 1))
        medians[flag] = statistics.median(sum(t) for t in times[flag]) / per
        print(f"{path}: fingerprint {fp:.4f} ms, keys {ks:.4f} ms, together {medians[flag]:.4f} ms per article"
              f" (median of {args.rounds} rounds over {len(analysed)} articles)")
    print(f"native: x{medians['0'] / medians['1']:.1f} faster than datasketch (load {load} before, {_load()} after)")


if __name__ == "__main__":
    main()
