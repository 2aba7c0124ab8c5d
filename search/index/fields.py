"""Document -> the fields every engine indexes: one mapping, so the three backends index alike.

    id                  exact id (lookups, deletes, tie-break)
    title, body         stems, frequencies only (BM25 needs no positions for them)
    lead                stems of the body's opening
    exact               exact forms of title (abstract) then body, with positions (phrases)
    pairs               each two adjacent exact forms as one term (two-word phrases, looked up)
    sample              keyword: one of SAMPLE_SLICES slices, from a hash of the id (estimated facets)
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

import zlib
from dataclasses import dataclass

from ..analysis import FIELD_GAP
from ..documents import AnalyzedDocument, day_of, instant_of

TEXT_FIELDS = ("title", "body", "lead", "exact", "byline")
KEYWORD_FIELDS = ("day", "time", "source", "category", "author", "group")
# Joins the two exact forms of a pair term: words never hold it (search/arabic/tokenize.py).
PAIR_JOIN = "_"


# Documents fall into this many slices of about equal size, by id: counting the
# matches of a few slices and scaling up estimates facets of a large result.
SAMPLE_SLICES = 64


def sample_slice(doc_id: str) -> str:
    """The slice of a document: a stable hash of its id (not Python's hash(), which changes per process)."""
    return str(zlib.crc32(doc_id.encode("utf-8")) % SAMPLE_SLICES)


def pair_term(first: str, second: str) -> str:
    """The term of two adjacent exact forms in the `pairs` field."""
    return f"{first}{PAIR_JOIN}{second}"


def adjacent_pairs(exact: str) -> str:
    """Each two adjacent forms of a space-joined exact field as one term, space-joined; none across the title's end."""
    # Joined by str.join over zip, at C speed: this runs for every document indexed.
    join = PAIR_JOIN.join
    pairs = []
    for part in exact.split(FIELD_GAP):
        words = part.split()
        pairs += map(join, zip(words, words[1:]))
    return " ".join(pairs)


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

    @property
    def pairs(self) -> str:
        return adjacent_pairs(self.exact)

    @property
    def sample(self) -> str:
        return sample_slice(self.id)

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
