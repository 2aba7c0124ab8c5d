"""THE library API: a SearchRequest -> a SearchResult, over whichever backend built the served index.

Every face (the page, the JSON API, `fahras search`) calls this and nothing
else, so they behave alike: the same limits and typed errors
(search.request.InvalidRequest, search.index.IndexUnavailable), the same
long-query policy, filters, sort, paging, facets, highlighting and
did-you-mean.

Long queries: a query of more than Limits.max_query_terms distinct words is a
pasted paragraph, a common way to look for an article. Finding it beats
refusing it: the first words are searched (with their pairs, which pin the
article down) and the result says `truncated`.
"""
from __future__ import annotations

import time
from dataclasses import replace
from typing import Iterator

from .collapse import grouped_page, top_stories
from .documents import FACET_FIELDS
from .export import EXPORT_CAP
from .facets import disjunctive_facets
from .highlight import highlight, snippet
from .index import BackendError, IndexRoot, IndexUnavailable
from .index.description import All, Filters, IndexQuery
from .index.ranking import RANKING, Ranking
from .index.served import ServedIndex
from .query import QueryPlan, TooComplex, describe, parse_query, plain_reading, read_query
from .query.variants import added_spellings
from .request import InvalidRequest, Limits, SearchRequest
from .related import RELATED, RecentLists, related_query
from .results import ArchiveOverview, Hit, SearchResult
from .suggest import suggest_query, written_forms
from .suggest.complete import ServedCompletions
from .suggest.complete import suggest as complete_words
from .suggest.served import ServedVocabulary
from .suggest.spellings import ServedSpellings
from .suggest.written import ServedWritten
from .timeline import timeline


# A suggestion is shown as the best-matching documents write it (one extra
# search, only when there is a suggestion).
WRITTEN_FORM_DOCUMENTS = 10


