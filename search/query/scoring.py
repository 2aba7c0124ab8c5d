"""A query plan and the ranking -> the neutral IndexQuery every backend translates.

Written once here: the fields, boosts, exact form, lead, pairs and phrases that
make Fahras rank as it does. The backends only translate the description.
"""
from __future__ import annotations

from ..index.description import All, Bool, Clause, Filters, IndexQuery, Phrase, Term
from ..index.ranking import RANKING, Ranking
from .language import AnyOf, Match, Value, is_scored
from .plan import QueryPlan
from .syntax import MUST, MUST_NOT, Group
from .variants import variant_clauses, variant_matching


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
    should.extend(variant_clauses(plan, r))
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
    matching.extend(variant_matching(plan))
    return tuple(matching)


def _word(stem: str, exact: str, field: str | None, r: Ranking, score: bool) -> Clause:
    """One word, scored as in a plain query (stems over title, body and lead; the exact form on top)."""
    if field == "author":  # the stems of the byline, weighed as the body
        return Term("byline", stem, r.body_boost if score else 1.0)
    if not score:
        return Term(field, stem) if field else Bool(should=(Term("title", stem), Term("body", stem)))
    if field == "title":
        return Term("title", stem, r.title_boost)
    body = (Term("body", stem, r.body_boost), *((Term("lead", stem, r.lead_boost),) if r.lead_boost else ()))
    if field == "body":
        return Bool(should=body)
    return Bool(should=(Term("title", stem, r.title_boost), *body, Term("exact", exact, r.exact_boost)))


def boolean_clause(node, ranking: Ranking = RANKING, score: bool = True) -> Clause:
    """The clause of an analysed query-language node; excluded parts are only matched, never scored."""
    r = ranking
    if isinstance(node, Group):
        must = tuple(boolean_clause(n, r, score) for occur, n in node.items if occur == MUST)
        should = tuple(boolean_clause(n, r, score) for occur, n in node.items if occur not in (MUST, MUST_NOT))
        must_not = tuple(boolean_clause(n, r, False) for occur, n in node.items if occur == MUST_NOT)
        if len(should) == 1 and not must and not must_not:
            return should[0]
        if not must and not should:
            must = (All(),)  # exclusions only: everything else
        return Bool(must=must, should=should, must_not=must_not)
    if isinstance(node, Value):
        return Term(node.field, node.value, 0.0)  # a filter written in the query: it does not rank
    if isinstance(node, AnyOf):
        return Bool(should=tuple(_word(stem, exact, node.field, r, score) for stem, exact in node.forms))
    if len(node.forms) == 1:
        return _word(*node.forms[0], node.field, r, score)
    # Positions are kept on exact forms only (title then body): a phrase
    # restricted to a field also needs each of its words in that field.
    if node.field == "author":  # the byline keeps positions of its stems
        return Phrase("byline", tuple(stem for stem, _ in node.forms), node.slop, r.body_boost if score else 1.0)
    exacts = tuple(exact for _, exact in node.forms)
    phrase = Phrase("exact", exacts, node.slop, r.phrase_boost if score else 1.0)
    words = tuple(_word(stem, exact, node.field, r, score) for stem, exact in node.forms)
    if node.field:
        return Bool(must=(phrase, *words))
    return Bool(must=(phrase,), should=words) if score else phrase


def describe(
    plan: QueryPlan,
    filters: Filters = Filters(),
    sort: str = "relevance",
    offset: int = 0,
    limit: int = 10,
    facets: bool = False,
    ranking: Ranking = RANKING,
    days: bool = False,
) -> IndexQuery:
    """The IndexQuery of `plan`; an empty query with filters lists the filtered articles, newest first."""
    paging = dict(offset=offset, limit=limit, facets=facets, days=days)
    if plan.boolean is not None:
        # Nothing that ranks (exclusions, source: or category: only): newest first.
        sort = sort if sort != "relevance" or is_scored(plan.boolean) else "date"
        return IndexQuery(should=(boolean_clause(plan.boolean, ranking),), filters=filters, sort=sort, **paging)
    if not plan:
        if filters and not plan.text.strip():
            return IndexQuery(required=(All(),), filters=filters, sort="date" if sort == "relevance" else sort, **paging)
        return IndexQuery(filters=filters, sort=sort, **paging)
    return IndexQuery(
        should=scoring_clauses(plan, ranking.for_question() if plan.question else ranking),
        # Quoted phrases alone ask for the exact wording: required, not scored.
        required=tuple(Phrase("exact", words) for words in plan.phrases),
        matching=matching_clauses(plan),
        filters=filters,
        sort=sort,
        **paging,
    )
