"""The OpenSearch backend: bulk accounting (no cluster needed), then a real cluster.

Tests marked `opensearch` run only under `pytest -m opensearch`, after
`scripts/opensearch-cluster.sh start`; an unreachable cluster fails them. The
common backend contract runs from test_backend_contract.py (its `engine`
fixture has an opensearch parameter under the same marker); this file adds
what is particular to a cluster:

- bulk indexing: batching, bounded in-flight requests, retries, every item
  accounted for (fake client, in the default suite);
- errors: unreachable cluster, missing alias, rejected documents counted;
- parity with Whoosh and Tantivy on 3,000 real articles (ANT v1.1);
- the alias swap: searches during a reindex never fail, the count switches;
- losing a node while indexing and searching: 2 shards, 1 replica, node 2
  stopped mid-way; searches keep answering, no acknowledged document is lost.
"""
from __future__ import annotations

import gzip
import itertools
import json
import os
import random
import re
import threading
import time

import pytest
from click.testing import CliRunner
from opensearchpy.exceptions import ConnectionError as ClusterConnectionError
from opensearchpy.exceptions import TransportError

from indexer.reindex import reindex
from search.analysis import analyze_document, get_analyzer
from search.index import BackendError, open_reader
from search.index.opensearch import bulk as os_bulk
from search.index.opensearch import client as os_client
from search.index.opensearch import mapping as os_mapping
from search.index.opensearch import store as os_store
from cli import main
from search.documents import Document
from search.searcher import Searcher
from search.index import IndexUnavailable, Manifest

from .conftest import shared_data, write_jsonl
from .opensearch_support import (
    CLUSTER_SCRIPT, URL, cluster_engine, cluster_env, cluster_script, drop, require_cluster, test_alias,
)
from .test_backend_contract import CORPUS

cluster = pytest.mark.opensearch

WORDS = ["مدرسة", "وزير", "امطار", "اقتصاد", "مستشفى", "كرة", "القدم", "الحكومة", "تونس", "الانتخابات",
         "رئيس", "مباراة", "الطقس", "البنك", "الصحة", "الجامعة", "المنتخب", "السياحة", "الفلاحة", "النقل"]
SOURCES = ["الجزيرة", "العربية", "بي بي سي", "فرانس 24"]
CATEGORIES = ["سياسة", "رياضة", "اقتصاد", "صحة"]
EVERYWHERE = "خبر"  # in every synthetic document: a search for it counts them all


def synthetic(n: int, prefix: str, seed: int) -> list[dict]:
    rng = random.Random(seed)
    return [
        {
            "id": f"{prefix}{i:06d}",
            "title": " ".join(rng.sample(WORDS, 3)),
            "body": " ".join(rng.choice(WORDS) for _ in range(40)) + f" {EVERYWHERE}",
            "date": f"20{15 + i % 9}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "source": rng.choice(SOURCES),
            "category": rng.choice(CATEGORIES),
        }
        for i in range(n)
    ]


def analysed(records: list[dict]):
    analyzer = get_analyzer()
    for r in records:
        yield analyze_document(Document(**r), analyzer)


# --------------------------------------------------------------------------- bulk accounting, no cluster


class FakeIndices:
    def put_settings(self, **kwargs):
        pass

    def refresh(self, **kwargs):
        pass


class FakeClient:
    """Answers bulk requests from `answer(call_number, ids)`: a list of statuses, or raises."""

    def __init__(self, answer, delay: float = 0.0):
        self.indices = FakeIndices()
        self.answer = answer
        self.delay = delay
        self.requests: list[list[str]] = []
        self.sizes: list[int] = []
        self.active = self.max_active = 0
        self._lock = threading.Lock()

    def bulk(self, *, body, index, **kwargs):
        lines = body.decode("utf-8").splitlines()
        ids = [json.loads(line)["index"]["_id"] for line in lines[::2]]
        with self._lock:
            self.requests.append(ids)
            self.sizes.append(len(body))
            call = len(self.requests)
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        try:
            time.sleep(self.delay)
            statuses = self.answer(call, ids)
        finally:
            with self._lock:
                self.active -= 1
        items = []
        for status in statuses:
            result = {"status": status}
            if status >= 300:
                result["error"] = {"type": "mapper_parsing_exception" if status == 400 else "es_rejected_execution_exception",
                                   "reason": "test"}
            items.append({"index": result})
        return {"errors": any(s >= 300 for s in statuses), "items": items}


