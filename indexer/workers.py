"""Reindex's analysis on every core: worker processes parse and analyse raw records while the
parent writes them.

Raw lines cost next to nothing to send to a process, where documents would be
pickled there and back. Each worker also tallies the completions' counts of
what it analysed (search/suggest/tally.py) and hands its tally over once, at
the end, rather than with every batch.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from collections import Counter
from dataclasses import astuple
from typing import Iterable, Iterator

from search.analysis import AnalysisConfig, analyze_document, get_analyzer
from search.grouping import GroupingConfig, fingerprint, keys
from search.suggest.tally import Tally

from .sources import parse_line

PR_SET_PDEATHSIG = 1  # prctl(2)
# How long a worker waits for the others at the hand-over: they only finish their last batch.
HAND_OVER_WAIT = 600.0

_config: AnalysisConfig | None = None
_grouping: GroupingConfig | None = None
_tally: Tally | None = None
_barrier = None  # multiprocessing's Barrier of the pool's workers


def init(config: AnalysisConfig, grouping: GroupingConfig | None, parent: int | None = None, barrier=None) -> None:
    """Set up analysis in this process: a worker of `parent`, or the parent itself when None."""
    global _config, _grouping, _tally, _barrier
    _config, _grouping, _tally, _barrier = config, grouping, Tally(get_analyzer(config)), barrier
    if parent is None:
        return
    # Ctrl-C reaches the whole process group: the parent reports it, and the
    # workers, which it stops, should not each print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # After kill -9 of the parent a worker would die on a broken pipe with two
    # tracebacks; the kernel kills it with its parent instead (Linux).
    try:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(0)


def analyse_batch(batch: list[bytes]) -> list[tuple]:
    """Parse and analyse raw records: per document, its fields, analysed forms, fingerprint and its keys
    as one flat tuple. Grouping, which depends on the documents before, is left to the writing process."""
    analyzer = get_analyzer(_config)
    out, documents = [], []
    for raw in batch:
        doc = parse_line(raw)[0]
        if doc is None:  # the file changed since pass 1
            continue
        a = analyze_document(doc, analyzer)
        fp = fingerprint(a, _grouping) if _grouping is not None else None
        out.append((astuple(doc), (a.title_stems, a.body_stems, a.lead_stems, a.exact, a.byline), fp,
                    keys(fp, _grouping) if fp is not None else ()))
        documents.append((doc.title, doc.body))
    _tally.add(documents)
    return out


def _hand_over(_: int) -> tuple[Counter, Counter]:
    # Every worker blocks here until all have come: so each takes exactly one hand-over task.
    _barrier.wait(HAND_OVER_WAIT)
    return _tally.result()


class Analysis:
    """Batches in, analysed rows out, in order; then `tally()`, the completions' counts of them all."""

    def __init__(self, config: AnalysisConfig, grouping: GroupingConfig | None, workers: int) -> None:
        self._workers, self._config = workers, config
        self._pool = None
        if workers > 1:
            # Workers analyse while this process writes: every core busy.
            ctx = multiprocessing.get_context("fork")
            self._pool = ctx.Pool(workers, initializer=init, initargs=(config, grouping, os.getpid(), ctx.Barrier(workers)))
        else:
            init(config, grouping)

    def map(self, batches: Iterable[list[bytes]]) -> Iterator[list[tuple]]:
        if self._pool is None:
            return map(analyse_batch, batches)
        return self._pool.imap(analyse_batch, batches, chunksize=1)

    def tally(self) -> Tally:
        if self._pool is None:
            return _tally
        handed = self._pool.map(_hand_over, range(self._workers), chunksize=1)
        total = Tally(get_analyzer(self._config))
        for result in handed:
            total.merge(result)
        return total

    def __enter__(self) -> "Analysis":
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()

