"""How the Whoosh backend reads a search: sets of matches, a pruned ranking re-scored in full, counts by column.

Whoosh scores every match as soon as a search groups anything (facets,
stories, days) and rebuilds its column readers for every search. Here the
matches are a set of document numbers, read a block of postings at a time and
combined as sets; facets, days and stories are counted over that set from
the keyword columns, read once per reader into arrays of value numbers. The
ranking runs in two stages: Whoosh's top-N collector, which skips blocks
that cannot reach the top by their best score, over the query's term
clauses alone, then every clause (phrases included) re-scores the first
stage's best RESCORED by skipping to them. The ranking is exact whenever the
term clauses match no more documents than that.
"""
from __future__ import annotations

from array import array
from collections import Counter
from typing import Iterable

from whoosh import collectors
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher

# Candidates the first stage hands to the full ranking.
RESCORED = 200


# ------------------------------------------------------------ sets of matches


def _block_ids(matcher) -> Iterable[int]:
    # Whoosh's all_ids() steps and re-checks one posting at a time; a fresh
    # leaf matcher's blocks hold their ids decoded, a block at a time.
    if type(matcher) is not W3LeafMatcher:
        yield from matcher.all_ids()
        return
    while matcher.is_active():
        matcher.id()  # decodes the block's ids
        yield from matcher._ids
        matcher._next_block()


def _term_docs(searcher, term: wq.Term) -> set[int]:
    docs: set[int] = set()
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        if (term.fieldname, term.text) not in reader:
            continue
        matcher = reader.postings(term.fieldname, term.text)
        deleted = frozenset()
        if isinstance(matcher, FilterMatcher):  # a segment with deletions
            matcher, deleted = matcher.child, reader.deleted_docs_set
        docs.update(d + offset for d in _block_ids(matcher) if d not in deleted)
    return docs


def _all_docs(searcher) -> set[int]:
    docs: set[int] = set()
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        docs.update(d + offset for d in range(reader.doc_count_all()) if not reader.is_deleted(d))
    return docs


def docset(searcher, q: wq.Query) -> set[int]:
    """The (top-level) document numbers `q` matches, as set operations over its parts."""
    if isinstance(q, wq.Term):
        return _term_docs(searcher, q)
    if isinstance(q, wq.Every) and not q.fieldname:
        return _all_docs(searcher)
    if q is wq.NullQuery:
        return set()
    if isinstance(q, wq.Or):
        docs: set[int] = set()
        for sub in q.subqueries:
            docs |= docset(searcher, sub)
        return docs
    if isinstance(q, wq.And):
        return intersection(docset(searcher, sub) for sub in q.subqueries)
    if isinstance(q, (wq.Require, wq.AndMaybe)):
        return docset(searcher, q.a) & docset(searcher, q.b) if isinstance(q, wq.Require) else docset(searcher, q.a)
    if isinstance(q, wq.AndNot):
        return docset(searcher, q.a) - docset(searcher, q.b)
    return set(searcher.docs_for_query(q))


def intersection(sets: Iterable[set[int]]) -> set[int]:
    """The documents in every one of `sets` (none when there are no sets), smallest first."""
    out: set[int] | None = None
    for docs in sorted(sets, key=len):
        out = set(docs) if out is None else out & docs
        if not out:
            return set()
    return out if out is not None else set()


# ------------------------------------------------------------ ranking


def _top(searcher, q: wq.Query, n: int, allow: set[int] | None, prune: bool) -> list[tuple[float, int]]:
    collector = collectors.TopCollector(n, usequality=prune)
    wrapped = collectors.FilterCollector(collector, allow) if allow is not None else collector
    searcher.search_with_collector(q, wrapped)
    return [(hit.score, hit.docnum) for hit in wrapped.results()]


def _rescore(searcher, q: wq.Query, docnums: list[int]) -> dict[int, float]:
    """The score of each of `docnums` under `q`, each segment's matcher skipping from one to the next."""
    scores: dict[int, float] = {}
    wanted = sorted(docnums)
    context = searcher.context(needs_current=True)
    for sub, offset in searcher.leaf_searchers():
        end = offset + sub.reader().doc_count_all()
        targets = [d - offset for d in wanted if offset <= d < end]
        if not targets:
            continue
        matcher = q.matcher(sub, context)
        for target in targets:
            if not matcher.is_active():
                break
            matcher.skip_to(target)
            if matcher.is_active() and matcher.id() == target:
                scores[target + offset] = matcher.score()
    return scores


def ranked(searcher, full: wq.Query, first: wq.Query | None, n: int, allow: set[int] | None) -> list[tuple[float, int]]:
    """The `n` best (score, docnum) of `full` among `allow` (None: every document), best first, ties by docnum.

    `first` matches the same documents as `full` with only prunable clauses
    (terms), or is None when there is none: `full` then scores every match.
    """
    if first is None:
        return _top(searcher, full, n, allow, prune=False)
    candidates = _top(searcher, first, max(n, RESCORED), allow, prune=True)
    scores = _rescore(searcher, full, [d for _, d in candidates])
    best = sorted(((-scores.get(d, s), d) for s, d in candidates))[:n]
    return [(-neg, d) for neg, d in best]


# ------------------------------------------------------------ counting by column


class Columns:
    """A keyword field's value for every document, as numbers into its list of values (0: none)."""

    def __init__(self, searcher, names: Iterable[str]) -> None:
        self.values: dict[str, list[str]] = {}
        self.numbers: dict[str, array] = {}
        for name in names:
            values, numbers, number_of = [""], array("i"), {"": 0}
            for sub, _ in searcher.leaf_searchers():
                reader = sub.reader()
                count = reader.doc_count_all()
                if not reader.has_column(name):
                    numbers.extend([0] * count)
                    continue
                for value in reader.column_reader(name):
                    value = value.decode("utf-8") if isinstance(value, bytes) else (value or "")
                    n = number_of.get(value)
                    if n is None:
                        n = number_of[value] = len(values)
                        values.append(value)
                    numbers.append(n)
            self.values[name], self.numbers[name] = values, numbers

    def counts(self, name: str, docs: set[int]) -> dict[str, int]:
        """Documents of `docs` per value of `name` (documents without one are not counted)."""
        values = self.values[name]
        return {values[n]: c for n, c in Counter(map(self.numbers[name].__getitem__, docs)).items() if n}

    def distinct(self, name: str, docs: set[int]) -> int:
        return len(set(map(self.numbers[name].__getitem__, docs)))

    def distinct_per_value(self, name: str, of: str, docs: set[int]) -> dict[str, int]:
        """Per value of `name`: the distinct values of `of` among its documents in `docs`."""
        values, numbers, others = self.values[name], self.numbers[name], self.numbers[of]
        pairs = {(numbers[d], others[d]) for d in docs}
        return {values[n]: c for n, c in Counter(n for n, _ in pairs).items() if n}
