"""Document -> the fields every engine indexes: one mapping, so the three backends index alike.

    id                  exact id (lookups, deletes, tie-break)
    title, body         stems, frequencies only (BM25 needs no positions for them)
    lead                stems of the body's opening
    exact               exact forms of title (abstract) then body, with positions (phrases)
    byline              stems of the author (`author:` in the query language)
    day                 YYYY-MM-DD (range filters, the timeline)
    time                YYYY-MM-DDTHH:MM:SS in UTC (sort by date, ties by id)
    source, category    keywords (filters, facets)
    author              keyword: the byline as published (filters, facets)
    group               keyword: the story the document is a copy of (its own id when none)
    fingerprint         keywords, several per document: its near-duplicate keys (search/grouping)
    stored              the displayed fields (Document.stored()) and the group, returned as they are
"""
from __future__ import annotations

from dataclasses import dataclass

from ..documents import AnalyzedDocument, day_of, instant_of

TEXT_FIELDS = ("title", "body", "lead", "exact", "byline")
KEYWORD_FIELDS = ("day", "time", "source", "category", "author", "group")


@dataclass(frozen=True)
class IndexFields:
    id: str
    title: str
    body: str
    lead: str
    exact: str
    byline: str
    day: str | None
    time: str | None
    source: str | None
    category: str | None
    author: str | None
    group: str
    fingerprint: tuple[str, ...]
    stored: dict

    def keywords(self) -> dict[str, str]:
        """The keyword fields a document has a value for (day, time, source, category, author, group)."""
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
        byline=doc.byline,
        day=day_of(d.date),
        time=instant_of(d.date),
        source=d.source,
        category=d.category,
        author=d.author,
        group=group,
        fingerprint=doc.fingerprint,
        stored={**d.stored(), "group": group},
    )
