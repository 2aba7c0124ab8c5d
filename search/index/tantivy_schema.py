"""The schema of a Fahras Tantivy index, and the one of indexes written before its pairs and sample fields."""
from __future__ import annotations

import tantivy

from ..documents import FACET_FIELDS
from .tantivy_order import time_seconds

# Positions are kept on `exact` (phrases are matched on exact forms) and on the short `byline`.
# `pairs` holds each two adjacent exact forms as one term: a two-word phrase is
# then a term lookup, and a query of terms only can skip (block-max WAND),
# where a phrase clause visits every match.
INDEX_OPTION = {"title": "freq", "body": "freq", "lead": "freq", "exact": "position", "byline": "position", "pairs": "freq"}


def schema(pairs: bool = True) -> tantivy.Schema:
    """The schema this Fahras writes; without `pairs`, the one of indexes written before the pairs and sample fields (still read)."""
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
    b.add_text_field("fingerprint", tokenizer_name="raw", index_option="basic")
    if pairs:
        b.add_text_field("sample", tokenizer_name="raw", index_option="basic")
    # Document.stored() as JSON, as in the Whoosh backend: only this is stored.
    b.add_bytes_field("doc", stored=True)
    return b.build()


def written_fields(existing: tantivy.Schema) -> tuple[str, ...]:
    """The text fields a document gets in an index of this schema: live writes into an older index keep its schema."""
    return tuple(n for n in INDEX_OPTION if n != "pairs") if existing == schema(pairs=False) else tuple(INDEX_OPTION)


def day_number(day: str | None) -> int | None:
    """YYYY-MM-DD -> YYYYMMDD."""
    return int(day.replace("-", "")) if day else None


# The keyword fields kept as integer columns, and how a value becomes one.
INTEGERS = {"day": day_number, "time": time_seconds}
