"""Build a new index generation from sources and swap it in atomically.

Two passes over the sources: the first validates every record and finds the
last occurrence of each id (a later record with the same id wins); the second
analyses the surviving documents on every core and feeds the backend writer.
Until `IndexRoot.publish` renames the `current` link, the previous index is
untouched and served, whatever happens to this process.
"""
from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Iterator

from search import settings
from search.analysis import DEFAULT_CONFIG, AnalysisConfig, get_analyzer
from search.documents import AnalyzedDocument, Document
from search.grouping import DEFAULT_GROUPING, Fingerprint, Grouper, GroupingConfig
from search.index import IndexUnavailable, Manifest, capabilities, count_documents, create_writer, open_store
from search.suggest import phrases, written
from search.suggest.build import save_in as save_vocabulary

from . import journal
from . import live as live_writes
from .sources import scan_records, scan_sources, select_lines
from .summary import Summary
from .workers import Analysis

__all__ = ["DUPLICATE", "NOT_PUBLISHED", "PublishRefused", "Summary", "reindex"]

DUPLICATE = "duplicate id (a later record replaces it)"
NOT_PUBLISHED = "not published: the new index would be an accident"
BATCH = 200
# Below this many documents, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 2000


class PublishRefused(Exception):
    """The new generation looks like an accident (empty, or far smaller than the served one); nothing was published."""

    def __init__(self, message: str, summary: Summary) -> None:
        super().__init__(message)
        self.summary = summary


def _workers(requested: int | None) -> int:
    n = requested if requested is not None else int(settings.get("FAHRAS_WORKERS"))
    return n if n > 0 else (os.cpu_count() or 1)


def _survivors(files: list[Path], summary: Summary) -> list[set[int]]:
    """Pass 1: validate every record; per file, the line numbers of the last valid occurrence of each id."""
    last: dict[str, tuple[int, int]] = {}
    for index, path in enumerate(files):
        for lineno, doc_id, reason, warning in scan_records(path):
            summary.read += 1
            if doc_id is None:
                summary.skip(reason or "unknown", f"{path}:{lineno}")
                continue
            if warning:
                summary.warn(warning, f"{path}:{lineno}")
            previous = last.get(doc_id)
            if previous is not None:
                summary.skip(DUPLICATE, f"{files[previous[0]]}:{previous[1]}")
            last[doc_id] = (index, lineno)
    keep: list[set[int]] = [set() for _ in files]
    for index, lineno in last.values():
        keep[index].add(lineno)
    return keep


def _batches(files: list[Path], keep: list[set[int]]) -> Iterator[list[bytes]]:
    """Pass 2: the surviving records as raw lines, in source order, a batch at a time.

    Workers parse them: raw bytes cost next to nothing to send to a process,
    where documents would be pickled there and back.
    """
    batch: list[bytes] = []
    for path, wanted in zip(files, keep):
        if not wanted:
            continue
        for raw in select_lines(path, wanted):
            batch.append(raw)
            if len(batch) == BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


def _documents(rows: list[tuple], grouper: Grouper | None) -> list[AnalyzedDocument]:
    def group(doc_id: str, fp: Fingerprint | None, found: tuple[str, ...]) -> str | None:
        return grouper.assign(doc_id, fp, found) if grouper is not None and fp is not None else None

    return [AnalyzedDocument(Document(*fields), *forms, group=group(fields[0], fp, found), fingerprint=found)
            for fields, forms, fp, found in rows]


