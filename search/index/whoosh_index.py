"""Whoosh backend: a thin adapter that indexes our analysed terms as they are.

Text fields use Whoosh's SpaceSeparatedTokenizer over terms our chain already
produced, so the pickled schema holds only Whoosh's own classes: the on-disk
format never depends on our import paths, and no Whoosh analyser ever sees
Arabic (its `\\w` tokenizer splits vocalised words).
"""
from __future__ import annotations

import heapq
import json
import os
import threading
from dataclasses import replace
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.filedb.filestore import FileStorage
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.scoring import BM25F
from whoosh.sorting import FieldFacet, MultiFacet, TranslateFacet

from ..documents import FACET_FIELDS, AnalyzedDocument
from .base import BackendError, BackendHit, BackendResult, Capabilities, empty_result
from .description import All, Bool, Clause, Filters, IndexQuery, Phrase, Term
from .fields import TEXT_FIELDS, index_fields
from .ranking import RANKING
from .store import fsync_tree
from .whoosh_collect import Columns, docset, intersection, ranked

INDEX_NAME = "fahras"
PARALLEL_WRITE_THRESHOLD = 5000
# The keyword columns counted: facets, the timeline's days and the stories' groups.
COUNTED = (*FACET_FIELDS, "day", "group")


def _schema() -> Schema:
    terms = SpaceSeparatedTokenizer()
    return Schema(
        # Sortable: the documents of one time are listed in id order.
        id=ID(stored=False, unique=True, sortable=True),
        # Phrases are matched on the exact forms only; the stemmed fields keep
        # frequencies without positions, which halves their postings.
        title=TEXT(analyzer=terms, phrase=False),
        body=TEXT(analyzer=terms, phrase=False),
        lead=TEXT(analyzer=terms, phrase=False),
        exact=TEXT(analyzer=terms, phrase=True),
        byline=TEXT(analyzer=terms, phrase=True),
        day=ID(sortable=True),
        time=ID(sortable=True),  # YYYY-MM-DDTHH:MM:SS: as text, in the order of time
        source=ID(sortable=True),
        category=ID(sortable=True),
        author=ID(sortable=True),
        group=ID(sortable=True),
        fingerprint=KEYWORD(),
        doc=STORED(),
    )


class WhooshWriter:
    # An embedded writer takes every document or fails as a whole.
    rejected: tuple = ()
    stats = None

    def __init__(self, path: Path, expected_documents: int = 0, update: bool = False) -> None:
        self._update, self._path = update, path
        if update:
            try:
                self._index = whoosh_index.open_dir(str(path), indexname=INDEX_NAME)
            except Exception as exc:  # Whoosh raises many types for a damaged directory
                raise BackendError(f"cannot open the Whoosh index in {path} for writing: {exc}") from exc
            self._writer = self._index.writer(limitmb=64)
            return
        path.mkdir(parents=True, exist_ok=True)
        self._index = whoosh_index.create_in(str(path), _schema(), indexname=INDEX_NAME)
        # Whoosh's own posting writer, not our analysis, is the cost of indexing:
        # on large inputs one sub-writer per core, each leaving its own segment.
        procs = min(os.cpu_count() or 1, 4) if expected_documents >= PARALLEL_WRITE_THRESHOLD else 1
        if procs > 1:
            self._writer = self._index.writer(procs=procs, multisegment=True, limitmb=256)
        else:
            self._writer = self._index.writer(limitmb=256)

    def add(self, doc: AnalyzedDocument) -> None:
        f = index_fields(doc)
        fields = {name: getattr(f, name) for name in ("id", *TEXT_FIELDS)}
        # update_document deletes by the unique id first, also within this batch.
        write = self._writer.update_document if self._update else self._writer.add_document
        write(**fields, **f.keywords(), fingerprint=" ".join(f.fingerprint), doc=json.dumps(f.stored, ensure_ascii=False))

    def delete(self, doc_id: str) -> None:
        self._writer.delete_by_term("id", doc_id)

    def commit(self) -> None:
        self._writer.commit()
        if self._update:
            # Whoosh never fsyncs, and a live write is acknowledged right after this.
            fsync_tree(self._path)

    def abort(self) -> None:
        self._writer.cancel()


