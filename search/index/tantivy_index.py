"""Tantivy backend: indexes our analysed terms as they are and translates the neutral query.

Text fields use tantivy's built-in `whitespace` tokenizer over the terms our
chain already produced (no lowercasing, no stemming, no length filter), so no
tantivy analyser ever sees Arabic and the index needs no custom tokenizer
registered to be opened again.

Unlike Whoosh: BM25's k1=1.2, b=0.75 are built in (Ranking.k1/b, the same
defaults, are not applied) and idf and norms differ slightly, so scores differ
while rankings mostly agree; `day` is an integer YYYYMMDD fast field, as tantivy
has no range query over text and an integer sorts and ranges as the ISO day;
`time` is the integer of seconds since 1970 (UTC), and as tantivy orders by
one fast field only, ties are put in id order here (search/index/tantivy_order.py).
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import tantivy
from tantivy import FieldType, Occur, Order, Query

from ..documents import FACET_FIELDS, AnalyzedDocument
from .base import BackendError, BackendHit, BackendResult, Capabilities, empty_result
from .description import All, Bool, Clause, Filters, IndexQuery, Phrase
from .estimate import slices_to_count
from .fields import SAMPLE_SLICES, index_fields, pair_term
from .stored import encode as encode_stored
from .tantivy_counts import aggregate, estimated_total, story_share
from .tantivy_hits import ranked as _ranked_hits, stored as _stored
from .tantivy_order import in_time_order
from .tantivy_schema import INDEX_OPTION as _INDEX_OPTION, INTEGERS as _INTEGERS, day_number as _day_number, schema as _schema, \
    KNOWN, story_key, variant, written_fields

# One indexing thread: reindex analyses in worker processes on the other core(s).
# A live write is a small batch: its writer (UPDATER_HEAP) is opened for it and closed after.
# Reindex's heap sets its segments' size. Tantivy's merge policy puts every segment under
# about 17,000 documents in one level and merges a level once it holds eight: with 200 MB,
# the news archive's six segments of 9,000-17,000 documents were all merged again by the
# second live write after a reindex (58 s, the write lock held). With 1 GB they hold
# about 70,000 each, a level above the live writes' segments; only the last, partial
# one may share theirs (4,026 documents for the news archive: a 6 s merge, once).
WRITER_THREADS, WRITER_HEAP, UPDATER_HEAP = 1, 1_000_000_000, 50_000_000
class TantivyWriter:
    # An embedded writer takes every document or fails as a whole.
    rejected: tuple = ()
    stats = None

    def __init__(self, path: Path, expected_documents: int = 0, update: bool = False) -> None:
        # expected_documents is not needed: tantivy cuts segments by heap use,
        # and the analysis workers already keep the other core busy.
        self._update = update
        if update:
            try:
                self._index = tantivy.Index.open(str(path))
            except ValueError as exc:
                raise BackendError(f"cannot open the tantivy index in {path} for writing: {exc}") from exc
            self._writer = self._index.writer(heap_size=UPDATER_HEAP, num_threads=WRITER_THREADS)
        else:
            path.mkdir(parents=True, exist_ok=True)
            self._index = tantivy.Index(_schema(), path=str(path), reuse=False)
            self._writer = self._index.writer(heap_size=WRITER_HEAP, num_threads=WRITER_THREADS)
        pairs, self._story = variant(self._index.schema) or KNOWN[0]
        self._fields = written_fields(pairs)

    def delete(self, doc_id: str) -> None:
        # A delete applies to documents added before it, also in this batch.
        self._writer.delete_documents_by_term("id", doc_id)

    def add(self, doc: AnalyzedDocument) -> None:
        if self._update:
            self.delete(doc.document.id)
        f = index_fields(doc)
        t = tantivy.Document()
        t.add_text("id", f.id)
        for name in self._fields:
            t.add_text(name, getattr(f, name))
        for name, value in f.keywords().items():
            t.add_integer(name, _INTEGERS[name](value)) if name in _INTEGERS else t.add_text(name, value)
        if self._story:
            t.add_integer("story", story_key(f.group))
        for key in f.fingerprint:
            t.add_text("fingerprint", key)
        if "pairs" in self._fields:
            t.add_text("sample", f.sample)
        t.add_bytes("doc", encode_stored(f.stored))
        self._writer.add_document(t)

    def commit(self) -> None:
        writer, self._writer = self._writer, None
        writer.commit()
        # Let background merges finish before the directory is fsynced and
        # published; this also consumes the writer (it cannot be used again).
        writer.wait_merging_threads()

    def abort(self) -> None:
        # After a failed commit the writer may already be gone: nothing to undo,
        # and raising here would hide the original error from reindex.
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.rollback()


class TantivyReader:
    capabilities = Capabilities(vocabulary=True, live_writes=True)

    def __init__(self, path: Path) -> None:
        self._path = path
        try:
            if not path.is_dir():
                raise ValueError("no such directory")
            index = tantivy.Index.open(str(path))
            # No reload watcher: the served index opens a new reader when the
            # generation's manifest says a live write was committed.
            index.config_reader(reload_policy="Manual")
            self._schema = index.schema
            known = variant(self._schema)
            if known is None:
                raise ValueError("its schema is not the one this Fahras writes")
            self._pairs, story = known
            # Stories are counted on the integer column, or the group's text column where there is none.
            self._stories_in = "story" if story else "group"
            index.searcher().num_docs  # opens every segment: missing or damaged files fail here
        except (ValueError, OSError) as exc:
            raise BackendError(f"cannot open the tantivy index in {path}: {exc}") from exc
        # tantivy's Index and Searcher are thread-safe (and release the GIL
        # while searching): one shared Index serves every web thread.
        self._index: tantivy.Index | None = index
        self._share: float | None = None

    def _searcher(self) -> tantivy.Searcher:
        index = self._index
        if index is None:
            raise BackendError(f"the tantivy index in {self._path} is closed")
        return index.searcher()

    # ------------------------------------------------------------ translation

    def _clause(self, clause: Clause, score: bool = True) -> Query:
        if isinstance(clause, Bool):
            if not clause.must and not clause.should:
                return Query.empty_query()
            return Query.boolean_query(
                [(Occur.Must, self._clause(c, score)) for c in clause.must]
                + [(Occur.Should, self._clause(c, score)) for c in clause.should]
                + [(Occur.MustNot, self._clause(c, False)) for c in clause.must_not]
            )
        if isinstance(clause, All):
            return Query.const_score_query(Query.all_query(), 0.0) if score else Query.all_query()
        if isinstance(clause, Phrase) and self._pairs and clause.field == "exact" and clause.slop == 0 and len(clause.words) == 2:
            option = "freq" if score else "basic"
            query = Query.term_query(self._schema, "pairs", pair_term(*clause.words), index_option=option)
        elif isinstance(clause, Phrase):
            query = Query.phrase_query(self._schema, clause.field, list(clause.words), slop=clause.slop)
        else:
            # Frequencies are read only where they score.
            option = "freq" if score and clause.field in _INDEX_OPTION else "basic"
            query = Query.term_query(self._schema, clause.field, clause.value, index_option=option)
        return Query.boost_query(query, clause.boost) if score else query

    def _query(self, should: tuple[Clause, ...], query: IndexQuery, score: bool) -> Query:
        # Required clauses and filters match but add nothing to the score
        # (a constant score of 0); the SHOULD clauses are nested so that one
        # of them stays required once MUST clauses sit beside them.
        def must(q: Query) -> Query:
            return Query.const_score_query(q, 0.0) if score else q

        if should and not query.required and not query.filters:
            # Not nested: a flat OR of term queries is what tantivy prunes.
            return Query.boolean_query([(Occur.Should, self._clause(c, score)) for c in should])
        clauses = []
        if should:
            clauses.append((Occur.Must, Query.boolean_query([(Occur.Should, self._clause(c, score)) for c in should])))
        clauses.extend((Occur.Must, must(self._clause(c, score))) for c in query.required)
        clauses.extend((Occur.Must, must(q)) for q in self._filters(query.filters))
        if not clauses:
            return Query.all_query()
        return Query.boolean_query(clauses)

    def _filters(self, f: Filters) -> list[Query]:
        parts = [Query.term_set_query(self._schema, name, list(f.selected(name))) for name in FACET_FIELDS if f.selected(name)]
        low, high = _day_number(f.date_from), _day_number(f.date_to)
        if low is not None or high is not None:
            parts.append(Query.range_query(self._schema, "day", FieldType.Integer, low, high))
        return parts

    # ------------------------------------------------------------ reading

    def search(self, query: IndexQuery) -> BackendResult:
        searcher = self._searcher()
        if not query:
            return empty_result()
        scoring = self._query(query.should, query, score=True)
        # tantivy allocates room for offset + limit hits up front: a huge page
        # number would abort the process, so bound both by the index size.
        n = searcher.num_docs
        offset, limit = min(query.offset, n), max(1, min(query.limit, n))
        try:
            estimate = estimated_total(searcher, query) if query.count and query.sort == "relevance" else None
            total, page = self._ranked(searcher, scoring, query, offset, limit, query.count and estimate is None)
            hits = list(page)  # not counted: at least the hits read, and more when the page was full
            total = estimate if estimate is not None else total
            result = BackendResult(total=offset + len(hits) + (len(hits) == limit) if total is None else total, hits=hits,
                                   estimated=estimate is not None)
            if estimate is not None and query.stories:
                result.stories = round(estimate * self._story_share(searcher))
            if query.facets or (query.stories and estimate is None) or query.days:
                matching, scale = self._sampled(self._query(query.matching or query.should, query, score=False), query, estimate)
                asked = replace(query, stories=query.stories and estimate is None)
                aggregate(searcher, matching, asked, result, scale, self._stories_in)
            if estimate is not None and query.stories and query.facets:
                share = self._story_share(searcher)
                result.story_facets = {name: {k: max(1, round(n * share)) for k, n in counts.items()} for name, counts in result.facets.items()}
        except ValueError as exc:
            raise BackendError(f"tantivy search failed in {self._path}: {exc}") from exc
        return result

    def scan(self, query: IndexQuery, limit: int):
        """Every match in the query's order, up to `limit`: one collection of their addresses, documents read one by one."""
        searcher = self._searcher()
        if not query:
            return
        try:
            yield from self._ranked(searcher, self._query(query.should, query, score=True), query, 0, min(limit, searcher.num_docs), False)[1]
        except ValueError as exc:
            raise BackendError(f"tantivy search failed in {self._path}: {exc}") from exc

    def _ranked(self, searcher, scoring: Query, query: IndexQuery, offset: int, limit: int, count: bool = True):
        """(matches, or None without `count`; the hits offset .. offset+limit in the query's order, read as consumed)."""
        if query.sort in ("date", "oldest"):
            total, page = in_time_order(searcher, self._schema, scoring, query.sort == "date", offset, max(1, limit), count)
            return total, (BackendHit(id=f["id"], score=0.0, fields=f) for f in page)  # by date: no score
        found = searcher.search(scoring, limit=max(1, limit), offset=offset, count=count)
        return (found.count if count else None), _ranked_hits(searcher, found.hits, self._stories_in == "story")

    def _sampled(self, matching: Query, query: IndexQuery, estimate: int | None) -> tuple[Query, float]:
        """`matching` restricted to the slices holding about count_up_to of its `estimate` matches, and the scale back up."""
        slices = slices_to_count(query.count_up_to, estimate or 0, SAMPLE_SLICES)
        if slices == SAMPLE_SLICES or not self._pairs:
            return matching, 1.0
        sample = Query.term_set_query(self._schema, "sample", [str(i) for i in range(slices)])
        return Query.boolean_query([(Occur.Must, matching), (Occur.Must, sample)]), SAMPLE_SLICES / slices

    def _story_share(self, searcher: tantivy.Searcher) -> float:
        # Once per opened reader: a live write opens a new one.
        if self._share is None:
            self._share = story_share(searcher, self._stories_in)
        return self._share

    def get(self, doc_id: str) -> dict | None:
        searcher = self._searcher()
        try:
            term = Query.term_query(self._schema, "id", doc_id)
            found = searcher.search(term, limit=1, count=False)
            if not found.hits:
                return None
            return dict(_stored(searcher, found.hits[0][1]))
        except ValueError as exc:
            raise BackendError(f"tantivy lookup failed in {self._path}: {exc}") from exc

    def doc_frequency(self, field: str, term: str) -> int:
        return self._searcher().doc_freq(field, term)

    def doc_count(self) -> int:
        return self._searcher().num_docs

    def vocabulary(self, field: str = "exact", prefix: str = "", limit: int | None = None):
        yield from self._searcher().terms_with_prefix(field, prefix, limit=limit)

    def close(self) -> None:
        # Searches already running hold their own Searcher and finish; the
        # files are unmapped when the last one is dropped.
        self._index = None
