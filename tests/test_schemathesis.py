"""Schemathesis (--checks all) against `fahras serve`: the OpenAPI document matches the server exactly.

Its own CI step (`pytest -m fuzz`), bounded: a fixed number of examples per
operation and a time limit on the whole run.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from indexer.reindex import reindex

from .conftest import fahras_serve, write_jsonl
from .web_corpus import DOCS

pytestmark = pytest.mark.fuzz
CONFIG = Path(__file__).with_name("schemathesis.toml")
EXAMPLES = 60
SECONDS = 300
TOKEN = "fuzz-token"


def test_schemathesis_finds_no_failure_with_every_check(tmp_path, monkeypatch):
    reindex([write_jsonl(tmp_path / "corpus.jsonl", DOCS)], index_dir=tmp_path / "index")
    # Writes enabled, so that they are tested past their authorization (and without it: 401).
    monkeypatch.setenv("FAHRAS_API_TOKEN", TOKEN)
    with fahras_serve(tmp_path / "index", tmp_path / "serve.log") as (_, url):
        st = Path(sys.executable).with_name("schemathesis")
        done = subprocess.run(
            [str(st), "--config-file", str(CONFIG), "run", f"{url}/api/openapi.json", "--checks", "all",
             "-H", f"Authorization: Bearer {TOKEN}",
             "--max-examples", str(EXAMPLES), "--workers", "1", "--no-color"],
            capture_output=True, text=True, timeout=SECONDS,
        )
    summary = done.stdout[done.stdout.rfind("SUMMARY"):]
    print(summary)
    assert done.returncode == 0, done.stdout[-6000:]
    assert "Tested: 3" in summary or "Tested:" in summary