def fake_writer(answer, monkeypatch, delay=0.0, **options):
    monkeypatch.setattr(os_bulk, "backoff", lambda attempt: 0.0)
    client = FakeClient(answer, delay)
    acked: list[str] = []
    writer = os_bulk.OpenSearchWriter(os_client.ClusterIndex("fake", client), on_acknowledged=acked.extend, **options)
    return writer, client, acked


def test_bulk_batches_by_count_and_bytes_with_bounded_in_flight_requests(monkeypatch):
    docs = synthetic(95, "d", 1)
    writer, client, acked = fake_writer(lambda call, ids: [201] * len(ids), monkeypatch, delay=0.02,
                                        bulk_docs=10, in_flight=2)
    for doc in analysed(docs):
        writer.add(doc)
    writer.commit()
    assert [len(r) for r in client.requests] == [10] * 9 + [5]
    assert client.max_active == 2  # two requests overlapped, never more
    assert sorted(acked) == [d["id"] for d in docs]
    assert writer.stats.acknowledged == 95 and writer.stats.requests == 10

    big = synthetic(6, "b", 2)
    for d in big:
        d["body"] = "كلمة " * 300  # about 9 KB of bulk body each
    writer, client, acked = fake_writer(lambda call, ids: [201] * len(ids), monkeypatch, bulk_bytes=30_000)
    for doc in analysed(big):
        writer.add(doc)
    writer.commit()
    assert len(client.requests) > 1 and all(size <= 30_000 for size in client.sizes)
    assert max(len(r) for r in client.requests) > 1
    assert sorted(acked) == [d["id"] for d in big]


def test_bulk_retries_busy_items_and_lost_connections_until_acknowledged(monkeypatch):
    def answer(call, ids):
        if call == 1:
            raise ClusterConnectionError("N/A", "connection refused", None)
        if call == 2:
            raise TransportError(429, "too_many_requests", {})
        if call == 3:  # the first two items: queue full on the node, and a shard failing over
            return [429, 503] + [201] * (len(ids) - 2)
        return [201] * len(ids)

    docs = synthetic(20, "r", 3)
    writer, client, acked = fake_writer(answer, monkeypatch)
    for doc in analysed(docs):
        writer.add(doc)
    writer.commit()
    assert sorted(acked) == [d["id"] for d in docs] and len(acked) == len(set(acked))
    assert client.requests[3] == ["r000000", "r000001"]  # only the items not acknowledged went again
    assert writer.stats.retried_requests == 2 and writer.stats.retried_documents == 2
    assert writer.rejected == []


def test_rejected_documents_are_reported_never_dropped_silently(monkeypatch):
    docs = synthetic(10, "x", 4)
    writer, _, acked = fake_writer(lambda call, ids: [400 if i == "x000003" else 201 for i in ids], monkeypatch)
    for doc in analysed(docs):
        writer.add(doc)
    writer.commit()
    assert writer.rejected == [("x000003", "rejected by OpenSearch: mapper_parsing_exception")]
    assert len(acked) + len(writer.rejected) == len(docs)
    assert writer.stats.rejected == {"rejected by OpenSearch: mapper_parsing_exception": 1}


def test_a_cluster_that_stays_unavailable_fails_the_commit(monkeypatch):
    monkeypatch.setattr(os_bulk, "BULK_ATTEMPTS", 3)
    writer, client, acked = fake_writer(lambda call, ids: [503] * len(ids), monkeypatch)
    for doc in analysed(synthetic(5, "u", 5)):
        writer.add(doc)
    with pytest.raises(BackendError, match="not accepted .* after 3 attempts"):
        writer.commit()
    assert len(client.requests) == 3 and acked == []

    def refuse(call, ids):
        raise TransportError(400, "illegal_argument_exception", {})

    writer, client, _ = fake_writer(refuse, monkeypatch)
    for doc in analysed(synthetic(5, "v", 6)):
        writer.add(doc)
    with pytest.raises(BackendError, match="refused: HTTP 400"):
        writer.commit()
    assert len(client.requests) == 1  # a refusal is not retried


def test_replica_setting_and_secrets_in_messages():
    assert os_mapping.replica_settings("1") == {"number_of_replicas": 1}
    assert os_mapping.replica_settings("0-1") == {"auto_expand_replicas": "0-1"}
    with pytest.raises(BackendError):
        os_mapping.replica_settings("many")
    assert os_client.redact("https://user:secret@search.example:9200/") == "https://search.example:9200/"


# --------------------------------------------------------------------------- a real cluster


