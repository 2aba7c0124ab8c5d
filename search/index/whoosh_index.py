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
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.scoring import BM25F
from whoosh.sorting import Count, FieldFacet, MultiFacet, TranslateFacet

from ..documents import FACET_FIELDS, AnalyzedDocument
from .base import BackendError, BackendHit, BackendResult, Capabilities, empty_result
from .description import All, Bool, Clause, Filters, IndexQuery, Phrase
from .fields import TEXT_FIELDS, index_fields
from .ranking import RANKING
from .store import fsync_tree

INDEX_NAME = "fahras"
PARALLEL_WRITE_THRESHOLD = 5000


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


def _query(query: IndexQuery) -> wq.Query:
    scoring: wq.Query = wq.Or([_clause(c) for c in query.should]) if query.should else wq.Every()
    required = [c for c in query.required if not isinstance(c, All)]
    if required:
        scoring = wq.Require(scoring, wq.And([_clause(c) for c in required]))
    return scoring


def _filter(f: Filters) -> wq.Query | None:
    parts: list[wq.Query] = []
    for name in FACET_FIELDS:
        if f.selected(name):
            parts.append(wq.Or([wq.Term(name, value) for value in f.selected(name)]))
    if f.date_from or f.date_to:
        parts.append(wq.TermRange("day", f.date_from, f.date_to, startexcl=False, endexcl=False))
    return wq.And(parts) if parts else None


def _undated_last(key: bytes) -> bytes:
    return key or b"\xff"


def _search_kwargs(query: IndexQuery) -> dict:
    # Whoosh's block-skipping optimisation trips an assertion (a_id != b_id)
    # inside Require/Phrase matchers: a phrase-only query searches without
    # it, as does a query-language one (phrases inside its boolean clauses).
    kwargs: dict = {"optimize": False} if query.required or any(isinstance(c, Bool) for c in query.should) else {}
    # By time, then id; undated documents last, as in the other engines.
    if query.sort == "date":
        kwargs["sortedby"] = MultiFacet([FieldFacet("time", reverse=True), FieldFacet("id")])
    elif query.sort == "oldest":
        # An empty key (undated) would sort first.
        kwargs["sortedby"] = MultiFacet([TranslateFacet(_undated_last, FieldFacet("time")), FieldFacet("id")])
    return kwargs


class WhooshReader:
    capabilities = Capabilities(vocabulary=True, live_writes=True)

    def __init__(self, path: Path) -> None:
        try:
            self._index = whoosh_index.open_dir(str(path), indexname=INDEX_NAME, readonly=True)
        except Exception as exc:  # Whoosh raises many types for a damaged directory
            raise BackendError(f"cannot open the Whoosh index in {path}: {exc}") from exc
        self._weighting = BM25F(B=RANKING.b, K1=RANKING.k1)
        # Whoosh searchers are not safe to share between threads.
        self._local = threading.local()
        self._searchers: list = []
        self._lock = threading.Lock()

    def _searcher(self):
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self._local.searcher = self._index.searcher(weighting=self._weighting)
            with self._lock:
                self._searchers.append(searcher)
        return searcher

    def search(self, query: IndexQuery) -> BackendResult:
        searcher = self._searcher()
        if not query:
            return empty_result()
        groupedby = {}
        kwargs = _search_kwargs(query)
        if query.facets:
            groupedby = {name: FieldFacet(name, maptype=Count) for name in query.facet_fields}
        if query.days:
            groupedby["day"] = FieldFacet("day", maptype=Count)
        if query.stories:
            # Stories: the distinct groups of the matches, alone and with each facet value.
            groupedby["group"] = FieldFacet("group", maptype=Count)
            for name in query.facet_fields if query.facets else ():
                groupedby[f"{name}+group"] = MultiFacet([FieldFacet(name), FieldFacet("group")], maptype=Count)
        results = searcher.search(
            _query(query),
            limit=query.offset + query.limit,
            filter=_filter(query.filters),
            groupedby=groupedby or None,
            **kwargs,
        )
        hits = [
            # Sorted by day, a hit's score is its sort key, not a relevance.
            BackendHit(id=fields["id"], score=0.0 if "sortedby" in kwargs else float(hit.score or 0.0), fields=fields)
            for hit in results[query.offset : query.offset + query.limit]
            for fields in [json.loads(hit["doc"])]
        ]
        result = BackendResult(total=len(results), hits=hits)
        if query.facets:
            for name in query.facet_fields:
                result.facets[name] = {k: v for k, v in results.groups(name).items() if k}
        if query.stories:
            result.stories = len(results.groups("group"))
            for name in query.facet_fields if query.facets else ():
                counts: dict[str, int] = {}
                for value, _ in results.groups(f"{name}+group"):
                    if value:
                        counts[value] = counts.get(value, 0) + 1
                result.story_facets[name] = counts
        if query.days:
            result.days = {k: v for k, v in results.groups("day").items() if k}
        return result

    def scan(self, query: IndexQuery, limit: int):
        """Every match in the query's order, up to `limit`: one search, stored documents read one by one."""
        if not query:
            return
        kwargs = _search_kwargs(query)
        results = self._searcher().search(_query(query), limit=limit, filter=_filter(query.filters), **kwargs)
        for hit in results:
            fields = json.loads(hit["doc"])
            yield BackendHit(id=fields["id"], score=0.0 if "sortedby" in kwargs else float(hit.score or 0.0), fields=fields)

    def get(self, doc_id: str) -> dict | None:
        stored = self._searcher().document(id=doc_id)
        return json.loads(stored["doc"]) if stored else None

    def doc_frequency(self, field: str, term: str) -> int:
        return self._searcher().doc_frequency(field, term)

    def doc_count(self) -> int:
        return self._searcher().doc_count()

    def vocabulary(self, field: str = "exact", prefix: str = "", limit: int | None = None):
        reader = self._searcher().reader()
        terms = reader.iter_prefix(field, prefix) if prefix else reader.iter_field(field)
        pairs = (((t.decode("utf-8") if isinstance(t, bytes) else t), info.doc_frequency()) for t, info in terms)
        if limit is None:
            yield from pairs
        else:
            yield from heapq.nlargest(limit, pairs, key=lambda pair: pair[1])

    def close(self) -> None:
        with self._lock:
            for searcher in self._searchers:
                searcher.close()
            self._searchers.clear()
        self._index.close() if hasattr(self._index, "close") else None
