"""Snippets and highlights cut from the ORIGINAL text using the analysis chain's offsets.

A word is marked when its stem or exact form is among the query's, so a query
for مدرسة marks مَدْرَسَةٌ and والمدرسة as written. Everything is HTML-escaped
except our own <mark> tags.
"""
from __future__ import annotations

from html import escape

from .analysis import Analyzer, get_analyzer
from .query import QueryPlan

MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"
SNIPPET_CHARS = 240
# Highlighting a whole long article costs as much as the search itself; the
# snippet looks only at this many leading characters (news puts its point first).
SNIPPET_SCAN_CHARS = 6000


def _matches(text: str, plan: QueryPlan, analyzer: Analyzer) -> list[tuple[int, int]]:
    stems, exacts = set(plan.stems), set(plan.exacts)
    spans: list[tuple[int, int]] = []
    for term in analyzer.terms(text):
        if term.stem in stems or term.exact in exacts:
            if spans and spans[-1] == (term.start, term.end):
                continue  # one written word may give several terms
            spans.append((term.start, term.end))
    return spans


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
    return _render(text, _matches(text, plan, analyzer), 0, len(text))


def snippet(text: str, plan: QueryPlan, analyzer: Analyzer | None = None, size: int = SNIPPET_CHARS) -> str:
    """About `size` characters around the densest cluster of query words, escaped and marked."""
    analyzer = analyzer or get_analyzer()
    scanned = text[:SNIPPET_SCAN_CHARS]
    spans = _matches(scanned, plan, analyzer) if plan else []
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
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + _render(text, spans, start, end) + suffix


def _word_boundaries(text: str, start: int, end: int) -> tuple[int, int]:
    # Never cut a word in two: move the start forward and the end back to spaces.
    if start > 0:
        space = text.find(" ", start, start + 30)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", end - 30, end)
        end = space if space > start else end
    return start, end
