"""News feeds (RSS 2.0, Atom) as a source: entries -> documents -> live writes, round after round.

Each entry becomes a document: id from its guid/id, else its link; the
title; the content (else the summary) as the body, HTML stripped; the
published (else updated) date in UTC; the feed's title as the source; its
first category; its link; its author; and, beside a full content, the
summary as the abstract. An entry whose document is already in the index
unchanged is skipped as such, so a second round adds nothing twice. A feed
that cannot be fetched or parsed is logged and skipped for that round;
nothing already indexed is touched.
"""
from __future__ import annotations

import time
import urllib.request
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import feedparser

from search.documents import STORED_FIELDS
from search.index import IndexUnavailable, open_reader

from .live import ensure_index, live_root, write
from .sources import to_document
from .summary import Summary

FETCH_TIMEOUT = 20.0
MAX_FEED_BYTES = 20_000_000  # a feed is a few hundred KB; more is not a feed
UNCHANGED = "unchanged since it was indexed"
NO_ID = "entry without guid, id or link"
_BLOCKS = {"p", "br", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote"}


class FeedError(Exception):
    """A feed that cannot be fetched or parsed this round."""


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data) -> None:
        if not self._skip:
            self.parts.append(data)


def strip_html(html: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, paragraphs kept as lines."""
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    lines = (" ".join(line.split()) for line in unescape("".join(parser.parts)).split("\n"))
    return "\n".join(line for line in lines if line)


def fetch(feed: str, timeout: float = FETCH_TIMEOUT) -> bytes:
    """The bytes of a feed URL (http, https) or local file; FeedError when unreachable or too large."""
    try:
        if feed.startswith(("http://", "https://")):
            request = urllib.request.Request(feed, headers={"User-Agent": "fahras-feeds/1"})
            with urllib.request.urlopen(request, timeout=timeout) as response:
                data = response.read(MAX_FEED_BYTES + 1)
        else:
            with open(Path(feed), "rb") as f:
                data = f.read(MAX_FEED_BYTES + 1)
    except (OSError, ValueError) as exc:  # URLError, timeouts and missing files are OSErrors
        raise FeedError(f"{feed}: cannot fetch: {exc}") from exc
    if len(data) > MAX_FEED_BYTES:
        raise FeedError(f"{feed}: over {MAX_FEED_BYTES} bytes, not read")
    return data


def _date(entry) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")  # a UTC struct_time
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed) if parsed else None


def entry_record(entry, feed_title: str | None) -> dict:
    """The JSON record of one feed entry, validated afterwards like any source record."""
    content = entry.get("content") or []
    body = max((c.get("value", "") for c in content), key=len, default="") or entry.get("summary", "")
    tags = [t.get("term") for t in entry.get("tags") or [] if t.get("term")]
    summary = strip_html(entry.get("summary", "")) if content else ""
    return {
        "id": entry.get("id") or entry.get("link"),
        "title": strip_html(entry.get("title", "")),
        "body": strip_html(body),
        "date": _date(entry),
        "source": feed_title or None,
        "category": tags[0] if tags else None,
        "url": entry.get("link"),
        "author": entry.get("author") or None,
        # With a full content, the summary is the outlet's abstract of it.
        "abstract": summary if summary and summary != strip_html(body) else None,
    }


def parse(feed: str, data: bytes) -> tuple[str | None, list]:
    """(the feed's title, its entries); FeedError if it is not a feed at all."""
    parsed = feedparser.parse(data)
    if parsed.get("bozo") and not parsed.entries:
        raise FeedError(f"{feed}: not a readable feed ({parsed.get('bozo_exception')})")
    return parsed.feed.get("title"), parsed.entries


@dataclass
class Round:
    summary: Summary
    errors: list[str]


def ingest_round(feeds: list[str], index_dir=None, timeout: float = FETCH_TIMEOUT) -> Round:
    """One round over `feeds`: new and changed entries written, one batch per feed."""
    started = time.perf_counter()
    root = live_root(index_dir)
    summary = Summary(index=root.location)
    errors = []
    with root.write_lock():
        ensure_index(root)
    for feed in feeds:
        try:
            title, entries = parse(feed, fetch(feed, timeout))
        except FeedError as exc:  # reported by the caller; the other feeds go on
            errors.append(str(exc))
            continue
        checked = []
        for i, entry in enumerate(entries):
            record = entry_record(entry, title)
            checked.append((f"{feed}#{i + 1}", *(to_document(record)[:2] if record["id"] else (None, NO_ID))))
        existing = _stored(root, [doc.id for _, doc, _ in checked if doc is not None])
        docs = []
        for location, doc, reason in checked:
            summary.read += 1
            if doc is None:
                summary.skip(reason, location)
            elif _displayed(existing.get(doc.id)) == doc.stored():
                summary.skip(UNCHANGED, location)
            else:
                docs.append(doc)
        if docs:
            summary.indexed += write(index_dir, docs).indexed
    summary.backend = root.manifest().backend
    summary.seconds = time.perf_counter() - started
    return Round(summary, errors)


def _stored(root, ids: list[str]) -> dict[str, dict]:
    """The indexed form of the documents with these ids, by id."""
    try:
        generation = root.current()
        reader = open_reader(root.manifest(generation).backend, generation)
    except IndexUnavailable:
        return {}
    try:
        return {doc_id: found for doc_id in set(ids) if (found := reader.get(doc_id)) is not None}
    finally:
        reader.close()


def _displayed(stored: dict | None) -> dict | None:
    # The index also stores the document's group, which the feed does not give.
    return {name: stored.get(name) for name in STORED_FIELDS} if stored is not None else None
