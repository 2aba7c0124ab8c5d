"""Live writes through `fahras serve` (gunicorn, two workers) and `fahras add` beside it: acknowledged, then visible within a second."""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from indexer.reindex import reindex

from .conftest import fahras_serve, write_jsonl

TOKEN = "serve-token"
WRITES = 30


def _call(url: str, method: str = "GET", body: object = None) -> tuple[int, dict]:
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_writes_through_the_api_and_the_cli_are_visible_within_a_second(tmp_path, monkeypatch):
    monkeypatch.setenv("FAHRAS_API_TOKEN", TOKEN)
    index = tmp_path / "index"
    seed = [{"id": f"s{i}", "title": "خبر قديم", "body": "نص قديم."} for i in range(3)]
    reindex([write_jsonl(tmp_path / "seed.jsonl", seed)], index_dir=index, backend="tantivy")
    lags = []
    with fahras_serve(index, tmp_path / "serve.log") as (_, url):
        for n in range(WRITES):
            status, answer = _call(f"{url}/api/documents", "POST", [{"id": f"live-{n}", "title": f"خبر عاجل {n}", "body": "نص."}])
            assert (status, answer) == (200, {"indexed": 1, "skipped": []})
            acknowledged = time.monotonic()
            # Any worker may answer: each must have reopened within the refresh interval.
            while _call(f"{url}/api/documents/live-{n}")[0] != 200:
                assert time.monotonic() - acknowledged < 2.0, f"live-{n} not visible after 2 s"
                time.sleep(0.01)
            lags.append(time.monotonic() - acknowledged)
        fahras = Path(sys.executable).with_name("fahras")
        source = write_jsonl(tmp_path / "cli.jsonl", [{"id": "cli-1", "title": "من سطر الأوامر", "body": "نص."}])
        done = subprocess.run([str(fahras), "add", str(source), "--index", str(index)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and "read 1, indexed 1, skipped 0" in done.stdout, done.stderr
        deadline = time.monotonic() + 2.0
        while _call(f"{url}/api/documents/cli-1")[0] != 200:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        assert _call(f"{url}/api/documents/live-0", "DELETE") == (200, {"deleted": "live-0"})
        health = _call(f"{url}/healthz")[1]
        assert health["documents"] in (3 + WRITES + 1 - 1, 3 + WRITES + 1)  # the delete may be a refresh away
    lags.sort()
    p95 = lags[int(0.95 * (len(lags) - 1))]
    print(f"\ntime to visible over {len(lags)} API writes: median {statistics.median(lags) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    assert p95 <= 1.2
