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
def served(tmp_path_factory):
    directory = tmp_path_factory.mktemp("serve")
    index = directory / "index"
    reindex([write_jsonl(directory / "corpus.jsonl", DOCS)], index_dir=index)
    with fahras_serve(index, directory / "serve.log") as (process, url):
        yield process, urlsplit(url).port


def test_a_burst_of_kept_alive_clients_is_shared_between_the_workers(served):
    process, port = served
    workers = children(process.pid)
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
