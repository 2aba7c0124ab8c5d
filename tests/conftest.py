"""Shared fixtures: paths to the real Arabic data, small corpora written on the fly."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis import settings

# Machines here are shared and noisy, and first calls import lazily loaded
# stemmers: hypothesis' per-example deadline would only measure the noise.
settings.register_profile("fahras", deadline=None)
settings.load_profile("fahras")

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("FAHRAS_SHARED_DATA", REPO.parent / "shared" / "data"))


def shared_data(relative: str) -> Path:
    """A file of the shared real-data folder, or skip with a clear message where it is absent."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"real data not available: {path} is absent (set FAHRAS_SHARED_DATA)")
    return path


def write_jsonl(path: Path, records: list) -> Path:
    """Write records (dicts, or raw str/bytes lines) as a JSON Lines file."""
    with open(path, "wb") as f:
        for record in records:
            if isinstance(record, bytes):
                f.write(record.rstrip(b"\n") + b"\n")
            elif isinstance(record, str):
                f.write(record.encode("utf-8") + b"\n")
            else:
                f.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
    return path


def reindex_in_an_older_schema(source: Path, index: Path, **older) -> None:
    """Reindex `source` into a Tantivy index of the schema an older Fahras wrote (tantivy_schema.schema(**older))."""
    from indexer.reindex import reindex
    from search.index import tantivy_index, tantivy_schema

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tantivy_index, "_schema", lambda: tantivy_schema.schema(**older))
        reindex([source], index, backend="tantivy")


@contextmanager
def fahras_serve(index: Path, log: Path, workers: int = 2, seconds: float = 60) -> Iterator[tuple[subprocess.Popen, str]]:
    """`fahras serve` (gunicorn) over `index` on 127.0.0.1 and a free port: (its process, its URL) once healthy."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    fahras = Path(sys.executable).with_name("fahras")
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(fahras), "serve", "--index", str(index), "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + seconds
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"fahras serve exited with {process.returncode} (log: {log})")
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{url} not healthy after {seconds:g} s (log: {log})") from None
                time.sleep(0.2)
        yield process, url
    finally:
        # gunicorn's arbiter stops its workers on SIGTERM; the group kill is for a wedged one.
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