class Searcher:
    """A read-only view of the served index that follows reindex swaps."""

    def __init__(
        self,
        index_dir=None,
        backend: str | None = None,
        *,
        limits: Limits | None = None,
        suggest: str = "sync",
        cached_words: int | None = None,
        ranking: Ranking = RANKING,
    ) -> None:
        """`suggest`: how the did-you-mean vocabulary is built: sync (on first use), background, or off."""
        self.served = ServedIndex(index_dir, backend, cached_words=cached_words)
        self.limits = limits or Limits()
        self.vocabulary = ServedVocabulary(suggest)
        self.completions = ServedCompletions()
        self.related_lists = RecentLists()
        self.spellings = ServedSpellings()
        self.written = ServedWritten()
        self.ranking = ranking

    @property
    def root(self):
        return self.served.root

    @property
    def manifest(self):
        with self.served.using() as index:
            return index.manifest

    @property
    def analyzer(self):
        with self.served.using() as index:
            return index.analyzer

    def plan(self, q: str) -> QueryPlan:
        with self.served.using() as index:
            return self._read(q, index)

    def _read(self, q: str, index) -> QueryPlan:
        """The plan of `q` (search/query/language.py), with prefixes completed from the index vocabulary."""
        reader = index.reader
        expand = None
        if reader.capabilities.vocabulary or reader.capabilities.prefixes:
            def expand(prefix: str, n: int) -> list[str]:
                try:
                    return [term for term, _ in reader.vocabulary("exact", prefix, n)]
                except BackendError as exc:
                    raise IndexUnavailable(str(exc)) from exc
        try:
            plan = read_query(q, index.analyzer, self.limits.max_query_terms, expand)
        except TooComplex as exc:
            raise InvalidRequest("q", str(exc), exc.arabic) from None
        # Other spellings of its names (search/query/variants.py), learned with the generation.
        return self.spellings.expand(plan, self.served.root, index.generation, index.analyzer)

    def find(self, q: str, page: int = 1, size: int = 10, sort: str = "relevance", filters: Filters = Filters(), group: bool = True,
             **flags) -> SearchResult:
        """search(SearchRequest(q, page, size, sort, filters, group), **flags): the same call, spelt as keywords."""
        return self.search(SearchRequest(q, page, size, sort, filters, group), **flags)

    def search(self, request: SearchRequest, *, snippets: bool = True, facets: bool = True, suggest: bool = True,
               totals: bool = True, details: bool = True) -> SearchResult:
        """One page of results; snippets, facets, did-you-mean, the count of every match (`totals`) and the hits'
        title, category, author and url (`details`: their stored text is then not decoded) may be left out (batch runs)."""
        started = time.perf_counter()
        self.limits.check(request)
        with self.served.using() as index:
            plan = self._read(request.q, index)
            offset = (request.page - 1) * request.size
            query = replace(describe(plan, request.filters, request.sort, offset, request.size, facets, self.ranking, days=facets),
                            count_up_to=self.limits.exact_total, count=totals)
            try:
                if request.group and query:
                    grouped = grouped_page(index.reader, query, self.limits.max_result_window, count_stories=totals)
                    found, page, stories, copies = grouped.result, grouped.hits, grouped.stories, grouped.copies
                else:
                    found = index.reader.search(query)
                    page, stories, copies = found.hits, found.total, {}
                disjunctive_facets(index.reader, query, found, stories=request.group)
            except BackendError as exc:
                raise IndexUnavailable(str(exc)) from exc
            hits = [self._hit(h.id, h.fields, h.score, plan, index.analyzer, snippets, query.sort, details) for h in page]
            for hit in hits:
                hit.copies = copies.get(hit.group, [])
        result = SearchResult(
            query=plan.text,
            total=stories,
            page=request.page,
            size=request.size,
            took_ms=0.0,
            hits=hits,
            # Facet keys are part of the schema even when nothing matched.
            facets={name: found.facets.get(name, {}) for name in FACET_FIELDS} if facets else {},
            truncated=plan.truncated,
            interpreted=plan.interpreted or plain_reading(plan),
            spellings=added_spellings(plan),
            timeline=timeline(found.days) if facets else None,
            grouped=request.group,
            articles=found.total,
            estimated=found.estimated,
            story_facets={name: found.story_facets.get(name, {}) for name in FACET_FIELDS} if facets and request.group else {},
        )
        result.plan = plan
        # A did-you-mean rewrites words, not operators: plain queries only.
        if suggest and plan.terms and plan.boolean is None:
            vocabulary = self.vocabulary.get(self.served)
            if vocabulary is not None:
                result.suggestion = suggest_query(result.query, plan.terms, vocabulary, self._written_forms,
                                                   self.spellings.reading(self.served.root))
        result.took_ms = round((time.perf_counter() - started) * 1000, 2)
        return result

    def _written_forms(self, words: list[str]) -> dict[str, str]:
        """Each normalised word of a suggestion as reindex counted it written over every article (else as indexed);
        without those counts, as the documents holding it write it (reading them took 16 ms a suggestion)."""
        texts: list[str] = []
        with self.served.using() as index:
            root = self.served.root  # a cluster's alias has no directory
            saved = self.written.get(root.path / index.generation) if isinstance(root, IndexRoot) else None
            if saved is not None:  # saved with the vocabulary the suggestions come from
                return {word: saved.get(word, word) for word in words}
            for word in words:
                plan = parse_query(word, index.analyzer, self.limits.max_query_terms)
                try:
                    found = index.reader.search(describe(plan, limit=WRITTEN_FORM_DOCUMENTS, ranking=self.ranking))
                except BackendError:
                    continue  # the suggestion is then shown normalised
                texts.extend(f"{h.fields.get('title') or ''}\n{h.fields.get('body') or ''}" for h in found.hits)
        return written_forms(words, texts)

    @staticmethod
    def _hit(doc_id, f: dict, score: float, plan, analyzer, snippets: bool, sort: str, details: bool = True) -> Hit:
        body = (f.get("body") or f.get("abstract") or "") if snippets else ""
        return Hit(
            id=doc_id,
            title=(f.get("title") or "") if details else "",
            snippet=snippet(body or f.get("title") or "", plan, analyzer) if snippets else "",
            date=f.get("date"),
            source=f.get("source"),
            category=f.get("category") if details else None,
            author=f.get("author") if details else None,
            url=f.get("url") if details else None,
            # Full precision: rounding would create ties that reorder results.
            score=score if sort == "relevance" else 0.0,
            group=f.get("group") or doc_id,
        )

    def export(self, request: SearchRequest, cap: int = EXPORT_CAP) -> Iterator[Hit]:
        """Every hit of `request` in its order (page and size aside), up to `cap`, without snippets.

        The request is checked and its query read here, so a refusal comes
        before the first hit; the hits are then read as they are consumed.
        """
        self.limits.check(replace(request, page=1, size=1))
        with self.served.using() as index:
            plan = self._read(request.q, index)
        return self._export(plan, request, cap)

    def _export(self, plan: QueryPlan, request: SearchRequest, cap: int) -> Iterator[Hit]:
        with self.served.using() as index:
            query = describe(plan, request.filters, request.sort, 0, cap, False, self.ranking)
            try:
                for h in index.reader.scan(query, cap):
                    yield self._hit(h.id, h.fields, h.score, plan, index.analyzer, False, query.sort)
            except BackendError as exc:
                raise IndexUnavailable(str(exc)) from exc

    def complete(self, q: str) -> list[str]:
        """Search as you type: `q` with its last word completed (search/suggest/complete.py); [] until the vocabulary is built."""
        q = q[: self.limits.max_query_chars]
        vocabulary = self.vocabulary.get(self.served)
        with self.served.using() as index:
            completions = self.completions.get(vocabulary, self.served.root.current() if vocabulary else None)
            return complete_words(q, completions, index.analyzer) if completions else []

    def related(self, doc_id: str, limit: int = RELATED) -> list[Hit] | None:
        """Up to `limit` other stories on the subject of `doc_id` (search/related.py); None when it is not indexed."""
        # Kept only where every write changes the version (a cluster's changes only on a swap).
        key = (self.served.root.version(), doc_id, limit) if isinstance(self.served.root, IndexRoot) else None
        if key and (kept := self.related_lists.get(key)) is not None:
            return kept
        with self.served.using(realtime=True) as index:
            try:
                doc = index.reader.get(doc_id)
                if doc is None:
                    return None
                own = doc.get("group") or doc_id
                query = related_query(doc, index.analyzer, lambda stem: index.reader.doc_frequency("body", stem),
                                      index.reader.doc_count())
                window = self.limits.max_result_window
                page = top_stories(index.reader, query, limit, window, frozenset({own})) if query else []
            except BackendError as exc:
                raise IndexUnavailable(str(exc)) from exc
            hits = [self._hit(h.id, h.fields, h.score, None, index.analyzer, False, "relevance") for h in page]
        if key:
            self.related_lists.put(key, hits)
        return hits

    def document(self, doc_id: str) -> dict | None:
        with self.served.using(realtime=True) as index:
            try:
                return index.reader.get(doc_id)
            except BackendError as exc:
                raise IndexUnavailable(str(exc)) from exc

    def highlighted(self, doc: dict, q: str) -> tuple[str, list[str]]:
        """The title and body paragraphs of `doc` as escaped HTML with the words of `q` marked."""
        with self.served.using() as index:
            try:
                plan = self._read(q, index)
            except InvalidRequest:  # a page shows its article whatever the query's cost
                plan = parse_query(q, index.analyzer, self.limits.max_query_terms)
            title = highlight(doc.get("title") or "", plan, index.analyzer)
            body = highlight(doc.get("body") or "", plan, index.analyzer)
        return title, [p for p in body.split("\n") if p.strip()]

    def marked_titles(self, result: SearchResult) -> dict[str, str]:
        """Each hit's title as escaped HTML with the query's words marked, by hit id."""
        with self.served.using() as index:
            plan = result.plan or self._read(result.query, index)
            return {hit.id: highlight(hit.title, plan, index.analyzer) for hit in result.hits if hit.title}

    def overview(self, headlines: int = 5) -> ArchiveOverview:
        """What the archive holds: its size, its sources, its span of dates and its latest headlines."""
        def browse(sort: str, limit: int, facets: bool = False):
            return index.reader.search(IndexQuery(required=(All(),), sort=sort, limit=limit, facets=facets))

        with self.served.using() as index:
            try:
                newest, oldest = browse("date", headlines, facets=True), browse("oldest", 1)
            except BackendError as exc:
                raise IndexUnavailable(str(exc)) from exc
        dated = [h.fields.get("date") for h in (*newest.hits, *oldest.hits) if h.fields.get("date")]
        return ArchiveOverview(
            documents=newest.total,
            sources=dict(sorted(newest.facets.get("source", {}).items(), key=lambda kv: (-kv[1], kv[0]))),
            first_date=min(dated)[:10] if dated else None,
            last_date=max(dated)[:10] if dated else None,
            latest=[self._hit(h.id, h.fields, 0.0, None, None, False, "date") for h in newest.hits],
        )

    def doc_count(self) -> int:
        with self.served.using() as index:
            return index.reader.doc_count()

    def health(self) -> dict:
        return self.served.health()

    def close(self) -> None:
        self.served.close()