def _clause(clause: Clause) -> wq.Query:
    if isinstance(clause, Bool):
        must, should = [_clause(c) for c in clause.must], [_clause(c) for c in clause.should]
        if must:
            query = wq.And(must) if len(must) > 1 else must[0]
            query = wq.AndMaybe(query, wq.Or(should)) if should else query
        elif should:
            query = wq.Or(should)
        else:
            return wq.NullQuery
        return wq.AndNot(query, wq.Or([_clause(c) for c in clause.must_not])) if clause.must_not else query
    if isinstance(clause, All):
        return wq.Every()
    if isinstance(clause, Phrase):
        # Whoosh's slop counts positions apart: 1 is adjacent, Lucene's 0.
        return wq.Phrase(clause.field, list(clause.words), slop=clause.slop + 1, boost=clause.boost)
    return wq.Term(clause.field, clause.value, boost=clause.boost)


def _first_stage(should: tuple[Clause, ...]) -> wq.Query | None:
    """The term clauses of `should`, boosted as there, when they match every document it matches; else None.

    A phrase matches only where its words are, so it adds no match when each
    of its words is a term clause of the same field; a nested clause may.
    Term clauses alone let Whoosh skip blocks by their best score.
    """
    terms = [c for c in should if isinstance(c, Term)]
    fields_words = {(c.field, c.value) for c in terms}
    for c in should:
        if isinstance(c, Phrase) and all((c.field, w) in fields_words for w in c.words):
            continue
        if not isinstance(c, Term):
            return None
    return wq.Or([_clause(c) for c in terms]) if terms else None


def _filter(f: Filters) -> list[wq.Query]:
    parts: list[wq.Query] = []
    for name in FACET_FIELDS:
        if f.selected(name):
            parts.append(wq.Or([wq.Term(name, value) for value in f.selected(name)]))
    if f.date_from or f.date_to:
        parts.append(wq.TermRange("day", f.date_from, f.date_to, startexcl=False, endexcl=False))
    return parts


def _undated_last(key: bytes) -> bytes:
    return key or b"\xff"


def _in_time_order(query: IndexQuery) -> MultiFacet:
    # By time, then id; undated documents last, as in the other engines.
    if query.sort == "date":
        return MultiFacet([FieldFacet("time", reverse=True), FieldFacet("id")])
    # An empty key (undated) would sort first.
    return MultiFacet([TranslateFacet(_undated_last, FieldFacet("time")), FieldFacet("id")])


