"""The index directory: generations, a manifest each, an atomic `current` link, one writer.

    INDEX_DIR/
      current -> generations/20261124T200000-1234   (symlink, swapped with rename)
      generations/<name>/manifest.json + the backend's files
      reindex.lock    one reindex at a time (held for the whole build)
      write.lock      one writer of the served generation at a time (held per batch)

A generation becomes visible only after its files and manifest are fsynced and
the `current` link is renamed over: a crash at any moment leaves the previous
generation complete and served. Readers check the manifest: an index built by
another analysis version is refused with a message that says to reindex.

Live writes commit in place on the served generation under write.lock and
then replace its manifest (new document count): readers reopen when the
manifest file changes, so a committed batch appears whole or not at all.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator

from .. import settings
from ..analysis import CHAIN_VERSION
from .base import IndexUnavailable

MANIFEST = "manifest.json"
# 2: documents carry their fingerprint keys (search/grouping).
# 3: the time of day (sort), author and byline, abstracts.
# An index of an older format is refused with a message to reindex.
FORMAT_VERSION = 3


class ReindexBusy(Exception):
    """Another reindex holds the writer lock."""


class WriterBusy(Exception):
    """Another writer held the write lock for longer than the wait allowed."""


@dataclass(frozen=True)
class Manifest:
    backend: str
    analysis_version: str
    document_count: int
    created: str
    format: int = FORMAT_VERSION

    @classmethod
    def read(cls, generation: Path) -> "Manifest":
        try:
            data = json.loads((generation / MANIFEST).read_text(encoding="utf-8"))
            return cls(**{k: data[k] for k in ("backend", "analysis_version", "document_count", "created", "format")})
        except FileNotFoundError:
            raise IndexUnavailable(f"{generation} has no {MANIFEST}: the index is incomplete; run `fahras reindex`.")
        except (ValueError, KeyError, TypeError) as exc:
            raise IndexUnavailable(f"{generation / MANIFEST} is damaged ({exc}); run `fahras reindex`.")

    def check_compatible(self, where: str, reindex: str = "fahras reindex") -> "Manifest":
        """This manifest, or IndexUnavailable when this Fahras cannot read what it describes."""
        chain = self.analysis_version.split(":")[0]
        if self.format != FORMAT_VERSION or chain != str(CHAIN_VERSION):
            raise IndexUnavailable(
                f"{where} was built by analysis version {self.analysis_version} "
                f"(format {self.format}); this Fahras reads format {FORMAT_VERSION}, analysis chain {CHAIN_VERSION}: "
                f"run `{reindex}` to rebuild it."
            )
        return self


def index_dir(value: str | os.PathLike | None = None) -> Path:
    """The index directory: an explicit value, else FAHRAS_INDEX, else the default."""
    return Path(value if value else settings.get("FAHRAS_INDEX"))


def fsync_tree(path: Path) -> None:
    # Whoosh never fsyncs; neither a swap nor a live write's acknowledgement
    # may rest on files still in the page cache.
    for dirpath, _, filenames in os.walk(path):
        for name in filenames:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(dirpath))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_manifest(generation: Path, manifest: Manifest) -> None:
    tmp = generation / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(asdict(manifest), indent=2), encoding="utf-8")
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(tmp, generation / MANIFEST)
    _fsync_dir(generation)


class IndexRoot:
    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = index_dir(path)
        self.generations = self.path / "generations"
        self.link = self.path / "current"

    def current(self) -> Path:
        """The served generation's directory, or IndexUnavailable."""
        if not self.link.is_symlink():
            raise IndexUnavailable(f"no index in {self.path}: run `fahras reindex` to build one.")
        target = self.path / os.readlink(self.link)
        if not target.is_dir():
            raise IndexUnavailable(f"the index in {self.path} points to a missing generation; run `fahras reindex`.")
        return target

    @property
    def location(self) -> str:
        return str(self.path)

    def health(self) -> dict:
        """Where the served index lives, for /healthz and reindex reports (ClusterStore adds the cluster state)."""
        return {"store": "local", "path": str(self.path), "index": self.current_name()}

    def current_name(self) -> str | None:
        """Cheap check for readers: which generation is served now."""
        try:
            return os.readlink(self.link)
        except OSError:
            return None

    def manifest(self, generation: Path | None = None) -> Manifest:
        generation = generation or self.current()
        return Manifest.read(generation).check_compatible(f"the index in {self.path}")

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        """Hold the single-writer lock; ReindexBusy if another reindex holds it."""
        with self._flock("reindex.lock", 0.0):
            yield

    @contextmanager
    def write_lock(self, wait: float = 30.0) -> Iterator[None]:
        """Hold the lock of writes to the served generation, waiting up to `wait` s; WriterBusy after."""
        with self._flock("write.lock", wait):
            yield

    @contextmanager
    def _flock(self, name: str, wait: float) -> Iterator[None]:
        self.path.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path / name, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                        raise
                    if name == "reindex.lock":
                        raise ReindexBusy(f"another reindex is running on {self.path}; try again when it finishes.")
                    if time.monotonic() >= deadline:
                        raise WriterBusy(f"another writer has held {self.path / name} for over {wait:g} s; try again.")
                    time.sleep(0.005)
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
            yield
        finally:
            os.close(fd)  # closing releases the flock, also when the process dies

    def version(self) -> tuple | None:
        """What readers compare to notice a swap or a live write: the generation and its manifest file."""
        name = self.current_name()
        try:
            st = os.stat(self.link / MANIFEST)
        except OSError:
            return (name,)
        return name, st.st_ino, st.st_mtime_ns

    def update_manifest(self, generation: Path, manifest: Manifest) -> None:
        """Replace the manifest of a served generation after a live write, atomically and durably."""
        _write_manifest(generation, manifest)

    def new_generation(self) -> Path:
        self.generations.mkdir(parents=True, exist_ok=True)
        name = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{time.monotonic_ns() % 10**6}"
        path = self.generations / name
        path.mkdir()
        return path

    def publish(self, generation: Path, manifest: Manifest) -> None:
        """Make `generation` the served index, atomically, then drop stale generations."""
        fsync_tree(generation)
        _write_manifest(generation, manifest)
        new_link = self.path / "current.new"
        if new_link.is_symlink() or new_link.exists():
            new_link.unlink()
        os.symlink(os.path.relpath(generation, self.path), new_link)
        os.replace(new_link, self.link)
        _fsync_dir(self.path)
        self.prune(keep=generation)

    def prune(self, keep: Path) -> None:
        """Remove generations other than the new one and the one before it.

        The previous generation stays one round so that readers still holding it
        open (web workers between requests) finish their searches on it.
        """
        if not self.generations.is_dir():
            return
        gens = sorted(p for p in self.generations.iterdir() if p.is_dir())
        complete = [p for p in gens if (p / MANIFEST).exists() and p != keep]
        previous = complete[-1:] if complete else []
        for gen in gens:
            if gen != keep and gen not in previous:
                shutil.rmtree(gen, ignore_errors=True)

    def discard(self, generation: Path) -> None:
        shutil.rmtree(generation, ignore_errors=True)
