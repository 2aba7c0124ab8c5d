"""Ranked Tantivy hits whose stored documents are read only when a field of one is asked for.

Grouping passes about two ranked hits for each story it keeps (copies of one
story rank side by side), and reading a stored document (a block of the store
decompressed, the document copied out) was most of the Python cost of a batch
query. With the story column, each hit's story comes from one read of the column
for the whole ranking, and only the hits that are kept read their documents.
"""
from __future__ import annotations

from collections.abc import Mapping

import tantivy

from .base import BackendHit
from .stored import decode


def stored(searcher: tantivy.Searcher, address) -> Mapping:
    """The stored fields of the document at `address` (Document.stored() and its group), its head decoded (stored.py)."""
    return decode(searcher.doc(address).get_first("doc"))


class ReadOnUse(BackendHit):
    """A hit whose id and fields are read from the store on first use; its story is known already."""

    def __init__(self, score: float, story: int | None, searcher: tantivy.Searcher, address) -> None:
        self.score, self.story = score, story
        self._at: tuple | None = (searcher, address)
        self._fields: Mapping | None = None

    @property
    def fields(self) -> Mapping:
        if self._fields is None:
            self._fields = stored(*self._at)
            self._at = None  # the searcher is not kept alive by a page held for later
        return self._fields

    @property
    def id(self) -> str:
        return self.fields["id"]


def ranked(searcher: tantivy.Searcher, hits: list, story_column: bool):
    """BackendHits of a search's (score, address) pairs, in its order; stories read from the column when there is one."""
    if not story_column:
        return (BackendHit(id=f["id"], score=float(key), fields=f) for key, address in hits for f in [stored(searcher, address)])
    stories = searcher.fast_field_values("story", [address for _, address in hits])
    return (ReadOnUse(float(key), story, searcher, address) for (key, address), story in zip(hits, stories))
