"""GET /metrics in the Prometheus text format (prometheus-client): requests, latency, documents.

gunicorn runs several worker processes; each counts its own requests. With
PROMETHEUS_MULTIPROC_DIR set (gunicorn.conf.py gives each `fahras serve`
instance a directory of its own) a scrape of any worker adds up every
worker's counts; without it (one process, tests) the process's own registry
answers.
"""
from __future__ import annotations

import os
import time

from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

from search.index import IndexUnavailable

bp = Blueprint("metrics", __name__)
REQUESTS = Counter("fahras_http_requests", "HTTP requests answered, by route and status.", ["route", "method", "status"])
LATENCY = Histogram(
    "fahras_http_request_seconds", "Time to answer an HTTP request, by route.", ["route"],
    buckets=(0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0),
)


class IndexDocuments:
    """The served index's document count, read at scrape time by the worker that answers."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self):
        gauge = GaugeMetricFamily("fahras_index_documents", "Documents in the served index (-1 when no index is served).")
        try:
            count = self.app.extensions["fahras"].health()["documents"]
        except IndexUnavailable:
            count = -1
        gauge.add_metric([], count)
        yield gauge


def _route() -> str:
    # The URL rule, not the path: /api/documents/<document_id:doc_id> is one route, whatever the id.
    return request.url_rule.rule if request.url_rule is not None else "unmatched"


def _started() -> None:
    g.fahras_started = time.perf_counter()


def _counted(response):
    started = g.pop("fahras_started", None)
    route = _route()
    REQUESTS.labels(route, request.method, str(response.status_code)).inc()
    if started is not None:
        LATENCY.labels(route).observe(time.perf_counter() - started)
    return response


@bp.get("/metrics")
def metrics():
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(IndexDocuments(current_app._get_current_object()))
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    app.before_request(_started)
    app.after_request(_counted)
