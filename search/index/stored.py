"""The stored document of the Tantivy index: a short head, then the rest, each JSON.

Grouping reads a stored document for every ranked hit it passes (the story of
each, and the source and date of the copies it lists), and decoding a whole
article's JSON for that was most of the cost of a short query on a large
archive. So the few fields grouping needs are written first, as a JSON object
of their own on one line, and the rest (title, body, ...) is decoded only when
a field of it is asked for: the hits a page shows. Compact JSON escapes every
newline inside its strings, so the first newline is the boundary; a document
without one was written whole, by an older index.
"""
from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

HEAD_FIELDS = ("id", "group", "source", "date")
_ABSENT = object()


def encode(stored: dict) -> bytes:
    head = {k: stored[k] for k in HEAD_FIELDS if k in stored}
    rest = {k: v for k, v in stored.items() if k not in head}
    return (json.dumps(head, ensure_ascii=False) + "\n" + json.dumps(rest, ensure_ascii=False)).encode("utf-8")


def decode(raw: bytes) -> Mapping:
    """The stored fields, the rest read on first use of one of them."""
    head, newline, rest = raw.partition(b"\n")
    if not newline:
        return json.loads(raw)
    # Decoded to str first: json.loads of bytes first guesses their encoding.
    return StoredFields(json.loads(head.decode("utf-8")), rest)


class StoredFields(Mapping):
    """Stored fields whose head is decoded and whose rest is decoded when first needed."""

    __slots__ = ("_fields", "_rest")

    def __init__(self, head: dict, rest: bytes) -> None:
        self._fields = head
        self._rest: bytes | None = rest

    def _all(self) -> dict:
        if self._rest is not None:
            # Head first, then the rest: the key order of Document.stored() is not kept, nor needed.
            self._fields.update(json.loads(self._rest.decode("utf-8")))
            self._rest = None
        return self._fields

    def get(self, key: str, default=None):
        # Mapping.get goes through __getitem__ and an exception: this is the call grouping makes per hit.
        fields = self._fields
        if key in fields:
            return fields[key]
        if self._rest is None or key in HEAD_FIELDS:  # a head field not in the head is not stored at all
            return default
        return self._all().get(key, default)

    def __getitem__(self, key: str):
        value = self.get(key, _ABSENT)
        if value is _ABSENT:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def __repr__(self) -> str:
        return f"StoredFields({self._all()!r})"
