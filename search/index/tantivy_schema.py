"""The schema of a Fahras Tantivy index, and those of indexes written before its story column and its pairs and sample fields."""
from __future__ import annotations

import hashlib

import tantivy

from ..documents import FACET_FIELDS
from .tantivy_order import time_seconds

# Positions are kept on `exact` (phrases are matched on exact forms) and on the short `byline`.
# `pairs` holds each two adjacent exact forms as one term: a two-word phrase is
# then a term lookup, and a query of terms only can skip (block-max WAND),
# where a phrase clause visits every match.
INDEX_OPTION = {"title": "freq", "body": "freq", "lead": "freq", "exact": "position", "byline": "position", "pairs": "freq"}


def schema(pairs: bool = True, story: bool = True) -> tantivy.Schema:
    """The schema this Fahras writes; without `story`, the one before the story column; without `pairs` either,
    the one before the pairs and sample fields (both still read)."""
    b = tantivy.SchemaBuilder()
    # Fast, so that documents of one time are put in id order by aggregation.
    b.add_text_field("id", tokenizer_name="raw", index_option="basic", fast=True)
    for name, option in INDEX_OPTION.items():
        if name != "pairs" or pairs:
            b.add_text_field(name, tokenizer_name="whitespace", index_option=option)
    b.add_integer_field("day", indexed=True, fast=True)
    b.add_integer_field("time", indexed=True, fast=True)
    for name in FACET_FIELDS:
        # Indexed for filter term queries, fast (raw) for facet aggregation.
        b.add_text_field(name, tokenizer_name="raw", index_option="basic", fast=True)
    # The story a copy belongs to: fast, so that stories are counted by aggregation.
    b.add_text_field("group", tokenizer_name="raw", index_option="basic", fast=True)
    if story:
        # The group as an integer column: counting distinct stories over the matches
        # reads integers, where the text column decodes its dictionary (×4 the cost).
        b.add_integer_field("story", fast=True)
    b.add_text_field("fingerprint", tokenizer_name="raw", index_option="basic")
    if pairs:
        b.add_text_field("sample", tokenizer_name="raw", index_option="basic")
    # Document.stored() as JSON, as in the Whoosh backend: only this is stored.
    b.add_bytes_field("doc", stored=True)
    return b.build()


# The schemas read, newest first: (pairs and sample fields, story column).
KNOWN = ((True, True), (True, False), (False, False))


def story_key(group: str) -> int:
    """The story column's value of a group: 64 bits of its hash, the same in every process (not Python's hash())."""
    return int.from_bytes(hashlib.blake2b(group.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def variant(existing: tantivy.Schema) -> tuple[bool, bool] | None:
    """(pairs, story) of a schema this Fahras wrote, newest first; None for any other."""
    return next((known for known in KNOWN if existing == schema(*known)), None)


def written_fields(pairs: bool) -> tuple[str, ...]:
    """The text fields a document gets in an index with or without the pairs field: live writes into an older index keep its schema."""
    return tuple(INDEX_OPTION) if pairs else tuple(n for n in INDEX_OPTION if n != "pairs")


def day_number(day: str | None) -> int | None:
    """YYYY-MM-DD -> YYYYMMDD."""
    return int(day.replace("-", "")) if day else None


# The keyword fields kept as integer columns, and how a value becomes one.
INTEGERS = {"day": day_number, "time": time_seconds}
