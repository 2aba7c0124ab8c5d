"""Source validation, row by row: each record ends as a document or with its reason."""
from __future__ import annotations

import json
import os

import pytest

from indexer.sources import (
    EMPTY,
    ID_NOT_STRING,
    INVALID_DATE,
    INVALID_JSON,
    MISSING_ID,
    NOT_OBJECT,
    TOO_DEEP,
    parse_line,
    read_records,
    scan_records,
    scan_sources,
    wrong_type,
)

from .conftest import write_jsonl

BODY = {"body": "نص الخبر"}

# (record, expected skip reason or None, expected fields of the document)
ROWS = [
    ({"id": "a", **BODY}, None, {"id": "a"}),
    ({"id": 42, **BODY}, None, {"id": "42"}),
    ({"id": 1.5, **BODY}, ID_NOT_STRING, None),
    ({"id": True, **BODY}, ID_NOT_STRING, None),
    ({"id": ["a"], **BODY}, ID_NOT_STRING, None),
    ({"id": None, **BODY}, MISSING_ID, None),
    ({**BODY}, MISSING_ID, None),
    ({"id": "  ", **BODY}, MISSING_ID, None),
    ({"id": "t", "title": 123, **BODY}, wrong_type("title"), None),
    ({"id": "t", "title": True, **BODY}, wrong_type("title"), None),
    ({"id": "t", "title": {"ar": "x"}, **BODY}, wrong_type("title"), None),
    ({"id": "t", "body": ["a", "b"]}, wrong_type("body"), None),
    ({"id": "t", "source": 7, **BODY}, wrong_type("source"), None),
    ({"id": "t", "category": False, **BODY}, wrong_type("category"), None),
    ({"id": "t", "url": 1, **BODY}, wrong_type("url"), None),
    ({"id": "t", "date": 20180301, **BODY}, wrong_type("date"), None),
    ({"id": "t", "title": None, "body": None}, EMPTY, None),
    ({"id": "t", "title": "عنوان", "source": None}, None, {"title": "عنوان", "source": None}),
    # Dates with an offset are stored in UTC; a day stays a day.
    ({"id": "d", "date": "2024-05-01T23:30:00+03:00", **BODY}, None, {"date": "2024-05-01T20:30:00"}),
    ({"id": "d", "date": "2024-05-01T23:30:00-02:00", **BODY}, None, {"date": "2024-05-02T01:30:00"}),
    ({"id": "d", "date": "2024-05-01T10:00:00Z", **BODY}, None, {"date": "2024-05-01T10:00:00"}),
    ({"id": "d", "date": "2024-05-01T10:00:00", **BODY}, None, {"date": "2024-05-01T10:00:00"}),
    ({"id": "d", "date": "2024-05-01", **BODY}, None, {"date": "2024-05-01"}),
    ({"id": "d", "date": "yesterday", **BODY}, None, {"date": None}),
]


@pytest.mark.parametrize("record, reason, expected", ROWS, ids=[json.dumps(r[0], ensure_ascii=False)[:60] for r in ROWS])
def test_record_validation_table(record, reason, expected):
    doc, skip, _ = parse_line(json.dumps(record, ensure_ascii=False).encode())
    assert skip == reason
    if expected is None:
        assert doc is None
    else:
        for name, value in expected.items():
            assert getattr(doc, name) == value


# (raw line, expected skip reason)
RAW_ROWS = [
    (b"[" * 1500, TOO_DEEP),
    (b'{"id": "x", "body": ' + b"[" * 5000 + b"]" * 5000 + b"}", TOO_DEEP),
    (b"{" * 100_000, INVALID_JSON),
    (b'{"id": ', INVALID_JSON),
    (b"[1, 2]", NOT_OBJECT),
    (b'"text"', NOT_OBJECT),
]


@pytest.mark.parametrize("raw, reason", RAW_ROWS, ids=[r[0][:20].decode() for r in RAW_ROWS])
def test_raw_line_table(raw, reason):
    assert parse_line(raw)[1] == reason


def test_deeply_nested_line_is_skipped_in_both_passes_and_the_rest_is_read(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", [{"id": "a", **BODY}, b"[" * 1500, {"id": "b", **BODY}])
    assert [r[2] for r in scan_records(path)] == [None, TOO_DEEP, None]
    assert [(r.location.rsplit(":", 1)[1], r.skip_reason) for r in read_records(path)] == [("1", None), ("2", TOO_DEEP), ("3", None)]


def test_a_utf8_bom_on_the_first_line_is_accepted(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "a", **BODY}).encode() + b"\n" + json.dumps({"id": "b", **BODY}).encode() + b"\n")
    assert [r.document.id for r in read_records(path)] == ["a", "b"]
    assert [r[1] for r in scan_records(path)] == ["a", "b"]


def test_invalid_date_is_a_warning_and_the_document_stays():
    doc, skip, warning = parse_line(json.dumps({"id": "a", "date": "31/02/2020", **BODY}).encode())
    assert (doc.id, doc.date, skip, warning) == ("a", None, None, INVALID_DATE)


def test_files_of_a_directory_that_are_not_read_are_listed(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    write_jsonl(src / "a.jsonl", [{"id": "a", **BODY}])
    (src / "notes.txt").write_text("x")
    os.symlink(src / "gone.jsonl", src / "broken.jsonl")
    files, unread = scan_sources([src])
    assert files == [src / "a.jsonl"]
    assert {(os.path.basename(u.path), u.reason.split(" ")[0]) for u in unread} == {("notes.txt", "not"), ("broken.jsonl", "broken")}
