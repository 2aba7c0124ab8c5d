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

from search.documents import Document

MAX_RECORD_BYTES = 2_000_000  # a news article is a few KB; a 2 MB line is a dump, not an article
MAX_ID_CHARS = 512
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
    fields = {}
    for name in ("title", "body", "source", "category", "url"):
        value = obj.get(name)
        if isinstance(value, (dict, list)):
            return None, BAD_FIELD, None
        fields[name] = _clean(value) if value is not None else ""
    if not fields["title"] and not fields["body"]:
        return None, EMPTY, None
    date, warning = _date(obj.get("date"))
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


def read_records(path: Path) -> Iterator[Record]:
    """Every record of one file, in order. A truncated gzip ends with one skipped record."""
    lineno = 0
    try:
        for lineno, raw in enumerate(_lines(path), start=1):
            location = f"{path}:{lineno}"
            if not raw.strip():
                continue
            if len(raw) > MAX_RECORD_BYTES:
                yield Record(location, skip_reason=OVERSIZE)
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                yield Record(location, skip_reason=INVALID_UTF8)
                continue
            try:
                obj = json.loads(text)
            except ValueError:
                yield Record(location, skip_reason=INVALID_JSON)
                continue
            doc, reason, warning = to_document(obj)
            yield Record(location, document=doc, skip_reason=reason, warning=warning)
    except (OSError, EOFError, zlib.error) as exc:
        # A damaged or truncated archive: what was read stays, the rest is reported.
        yield Record(f"{path}:{lineno + 1}", skip_reason=f"unreadable from here on ({exc.__class__.__name__}: {exc})")
