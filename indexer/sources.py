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
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from search.documents import MAX_ID_CHARS, Document

MAX_RECORD_BYTES = 2_000_000  # a news article is a few KB; a 2 MB line is a dump, not an article
SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")

# Skip reasons, as reported in the summary.
INVALID_UTF8 = "invalid UTF-8"
INVALID_JSON = "invalid JSON"
TOO_DEEP = "JSON nested too deeply"
NOT_OBJECT = "not a JSON object"
MISSING_ID = "missing id"
ID_NOT_STRING = "id must be a string"
EMPTY = "empty title and body"
OVERSIZE = "oversize record"
INVALID_DATE = "invalid date ignored"  # a warning: the document is still indexed
BOM = b"\xef\xbb\xbf"


def wrong_type(name: str) -> str:
    """The skip reason of a field that is neither a string nor null."""
    return f"{name} must be a string"

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


TEXT_FIELDS = ("title", "body", "source", "category", "url", "author", "abstract")


class SourceError(Exception):
    """A source path that cannot be read at all (missing, not JSON Lines)."""


@dataclass(frozen=True)
class Unread:
    """A file of a source directory that is not read, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Record:
    location: str  # "path:line"
    document: Document | None = None
    skip_reason: str | None = None
    warning: str | None = None


def source_files(sources: list[str | Path]) -> list[Path]:
    """The JSON Lines files named by `sources`, directories expanded in name order."""
    return scan_sources(sources)[0]


def scan_sources(sources: list[str | Path]) -> tuple[list[Path], list[Unread]]:
    """(the JSON Lines files named by `sources`, the files of their directories left unread).

    A file named explicitly is always read; in a directory only the JSON Lines
    suffixes are, and everything else there is reported rather than ignored.
    """
    files: list[Path] = []
    unread: list[Unread] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            found = []
            for p in sorted(path.rglob("*")):
                if p.is_dir():
                    continue
                if not p.exists():
                    unread.append(Unread(str(p), "broken link"))
                elif not p.is_file():
                    unread.append(Unread(str(p), "not a regular file"))
                elif p.name.endswith(SUFFIXES):
                    found.append(p)
                else:
                    unread.append(Unread(str(p), f"not {', '.join(SUFFIXES)}"))
            if not found:
                raise SourceError(f"{path} holds no .jsonl or .jsonl.gz files")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise SourceError(f"{path}: no such file or directory")
    return files, unread


def _clean(value: str) -> str:
    # NUL, other C0 controls and lone surrogates (legal in JSON escapes) would break
    # every consumer downstream; tabs and newlines stay.
    return _CONTROL_RE.sub("", value).strip()


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
    if parsed.tzinfo is not None:
        # Stored in UTC, so that dates from different zones sort and filter together.
        parsed = parsed.astimezone(timezone.utc)
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
            author=" ".join(fields["author"].split()) or None,
            abstract=fields["abstract"] or None,
        ),
        None,
        warning,
    )


def _lines(path: Path) -> Iterator[bytes]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as f:
        first = f.readline()
        # Editors on some systems start UTF-8 files with a byte-order mark.
        yield first[len(BOM):] if first.startswith(BOM) else first
        yield from f


def load_line(raw: bytes) -> tuple[object, str | None]:
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
    except RecursionError:  # e.g. a line of 1,500 "[": the parser's stack, not ours
        return None, TOO_DEEP


def parse_line(raw: bytes) -> tuple[Document | None, str | None, str | None]:
    """(document, skip reason, warning) for one non-blank line of a source."""
    obj, reason = load_line(raw)
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
        obj, reason = load_line(raw)
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
    if raw_id is None:
        return None, MISSING_ID, None
    # An integer id (a database key) is its decimal string; any other
    # non-string (1.5, true, a list) is a mistake worth reporting as such.
    if isinstance(raw_id, int) and not isinstance(raw_id, bool):
        raw_id = str(raw_id)
    if not isinstance(raw_id, str):
        return None, ID_NOT_STRING, None
    doc_id = _clean(raw_id)
    if not doc_id:
        return None, MISSING_ID, None
    if len(doc_id) > MAX_ID_CHARS:
        return None, OVERSIZE, None
    for name in (*TEXT_FIELDS, "date"):
        value = obj.get(name)
        # A title of 123 or true is a broken export, not a headline "123".
        if value is not None and not isinstance(value, str):
            return None, wrong_type(name), None
    if not (_has_text(obj.get("title")) or _has_text(obj.get("body"))):
        return None, EMPTY, None
    return doc_id, None, _date(obj.get("date"))[1]


def _has_text(value: object) -> bool:
    """Whether _clean(value) is non-empty, mostly without rewriting the value."""
    if value is None:
        return False
    stripped = value.strip()
    # Its first character is not a space; unless it is a control character, cleaning keeps it.
    if not stripped or not _CONTROL_RE.match(stripped):
        return bool(stripped)
    return bool(_clean(value))
