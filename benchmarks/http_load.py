"""Bounded HTTP load on the JSON search API over loopback: latency percentiles, throughput, errors.

    python -m benchmarks.http_load [--url http://127.0.0.1:8000] [--clients 4] [--duration 30]
        [--queries ../shared/data/eval/arabic-qa-dev/queries.jsonl] [--worst-fraction 0.05] [--json]

Each client is a thread with one keep-alive connection that sends
GET /api/search?q=... back to back (closed loop) for a fixed duration of at
most 60 s and at most --max-requests requests in all. Queries are the
development questions in a fixed shuffled order, with a fraction of worst
cases mixed in (syntax, maximal length, deep pages, date sort, filters).
Only loopback addresses are accepted as targets. Exit status 1 when any
response was a 5xx or a connection failed.
"""
from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import random
import socket
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode, urlsplit

REPO = Path(__file__).resolve().parent.parent
DEFAULT_QUERIES = REPO.parent / "shared" / "data" / "eval" / "arabic-qa-dev" / "queries.jsonl"
MAX_DURATION = 60.0

# Inputs that cost the most or parse the worst; each must still be a fast 200 or 400.
WORST_CASES = [
    {"q": "*"},
    {"q": '"إدارة ترامب'},
    {"q": "(" * 990 + "السعودية"},
    {"q": " ".join(["الاقتصاد السعودي والنفط والرياض"] * 8)},
    {"q": "ال" * 499},
    {"q": "المملكة العربية السعودية", "page": 100, "size": 10},
    {"q": "المملكة العربية السعودية", "size": 100},
    {"q": "وزارة الصحة", "sort": "date"},
    {"q": "السعودية", "from": "2015-07-01", "to": "2015-07-31"},
    {"q": "كرة القدم", "source": ["Al-Riyadh", "Okaz", "Sabq"]},
    {"q": "x" * 1001},  # over the limit: a 400 by design
]


def loopback_only(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or 80
    if parts.scheme != "http":
        raise SystemExit(f"http_load: only plain http URLs on loopback are supported, not {url}")
    for family, _, _, _, address in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        if not ipaddress.ip_address(address[0]).is_loopback:
            raise SystemExit(f"http_load: {host} is not a loopback address; load is only ever sent to this machine")
    return host, port


def load_queries(path: Path, worst_fraction: float, seed: int) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        queries = [{"q": json.loads(line)["query"]} for line in f if line.strip()]
    rng = random.Random(seed)
    rng.shuffle(queries)
    n_worst = round(len(queries) * worst_fraction)
    mixed = queries + [WORST_CASES[i % len(WORST_CASES)] for i in range(n_worst)]
    rng.shuffle(mixed)
    return mixed


class Client(threading.Thread):
    def __init__(self, host, port, path, queries, deadline, budget, timeout) -> None:
        super().__init__(daemon=True)
        self.host, self.port, self.path = host, port, path
        self.queries, self.deadline, self.budget, self.timeout = queries, deadline, budget, timeout
        self.latencies: list[float] = []
        self.statuses: Counter = Counter()
        self.errors: Counter = Counter()

    def run(self) -> None:
        connection = None
        i = 0
        while time.monotonic() < self.deadline and self.budget.acquire(blocking=False):
            params = self.queries[i % len(self.queries)]
            i += 1
            target = self.path + "?" + urlencode(params, doseq=True)
            started = time.perf_counter()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                connection.request("GET", target)
                response = connection.getresponse()
                response.read()
                self.latencies.append(time.perf_counter() - started)
                self.statuses[response.status] += 1
                if response.will_close:
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException) as exc:
                self.errors[type(exc).__name__] += 1
                if connection is not None:
                    connection.close()
                connection = None
        if connection is not None:
            connection.close()


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--path", default="/api/search")
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--duration", type=float, default=30.0, help=f"seconds, at most {MAX_DURATION:g}")
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--worst-fraction", type=float, default=0.05)
    parser.add_argument("--timeout", type=float, default=30.0, help="per request, seconds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    if not 0 < args.duration <= MAX_DURATION:
        parser.error(f"--duration must be in (0, {MAX_DURATION:g}]")
    if not 1 <= args.clients <= 64:
        parser.error("--clients must be 1..64")
    host, port = loopback_only(args.url)
    if not args.queries.exists():
        print(f"http_load: {args.queries} is absent (the shared development data)", file=sys.stderr)
        return 2
    queries = load_queries(args.queries, args.worst_fraction, args.seed)

    budget = threading.Semaphore(args.max_requests)
    started = time.monotonic()
    deadline = started + args.duration
    clients = []
    for n in range(args.clients):
        offset = n * len(queries) // args.clients  # clients start at different points of the mix
        clients.append(Client(host, port, args.path, queries[offset:] + queries[:offset], deadline, budget, args.timeout))
    for client in clients:
        client.start()
    for client in clients:
        client.join(args.duration + args.timeout + 5)
    elapsed = time.monotonic() - started

    latencies = sorted(x for c in clients for x in c.latencies)
    statuses = sum((c.statuses for c in clients), Counter())
    errors = sum((c.errors for c in clients), Counter())
    ms = lambda seconds: round(seconds * 1000, 1)  # noqa: E731
    figures = {
        "url": args.url + args.path,
        "clients": args.clients,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "requests_per_second": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        "median_ms": ms(statistics.median(latencies)) if latencies else None,
        "p95_ms": ms(percentile(latencies, 0.95)),
        "p99_ms": ms(percentile(latencies, 0.99)),
        "max_ms": ms(latencies[-1]) if latencies else None,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "server_errors_5xx": sum(v for k, v in statuses.items() if k >= 500),
        "connection_errors": dict(errors),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(
            f"{figures['requests']} requests in {figures['seconds']} s from {args.clients} clients: "
            f"{figures['requests_per_second']} req/s\n"
            f"latency ms: median {figures['median_ms']}, p95 {figures['p95_ms']}, p99 {figures['p99_ms']}, "
            f"max {figures['max_ms']}\n"
            f"statuses {figures['statuses']}; 5xx {figures['server_errors_5xx']}; "
            f"connection errors {sum(errors.values())} {dict(errors) or ''}"
        )
    return 1 if figures["server_errors_5xx"] or errors else 0


if __name__ == "__main__":
    sys.exit(main())