def reindex(
    sources: list[str | Path],
    index_dir: str | Path | None = None,
    backend: str | None = None,
    workers: int | None = None,
    config: AnalysisConfig = DEFAULT_CONFIG,
    progress: Callable[[int, int], None] | None = None,
    allow_shrink: bool = False,
    grouping: GroupingConfig | None = DEFAULT_GROUPING,
) -> Summary:
    """Index `sources` into a new generation of `index_dir` and serve it.

    Raises ReindexBusy, SourceError, and PublishRefused when the new index is
    empty or holds fewer than half the served documents (unless `allow_shrink`).
    Copies of one story are grouped (search/grouping.py) unless `grouping` is None.
    """
    started = time.perf_counter()
    backend = backend or settings.get("FAHRAS_BACKEND")
    root = open_store(index_dir, backend)  # IndexRoot, or a cluster alias
    summary = Summary(backend=backend, index=root.location)
    with root.writer_lock():
        files, unread = scan_sources(sources)
        summary.unread = [(u.path, u.reason) for u in unread]
        keep = _survivors(files, summary)
        total = sum(map(len, keep))
        # Refused before the build when pass 1 already tells, and again before the swap.
        _refuse_accident(root, total, allow_shrink, summary)
        # From here on, live writes are recorded for the replay.
        with root.write_lock(_write_wait()):
            journal.start(root.path)
        generation = root.new_generation()
        try:
            writer = create_writer(backend, generation, expected_documents=total)
            try:
                batches = _batches(files, keep)
                grouper = Grouper(grouping) if grouping is not None else None
                n_workers = min(_workers(workers), max(1, total // PARALLEL_THRESHOLD))
                with Analysis(config, grouping, n_workers) as analysis:
                    _write(analysis.map(batches), writer, summary, total, progress, grouper)
                    # The engine indexes what it holds and writes its segments without the
                    # interpreter: meanwhile the completions' tallies are merged and saved.
                    with ThreadPoolExecutor(1, thread_name_prefix="commit") as background:
                        committed = background.submit(writer.commit)
                        try:
                            if capabilities(backend).vocabulary:  # completions are read from the vocabulary
                                forms, pairs = analysis.tally().result()
                                written.save(generation, written.most_common(forms))
                                phrases.save(generation, phrases.most_common(pairs))
                        finally:
                            committed.result()  # its error first: the tally's would hide it
                if grouper is not None:
                    groups = grouper.groups()
                    summary.groups = {"groups": len(groups), "grouped_documents": sum(groups.values())}
                _reconcile(writer, summary)
            except BaseException:
                writer.abort()
                raise
            _check_count(backend, generation, summary.indexed)
            _refuse_accident(root, summary.indexed, allow_shrink, summary)
            # Saved before the write lock is taken: live writes replayed below
            # join the did-you-mean vocabulary at the next reindex.
            if capabilities(backend).vocabulary:
                save_vocabulary(backend, generation, get_analyzer(config))
            _publish(root, backend, generation, config, summary, allow_shrink)
        except BaseException:
            root.discard(generation)
            raise
        finally:
            journal.stop(root.path)
    try:
        summary.health = root.health()
    except IndexUnavailable as exc:  # published; only the report is missing
        summary.health = {"error": str(exc)}
    summary.seconds = time.perf_counter() - started
    return summary


def _write_wait() -> float:
    # A reindex outwaits any live batch: losing the build to a busy lock would waste it.
    return 10 * float(settings.get("FAHRAS_WRITE_WAIT"))


def _publish(root, backend: str, generation, config: AnalysisConfig, summary: Summary, allow_shrink: bool) -> None:
    """Swap the new generation in, with the live writes committed since the reindex began."""
    with root.write_lock(_write_wait()):
        count = summary.indexed
        ops = list(journal.entries(root.path))
        if ops:
            live_writes.apply(generation, backend, config.version, ops)
            count = count_documents(backend, generation)
            summary.replayed = len(ops)
        _refuse_accident(root, count, allow_shrink, summary)
        created = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        root.publish(generation, Manifest(backend=backend, analysis_version=config.version, document_count=count, created=created))


def _served_count(root) -> int:
    try:
        return root.manifest().document_count
    except IndexUnavailable:  # nothing served yet, or nothing usable: no documents to lose
        return 0


def _refuse_accident(root, count: int, allow_shrink: bool, summary: Summary) -> None:
    """PublishRefused unless `count` documents may replace the served index.

    A typo in a path, an empty export or a text file named .gz would otherwise
    empty the live site: servers follow swaps.
    """
    if allow_shrink:
        return
    served = _served_count(root)
    if count == 0:
        reason = "the new index would hold no documents"
    elif count * 2 < served:
        reason = f"the new index would hold {count} documents, fewer than half of the {served} served"
    else:
        return
    # Still accounted for: read = indexed + skipped, and none was indexed.
    summary.skipped[NOT_PUBLISHED] += count
    summary.indexed = 0
    raise PublishRefused(f"{reason}; the served index is kept (--allow-shrink publishes it anyway)", summary)


def _reconcile(writer, summary: Summary) -> None:
    """A cluster writer refuses documents one by one: count each as skipped, with its reason."""
    for doc_id, reason in writer.rejected:
        summary.indexed -= 1
        summary.skip(reason, doc_id)
    if writer.stats is not None:
        summary.bulk = writer.stats.to_dict()


def _write(analyzed_batches, writer, summary: Summary, total: int, progress, grouper: Grouper | None = None) -> None:
    for rows in analyzed_batches:
        batch = _documents(rows, grouper)
        for doc in batch:
            writer.add(doc)
        summary.indexed += len(batch)
        if progress:
            progress(summary.indexed, total)


def _check_count(backend: str, generation: Path, expected: int) -> None:
    # Reconcile before publishing: the index must hold exactly what was written.
    found = count_documents(backend, generation)
    if found != expected:
        raise RuntimeError(f"the new index holds {found} documents, {expected} were written; not published")
