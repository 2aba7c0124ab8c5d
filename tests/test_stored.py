"""The Tantivy index's stored document: its head read alone, the rest when asked for, the same fields either way."""
from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.index.stored import HEAD_FIELDS, decode, encode

values = st.one_of(st.none(), st.text(), st.lists(st.text(), max_size=3))
stored = st.dictionaries(st.sampled_from(HEAD_FIELDS + ("title", "body", "url", "categories")), values).map(
    lambda d: {"id": "x", **d})


@given(stored)
def test_what_is_written_is_read_back(fields):
    read = decode(encode(fields))
    assert dict(read) == fields
    assert {k: read.get(k) for k in HEAD_FIELDS} == {k: fields.get(k) for k in HEAD_FIELDS}


@pytest.mark.parametrize("fields", [
    {"id": "a", "group": "g", "source": "BBC", "date": "2020-01-02T03:04:05", "title": "سطر\nآخر", "body": "نص"},
    {"id": "b", "title": "بلا مصدر", "body": "\n\n"},  # no group, source or date: absent, not None
    {"id": "c", "group": "c"},  # nothing but the head
])
def test_head_fields_are_read_without_the_rest(fields):
    read = decode(encode(fields))
    assert [read.get(k) for k in HEAD_FIELDS] == [fields.get(k) for k in HEAD_FIELDS]
    assert read._rest is not None  # the title and body were not decoded for that
    assert read.get("title") == fields.get("title") and read._rest is None
    assert dict(read) == fields and ("body" in read) == ("body" in fields)


def test_a_document_written_whole_by_an_older_index_is_read_whole():
    fields = {"id": "old", "title": "عنوان", "body": "نص", "group": "old"}
    assert decode(json.dumps(fields, ensure_ascii=False).encode("utf-8")) == fields


def test_a_missing_field_is_a_key_error():
    read = decode(encode({"id": "a", "title": "t"}))
    with pytest.raises(KeyError):
        read["author"]
    with pytest.raises(KeyError):
        read["group"]
    assert read.get("author", "none") == "none" and read.get("group") is None and read.get("title") == "t"
