"""User text → a safe query plan. Plain language only: words and "quoted phrases".

Nothing in the text is syntax except quotes: `*`, `field:`, `^2`, `[a TO b]`,
AND/OR and brackets are read as the words they contain (or nothing), so no
input can cost a wildcard expansion or make parsing fail.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..analysis import QUESTION_WORDS, Analyzer, Term, get_analyzer

MAX_QUERY_CHARS = 1000
# Past this many distinct words a query is a pasted paragraph; the rest add
# cost, not precision.
MAX_QUERY_TERMS = 32

# Straight, curly and Arabic guillemet quotes all delimit a phrase.
_PHRASE_RE = re.compile(r'["“”«»]([^"“”«»]*)["“”«»]')
_UNSAFE_RE = re.compile(r"[\x00\ud800-\udfff]")
# The last letter of a question once closing punctuation (؟!, »؟) is set aside.
_QUESTION_END_RE = re.compile(r"[?؟][\s!.\"“”«»)]*$")


@dataclass(frozen=True)
class QueryPlan:
    text: str
    terms: tuple[Term, ...]  # every query word, free or quoted, in order
    phrases: tuple[tuple[str, ...], ...] = ()  # exact forms that must appear adjacent
    boost_phrases: tuple[tuple[str, ...], ...] = ()  # exact forms that score more when adjacent
    # Adjacent query words (exact forms): a document that has them side by
    # side, as the reader wrote them, ranks above one that merely has both.
    pairs: tuple[tuple[str, str], ...] = ()
    # Stems added by pseudo-relevance feedback (search/feedback.py), with weights.
    expansion: tuple[tuple[str, float], ...] = ()
    # The query had more distinct words than the plan takes; the rest were dropped.
    truncated: bool = False
    # A query with operators (search/query/language.py): its analysed boolean
    # tree, and how it was read. `terms` are then its positive words only.
    boolean: object = None
    interpreted: str = ""
    # Other spellings of its names searched with it (search/query/variants.py).
    variants: tuple = ()
    # A question rather than a headline or keywords: it ranks by Ranking.for_question.
    question: bool = False

    @property
    def stems(self) -> list[str]:
        return list(dict.fromkeys(t.stem for t in self.terms))

    @property
    def exacts(self) -> list[str]:
        return list(dict.fromkeys(t.exact for t in self.terms))

    def __bool__(self) -> bool:
        return bool(self.terms) or self.boolean is not None


def clean_text(text: str) -> str:
    """Drop NUL and lone surrogates (they cannot be encoded or displayed)."""
    return _UNSAFE_RE.sub("", text)


def is_question(text: str, analyzer: Analyzer) -> bool:
    """Whether `text` asks: it ends with a question mark, or holds a question word (من هو, متى, كم, …)."""
    return bool(_QUESTION_END_RE.search(text)) or any(t.exact in QUESTION_WORDS for t in analyzer.terms(text))


def parse_query(text: str, analyzer: Analyzer | None = None, max_terms: int = MAX_QUERY_TERMS) -> QueryPlan:
    """The plan of `text`: its first `max_terms` distinct words (and their pairs and phrases); never raises."""
    analyzer = analyzer or get_analyzer()
    text = clean_text(text if isinstance(text, str) else str(text))[:MAX_QUERY_CHARS]
    phrases = []
    for match in _PHRASE_RE.finditer(text):
        words = tuple(t.exact for t in analyzer.terms(match.group(1)))
        if len(words) > 1:
            phrases.append(words)
    # Quotes alone ask for the exact wording: "وزير الخارجية" finds only that
    # phrase. Quotes inside a longer text are usually quotation (a pasted
    # headline: المملكة تشارك في «ضبط الاتجار»): there they rank, not filter.
    quoted_only = not analyzer.terms(_PHRASE_RE.sub(" ", text))
    terms: list[Term] = []
    seen: set[str] = set()
    truncated = False
    for term in analyzer.query_terms(text):
        if term.stem not in seen:
            if len(seen) == max_terms:
                truncated = True
                break
            seen.add(term.stem)
        terms.append(term)
    pairs = tuple(dict.fromkeys((a.exact, b.exact) for a, b in zip(terms, terms[1:]) if b.position == a.position + 1))
    question = bool(terms) and is_question(text, analyzer)
    if quoted_only:
        return QueryPlan(text=text, terms=tuple(terms), phrases=tuple(phrases), pairs=pairs, truncated=truncated, question=question)
    return QueryPlan(
        text=text, terms=tuple(terms), boost_phrases=tuple(phrases), pairs=pairs, truncated=truncated, question=question
    )