@cluster
def test_agrees_with_whoosh_on_the_contract_corpus(tmp_path):
    whoosh_index = tmp_path / "whoosh"
    reindex([write_jsonl(tmp_path / "c.jsonl", CORPUS)], index_dir=whoosh_index, backend="whoosh")
    whoosh = Searcher(whoosh_index, backend="whoosh")
    with cluster_engine(tmp_path, CORPUS, "agree") as opensearch:
        for query in ["مستشفى", "امطار الاسكندرية", '"وزير الخارجية"', "كرة القدم", "اقتصاد",
                      "مدرسة امطار مستشفى وزير كرة اقتصاد ثغرة"]:
            a = whoosh.find(query, size=100, snippets=False)
            b = opensearch.find(query, size=100, snippets=False)
            assert a.articles == b.articles, query
            assert {h.id for h in a.hits} == {h.id for h in b.hits}, query
            assert a.hits[0].id == b.hits[0].id, query
    whoosh.close()


@cluster
def test_ranking_options_reach_the_cluster_query(tmp_path):
    from search.index.ranking import Ranking
    from search.query import describe, parse_query

    with cluster_engine(tmp_path, CORPUS, "ranking") as engine:
        plain = open_reader("opensearch", engine.root.current())
        plan = parse_query("الخارجية وزير")
        tuned = describe(plan, limit=100, ranking=Ranking(lead_boost=1.0, pair_boost=3.0))
        a, b = plain.search(describe(plan, limit=100)), plain.search(tuned)
        assert a.total == b.total and {h.id for h in a.hits} == {h.id for h in b.hits}
        # The pair as written ("الخارجية وزير") is in no document; the words in the lead are.
        assert [h.score for h in a.hits] != [h.score for h in b.hits]
        assert plain.doc_frequency("exact", "وزير") == sum("وزير" in (d["title"] + " " + d["body"]).split() for d in CORPUS)


@cluster
def test_health_names_cluster_status_nodes_and_documents(tmp_path):
    health = require_cluster()
    with cluster_engine(tmp_path, CORPUS, "health") as engine:
        info = engine.health()
    assert info["status"] == "ok" and info["backend"] == "opensearch"
    assert info["documents"] == len(CORPUS)
    assert info["cluster"]["status"] in ("green", "yellow")
    assert info["cluster"]["nodes"] == health["number_of_nodes"]
    assert info["cluster"]["index_status"] in ("green", "yellow")


@cluster
def test_unreachable_cluster_and_missing_alias_say_what_to_do(tmp_path):
    require_cluster()
    with cluster_env(test_alias("missing"), url="http://127.0.0.1:9"):  # nothing listens on port 9
        engine = Searcher(tmp_path / "index", backend="opensearch")
        with pytest.raises(IndexUnavailable, match="cannot be reached.*FAHRAS_OPENSEARCH_URL"):
            engine.find("مدرسة")
        with pytest.raises(IndexUnavailable, match="cannot be reached"):
            reindex([write_jsonl(tmp_path / "c.jsonl", CORPUS[:3])], index_dir=tmp_path / "index", backend="opensearch")
    with cluster_env(test_alias("missing")):
        engine = Searcher(tmp_path / "index", backend="opensearch")
        with pytest.raises(IndexUnavailable, match="no index behind alias.*fahras reindex --backend opensearch"):
            engine.find("مدرسة")
        with pytest.raises(BackendError, match="no OpenSearch index"):
            open_reader("opensearch", os_client.ClusterIndex("fahras-no-such-index", engine.root.client, URL))
        # The failed reindex above released the local writer lock.
        summary = reindex([write_jsonl(tmp_path / "c.jsonl", CORPUS[:3])], index_dir=tmp_path / "index",
                          backend="opensearch")
        assert summary.indexed == 3 and engine.find("مدرسة").total >= 1
        engine.close()
    drop(test_alias("missing"))


@cluster
def test_documents_the_cluster_rejects_are_counted_as_skipped(tmp_path, monkeypatch):
    require_cluster()
    real = os_store.index_body

    def source_as_number(*args, **kwargs):
        body = real(*args, **kwargs)
        body["mappings"]["properties"]["source"] = {"type": "integer"}  # Arabic source names fail to parse
        return body

    monkeypatch.setattr(os_store, "index_body", source_as_number)
    records = [dict(d) for d in CORPUS]
    without_source = sum(1 for d in records if not d["source"])
    with cluster_engine(tmp_path, records, "rejects") as engine:
        assert engine.doc_count() == without_source
    with cluster_env(test_alias("rejects2")):
        summary = reindex([tmp_path / "corpus.jsonl"], index_dir=tmp_path / "index2", backend="opensearch")
    drop(test_alias("rejects2"))
    assert summary.indexed == without_source
    assert summary.skipped["rejected by OpenSearch: mapper_parsing_exception"] == len(records) - without_source
    assert summary.read == summary.indexed + summary.skipped_total
    assert summary.bulk["acknowledged"] == without_source


