"""Tantivy backend: a thin adapter that indexes our analysed terms as they are.

Text fields use tantivy's built-in `whitespace` tokenizer over the terms our
chain already produced (no lowercasing, no stemming, no length filter), so no
tantivy analyser ever sees Arabic and the index needs no custom tokenizer
registered to be opened again.

Differences from Whoosh that callers may notice:
- tantivy's BM25 has k1=1.2 and b=0.75 built in and the Python binding cannot
  change them, so Ranking.k1/b are not applied (they are the same defaults);
  idf and field-length norms are computed slightly differently, so scores
  differ while rankings mostly agree.
- `day` is an integer YYYYMMDD fast field: tantivy has no range query over
  text fields, and an integer sorts and ranges the same as the ISO day.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import tantivy
from tantivy import FieldType, Occur, Order, Query

from ..documents import FACET_FIELDS, AnalyzedDocument
from .base import BackendError, BackendHit, BackendResult, SearchRequest
from .ranking import RANKING, Ranking

# One indexing thread: reindex analyses in worker processes on the other core(s).
WRITER_THREADS = 1
WRITER_HEAP = 200_000_000
# The UI shows the top values; this bound only guards against a pathological
# number of distinct sources (the dev corpus has about 20).
FACET_SIZE = 1000
_DAY_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    b.add_text_field("id", tokenizer_name="raw", index_option="basic")
    # Phrases are matched on the exact forms only: the stemmed fields keep
    # frequencies (for BM25) without positions, as in the Whoosh schema.
    b.add_text_field("title", tokenizer_name="whitespace", index_option="freq")
    b.add_text_field("body", tokenizer_name="whitespace", index_option="freq")
    b.add_text_field("lead", tokenizer_name="whitespace", index_option="freq")
    b.add_text_field("exact", tokenizer_name="whitespace", index_option="position")
    b.add_integer_field("day", indexed=True, fast=True)
    for name in FACET_FIELDS:
        # Indexed for filter term queries, fast (raw) for facet aggregation.
        b.add_text_field(name, tokenizer_name="raw", index_option="basic", fast=True)
    # Document.stored() as JSON, as in the Whoosh backend: only this is stored.
    b.add_bytes_field("doc", stored=True)
    return b.build()


def _day(value: str | None) -> int | None:
    """YYYY-MM-DD (or a longer ISO date) -> YYYYMMDD; None when there is none."""
    match = _DAY_RE.match(value) if value else None
    return int("".join(match.groups())) if match else None


def _filter_day(value: str | None) -> int | None:
    day = _day(value)
    if value and day is None:
        raise ValueError(f"date filter {value!r} is not YYYY-MM-DD")
    return day


class TantivyWriter:
    def __init__(self, path: Path, expected_documents: int = 0) -> None:
        # expected_documents is not needed: tantivy cuts segments by heap use,
        # and the analysis workers already keep the other core busy.
        path.mkdir(parents=True, exist_ok=True)
        self._index = tantivy.Index(_schema(), path=str(path), reuse=False)
        self._writer = self._index.writer(heap_size=WRITER_HEAP, num_threads=WRITER_THREADS)

    def add(self, doc: AnalyzedDocument) -> None:
        d = doc.document
        t = tantivy.Document()
        t.add_text("id", d.id)
        t.add_text("title", doc.title_stems)
        t.add_text("body", doc.body_stems)
        t.add_text("lead", doc.lead_stems)
        t.add_text("exact", doc.exact)
        day = _day(d.date)
        if day is not None:
            t.add_integer("day", day)
        if d.source:
            t.add_text("source", d.source)
        if d.category:
            t.add_text("category", d.category)
        t.add_bytes("doc", json.dumps(d.stored(), ensure_ascii=False).encode("utf-8"))
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


def _zero(query: Query) -> Query:
    # A required clause that matches like `query` but adds nothing to the score.
    return Query.const_score_query(query, 0.0)


class TantivyReader:
    def __init__(self, path: Path, ranking: Ranking = RANKING) -> None:
        self._path = path
        self._ranking = ranking
        try:
            if not path.is_dir():
                raise ValueError("no such directory")
            index = tantivy.Index.open(str(path))
            # Each generation is a new directory and never changes: no reload watcher.
            index.config_reader(reload_policy="Manual")
            self._schema = index.schema
            if self._schema != _schema():
                raise ValueError("its schema is not the one this Fahras writes")
            index.searcher().num_docs  # opens every segment: missing or damaged files fail here
        except (ValueError, OSError) as exc:
            raise BackendError(f"cannot open the tantivy index in {path}: {exc}") from exc
        # tantivy's Index and Searcher are thread-safe (and release the GIL
        # while searching): one shared Index serves every web thread.
        self._index: tantivy.Index | None = index

    def _searcher(self) -> tantivy.Searcher:
        index = self._index
        if index is None:
            raise BackendError(f"the tantivy index in {self._path} is closed")
        return index.searcher()

    def _term(self, field: str, value: str, option: str = "basic") -> Query:
        return Query.term_query(self._schema, field, value, index_option=option)

    def _scoring_query(self, request: SearchRequest) -> Query:
        # Mirrors whoosh_backend._term_query: an OR of boosted term queries,
        # with every phrase required but not scored.
        plan, r = request.plan, self._ranking
        should = []
        for stem in plan.stems:
            should.append((Occur.Should, Query.boost_query(self._term("title", stem, "freq"), r.title_boost)))
            should.append((Occur.Should, Query.boost_query(self._term("body", stem, "freq"), r.body_boost)))
            if r.lead_boost:
                should.append((Occur.Should, Query.boost_query(self._term("lead", stem, "freq"), r.lead_boost)))
        for exact in plan.exacts:
            should.append((Occur.Should, Query.boost_query(self._term("exact", exact, "freq"), r.exact_boost)))
        for words in plan.boost_phrases:
            phrase = Query.phrase_query(self._schema, "exact", list(words))
            should.append((Occur.Should, Query.boost_query(phrase, r.phrase_boost)))
        for stem, weight in plan.expansion:
            should.append((Occur.Should, Query.boost_query(self._term("body", stem, "freq"), weight)))
        if r.pair_boost:
            for pair in plan.pairs:
                phrase = Query.phrase_query(self._schema, "exact", list(pair), slop=r.pair_slop)
                should.append((Occur.Should, Query.boost_query(phrase, r.pair_boost)))
        # Nested so that the SHOULD clauses stay required (one of them must
        # match) once MUST clauses sit beside them.
        clauses = [(Occur.Must, Query.boolean_query(should))]
        for words in plan.phrases:
            clauses.append((Occur.Must, _zero(Query.phrase_query(self._schema, "exact", list(words)))))
        clauses.extend((Occur.Must, _zero(q)) for q in self._filter_queries(request))
        return Query.boolean_query(clauses)

    def _match_query(self, request: SearchRequest) -> Query:
        """The documents `_scoring_query` matches, with none of its clauses that only add score.

        Every word puts its stem in the title or body field and its exact form
        in the exact field, and a stem is a function of its exact form: a
        document with a query word's exact form (alone, or in an adjacent pair)
        also has the word's stem, and the lead is part of the body. So the
        stems over title and body match the same documents; the pair phrases,
        which read positions, are half the cost of counting facets otherwise.
        """
        plan = request.plan
        should = [(Occur.Should, self._term(field, stem)) for stem in plan.stems for field in ("title", "body")]
        should.extend((Occur.Should, self._term("body", stem)) for stem, _ in plan.expansion)
        # A quoted phrase inside a longer query may hold words past the query's
        # term cap (or only question words): it keeps its own clause.
        should.extend((Occur.Should, Query.phrase_query(self._schema, "exact", list(w))) for w in plan.boost_phrases)
        clauses = [(Occur.Must, Query.boolean_query(should))]
        clauses.extend((Occur.Must, Query.phrase_query(self._schema, "exact", list(w))) for w in plan.phrases)
        clauses.extend((Occur.Must, q) for q in self._filter_queries(request))
        return Query.boolean_query(clauses)

    def _filter_queries(self, request: SearchRequest) -> list[Query]:
        f = request.filters
        parts = []
        for name, values in (("source", f.sources), ("category", f.categories)):
            if values:
                parts.append(Query.term_set_query(self._schema, name, list(values)))
        low, high = _filter_day(f.date_from), _filter_day(f.date_to)
        if low is not None or high is not None:
            parts.append(Query.range_query(self._schema, "day", FieldType.Integer, low, high))
        return parts

    def search(self, request: SearchRequest) -> BackendResult:
        searcher = self._searcher()
        if not request.plan:
            return BackendResult(total=0, hits=[])
        query = self._scoring_query(request)
        # tantivy allocates room for offset + limit hits up front: a huge page
        # number would abort the process, so bound both by the index size.
        n = searcher.num_docs
        offset, limit = min(request.offset, n), max(1, min(request.limit, n))
        kwargs = {"order_by_field": "day", "order": Order.Desc} if request.sort == "date" else {}
        try:
            found = searcher.search(query, limit=limit, offset=offset, count=True, **kwargs)
            hits = []
            for key, address in found.hits:
                fields = json.loads(searcher.doc(address).get_first("doc"))
                # Sorted by date, the key is the day, not a score.
                score = 0.0 if kwargs else float(key)
                hits.append(BackendHit(id=fields["id"], score=score, fields=fields))
            facets = self._facets(searcher, self._match_query(request)) if request.facets else {}
        except ValueError as exc:
            raise BackendError(f"tantivy search failed in {self._path}: {exc}") from exc
        return BackendResult(total=found.count, hits=hits, facets=facets)

    def _facets(self, searcher: tantivy.Searcher, query: Query) -> dict[str, dict[str, int]]:
        # One terms aggregation per facet field over the fast columns of all
        # matching documents; documents without a value are not counted.
        spec = {name: {"terms": {"field": name, "size": FACET_SIZE}} for name in FACET_FIELDS}
        result = searcher.aggregate(query, spec)
        return {
            name: {b["key"]: int(b["doc_count"]) for b in result.get(name, {}).get("buckets", []) if b["key"]}
            for name in FACET_FIELDS
        }

    def get(self, doc_id: str) -> dict | None:
        searcher = self._searcher()
        try:
            found = searcher.search(self._term("id", doc_id), limit=1, count=False)
            if not found.hits:
                return None
            return json.loads(searcher.doc(found.hits[0][1]).get_first("doc"))
        except ValueError as exc:
            raise BackendError(f"tantivy lookup failed in {self._path}: {exc}") from exc

    def doc_frequency(self, field: str, term: str) -> int:
        return self._searcher().doc_freq(field, term)

    def doc_count(self) -> int:
        return self._searcher().num_docs

    def vocabulary(self, fieldname: str = "exact"):
        """(term, document frequency) pairs of a field, for did-you-mean."""
        yield from self._searcher().terms_with_prefix(fieldname, "")

    def close(self) -> None:
        # Searches already running hold their own Searcher and finish; the
        # files are unmapped when the last one is dropped.
        self._index = None
