"""Grouping a live batch: each new copy joins its story's group among the documents already indexed.

Reindex groups in memory, in the order documents arrive (Grouper). A
document written later (indexer/live.py) is grouped by the same rules, with
the index as the memory: the documents sharing one of its fingerprint keys
are its candidates (one term query), their signatures are computed again from
their stored text, and the nearest at the threshold, published within
MAX_DAYS_APART days, gives its group; an identical text gives its group
whatever the dates. Documents earlier in the same batch are candidates too.
Nothing is kept beside the index: the keys are committed with the batch,
so a write and its grouping are durable and visible together.

Deletes and replacements. A group keeps its name (the id of its first copy)
when that copy is deleted or replaced by another text: the name is a label,
renaming would rewrite every other copy, and later copies still join through
any remaining member. A replacement is grouped again as a new arrival: the
same text keeps its group; another text joins the story it copies or starts
its own group, named by its id unless other documents still carry that name,
then by its id, "~" and the start of its digest. A deleted document takes
its keys with it: no later copy joins through it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..analysis import Analyzer, analyze_document
from ..documents import AnalyzedDocument, Document, STORED_FIELDS
from ..index.base import IndexReader
from ..index.description import IndexQuery, Term
from . import DEFAULT_GROUPING, Fingerprint, GroupingConfig, fingerprint, keys, nearest, signature

# Candidates read per document: a wire story has a dozen copies at most, and
# the documents sharing most keys (the nearest) rank first.
CANDIDATES = 30


@dataclass
class _Known:
    group: str
    fp: Fingerprint


@dataclass
class LiveGrouper:
    """Groups the documents of one batch against `reader` (the index before the batch) and each other."""

    reader: IndexReader
    analyzer: Analyzer
    # Ids this batch replaces or deletes: their indexed versions are no candidates.
    changed: frozenset[str] = frozenset()
    config: GroupingConfig = DEFAULT_GROUPING
    _batch: dict[str, _Known] = field(default_factory=dict)
    _by_key: dict[str, list[str]] = field(default_factory=dict)

    def analysed(self, doc: Document) -> AnalyzedDocument:
        """`doc` analysed, with its group and fingerprint keys."""
        a = analyze_document(doc, self.analyzer)
        fp = fingerprint(a, self.config)
        own = keys(fp, self.config)
        group = self._group(doc.id, fp, own)
        self._batch[doc.id] = _Known(group, fp)
        for key in own:
            self._by_key.setdefault(key, []).append(doc.id)
        return AnalyzedDocument(a.document, a.title_stems, a.body_stems, a.lead_stems, a.exact, group=group, fingerprint=own)

    def _group(self, doc_id: str, fp: Fingerprint, own: tuple[str, ...]) -> str:
        previous = self.reader.get(doc_id) if doc_id in self.changed else None
        if previous is not None and self._fingerprint(previous).digest == fp.digest:
            return previous.get("group") or doc_id  # the same text: its group stays
        candidates = self._candidates(doc_id, own)
        same = [known.group for known in candidates if known.fp.digest == fp.digest]
        if same:
            return same[0]
        group = self._nearest(fp, candidates)
        if group is not None:
            return group
        return self._free_name(doc_id, fp)

    def _candidates(self, doc_id: str, own: tuple[str, ...]) -> list[_Known]:
        out = [self._batch[i] for key in own for i in self._by_key.get(key, ())]
        query = IndexQuery(should=tuple(Term("fingerprint", key) for key in own), limit=CANDIDATES)
        for hit in self.reader.search(query).hits:
            if hit.id != doc_id and hit.id not in self.changed and hit.id not in self._batch:
                out.append(_Known(hit.fields.get("group") or hit.id, self._fingerprint(hit.fields)))
        return out

    def _nearest(self, fp: Fingerprint, candidates: list[_Known]) -> str | None:
        sig = signature(fp)
        if sig is None:
            return None
        return nearest(sig, fp.day, ((k.group, signature(k.fp), k.fp.day) for k in candidates), self.config)

    def _free_name(self, doc_id: str, fp: Fingerprint) -> str:
        # Another story's copies may still carry this id as their group's name.
        taken = self.reader.search(IndexQuery(should=(Term("group", doc_id),), limit=2)).hits
        if any(hit.id != doc_id for hit in taken) or any(k.group == doc_id for k in self._batch.values()):
            return f"{doc_id}~{fp.digest.hex()[:8]}"
        return doc_id

    def _fingerprint(self, stored: dict) -> Fingerprint:
        doc = Document(**{name: stored.get(name) for name in STORED_FIELDS})
        doc = Document(doc.id, doc.title or "", doc.body or "", doc.date, doc.source, doc.category, doc.url)
        return fingerprint(analyze_document(doc, self.analyzer), self.config)