class WhooshReader:
    capabilities = Capabilities(vocabulary=True, live_writes=True)

    def __init__(self, path: Path) -> None:
        try:
            # Files are read, not mapped: mapped pages of the index would count
            # in each web worker's memory, where read ones stay in the page cache.
            self._index = FileStorage(str(path), supports_mmap=False, readonly=True).open_index(INDEX_NAME)
            # One searcher per reader, used by one thread at a time: Whoosh
            # searchers are not safe to share, and each of its own would map
            # the segment files and hold its caches again. Whoosh runs Python
            # under the GIL, so searches would take turns anyway.
            self._one = self._index.searcher(weighting=BM25F(B=RANKING.b, K1=RANKING.k1))
        except Exception as exc:  # Whoosh raises many types for a damaged directory
            raise BackendError(f"cannot open the Whoosh index in {path}: {exc}") from exc
        self._lock = threading.RLock()
        self._columns: Columns | None = None

    def _keyword_columns(self) -> Columns:
        if self._columns is None:
            self._columns = Columns(self._one, COUNTED)
        return self._columns

    def _allowed(self, query: IndexQuery) -> set[int] | None:
        """The documents the required clauses and the filters let through (None: all)."""
        parts = [_clause(c) for c in query.required if not isinstance(c, All)] + _filter(query.filters)
        return intersection(docset(self._one, q) for q in parts) if parts else None

    def search(self, query: IndexQuery) -> BackendResult:
        if not query:
            return empty_result()
        with self._lock:
            return self._search(query)

    def _search(self, query: IndexQuery) -> BackendResult:
        top, matches = self._ranking(query)
        hits = [self._hit(score, docnum) for score, docnum in top]
        total = len(matches) if matches is not None else query.offset + len(hits) + (len(hits) == query.limit)
        result = BackendResult(total=total, hits=hits)
        if matches is not None and (query.facets or query.days or query.stories):
            self._count(query, matches, result)
        return result

    def _ranking(self, query: IndexQuery) -> tuple[list[tuple[float, int]], set[int] | None]:
        """(the page's (score, docnum) in the query's order; every match, when anything counts them)."""
        searcher = self._one
        allow = self._allowed(query)
        n = query.offset + query.limit
        matches = None
        if query.count or query.facets or query.days or query.stories:
            # Counted over the clauses that match, without those that only score.
            matching = query.matching or query.should
            matches = docset(searcher, wq.Or([_clause(c) for c in matching])) if matching else docset(searcher, wq.Every())
            matches = matches & allow if allow is not None else matches
        scoring = wq.Or([_clause(c) for c in query.should]) if query.should else wq.Every()
        if (allow is not None and not allow) or (matches is not None and not matches):
            top = []
        elif query.sort == "relevance":
            top = ranked(searcher, scoring, _first_stage(query.should), n, allow)
        else:
            # Sorted by time, a hit's score is its sort key, not a relevance.
            found = searcher.search(scoring, limit=n, filter=allow, sortedby=_in_time_order(query), optimize=False)
            top = [(0.0, docnum) for _, docnum in found.top_n]
        return top[query.offset : n], matches

    def _hit(self, score: float, docnum: int) -> BackendHit:
        fields = json.loads(self._one.stored_fields(docnum)["doc"])
        return BackendHit(id=fields["id"], score=float(score or 0.0), fields=fields)

    def _count(self, query: IndexQuery, matches: set[int], result: BackendResult) -> None:
        columns = self._keyword_columns()
        facet_fields = query.facet_fields if query.facets else ()
        for name in facet_fields:
            result.facets[name] = columns.counts(name, matches)
        if query.stories:
            # Stories: the distinct groups of the matches, alone and with each facet value.
            result.stories = columns.distinct("group", matches)
            for name in facet_fields:
                result.story_facets[name] = columns.distinct_per_value(name, "group", matches)
        if query.days:
            result.days = columns.counts("day", matches)

    def scan(self, query: IndexQuery, limit: int):
        """Every match in the query's order, up to `limit`: one ranking, stored documents read as consumed."""
        if not query:
            return
        with self._lock:
            top, _ = self._ranking(replace(query, offset=0, limit=limit, count=False, facets=False, days=False, stories=False))
        for score, docnum in top:
            with self._lock:
                hit = self._hit(score, docnum)
            yield hit

    def get(self, doc_id: str) -> dict | None:
        with self._lock:
            stored = self._one.document(id=doc_id)
        return json.loads(stored["doc"]) if stored else None

    def doc_frequency(self, field: str, term: str) -> int:
        with self._lock:
            return self._one.doc_frequency(field, term)

    def doc_count(self) -> int:
        with self._lock:
            return self._one.doc_count()

    def vocabulary(self, field: str = "exact", prefix: str = "", limit: int | None = None):
        if limit is None:
            # A whole field's terms, read as consumed: by a reader of its own,
            # so that searches do not wait for the listing.
            with self._index.reader() as reader:
                yield from _terms(reader, field, prefix)
            return
        with self._lock:
            best = heapq.nlargest(limit, _terms(self._one.reader(), field, prefix), key=lambda pair: pair[1])
        yield from best

    def close(self) -> None:
        with self._lock:
            self._one.close()
        self._index.close() if hasattr(self._index, "close") else None


def _terms(reader, field: str, prefix: str):
    terms = reader.iter_prefix(field, prefix) if prefix else reader.iter_field(field)
    return (((t.decode("utf-8") if isinstance(t, bytes) else t), info.doc_frequency()) for t, info in terms)
