"""Live writes on the served index: add (a record whose id exists replaces it) and delete by id.

One writer at a time, whoever it is (`fahras add`, `fahras delete`, a web
worker answering the API, a feed round): each batch takes the store's write
lock (an flock on INDEX_DIR/write.lock, released by the kernel if the holder
dies, even by kill -9), opens an updater on the served generation, applies the
batch, commits it (fsynced), replaces the generation's manifest with the new
count, and only then releases the lock and acknowledges. Readers reopen when
the manifest changes (within FAHRAS_REFRESH_SECONDS), so they see a batch
whole or not at all. The batches that other threads of the same process
submit while a commit runs are committed together next (group commit,
indexer/group_commit.py), each acknowledged after that commit.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from search import settings
from search.analysis import DEFAULT_CONFIG, get_analyzer, parse_version
from search.grouping.live import LiveGrouper
from search.documents import Document
from search.suggest.build import SAVED as SAVED_VOCABULARY
from search.index import (
    IndexUnavailable, Manifest, capabilities, count_documents, create_writer, open_reader, open_store, open_updater,
)

from . import journal
from .group_commit import GroupCommit, group_for
from .sources import read_records, scan_sources
from .summary import Summary

# Records per commit of `fahras add`: each batch is acknowledged (and visible) whole.
ADD_BATCH = 1000
NOT_FOUND = "no document with this id"


class LiveWritesUnsupported(Exception):
    """The served index's backend takes no document writes in place."""


@dataclass
class WriteResult:
    indexed: int = 0
    deleted: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # deletes of ids that were not there
    documents: int = 0  # the served index's documents after the write


def live_root(index_dir):
    """Where the served index lives (IndexRoot, or a cluster's ClusterStore): both take live writes."""
    return open_store(index_dir)


@dataclass
class Applied:
    existed: dict[str, bool]  # each id of the batch: whether the index held it before
    documents: int  # the documents after the batch, from the count before it (embedded backends)


def apply(generation: Path, backend: str, analysis_version: str, ops: list[tuple[str, object]]) -> Applied:
    """Commit ("add", Document) and ("delete", id) operations, in order, to the index in `generation`
    as one batch (the write lock held).

    Only each id's last operation is applied: engines replace or delete only
    committed documents (Whoosh cannot replace one added in the same batch).
    Each added copy joins its story's group, found in the index through the
    fingerprint keys committed with it (search/grouping/live.py).
    """
    analyzer = get_analyzer(parse_version(analysis_version))
    final = _last_operations(ops)
    # Grouped against the index as it was before the batch (search/grouping/live.py).
    reader = open_reader(backend, generation)
    try:
        existed = {doc_id: reader.get(doc_id) is not None for doc_id in final}
        before = reader.doc_count()
        grouper = LiveGrouper(reader, analyzer, changed=frozenset(final))
        added = [grouper.analysed(value) for op, value in final.values() if op == "add"]
    finally:
        reader.close()
    writer = open_updater(backend, generation)
    try:
        for doc in added:
            writer.add(doc)
        for doc_id, (op, _) in final.items():
            if op == "delete" and existed[doc_id]:
                writer.delete(doc_id)
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    # Counted, not read again: opening a reader on the new commit maps every segment anew.
    after = before + sum((op == "add") - existed[doc_id] for doc_id, (op, _) in final.items())
    return Applied(existed, after)


def _operations(adds: list[Document], deletes: list[str]) -> list[tuple[str, object]]:
    return [("add", doc) for doc in adds] + [("delete", doc_id) for doc_id in deletes]


def _last_operations(ops: list[tuple[str, object]]) -> dict[str, tuple[str, object]]:
    final: dict[str, tuple[str, object]] = {}
    for op, value in ops:
        doc_id = value.id if op == "add" else value
        final.pop(doc_id, None)  # keep the order of last operations
        final[doc_id] = (op, value)
    return final


def write(index_dir, adds: list[Document] = (), deletes: list[str] = (), wait: float | None = None) -> WriteResult:
    """Apply one batch to the served index; returns once it is durable. Raises WriterBusy, IndexUnavailable.

    Batches that other threads of this process submit meanwhile share its
    commit (indexer/group_commit.py).
    """
    root = live_root(index_dir)
    wait = float(settings.get("FAHRAS_WRITE_WAIT")) if wait is None else wait
    return commit_queue(root).submit(
        (list(adds), list(deletes)), lambda batches: _commit(root, batches), hold=root.write_lock, wait=wait
    )


def commit_queue(root) -> GroupCommit:
    """This process's queue of batches for `root`: one per write lock and served index (a cluster's lock is local)."""
    return group_for((str(root.path.resolve()), root.location))


