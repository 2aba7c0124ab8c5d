"""Read JSON Lines sources (files or directories, plain or gzip) into validated documents.

Every non-blank line is a record, and every record ends either as a `Document`
or with a skip reason and its location (file:line); nothing is dropped silently.
"""
from __future__ import annotations

import gzip
import json
import re
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterator

from search.documents import MAX_ID_CHARS, Document

MAX_RECORD_BYTES = 2_000_000  # a news article is a few KB; a 2 MB line is a dump, not an article
SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")

# Skip reasons, as reported in the summary.
INVALID_UTF8 = "invalid UTF-8"
INVALID_JSON = "invalid JSON"
NOT_OBJECT = "not a JSON object"
MISSING_ID = "missing id"
EMPTY = "empty title and body"
OVERSIZE = "oversize record"
BAD_FIELD = "field of the wrong type"
INVALID_DATE = "invalid date ignored"  # a warning: the document is still indexed

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


TEXT_FIELDS = ("title", "body", "source", "category", "url")


class SourceError(Exception):
    """A source path that cannot be read at all (missing, not JSON Lines)."""


@dataclass(frozen=True)
class Record:
    location: str  # "path:line"
    document: Document | None = None
    skip_reason: str | None = None
    warning: str | None = None


def source_files(sources: list[str | Path]) -> list[Path]:
    """The JSON Lines files named by `sources`, directories expanded in name order."""
    files: list[Path] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith(SUFFIXES))
            if not found:
                raise SourceError(f"{path} holds no .jsonl or .jsonl.gz files")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise SourceError(f"{path}: no such file or directory")
    return files


def _clean(value: object) -> str:
    # NUL, other C0 controls and lone surrogates (legal in JSON escapes) would break
    # every consumer downstream; tabs and newlines stay.
    return _CONTROL_RE.sub("", value).strip() if isinstance(value, str) else str(value).strip()


def _date(value: object) -> tuple[str | None, str | None]:
    if value in (None, ""):
        return None, None
    text = _clean(value)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        return None, INVALID_DATE
    if len(text) <= 10:
        return parsed.strftime("%Y-%m-%d"), None
    return parsed.replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M:%S"), None


def to_document(obj: object) -> tuple[Document | None, str | None, str | None]:
    """(document, skip reason, warning) for one parsed JSON value."""
    doc_id, reason, warning = _check(obj)
    if reason is not None:
        return None, reason, None
    fields = {name: _clean(obj[name]) if obj.get(name) is not None else "" for name in TEXT_FIELDS}
    date, _ = _date(obj.get("date"))
    return (
        Document(
            id=doc_id,
            title=fields["title"],
            body=fields["body"],
            date=date,
            source=fields["source"] or None,
            category=fields["category"] or None,
            url=fields["url"] or None,
        ),
        None,
        warning,
    )


def _lines(path: Path) -> Iterator[bytes]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as f:
        yield from f


def _load(raw: bytes) -> tuple[object, str | None]:
    """(the parsed JSON value, None) or (None, skip reason) for one non-blank line."""
    if len(raw) > MAX_RECORD_BYTES:
        return None, OVERSIZE
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, INVALID_UTF8
    try:
        return json.loads(text), None
    except ValueError:
        return None, INVALID_JSON


def parse_line(raw: bytes) -> tuple[Document | None, str | None, str | None]:
    """(document, skip reason, warning) for one non-blank line of a source."""
    obj, reason = _load(raw)
    if reason is not None:
        return None, reason, None
    return to_document(obj)


def read_records(path: Path) -> Iterator[Record]:
    """Every record of one file, in order. A truncated gzip ends with one skipped record."""
    for lineno, raw, error in _numbered_lines(path):
        location = f"{path}:{lineno}"
        if error is not None:
            yield Record(location, skip_reason=error)
            continue
        doc, reason, warning = parse_line(raw)
        yield Record(location, document=doc, skip_reason=reason, warning=warning)


def scan_records(path: Path) -> Iterator[tuple[int, str | None, str | None, str | None]]:
    """(line number, id, skip reason, warning) of every record of one file, as read_records
    would judge it, without building documents: the first pass of a reindex needs no more."""
    for lineno, raw, error in _numbered_lines(path):
        if error is not None:
            yield lineno, None, error, None
            continue
        obj, reason = _load(raw)
        if reason is not None:
            yield lineno, None, reason, None
        else:
            yield (lineno, *_check(obj))


def select_lines(path: Path, wanted: set[int]) -> Iterator[bytes]:
    """The raw lines of one file whose line numbers are in `wanted`, in order."""
    try:
        for lineno, raw in enumerate(_lines(path), start=1):
            if lineno in wanted:
                yield raw
    except (OSError, EOFError, zlib.error):
        return  # scan_records reported where the file stops being readable


def _numbered_lines(path: Path) -> Iterator[tuple[int, bytes, str | None]]:
    # (line number, raw line, None) for each non-blank line; a damaged or
    # truncated archive ends with (next line number, b"", reason): what was
    # read stays, the rest is reported.
    lineno = 0
    try:
        for lineno, raw in enumerate(_lines(path), start=1):
            if raw.strip():
                yield lineno, raw, None
    except (OSError, EOFError, zlib.error) as exc:
        yield lineno + 1, b"", f"unreadable from here on ({exc.__class__.__name__}: {exc})"


def _check(obj: object) -> tuple[str | None, str | None, str | None]:
    """(id, skip reason, warning): the verdict of to_document without cleaning every field."""
    if not isinstance(obj, dict):
        return None, NOT_OBJECT, None
    raw_id = obj.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)):
        return None, MISSING_ID, None
    doc_id = _clean(raw_id)
    if not doc_id:
        return None, MISSING_ID, None
    if len(doc_id) > MAX_ID_CHARS:
        return None, OVERSIZE, None
    for name in TEXT_FIELDS:
        if isinstance(obj.get(name), (dict, list)):
            return None, BAD_FIELD, None
    if not (_has_text(obj.get("title")) or _has_text(obj.get("body"))):
        return None, EMPTY, None
    return doc_id, None, _date(obj.get("date"))[1]


def _has_text(value: object) -> bool:
    """Whether _clean(value) is non-empty, mostly without rewriting the value."""
    if value is None:
        return False
    if isinstance(value, str):
        stripped = value.strip()
        # Its first character is not a space; unless it is a control character, cleaning keeps it.
        if not stripped or not _CONTROL_RE.match(stripped):
            return bool(stripped)
    return bool(_clean(value))
