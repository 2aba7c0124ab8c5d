"""A whole result set as CSV or JSON Lines, one line at a time (the export of the API and the CLI).

Rows come from Searcher.export, which walks the matches in one pass inside
the backend (no offset paging); nothing here holds more than one row.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Iterable, Iterator

from .results import Hit

# Rows an export holds at most; narrow the search (filters, dates) for more.
EXPORT_CAP = 100_000
COLUMNS = ("id", "title", "date", "source", "category", "author", "url", "score")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
FORMATS = tuple(MEDIA_TYPES)
# A cell a spreadsheet would run as a formula: kept as text by a leading quote (OWASP's advice).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_lines(hits: Iterable[Hit]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180

    def line(row) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        return buffer.getvalue()

    yield "\ufeff" + line(COLUMNS)  # a BOM: spreadsheets then read the Arabic as UTF-8
    for hit in hits:
        yield line([_cell(getattr(hit, name)) for name in COLUMNS[:-1]] + [repr(hit.score)])


def jsonl_lines(hits: Iterable[Hit]) -> Iterator[str]:
    for hit in hits:
        yield json.dumps({name: getattr(hit, name) for name in COLUMNS}, ensure_ascii=False) + "\n"


def export_lines(hits: Iterable[Hit], format: str) -> Iterator[str]:
    return csv_lines(hits) if format == "csv" else jsonl_lines(hits)
