"""`fahras serve` under load: gunicorn's workers share the kept-alive connections of a burst of clients.

Bounded: 20 clients for about two seconds on 127.0.0.1.
"""
from __future__ import annotations

import http.client
import threading
import time
from urllib.parse import quote, urlsplit

import pytest

from benchmarks.run import children, connections_per_worker
from indexer.reindex import reindex

from .conftest import fahras_serve, write_jsonl
from .web_corpus import DOCS

CLIENTS = 20
LOAD_SECONDS = 2.0
QUERIES = ["ترامب", "الاقتصاد", "مدرسة", "مستشفى الرياض", "النفط إيران"]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    directory = tmp_path_factory.mktemp("serve")
    reindex([write_jsonl(directory / "corpus.jsonl", DOCS)], index_dir=directory / "index")
    return directory / "index"


@pytest.fixture(scope="module")
def served(index):
    with fahras_serve(index, index.parent / "serve.log") as (process, url):
        yield process, urlsplit(url).port


def test_a_burst_of_kept_alive_clients_is_shared_between_the_workers(served):
    process, port = served
    # /healthz answers once one worker is up; the other may still be booting.
    deadline = time.monotonic() + 20
    while len(workers := children(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(workers) == 2
    start = threading.Barrier(CLIENTS + 1)
    statuses: list[int] = []
    errors: list[BaseException] = []
    stop_at = [0.0]

    def client(n: int) -> None:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            start.wait()
            i = n
            while time.monotonic() < stop_at[0]:
                connection.request("GET", "/api/search?q=" + quote(QUERIES[i % len(QUERIES)]))
                response = connection.getresponse()
                response.read()
                statuses.append(response.status)
                i += 1
            connection.close()
        except BaseException as exc:  # reported below, with the split
            errors.append(exc)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    stop_at[0] = time.monotonic() + LOAD_SECONDS
    start.wait()
    time.sleep(LOAD_SECONDS / 2)
    split = sorted(connections_per_worker(port, workers))
    for thread in threads:
        thread.join(60)
    assert not errors, errors[:3]
    assert set(statuses) == {200} and len(statuses) >= CLIENTS
    assert sum(split) == CLIENTS, split
    # gunicorn's own gthread worker leaves splits such as 19 to 1 or 20 to 0.
    assert split[0] >= CLIENTS // 4, f"connections per worker: {split}"


def _get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        connection.close()


def _metric(text: str, name: str, **labels: str) -> float:
    want = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            head, value = line.rsplit(" ", 1)
            got = head[len(name):].strip("{}")
            if ",".join(sorted(got.split(","))) == want or (not labels and head == name):
                return float(value)
    return 0.0


def test_metrics_add_up_every_workers_requests_and_give_the_index_size(served):
    _, port = served
    before = _get(port, "/metrics")[1]
    searches = 40  # on new connections: gunicorn's two workers both answer some
    for i in range(searches):
        assert _get(port, "/api/search?q=" + quote(QUERIES[i % len(QUERIES)]))[0] == 200
    status, text = _get(port, "/metrics")
    assert status == 200
    labels = {"route": "/api/search", "method": "GET", "status": "200"}
    name = "fahras_http_requests_total"
    assert _metric(text, name, **labels) - _metric(before, name, **labels) == searches
    assert _metric(text, "fahras_http_request_seconds_count", route="/api/search") >= searches
    assert _metric(text, "fahras_index_documents") == len(DOCS)


def test_the_access_log_has_a_combined_format_line_per_request(served, index):
    _, port = served
    assert _get(port, "/api/search?q=access-log-probe")[0] == 200
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        lines = [line for line in (index.parent / "serve.log").read_text().splitlines() if "access-log-probe" in line]
        if lines:
            break
        time.sleep(0.1)
    assert lines and '"GET /api/search?q=access-log-probe HTTP/1.1" 200' in lines[0]


def test_each_instance_has_its_own_control_socket(index, tmp_path):
    with fahras_serve(index, tmp_path / "a.log", workers=1) as (_, url_a):
        with fahras_serve(index, tmp_path / "b.log", workers=1) as (_, url_b):
            sockets = {url: _control_socket(urlsplit(url).port) for url in (url_a, url_b)}
            # The arbiter opens its socket once its workers are up.
            deadline = time.monotonic() + 20
            while not all(path.exists() for path in sockets.values()) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert len(set(sockets.values())) == 2 and all(path.exists() for path in sockets.values())
        # Stopping the second instance leaves the first one's socket in place.
        assert sockets[url_a].exists() and not sockets[url_b].exists()


def _control_socket(port: int):
    import os
    from pathlib import Path

    runtime = os.environ.get("XDG_RUNTIME_DIR") or os.path.join(os.path.expanduser("~"), ".gunicorn")
    return Path(runtime) / f"fahras-127.0.0.1-{port}.ctl"


def _raw(port: int, request: bytes) -> tuple[int, str, bytes]:
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    content_type = next((line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("content-type:")), "")
    return int(lines[0].split()[1]), content_type, body


@pytest.mark.parametrize(
    "path, headers, status, code",
    [
        ("/api/search?q=" + quote("ترامب " * 1000), "", 414, "uri_too_long"),
        ("/?q=" + quote("ترامب " * 1000), "", 414, None),
        ("/api/search?q=x", "".join(f"X-Filler-{i}: {'a' * 100}\r\n" for i in range(60)), 431, "headers_too_large"),
        ("/?q=x", "".join(f"X-Filler-{i}: {'a' * 100}\r\n" for i in range(60)), 431, None),
    ],
)
def test_requests_over_the_servers_size_limits_are_refused_in_our_own_shape(served, path, headers, status, code):
    import json

    _, port = served
    got, content_type, body = _raw(port, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}\r\n".encode())
    assert got == status
    if code:
        assert content_type == "application/json" and json.loads(body)["error"]["code"] == code
    else:
        page = body.decode("utf-8")
        assert content_type.startswith("text/html") and 'dir="rtl"' in page and "المسموح" in page
