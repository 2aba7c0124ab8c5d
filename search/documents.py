"""The document model shared by the indexer, the backends and the result schema."""
from __future__ import annotations

from dataclasses import dataclass

# Fields a result displays, in the order of the JSON schema.
STORED_FIELDS = ("id", "title", "body", "date", "source", "category", "url")
FACET_FIELDS = ("source", "category")


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