@cluster
def test_cli_reindex_reports_the_cluster_and_search_reads_through_the_alias(tmp_path):
    require_cluster()
    alias = test_alias("cli")
    source = write_jsonl(tmp_path / "c.jsonl", CORPUS)
    env = {"FAHRAS_OPENSEARCH_URL": URL, "FAHRAS_OPENSEARCH_INDEX": alias, "FAHRAS_INDEX": str(tmp_path / "index")}
    runner = CliRunner()
    try:
        result = runner.invoke(main, ["reindex", str(source), "--backend", "opensearch", "--json"], env=env)
        assert result.exit_code == 0, result.output
        summary = json.loads(result.output)
        assert summary["indexed"] == len(CORPUS) and summary["backend"] == "opensearch"
        assert summary["health"]["cluster"]["status"] in ("green", "yellow")
        assert summary["health"]["documents"] == len(CORPUS)
        result = runner.invoke(main, ["reindex", str(source), "--backend", "opensearch"], env=env)
        assert result.exit_code == 0 and re.search(r"cluster \S+ (green|yellow), \d+ nodes?", result.output), result.output
        result = runner.invoke(main, ["search", "مدرسة", "--json"], env={**env, "FAHRAS_BACKEND": "opensearch"})
        assert result.exit_code == 0, result.output
        assert {h["id"] for h in json.loads(result.output)["hits"]} >= {"d01", "d02"}
    finally:
        drop(alias)


# --------------------------------------------------------------------------- parity on real articles

PARITY_ARTICLES = 3000
QUOTES = re.compile(r'["“”«»]')


@pytest.fixture(scope="module")
def parity_engines(tmp_path_factory):
    require_cluster()
    source = shared_data("news/antcorpus-v1.1.jsonl.gz")
    tmp = tmp_path_factory.mktemp("parity")
    with gzip.open(source, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in itertools.islice(f, PARITY_ARTICLES)]
    engines = {}
    for name in ("whoosh", "tantivy"):
        reindex([write_jsonl(tmp / "ant.jsonl", records)], index_dir=tmp / name, backend=name)
        engines[name] = Searcher(tmp / name, backend=name)
    (tmp / "os").mkdir()
    with cluster_engine(tmp / "os", records, "parity") as engine:
        engines["opensearch"] = engine
        yield engines, records
    for name in ("whoosh", "tantivy"):
        engines[name].close()


def parity_queries(records) -> dict[str, list[str]]:
    from .test_golden import GOLDEN

    questions = shared_data("eval/arabic-qa-dev/queries.jsonl")
    with open(questions, encoding="utf-8") as f:
        qa = [json.loads(line)["query"] for line in itertools.islice(f, 60)]
    # Headlines typed as words (quotes dropped): a reader's known-item searches.
    titles = [QUOTES.sub(" ", r["title"]) for r in records[7::50] if r.get("title")][:60]
    return {"golden": [q for q, _ in GOLDEN], "headlines": titles, "questions": qa}


