"""Other spellings of a query's names, searched with it at a lower weight: ترمب also finds ترامب, trump both.

The spellings come from the index (search/suggest/names.py learns them with
each generation; a Latin word is read in Arabic letters against its names):
this module only adds them to a plan and turns them into clauses, so that
every backend gets them in the neutral description. Each spelling scores as
its word would (stems over title, body and lead, the exact form on top),
times VARIANT_WEIGHT: an article with the form as written ranks first.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, NamedTuple, Sequence

from ..analysis import Analyzer
from ..index.description import Clause, Term
from ..index.ranking import Ranking
from .plan import QueryPlan

VARIANT_WEIGHT = 0.25
# Bounds on what a query may add: spellings per word, words given spellings.
MAX_SPELLINGS = 3
MAX_NAMED_WORDS = 8

# A query word (exact form, then stem) -> its other spellings (exact forms), best first.
Spellings = Callable[[str], Sequence[str]]


class Variant(NamedTuple):
    word: str  # the query word's exact form
    stem: str
    exact: str
    shown: str = ""  # as the archive writes it, for the reader; the exact form when empty
    weight: float = VARIANT_WEIGHT


def with_variants(
    plan: QueryPlan, spellings: Spellings | None, analyzer: Analyzer, weight: float | None = None,
    shown: Callable[[str], str] = str,
) -> QueryPlan:
    """`plan` with the other spellings of its words; plain queries only, and never inside required quotes."""
    weight = VARIANT_WEIGHT if weight is None else weight
    if spellings is None or plan.boolean is not None or not weight:
        return plan
    quoted = {word for words in plan.phrases for word in words}
    searched = set(plan.stems)
    added: list[Variant] = []
    named = 0
    for term in dict.fromkeys((t.exact, t.stem) for t in plan.terms):
        exact, stem = term
        if exact in quoted or named == MAX_NAMED_WORDS:
            continue
        found = list(dict.fromkeys(spellings(exact) or (spellings(stem) if stem != exact else ())))
        before = len(added)
        for spelling in found[:MAX_SPELLINGS]:
            forms = analyzer.terms(spelling)
            if len(forms) != 1 or forms[0].stem in searched:
                continue  # a spelling of several terms, or one the query already has
            searched.add(forms[0].stem)
            added.append(Variant(exact, forms[0].stem, forms[0].exact, shown(spelling), weight))
        named += len(added) > before
    return replace(plan, variants=tuple(added)) if added else plan


def variant_clauses(plan: QueryPlan, r: Ranking) -> tuple[Clause, ...]:
    """Each spelling scored as its word would be, times its weight."""
    out: list[Clause] = []
    for v in plan.variants:
        out.append(Term("title", v.stem, r.title_boost * v.weight))
        out.append(Term("body", v.stem, r.body_boost * v.weight))
        if r.lead_boost:
            out.append(Term("lead", v.stem, r.lead_boost * v.weight))
        out.append(Term("exact", v.exact, r.exact_boost * v.weight))
    return tuple(out)


def variant_matching(plan: QueryPlan) -> tuple[Clause, ...]:
    """The documents the spellings match (a spelling's exact form implies its stem)."""
    return tuple(Term(field, v.stem) for v in plan.variants for field in ("title", "body"))


def added_spellings(plan: QueryPlan) -> dict[str, list[str]]:
    """Query word (exact form) -> the spellings searched with it, as shown to the reader."""
    out: dict[str, list[str]] = {}
    for v in plan.variants:
        out.setdefault(v.word, []).append(v.shown or v.exact)
    return out
