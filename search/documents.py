"""The document model shared by the indexer, the index, the searcher and the result schema.

Fields, facets, limits and the day format live here and nowhere else.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# Fields a result displays, in the order of the JSON schema.
STORED_FIELDS = ("id", "title", "body", "date", "source", "category", "url", "author", "abstract")
# Keyword fields counted per value and filtered on; a document without a value is in no bucket.
FACET_FIELDS = ("source", "category", "author")
# An id longer than this is not an article's id: refused by the indexer, never looked up.
MAX_ID_CHARS = 512
_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INSTANT_RE = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2})?")
# Arabic-Indic (٠-٩) and Eastern Arabic-Indic (۰-۹) digits, as an Arabic keyboard types a date.
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)


def parse_day(value: object) -> str:
    """`value` as a YYYY-MM-DD day, or ValueError: the one check of every date bound and filter.

    The digits may be Arabic-Indic (٢٠١٨-٠٢-١٨) as well as ASCII; the day is returned in ASCII.
    """
    if not isinstance(value, str):
        raise ValueError(f"invalid date {value!r}: expected YYYY-MM-DD")
    ascii_day = value.translate(_ARABIC_DIGITS)
    if not _DAY_RE.fullmatch(ascii_day):
        raise ValueError(f"invalid date {value!r}: expected YYYY-MM-DD")
    try:
        return date.fromisoformat(ascii_day).isoformat()
    except ValueError:
        raise ValueError(f"invalid date {value!r}: expected YYYY-MM-DD") from None


def day_of(value: str | None) -> str | None:
    """The YYYY-MM-DD day of a stored ISO date (or None when it has none)."""
    if not value:
        return None
    head = value[:10]
    return head if _DAY_RE.fullmatch(head) else None


def instant_of(value: str | None) -> str | None:
    """The YYYY-MM-DDTHH:MM:SS instant (UTC) of a stored date, midnight for a day alone; None without one.

    Stored dates are already UTC (indexer/sources.py); this fixed-width form
    sorts as text in the order of time.
    """
    if not value or not _INSTANT_RE.fullmatch(value[:19]):
        return None
    return value[:19] if len(value) >= 19 else value[:10] + "T00:00:00"


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
    author: str | None = None  # the byline as published: a facet, and searched by `author:`
    abstract: str | None = None  # the outlet's summary, often the body's opening

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
    byline: str = ""  # stems of the author, searched by `author:`
    # The story this document is a copy of (search/grouping.py): the id of
    # its group's first document; None when not grouped (its own group).
    group: str | None = None
    # Its fingerprint keys (search/grouping): how a copy written later finds it.
    fingerprint: tuple[str, ...] = ()
