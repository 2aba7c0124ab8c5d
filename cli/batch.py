"""`fahras search --batch`: a file of queries, searched by one process per core, answered in the order of its lines.

A query's own work (planning, grouping copies, reading stored documents) is
Python and holds the interpreter; threads of one process took turns at it
(3,085 queries on the news index: 8.3-8.8 s on two threads, 6.5 s in two
processes). Each process opens its own Searcher after the fork: the parent
opens no index.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import signal
from itertools import islice
from typing import Iterable, Iterator

from search.request import InvalidRequest, SearchRequest
from search.searcher import Searcher

# Lines handed out at a time, and to each process at once: a bounded window
# keeps memory flat on long files, a chunk keeps the hand-over cheap.
WINDOW = 1024
CHUNK = 8

_searcher: Searcher | None = None
_options: SearchRequest | None = None


def default_processes() -> int:
    return os.cpu_count() or 1


def answer(searcher: Searcher, options: SearchRequest, lineno: int, line: str) -> tuple[str | None, str | None]:
    """(the JSON line of a query's ids and scores, or None; the complaint about the line, or None)."""
    if not line.strip():
        return None, None
    try:
        item = json.loads(line)
        qid, query = item["qid"], item["query"]
    except (ValueError, KeyError, TypeError):
        return None, f"line {lineno} is not a {{\"qid\", \"query\"}} object; skipped"
    request = SearchRequest(str(query), options.page, options.size, options.sort, options.filters, options.group)
    try:
        # Ids and scores only: no snippets, facets or spelling, no count of every match, no stored text decoded.
        result = searcher.search(request, snippets=False, facets=False, suggest=False, totals=False, details=False)
    except InvalidRequest as exc:
        return None, f"line {lineno}: {exc}; skipped"
    return json.dumps({"qid": qid, "hits": ranked_hits(result.hits), "took_ms": result.took_ms}, ensure_ascii=False) + "\n", None


def ranked_hits(shown) -> list[dict]:
    """Each story's shown copy with its other `copies`, then those copies, marked `copy_of`.

    `fahras eval` finds a judged copy at its story's rank (search/evaluation.py);
    a reader of the ids alone (trec_eval on the run) still finds every article
    the page stands for, next to its story, rather than missing the copies. So
    that such a reader, which orders by score, keeps them where they are listed,
    the copies get scores stepping down from their story's towards the next one's.
    """
    hits, listed = [], {h.id for h in shown}
    for i, h in enumerate(shown):
        copies = [c["id"] for c in h.copies if c["id"] not in listed]
        hits.append({"id": h.id, "score": h.score, **({"copies": copies} if copies else {})})
        below = shown[i + 1].score if i + 1 < len(shown) else h.score - max(abs(h.score), 1.0) / 100
        step = (h.score - below) / (len(copies) + 1)
        hits.extend({"id": c, "score": h.score - step * k, "copy_of": h.id} for k, c in enumerate(copies, start=1))
        listed.update(copies)
    return hits


def _start(index_dir, options: SearchRequest) -> None:
    global _searcher, _options
    # Ctrl-C reaches the whole process group: the parent reports it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _searcher, _options = Searcher(index_dir, suggest="off"), options


def _answer(numbered: tuple[int, str]) -> tuple[str | None, str | None]:
    return answer(_searcher, _options, *numbered)


def answers(index_dir, lines: Iterable[str], options: SearchRequest, processes: int) -> Iterator[tuple[str | None, str | None]]:
    """(output line, complaint) per input line, in the order of the lines."""
    numbered = enumerate(lines, start=1)
    if processes <= 1:
        searcher = Searcher(index_dir, suggest="off")
        try:
            for lineno, line in numbered:
                yield answer(searcher, options, lineno, line)
        finally:
            searcher.close()
        return
    pool = multiprocessing.get_context("fork").Pool(processes, initializer=_start, initargs=(index_dir, options))
    try:
        while window := list(islice(numbered, WINDOW)):
            yield from pool.imap(_answer, window, chunksize=CHUNK)
        pool.close()
    finally:
        pool.terminate()
        pool.join()
