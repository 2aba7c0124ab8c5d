"""User text -> a QueryPlan, with the query language when the text uses it.

A text without operators gets exactly parse_query's plan, so plain queries
rank as they always did. A text with operators gets a plan whose `boolean`
is its syntax tree (search/query/syntax.py) after analysis: every word and
phrase goes through the same Arabic analysis as documents, so -روسيا also
excludes لروسيا and الروسية (they share its stem), and each prefix is
completed from the index vocabulary, most frequent terms first.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from ..analysis import Analyzer, Term, get_analyzer
from .plan import MAX_QUERY_CHARS, MAX_QUERY_TERMS, QueryPlan, clean_text, parse_query
from .syntax import MUST, MUST_NOT, SHOULD, Group, Malformed, Phrase, Prefix, TooComplex, Word, parse_syntax, plain_words

# Each prefix stands for at most this many terms, the most frequent ones;
# a query holds at most MAX_PREFIXES prefixes.
MAX_EXPANSIONS = 32
MAX_PREFIXES = 4
KEYWORD_FIELDS = ("source", "category")  # matched as stored, not analysed

# (prefix, at most n) -> the n most frequent exact forms that begin with it.
Expander = Callable[[str, int], Iterable[str]]


@dataclass(frozen=True)
class Match:
    """Written words: one word, or words in order within `slop` positions (a phrase)."""

    field: str | None
    forms: tuple[tuple[str, str], ...]  # (stem, exact) per word
    slop: int = 0
    quoted: bool = False


@dataclass(frozen=True)
class AnyOf:
    """A completed prefix: any of its expansions."""

    field: str | None
    prefix: str
    forms: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Value:
    """A keyword field's value, as stored (source:, category:)."""

    field: str
    value: str


def read_query(
    text: str, analyzer: Analyzer | None = None, max_terms: int = MAX_QUERY_TERMS, expand: Expander | None = None
) -> QueryPlan:
    """The plan of `text`; raises TooComplex past the language's bounds, never anything else.

    `expand` completes prefixes; without it (a backend without a vocabulary)
    a prefix is searched as the word it is.
    """
    analyzer = analyzer or get_analyzer()
    text = clean_text(text if isinstance(text, str) else str(text))[:MAX_QUERY_CHARS]
    try:
        tree = parse_syntax(text)
    except Malformed:
        words = plain_words(text)
        # Malformed without any operator (a lone quote): exactly as before.
        return parse_query(text if words == " ".join(text.split()) else words, analyzer, max_terms)
    if tree is None:
        return parse_query(text, analyzer, max_terms)
    reading = _Reading(analyzer, expand)
    node = reading.node(tree)
    terms = tuple(Term(stem, exact, i, 0, 0) for i, (stem, exact) in enumerate(dict.fromkeys(_positive_forms(node))))
    return QueryPlan(text=text, terms=terms, boolean=node, interpreted=render(node) if node is not None else "")


class _Reading:
    def __init__(self, analyzer: Analyzer, expand: Expander | None) -> None:
        self.analyzer = analyzer
        self.expand = expand
        self.prefixes = 0

    def forms(self, text: str) -> tuple[tuple[str, str], ...]:
        return tuple((t.stem, t.exact) for t in self.analyzer.terms(text))

    def node(self, node):
        """The analysed node, or None when nothing of it is searchable (stopwords only)."""
        if isinstance(node, Group):
            items = tuple((occur, child) for occur, n in node.items if (child := self.node(n)) is not None)
            return Group(items) if items else None
        if node.field in KEYWORD_FIELDS:
            value = " ".join(node.text.split())
            return Value(node.field, value) if value else None
        forms = self.forms(node.text)
        if not forms:
            return None
        if isinstance(node, Phrase):
            return Match(node.field, forms, node.slop or 0, quoted=True)
        if isinstance(node, Prefix) and len(forms) == 1 and self.expand is not None:
            self.prefixes += 1
            if self.prefixes > MAX_PREFIXES:
                raise TooComplex(
                    f"more than {MAX_PREFIXES} prefixes (word*) in a query",
                    f"لا يمكن أن يحوي الاستعلام أكثر من {MAX_PREFIXES} كلمات منتهية بنجمة.",
                )
            exact = forms[0][1]
            expansions = [f for term in self.expand(exact, MAX_EXPANSIONS) for f in self.forms(term)[:1]]
            return AnyOf(node.field, exact, tuple(dict.fromkeys(expansions)))
        # A written word of several terms (a compound, covid-19) is their phrase.
        return Match(node.field, forms)


def _positive_forms(node, positive: bool = True):
    """The words a matching document has: highlights mark these and no excluded one."""
    if isinstance(node, Group):
        for occur, child in node.items:
            yield from _positive_forms(child, positive != (occur == MUST_NOT))
    elif positive and isinstance(node, (Match, AnyOf)):
        yield from node.forms


def is_scored(node) -> bool:
    """Whether some positive text clause ranks the matches (else they are listed newest first)."""
    return any(True for _ in _positive_forms(node))


def render(node, top: bool = True) -> str:
    """How the query was read, in the language itself (the analysed forms)."""
    if isinstance(node, Group):
        occurs = [occur for occur, _ in node.items]
        if occurs == [SHOULD]:
            return render(node.items[0][1], top)
        if len(occurs) > 1 and set(occurs) == {SHOULD} and not top:
            return "(" + " OR ".join(render(c, False) for _, c in node.items) + ")"
        if len(occurs) > 1 and SHOULD not in occurs and MUST in occurs:
            text = " AND ".join(("NOT " if o == MUST_NOT else "") + render(c, False) for o, c in node.items)
        else:
            text = " ".join({MUST: "+", MUST_NOT: "-"}.get(o, "") + render(c, False) for o, c in node.items)
        return text if top or len(node.items) == 1 else f"({text})"
    field = f"{node.field}:" if node.field else ""
    if isinstance(node, Value):
        return f'{field}"{node.value}"' if " " in node.value else field + node.value
    if isinstance(node, AnyOf):
        return f"{field}{node.prefix}*"
    words = " ".join(exact for _, exact in node.forms)
    if not node.quoted and len(node.forms) == 1:
        return field + words
    return f'{field}"{words}"' + (f"~{node.slop}" if node.slop else "")


def plain_reading(plan: QueryPlan) -> str:
    """How a plain query was read: its words (exact forms), each with the other spellings searched with it, and required phrases."""
    quoted = {word for words in plan.phrases for word in words}
    spellings: dict[str, list[str]] = {}
    for variant in plan.variants:
        spellings.setdefault(variant.word, []).append(variant.exact)
    words = [f"{e} ({' '.join(spellings[e])})" if e in spellings else e for e in plan.exacts if e not in quoted]
    return " ".join([f'"{" ".join(words)}"' for words in plan.phrases] + words)


__all__ = ["MAX_EXPANSIONS", "MAX_PREFIXES", "AnyOf", "Expander", "Match", "TooComplex", "Value", "is_scored", "plain_reading", "read_query", "render"]