def _commit(root, batches: list[tuple[list[Document], list[str]]]) -> list[WriteResult]:
    """The batches as one commit (the write lock held); each one's result as if it had been committed alone."""
    ensure_index(root)
    generation = root.current()
    manifest = root.manifest(generation)
    if not capabilities(manifest.backend).live_writes:
        raise LiveWritesUnsupported(f"the {manifest.backend} index takes no live writes; use `fahras reindex`")
    ops = [op for adds, deletes in batches for op in _operations(adds, deletes)]
    # Recorded before the commit: a reindex replays it even if this process dies right after.
    journal.record(root.path, ops)
    applied = apply(generation, manifest.backend, manifest.analysis_version, ops)
    if isinstance(generation, Path):
        count = applied.documents
        # The vocabulary saved by reindex no longer describes the index: readers build their own.
        (generation / SAVED_VOCABULARY).unlink(missing_ok=True)
    else:  # a cluster index, refreshed by the commit: its count also holds what a dead writer sent
        count = count_documents(manifest.backend, generation)
    root.update_manifest(generation, replace(manifest, document_count=count))
    return _results(batches, applied.existed, count)


def _results(batches, existed: dict[str, bool], count: int) -> list[WriteResult]:
    """Each batch's deletes found present, as if the batches before it in the group had been committed alone."""
    present_now = dict(existed)
    results = []
    for adds, deletes in batches:
        final = _last_operations(_operations(adds, deletes))
        deleted = [doc_id for doc_id, (op, _) in final.items() if op == "delete" and present_now[doc_id]]
        present_now.update((doc_id, op == "add") for doc_id, (op, _) in final.items())
        missing = [doc_id for doc_id in dict.fromkeys(deletes) if doc_id not in deleted]
        results.append(WriteResult(indexed=len(adds), deleted=deleted, missing=missing, documents=count))
    return results


def ensure_index(root) -> None:
    """Publish an empty index of FAHRAS_BACKEND where none is served yet, so that the first write has one.

    The caller holds the write lock; a reindex building the first index meanwhile makes this ReindexBusy.
    """
    if root.current_name() is not None:
        return
    backend = settings.get("FAHRAS_BACKEND")
    if not capabilities(backend).live_writes:
        raise LiveWritesUnsupported(f"the {backend} backend takes no live writes; use `fahras reindex`")
    with root.writer_lock():
        generation = root.new_generation()
        try:
            create_writer(backend, generation).commit()
            created = time.strftime("%Y-%m-%dT%H:%M:%S%z")
            root.publish(generation, Manifest(backend, DEFAULT_CONFIG.version, 0, created))
        except BaseException:
            root.discard(generation)
            raise


def recover(index_dir) -> bool:
    """After a writer died between its commit and its manifest: set the manifest's count right.

    True if it was wrong. Does nothing while another writer holds the lock.
    """
    try:
        root = live_root(index_dir)
        with root.write_lock(0.0):
            generation = root.current()
            if hasattr(generation, "refresh"):  # a cluster index: see what the dead writer sent, then count
                generation.refresh()
            manifest = root.manifest(generation)
            count = count_documents(manifest.backend, generation)
            if count == manifest.document_count:
                return False
            root.update_manifest(generation, replace(manifest, document_count=count))
            return True
    except Exception:  # busy, no index, or a cluster: nothing to recover here
        return False


def add_sources(sources: list, index_dir=None, wait: float | None = None) -> Summary:
    """`fahras add`: the records of `sources`, validated as by reindex, written in batches of ADD_BATCH."""
    started = time.perf_counter()
    root = live_root(index_dir)
    summary = Summary(index=root.location)
    with root.write_lock(float(settings.get("FAHRAS_WRITE_WAIT")) if wait is None else wait):
        ensure_index(root)
    files, unread = scan_sources(sources)
    summary.unread = [(u.path, u.reason) for u in unread]
    batch: list[Document] = []
    for path in files:
        for record in read_records(path):
            summary.read += 1
            if record.document is None:
                summary.skip(record.skip_reason or "unknown", record.location)
                continue
            if record.warning:
                summary.warn(record.warning, record.location)
            batch.append(record.document)
            if len(batch) == ADD_BATCH:
                summary.indexed += write(index_dir, batch, wait=wait).indexed
                batch = []
    if batch:
        summary.indexed += write(index_dir, batch, wait=wait).indexed
    _finish(root, summary, started)
    return summary


def delete_ids(ids: list[str], index_dir=None, wait: float | None = None) -> Summary:
    """`fahras delete`: remove documents by id in one batch; an absent id is skipped with its reason."""
    started = time.perf_counter()
    root = live_root(index_dir)
    summary = Summary(index=root.location, read=len(ids))
    result = write(index_dir, deletes=ids, wait=wait)
    summary.deleted = len(result.deleted)
    # read = indexed + deleted + skipped: an id given twice is deleted once, then absent.
    deleted = set(result.deleted)
    for doc_id in ids:
        if doc_id in deleted:
            deleted.discard(doc_id)
        else:
            summary.skip(NOT_FOUND, doc_id)
    _finish(root, summary, started)
    return summary


def _finish(root, summary: Summary, started: float) -> None:
    try:
        summary.backend = root.manifest().backend
        summary.health = root.health()
    except IndexUnavailable as exc:
        summary.health = {"error": str(exc)}
    summary.seconds = time.perf_counter() - started