@cluster
def test_parity_same_matches_everywhere_same_ranking_as_tantivy_close_to_whoosh(parity_engines):
    engines, records = parity_engines
    from .test_golden import GOLDEN

    assert engines["opensearch"].doc_count() == PARITY_ARTICLES
    figures = {}
    for group, queries in parity_queries(records).items():
        same_list = {"whoosh": 0, "tantivy": 0}
        same_set = {"whoosh": 0, "tantivy": 0}
        same_top = {"whoosh": 0, "tantivy": 0}
        overlap = {"whoosh": 0.0, "tantivy": 0.0}
        for query in queries:
            got = {name: e.find(query, size=10, snippets=False) for name, e in engines.items()}
            ours = [h.id for h in got["opensearch"].hits]
            for other in ("whoosh", "tantivy"):
                theirs = [h.id for h in got[other].hits]
                # The same documents match (same analysed terms, same query logic) ...
                assert got[other].articles == got["opensearch"].articles, (group, query, other)
                # Stories: exact on Whoosh, and on Tantivy up to 2,000 articles; OpenSearch's
                # cardinality aggregation is an estimate, seen off by one at 1,839 stories.
                assert abs(got[other].total - got["opensearch"].total) <= max(1, 0.005 * got["opensearch"].total)
                same_list[other] += theirs == ours
                same_set[other] += set(theirs) == set(ours)
                same_top[other] += theirs[:1] == ours[:1]
                overlap[other] += len(set(theirs) & set(ours)) / max(1, len(ours))
        n = len(queries)
        figures[group] = {o: (same_list[o] / n, same_set[o] / n, same_top[o] / n, overlap[o] / n) for o in same_list}
        # ... ranked by the same BM25 as Tantivy's (Lucene's formula): nearly the same top 10, the same best hit.
        # Tantivy scores two adjacent words as one pair term (its own document
        # frequency), OpenSearch as a phrase (the sum of its words' idf): the
        # tail of a top 10 may differ where pairs decide it.
        assert overlap["tantivy"] / n >= 0.97, figures
        assert same_set["tantivy"] / n >= 0.85, figures
        assert same_top["tantivy"] / n >= 0.95, figures
        # Whoosh's BM25F weighs rare words differently (idf log(N/(df+1))+1):
        # the same best hit and nearly the same top 10, in a slightly different order.
        assert overlap["whoosh"] / n >= 0.9, figures
        assert same_top["whoosh"] / n >= (1.0 if group == "golden" else 0.85), figures
    print("\nparity (same list, same set, same first, mean overlap@10):", json.dumps(figures))
    for query, expected in GOLDEN:
        if expected in {r["id"] for r in records}:
            assert expected in [h.id for h in engines["opensearch"].find(query, size=3, snippets=False).hits]


# --------------------------------------------------------------------------- alias swap


@cluster
def test_alias_swap_searches_never_fail_and_the_count_switches(tmp_path):
    require_cluster()
    alias = test_alias("swap")
    first, second = synthetic(300, "a", 11), synthetic(2500, "b", 12)
    src1, src2 = write_jsonl(tmp_path / "1.jsonl", first), write_jsonl(tmp_path / "2.jsonl", second)
    index = tmp_path / "index"
    try:
        with cluster_env(alias):
            reindex([src1], index_dir=index, backend="opensearch")
            engine = Searcher(index, backend="opensearch")
        store = engine.root
        old = store.current_name()
        totals: list[int] = []
        errors: list[str] = []
        stop = threading.Event()

        def searcher():
            while not stop.is_set():
                try:
                    totals.append(engine.find(EVERYWHERE, size=5, facets=True, snippets=False).articles)
                except Exception as exc:  # any failure is what this test looks for
                    errors.append(repr(exc))

        thread = threading.Thread(target=searcher, daemon=True)
        thread.start()
        try:
            time.sleep(0.3)
            with cluster_env(alias):
                summary = reindex([src2], index_dir=index, backend="opensearch")
            deadline = time.monotonic() + 5 * os_store.ALIAS_TTL + 5
            while time.monotonic() < deadline and (not totals or totals[-1] != len(second)):
                time.sleep(0.05)
            time.sleep(0.2)
        finally:
            stop.set()
            thread.join(timeout=30)
        assert errors == []
        assert summary.indexed == len(second)
        assert set(totals) == {len(first), len(second)}
        switched = totals.index(len(second))
        assert switched > 20  # searches ran all through the second reindex ...
        assert all(t == len(second) for t in totals[switched:])  # ... and never went back
        new = store.current_name()
        assert new != old and engine.health()["documents"] == len(second)

        # A third reindex keeps the index before it for readers still on it, and drops the oldest
        # (300 documents after 2,500: a shrink, allowed explicitly).
        with cluster_env(alias):
            reindex([src1], index_dir=index, backend="opensearch", allow_shrink=True)
        generations = store.generations()
        assert old not in generations and new in generations and len(generations) == 2
        engine.close()
    finally:
        drop(alias)


# --------------------------------------------------------------------------- a node lost mid-way




