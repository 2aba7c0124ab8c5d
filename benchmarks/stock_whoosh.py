"""BASELINE ONLY, not Fahras: stock Whoosh as a newcomer would set it up, to compare Fahras against.

Whoosh's own StandardAnalyzer (regex tokenizer, lowercase, English stop
words; no Arabic normalisation, no stemming) on stored title and body, BM25F
with Whoosh's defaults, and every query parsed by Whoosh's MultifieldParser
over both fields with an OR group. Snippets are Whoosh's own highlights of
the body. It reads the same sources through Fahras's validating reader (same
documents, a later record with the same id wins), so the document counts
match; everything else is plain Whoosh, with a default writer (one process).
"""
from __future__ import annotations

import os
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import MultifieldParser, OrGroup
from whoosh.scoring import BM25F

from indexer.sources import parse_line, scan_records, select_lines, source_files

INDEX_NAME = "stock"


def schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=StandardAnalyzer(), stored=True),
        body=TEXT(analyzer=StandardAnalyzer(), stored=True),
    )


def build(sources: list[str | Path], index_dir: Path) -> int:
    """Index the surviving documents of `sources` into `index_dir`; the number indexed."""
    files = source_files(sources)
    last: dict[str, tuple[int, int]] = {}
    for n, path in enumerate(files):
        for lineno, doc_id, _reason, _warning in scan_records(path):
            if doc_id is not None:
                last[doc_id] = (n, lineno)
    keep: list[set[int]] = [set() for _ in files]
    for n, lineno in last.values():
        keep[n].add(lineno)
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(index_dir), schema(), indexname=INDEX_NAME)
    writer = ix.writer()
    count = 0
    for path, wanted in zip(files, keep):
        for raw in select_lines(path, wanted):
            doc = parse_line(raw)[0]
            if doc is not None:
                writer.add_document(id=doc.id, title=doc.title, body=doc.body)
                count += 1
    writer.commit()
    return count


class StockSearcher:
    """Top-k search over a stock index: ids and titles, with Whoosh's body highlights when asked."""

    def __init__(self, index_dir: Path) -> None:
        self._index = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME, readonly=True)
        self._searcher = self._index.searcher(weighting=BM25F())
        self._parser = MultifieldParser(["title", "body"], self._index.schema, group=OrGroup)

    def search(self, text: str, limit: int = 10, snippets: bool = False) -> list[dict]:
        results = self._searcher.search(self._parser.parse(text), limit=limit)
        hits = []
        for hit in results:
            fields = hit.fields()
            entry = {"id": fields["id"], "title": fields.get("title", "")}
            if snippets:
                entry["snippet"] = hit.highlights("body")
            hits.append(entry)
        return hits

    def close(self) -> None:
        self._searcher.close()


def index_size(index_dir: Path) -> int:
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(index_dir) for f in files)
