"""Live writes made while a reindex builds: recorded, then replayed onto the new generation.

A reindex reads its sources as they were when it started; the live writes
committed to the served generation meanwhile would vanish at the swap. So
while a reindex runs, every live batch is also appended (fsynced) to
INDEX_DIR/replay.jsonl, and the reindex, holding the write lock at the end,
applies them to its new generation before swapping it in. The file is
created and removed under the write lock, so no batch falls between.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterator

from search.documents import Document

JOURNAL = "replay.jsonl"


def _path(index_dir: Path) -> Path:
    return Path(index_dir) / JOURNAL


def start(index_dir: Path) -> None:
    """Begin recording (the caller holds the write lock)."""
    path = _path(index_dir)
    path.write_bytes(b"")
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def stop(index_dir: Path) -> None:
    _path(index_dir).unlink(missing_ok=True)


def record(index_dir: Path, ops: list[tuple[str, object]]) -> None:
    """Append one batch of ("add", Document) and ("delete", id) if a reindex is recording (write lock held)."""
    path = _path(index_dir)
    if not path.exists():
        return
    lines = [json.dumps({op: value.stored() if op == "add" else value}, ensure_ascii=False) for op, value in ops]
    with open(path, "ab") as f:
        f.write("".join(line + "\n" for line in lines).encode("utf-8"))
        f.flush()
        os.fsync(f.fileno())


def entries(index_dir: Path) -> Iterator[tuple[str, object]]:
    """("add", document) and ("delete", id), in the order they were committed."""
    path = _path(index_dir)
    if not path.exists():
        return
    with open(path, "rb") as f:
        for raw in f:
            try:
                entry = json.loads(raw)
            except ValueError:  # a batch cut by kill -9 was never acknowledged
                continue
            if "add" in entry:
                yield "add", Document(**entry["add"])
            else:
                yield "delete", entry["delete"]