@cluster
def test_losing_a_node_while_indexing_and_searching_loses_no_acknowledged_document(tmp_path):
    """2 shards, 1 replica on two nodes; node 2 stops part-way; then it comes back.

    Searches run on the served index all along; the new index is written
    through both nodes' URLs. Every document the cluster acknowledged must be
    found afterwards, and searches must keep answering with the full count.
    """
    health = require_cluster()
    if health["number_of_nodes"] < 2:
        pytest.fail(f"the fault test needs the two-node cluster of {CLUSTER_SCRIPT.name}; {URL} has "
                    f"{health['number_of_nodes']} node(s)")
    port = int(os.environ.get("FAHRAS_OS_HTTP_PORT") or 9200)
    both = f"http://127.0.0.1:{port},http://127.0.0.1:{port + 1}"
    alias = test_alias("fault")
    served, incoming = synthetic(2000, "s", 21), synthetic(20000, "n", 22)
    index = tmp_path / "index"
    started = time.monotonic()
    node_down = threading.Event()
    stopper_error: list[str] = []
    totals: list[tuple[bool, int]] = []  # (node 2 down at the time, total)
    errors: list[str] = []
    stop = threading.Event()
    try:
        with cluster_env(alias, url=both, shards="2", replicas="1"):
            reindex([write_jsonl(tmp_path / "served.jsonl", served)], index_dir=index, backend="opensearch")
            engine = Searcher(index, backend="opensearch")
        store = engine.root
        # Every shard has its replica on the other node before one is lost.
        store.client.cluster.health(index=f"{alias}-*", wait_for_status="green", timeout="60s", request_timeout=70)
        assert store.health()["shards"] == {"active": 4, "primaries": 2, "unassigned": 0}

        def searcher():
            while not stop.is_set():
                down = node_down.is_set()
                try:
                    totals.append((down, engine.find(EVERYWHERE, size=10, facets=True, snippets=False).articles))
                except Exception as exc:
                    errors.append(repr(exc))
                time.sleep(0.01)

        def stop_node_2():
            try:
                cluster_script("stop-node", "2", timeout=120)
                node_down.set()
            except Exception as exc:
                stopper_error.append(repr(exc))
                node_down.set()

        search_thread = threading.Thread(target=searcher, daemon=True)
        search_thread.start()
        generation = store.new_generation()
        store.client.cluster.health(index=generation.name, wait_for_status="green", timeout="60s", request_timeout=70)
        acked: list[str] = []
        writer = os_bulk.OpenSearchWriter(generation, on_acknowledged=acked.extend, bulk_docs=250)
        stopper = None
        try:
            for i, doc in enumerate(analysed(incoming)):
                if i == len(incoming) // 5:
                    stopper = threading.Thread(target=stop_node_2, daemon=True)
                    stopper.start()
                if i == len(incoming) // 2:
                    # The second half is written once node 2 is gone.
                    assert node_down.wait(timeout=150), "node 2 did not stop"
                writer.add(doc)
            writer.commit()
        except BaseException:
            writer.abort()
            raise
        time.sleep(1.0)  # searches on one node
        stop.set()
        search_thread.join(timeout=30)
        assert stopper_error == []
        assert errors == [], errors[:5]
        assert {t for _, t in totals} == {len(served)}
        assert sum(1 for down, _ in totals if down) > 10  # searches went on while node 2 was down
        print(f"\nnode loss: {len(totals)} searches, {sum(d for d, _ in totals)} with node 2 down, none failed; "
              f"bulk {writer.stats.to_dict()}")

        # Every acknowledged document is there, exactly once; none was rejected.
        assert writer.rejected == []
        assert len(acked) == len(set(acked)) == len(incoming)
        store.client.indices.refresh(index=generation.name)
        found = 0
        for chunk in range(0, len(acked), 5000):
            ids = acked[chunk : chunk + 5000]
            found += store.client.count(index=generation.name, body={"query": {"ids": {"values": ids}}})["count"]
        assert found == len(acked)
        state = store.health()
        assert state["cluster"]["nodes"] == 1 and state["cluster"]["status"] in ("yellow", "green")

        # The count check passes with one node, and the alias moves to the new index.
        store.publish(generation, Manifest(backend="opensearch", analysis_version=engine.manifest.analysis_version,
                                           document_count=len(acked), created=time.strftime("%Y-%m-%dT%H:%M:%S%z")))
        deadline = time.monotonic() + 5 * os_store.ALIAS_TTL
        while time.monotonic() < deadline and engine.find(EVERYWHERE, snippets=False).articles != len(incoming):
            time.sleep(0.1)
        assert engine.find(EVERYWHERE, snippets=False).articles == len(incoming)
        engine.close()
    finally:
        stop.set()
        drop(alias)
        cluster_script("start", timeout=480)  # node 2 back; waits for green with both nodes
    assert require_cluster()["number_of_nodes"] == 2
    assert time.monotonic() - started < 600
