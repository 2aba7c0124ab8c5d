"""The document model shared by the indexer, the index, the searcher and the result schema.

Fields, facets, limits and the day format live here and nowhere else.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# Fields a result displays, in the order of the JSON schema.
STORED_FIELDS = ("id", "title", "body", "date", "source", "category", "url")
FACET_FIELDS = ("source", "category")
# An id longer than this is not an article's id: refused by the indexer, never looked up.
MAX_ID_CHARS = 512
_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(value: object) -> str:
    """`value` as a YYYY-MM-DD day, or ValueError: the one check of every date bound and filter."""
    if not isinstance(value, str) or not _DAY_RE.fullmatch(value):
        raise ValueError(f"invalid date {value!r}: expected YYYY-MM-DD")
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(f"invalid date {value!r}: expected YYYY-MM-DD") from None


def day_of(value: str | None) -> str | None:
    """The YYYY-MM-DD day of a stored ISO date (or None when it has none)."""
    if not value:
        return None
    head = value[:10]
    return head if _DAY_RE.fullmatch(head) else None


@dataclass(frozen=True)
class Document:
    """A validated news document: `id` is unique; text fields are clean strings."""

    id: str
    title: str = ""
    body: str = ""
    date: str | None = None  # ISO-8601, normalised to YYYY-MM-DDTHH:MM:SS
    source: str | None = None
    category: str | None = None
    url: str | None = None

    def stored(self) -> dict:
        return {name: getattr(self, name) for name in STORED_FIELDS}


@dataclass(frozen=True)
class AnalyzedDocument:
    """A document with its analysed forms: space-joined terms, ready for any backend."""

    document: Document
    title_stems: str
    body_stems: str
    lead_stems: str  # the body's opening: news states its subject first
    exact: str  # exact (normalised, unstemmed) forms of title then body
    # The story this document is a copy of (search/grouping.py): the id of
    # its group's first document; None when not grouped (its own group).
    group: str | None = None
    # Its fingerprint keys (search/grouping): how a copy written later finds it.
    fingerprint: tuple[str, ...] = ()
