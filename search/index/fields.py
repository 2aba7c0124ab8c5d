"""Document -> the fields every engine indexes: one mapping, so the three backends index alike.

    id                  exact id (lookups, deletes, tie-break)
    title, body         stems, frequencies only (BM25 needs no positions for them)
    lead                stems of the body's opening
    exact               exact forms of title then body, with positions (phrases)
    day                 YYYY-MM-DD (range filters, sort newest first)
    source, category    keywords (filters, facets)
    group               keyword: the story the document is a copy of (its own id when none)
    fingerprint         keywords, several per document: its near-duplicate keys (search/grouping)
    stored              the displayed fields (Document.stored()) and the group, returned as they are
"""
from __future__ import annotations

from dataclasses import dataclass

from ..documents import AnalyzedDocument, day_of

TEXT_FIELDS = ("title", "body", "lead", "exact")
KEYWORD_FIELDS = ("day", "source", "category", "group")


@dataclass(frozen=True)
class IndexFields:
    id: str
    title: str
    body: str
    lead: str
    exact: str
    day: str | None
    source: str | None
    category: str | None
    group: str
    fingerprint: tuple[str, ...]
    stored: dict

    def keywords(self) -> dict[str, str]:
        """The keyword fields a document has a value for (day, source, category, group)."""
        return {name: value for name in KEYWORD_FIELDS if (value := getattr(self, name))}


def index_fields(doc: AnalyzedDocument) -> IndexFields:
    d = doc.document
    group = doc.group or d.id
    return IndexFields(
        id=d.id,
        title=doc.title_stems,
        body=doc.body_stems,
        lead=doc.lead_stems,
        exact=doc.exact,
        day=day_of(d.date),
        source=d.source,
        category=d.category,
        group=group,
        fingerprint=doc.fingerprint,
        stored={**d.stored(), "group": group},
    )
