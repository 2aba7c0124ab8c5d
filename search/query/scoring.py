"""A query plan and the ranking -> the neutral IndexQuery every backend translates.

Written once here: the fields, boosts, exact form, lead, pairs and phrases that
make Fahras rank as it does. The backends only translate the description.
"""
from __future__ import annotations

from ..index.description import Clause, Filters, IndexQuery, Phrase, Term
from ..index.ranking import RANKING, Ranking
from .plan import QueryPlan


def scoring_clauses(plan: QueryPlan, ranking: Ranking = RANKING) -> tuple[Clause, ...]:
    """An OR of boosted clauses: stems over title, body and lead; exact forms; phrases; feedback; pairs."""
    r = ranking
    should: list[Clause] = []
    for stem in plan.stems:
        should.append(Term("title", stem, r.title_boost))
        should.append(Term("body", stem, r.body_boost))
        if r.lead_boost:
            should.append(Term("lead", stem, r.lead_boost))
    # The exact written form scores on top of its stem: exact matches outrank other forms.
    should.extend(Term("exact", exact, r.exact_boost) for exact in plan.exacts)
    # A quoted phrase inside a longer query ranks where it occurs as written.
    should.extend(Phrase("exact", words, 0, r.phrase_boost) for words in plan.boost_phrases)
    should.extend(Term("body", stem, weight) for stem, weight in plan.expansion)
    if r.pair_boost:
        should.extend(Phrase("exact", pair, r.pair_slop, r.pair_boost) for pair in plan.pairs)
    return tuple(should)


def matching_clauses(plan: QueryPlan) -> tuple[Clause, ...]:
    """The documents scoring_clauses match, with none of the clauses that only add score.

    Every word puts its stem in the title or body field and its exact form in
    the exact field, and a stem is a function of its exact form: a document
    with a query word's exact form (alone, or in an adjacent pair) also has
    the word's stem, and the lead is part of the body. A quoted phrase inside
    a longer query may hold words past the term cap (or only question words):
    it keeps its own clause.
    """
    matching: list[Clause] = [Term(field, stem) for stem in plan.stems for field in ("title", "body")]
    matching.extend(Term("body", stem) for stem, _ in plan.expansion)
    matching.extend(Phrase("exact", words) for words in plan.boost_phrases)
    return tuple(matching)


def describe(
    plan: QueryPlan,
    filters: Filters = Filters(),
    sort: str = "relevance",
    offset: int = 0,
    limit: int = 10,
    facets: bool = False,
    ranking: Ranking = RANKING,
) -> IndexQuery:
    if not plan:
        return IndexQuery(filters=filters, sort=sort, offset=offset, limit=limit, facets=facets)
    return IndexQuery(
        should=scoring_clauses(plan, ranking),
        # Quoted phrases alone ask for the exact wording: required, not scored.
        required=tuple(Phrase("exact", words) for words in plan.phrases),
        matching=matching_clauses(plan),
        filters=filters,
        sort=sort,
        offset=offset,
        limit=limit,
        facets=facets,
    )
