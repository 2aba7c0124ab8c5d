"""Shared fixtures: paths to the real Arabic data, small corpora written on the fly."""
from __future__ import annotations

import json
import os
from pathlib import Path

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
