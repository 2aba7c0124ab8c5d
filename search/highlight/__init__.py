"""Snippets and highlights cut from the ORIGINAL text using the analysis chain's offsets.

A word is marked when its stem or exact form is among the query's (`scan`), so
a query for مدرسة marks مَدْرَسَةٌ and والمدرسة as written. Everything is
HTML-escaped except our own <mark> tags. The native core (search/arabic/native.py)
does the same natively, fed this module's strings and bounds; the code here is
its specification and runs where the core is not built or is turned off.
"""
from __future__ import annotations

from functools import lru_cache
from html import escape

from ..analysis import Analyzer, get_analyzer
from ..arabic import native
from ..query import QueryPlan
from .scan import chunk_matches, matches

MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"
SNIPPET_CHARS = 240
# A snippet that does not start (end) with its text says so.
ELLIPSIS_BEFORE, ELLIPSIS_AFTER = "… ", " …"
# A snippet's ends move to the nearest space within this many characters.
BOUNDARY, BOUNDARY_REACH = " ", 30
# Highlighting a whole long article costs as much as the search itself; the
# snippet looks only at this many leading characters (news puts its point first).
SNIPPET_SCAN_CHARS = 6000


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out, pos = [], start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(escape(text[pos:s]))
        out.append(MARK_OPEN + escape(text[s:e]) + MARK_CLOSE)
        pos = e
    out.append(escape(text[pos:end]))
    return "".join(out)


def highlight(text: str, plan: QueryPlan, analyzer: Analyzer | None = None) -> str:
    """The whole text, escaped, with the query's words marked."""
    analyzer = analyzer or get_analyzer()
    marked = native_highlight(text, plan, analyzer)
    if marked is not None:
        return marked
    return _render(text, matches(text, plan, analyzer), 0, len(text))


def snippet(text: str, plan: QueryPlan, analyzer: Analyzer | None = None, size: int = SNIPPET_CHARS) -> str:
    """About `size` characters around the densest cluster of query words, escaped and marked."""
    analyzer = analyzer or get_analyzer()
    marked = native_snippet(text, plan, analyzer, size)
    if marked is not None:
        return marked
    scanned = text[:SNIPPET_SCAN_CHARS]
    spans = matches(scanned, plan, analyzer) if plan else []
    if not spans:
        start, end = 0, min(len(text), size)
    else:
        # The window that starts at a match and covers the most distinct matches.
        best, best_count = spans[0][0], 0
        j = 0
        for i, (s, _) in enumerate(spans):
            j = max(j, i)
            while j + 1 < len(spans) and spans[j + 1][1] - s <= size:
                j += 1
            if j - i + 1 > best_count:
                best, best_count = s, j - i + 1
        start = max(0, best - size // 4)
        end = min(len(text), start + size)
    start, end = _word_boundaries(text, start, end)
    prefix = ELLIPSIS_BEFORE if start > 0 else ""
    suffix = ELLIPSIS_AFTER if end < len(text) else ""
    return prefix + _render(text, spans, start, end) + suffix


def _word_boundaries(text: str, start: int, end: int) -> tuple[int, int]:
    # Never cut a word in two: move the start forward and the end back to spaces.
    if start > 0:
        space = text.find(BOUNDARY, start, start + BOUNDARY_REACH)
        start = space + len(BOUNDARY) if space != -1 else start
    if end < len(text):
        space = text.rfind(BOUNDARY, end - BOUNDARY_REACH, end)
        end = space if space > start else end
    return start, end


def native_snippet(text: str, plan: QueryPlan, analyzer: Analyzer, size: int = SNIPPET_CHARS) -> str | None:
    """`snippet` from the native core; None where the code of `snippet` must answer."""
    if size < 0:
        return None
    # The core reads the head of the text that `snippet` reads: the scan, the window, its boundaries.
    head = text[: SNIPPET_SCAN_CHARS + size + BOUNDARY_REACH]
    stems, exacts = (plan.stems, plan.exacts) if plan else ([], [])
    return _natively(analyzer, "snippet", stems, exacts, head, len(text), size)


def native_highlight(text: str, plan: QueryPlan, analyzer: Analyzer) -> str | None:
    """`highlight` from the native core; None where the code of `highlight` must answer."""
    return _natively(analyzer, "highlight", plan.stems, plan.exacts, text)


def _natively(analyzer: Analyzer, method: str, stems: list[str], exacts: list[str], text: str, *args) -> str | None:
    """The native core's `method` (the functions above, ported), or None without a core.

    It analyses the pieces of text made of its safe characters; the matches in
    any other piece come from `chunk_matches`, so both paths mark the same words.
    """
    def python_matches(pieces: list[str], _known: dict) -> dict[str, list[tuple[int, int]]]:
        wanted = set(stems), set(exacts)
        return {piece: chunk_matches(piece, 0, *wanted, analyzer) for piece in pieces}

    return analyzer.natively(method, python_matches, text, stems, exacts, _marking(), *args)


@lru_cache(maxsize=1)
def _marking():
    """What the native core writes, from this module: marks, ellipses, boundaries and html.escape's table."""
    return native.marking({
        "open": MARK_OPEN, "close": MARK_CLOSE, "before": ELLIPSIS_BEFORE, "after": ELLIPSIS_AFTER,
        "boundary": BOUNDARY, "reach": BOUNDARY_REACH, "scan": SNIPPET_SCAN_CHARS,
        # html.escape changes only these ASCII characters (& < > " ').
        "escapes": {ch: escape(ch) for ch in map(chr, range(128)) if escape(ch) != ch},
    })
