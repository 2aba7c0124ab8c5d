"""Performance benchmark: Fahras on Tantivy, Fahras on Whoosh and stock Whoosh, one after another.

    python -m benchmarks.run [--corpora dev,news,10k,30k] [--queries N] [--http-seconds S]
        [--slow-corpora dev,news] [--no-http] [--render var/bench/latest.json]

For each corpus, each configuration in turn, on the same documents and the same queries:
- indexing in a subprocess: documents/s, CPU seconds of the whole process
  tree, peak memory (the largest single process from getrusage(RUSAGE_CHILDREN)
  and the sum over the process tree, sampled every 0.1 s), index size on disk;
- in-process search in a fresh subprocess at top 10, without and then with
  snippets: median, p95, p99 (development queries: arabic-qa-dev and
  news-known-item-dev, shuffled, the first --queries of them);
- for the two Fahras configurations, HTTP through gunicorn (`fahras serve` on
  127.0.0.1 and a free port): 20 concurrent clients from a second process
  (wrk, or benchmarks/http_load.py where wrk is missing) for --http-seconds,
  after a warm-up and once the workers are idle (each builds its did-you-mean
  vocabulary after its first search), with the connections each worker holds
  counted halfway; then the resident memory of each web worker, and the floor
  of the stack (/healthz); for Tantivy, the same clients on the app without
  snippets (benchmarks/lean_app.py).

"stock-whoosh" is the baseline in benchmarks/stock_whoosh.py, not Fahras.
--slow-corpora names the corpora on which the two Whoosh configurations run
(default: all chosen); Tantivy runs on every corpus. Results go to
var/bench/results-<time>.json and var/bench/latest.json, and are rendered into
docs/performance.md and docs/performance.png (--render does only that).
"""
from __future__ import annotations

import argparse
import cProfile
import gzip
import io
import json
import math
import os
import platform
import pstats
import random
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
BENCH = REPO / "var" / "bench"
DEV_CORPUS = REPO / "var" / "dev" / "corpus.jsonl"
MAKE_DEV_CORPUS = SHARED / "eval" / "make_dev_corpus.py"
NEWS = sorted((SHARED / "data" / "news").glob("*.jsonl.gz"))
QUERY_SETS = [
    SHARED / "data" / "eval" / "arabic-qa-dev" / "queries.jsonl",
    SHARED / "data" / "eval" / "news-known-item-dev" / "queries.jsonl",
]
SLICES = {"10k": 10_000, "30k": 30_000}
CORPORA = ("dev", "10k", "30k", "news")
CONFIGS = ("tantivy", "whoosh", "stock-whoosh")
LABELS = {
    "tantivy": "Fahras on Tantivy",
    "whoosh": "Fahras on Whoosh",
    "stock-whoosh": "stock Whoosh (baseline)",
}
HTTP_CLIENTS = 20
TOP = 10
WARMUP_QUERIES = 200


# ---------------------------------------------------------------- corpora and queries


def corpus_sources(name: str) -> list[Path]:
    if name == "dev":
        if not DEV_CORPUS.exists():
            DEV_CORPUS.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run([sys.executable, str(MAKE_DEV_CORPUS), str(DEV_CORPUS)], check=True)
        return [DEV_CORPUS]
    if name == "news":
        return list(NEWS)
    if name in SLICES:
        return [news_slice(SLICES[name])]
    raise SystemExit(f"benchmarks.run: unknown corpus {name!r}; choose from {', '.join(CORPORA)}")


def news_slice(n: int) -> Path:
    """The first `n` records of the news corpora taken in turn from each file (all three sources mixed)."""
    out = BENCH / "corpora" / f"news-{n // 1000}k.jsonl"
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    readers = [gzip.open(path, "rb") for path in NEWS]
    lines = 0
    tmp = out.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        while lines < n and readers:
            for reader in list(readers):
                line = reader.readline()
                if not line:
                    readers.remove(reader)
                    reader.close()
                elif line.strip():
                    f.write(line if line.endswith(b"\n") else line + b"\n")
                    lines += 1
                    if lines == n:
                        break
    for reader in readers:
        reader.close()
    tmp.rename(out)
    return out


def load_queries(n: int | None, seed: int = 1) -> list[str]:
    queries = []
    for path in QUERY_SETS:
        with open(path, encoding="utf-8") as f:
            queries += [json.loads(line)["query"] for line in f if line.strip()]
    random.Random(seed).shuffle(queries)
    return queries[:n] if n else queries


# ---------------------------------------------------------------- measuring helpers


def percentiles(seconds: list[float]) -> dict:
    values = sorted(seconds)
    if not values:
        return {"n": 0, "median_ms": None, "p95_ms": None, "p99_ms": None}

    def rank(fraction: float) -> float:  # nearest rank
        return values[min(len(values) - 1, max(0, math.ceil(fraction * len(values)) - 1))]

    return {
        "n": len(values),
        "median_ms": round(statistics.median(values) * 1000, 2),
        "p95_ms": round(rank(0.95) * 1000, 2),
        "p99_ms": round(rank(0.99) * 1000, 2),
    }


def _ppid_map() -> dict[int, int]:
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    stat = f.read()
            except OSError:
                continue
            parents[int(entry)] = int(stat[stat.rindex(b")") + 2 :].split()[1])
    return parents


def children(pid: int) -> list[int]:
    return [child for child, parent in _ppid_map().items() if parent == pid]


def descendants(pid: int) -> list[int]:
    parents = _ppid_map()
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        for child, p in parents.items():
            if p == parent:
                found.append(child)
                frontier.append(child)
    return found


def _proc_kb(path: str, field: str) -> int:
    """A "Field:  N kB" line of a /proc file, in kB; 0 when the process is gone."""
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def status_kb(pid: int, field: str) -> int:
    return _proc_kb(f"/proc/{pid}/status", field)


def pss_kb(pid: int) -> int:
    return _proc_kb(f"/proc/{pid}/smaps_rollup", "Pss")


def cpu_ticks(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except OSError:
        return 0


class TreeRss(threading.Thread):
    """Peak of the summed VmRSS of a process and its descendants, sampled every 0.1 s."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self._done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.1):
            pids = [self.pid] + descendants(self.pid)
            self.peak_kb = max(self.peak_kb, sum(status_kb(p, "VmRSS") for p in pids))

    def stop(self) -> int:
        self._done.set()
        self.join()
        return self.peak_kb


def loadavg() -> float:
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def dir_size(path: Path) -> int:
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files)


def run_json(args: list[str], env: dict | None = None, timeout: float = 7200) -> tuple[dict, float, int]:
    """Run `python -m benchmarks.run <args>` and return (its JSON, wall seconds, peak tree RSS in KB)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.run", *args], cwd=REPO, stdout=subprocess.PIPE, env=env or os.environ.copy()
    )
    sampler = TreeRss(proc.pid)
    sampler.start()
    out, _ = proc.communicate(timeout=timeout)
    peak = sampler.stop()
    if proc.returncode != 0:
        raise RuntimeError(f"benchmarks.run {' '.join(args[:3])} failed with status {proc.returncode}")
    return json.loads(out.decode().strip().splitlines()[-1]), time.perf_counter() - started, peak


# ---------------------------------------------------------------- subprocess roles


def role_index(config: str, out: Path, sources: list[str], workers: int | None, profile: bool) -> dict:
    """Index in this process (and its pool): the figures of one indexing."""
    started = time.perf_counter()
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    if config == "stock-whoosh":
        from benchmarks.stock_whoosh import build

        indexed = build(sources, out)
        location = out
    else:
        from indexer.reindex import reindex
        from search.index import IndexRoot

        indexed = reindex(sources, index_dir=out, backend=config, workers=workers).indexed
        location = IndexRoot(out).current()
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = {
        "indexed": indexed,
        "seconds": round(seconds, 2),
        "docs_per_second": round(indexed / seconds, 1),
        "cpu_seconds": round(me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime, 2),
        "max_process_rss_mb": round(max(me.ru_maxrss, children.ru_maxrss) / 1024, 1),
        "index_bytes": dir_size(location),
    }
    if profiler:
        figures["profile"] = top_functions(profiler)
    return figures


def role_query(config: str, index: Path, queries_file: Path, profile: bool) -> dict:
    """In-process search latency at top 10, without then with snippets, after a warm-up."""
    queries = json.loads(queries_file.read_text(encoding="utf-8"))
    if config == "stock-whoosh":
        from benchmarks.stock_whoosh import StockSearcher

        searcher = StockSearcher(index)

        def search(q: str, snippets: bool):
            return searcher.search(q, limit=TOP, snippets=snippets)
    else:
        from search.searcher import Searcher

        engine = Searcher(index, suggest="off")

        def search(q: str, snippets: bool):
            return engine.find(q, size=TOP, snippets=snippets, facets=False)

    for q in queries[:WARMUP_QUERIES]:
        search(q, True)
    figures = {}
    for snippets in (False, True):
        seconds = []
        for q in queries:
            started = time.perf_counter()
            search(q, snippets)
            seconds.append(time.perf_counter() - started)
        figures["snippets" if snippets else "no_snippets"] = percentiles(seconds)
    figures["process_rss_mb"] = round(status_kb(os.getpid(), "VmRSS") / 1024, 1)
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for q in queries[:1000]:
            search(q, True)
        profiler.disable()
        figures["profile"] = top_functions(profiler)
    return figures


def role_api_profile(index: Path, queries_file: Path) -> dict:
    """CPU per GET /api/search called on the WSGI app in-process, with parts of the work taken away in turn; then its cProfile."""
    from urllib.parse import urlencode

    from search.searcher import Searcher
    from webui import create_app
    from webui.service import SearchService

    queries = json.loads(queries_file.read_text(encoding="utf-8"))
    app = create_app({"INDEX_DIR": str(index), "SUGGEST": "sync"})

    def call(q: str, path: str = "/api/search") -> None:
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": urlencode({"q": q}), "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "127.0.0.1", "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr, "wsgi.version": (1, 0),
            "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False,
        }
        b"".join(app(environ, lambda status, headers, exc_info=None: None))

    def cpu_ms(path: str = "/api/search") -> float:
        for q in queries[:WARMUP_QUERIES]:
            call(q, path)
        best = math.inf
        for _ in range(3):  # the least disturbed of three passes
            started = time.process_time()
            for q in queries:
                call(q, path)
            best = min(best, (time.process_time() - started) * 1000 / len(queries))
        return round(best, 3)

    steps = {"whole request": cpu_ms(), "health check (no search)": cpu_ms("/healthz")}
    run_in_pool = SearchService._run
    SearchService._run = lambda self, fn, *args: (self._ensure(), fn(*args))[1]
    steps["without the hop through the search pool"] = cpu_ms()
    engine_search = Searcher.search
    Searcher.search = lambda self, r, **kw: engine_search(self, r, **{**kw, "suggest": False})
    steps["also without did-you-mean"] = cpu_ms()
    Searcher.search = lambda self, r, **kw: engine_search(self, r, **{**kw, "suggest": False, "facets": False})
    steps["also without facets"] = cpu_ms()
    Searcher.search = lambda self, r, **kw: engine_search(self, r, **{**kw, "suggest": False, "facets": False, "snippets": False})
    steps["also without snippets"] = cpu_ms()
    Searcher.search = engine_search
    profiler = cProfile.Profile()
    started = time.process_time()
    profiler.enable()
    for q in queries:
        call(q)
    profiler.disable()
    SearchService._run = run_in_pool
    return {"requests": len(queries), "cpu_ms_per_request": steps,
            "cpu_ms_per_request_profiled": round((time.process_time() - started) * 1000 / len(queries), 2),
            "profile": top_functions(profiler, 20)}


def top_functions(profiler: cProfile.Profile, n: int = 15) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats("tottime").print_stats(n)
    text = out.getvalue()
    return text[text.index("   ncalls") :].rstrip() if "   ncalls" in text else text.strip()


# ---------------------------------------------------------------- HTTP through gunicorn


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


WRK_SCRIPT = REPO / "benchmarks" / "wrk_paths.lua"


def request_paths(queries_file: Path, path: str = "/api/search") -> Path:
    """The queries as percent-encoded GET paths, one per line, for wrk."""
    from urllib.parse import urlencode

    queries = [json.loads(line)["query"] for line in queries_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = queries_file.with_name(queries_file.stem + path.replace("/", "-") + ".paths")  # queries-api-search.paths
    out.write_text("".join(f"{path}?{urlencode({'q': q})}\n" for q in queries), encoding="ascii")
    return out


def connections_per_worker(port: int, workers: list[int]) -> list[int]:
    """Established connections to `port` held by each worker process (from /proc/net/tcp and their fds)."""
    inodes = set()
    with open("/proc/net/tcp") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            # local address as hex "ADDR:PORT"; state 01 is ESTABLISHED; the socket's inode is column 10
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                inodes.add(fields[9])
    counts = []
    for pid in workers:
        held = 0
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    target = os.readlink(f"/proc/{pid}/fd/{fd}")
                except OSError:
                    continue
                held += target.startswith("socket:[") and target[8:-1] in inodes
        except OSError:
            pass
        counts.append(held)
    return counts


def wrk_load(url: str, paths_file: Path, clients: int, seconds: float, midway=None) -> dict:
    """Closed-loop load from wrk (2 threads, `clients` keep-alive connections); figures as http_load's, plus its CPU.

    `midway`, when given, is called halfway through the load; its value is kept as "midway".
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    process = subprocess.Popen(
        ["wrk", "-t2", f"-c{clients}", f"-d{seconds:g}s", "--timeout", "30s", "-s", str(WRK_SCRIPT), url, "--", str(paths_file)],
        cwd=REPO, stdout=subprocess.PIPE,
    )
    seen = None
    if midway is not None:
        time.sleep(seconds / 2)
        seen = midway()
    try:
        stdout, _ = process.communicate(timeout=seconds + 120)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, "wrk")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next(l for l in stdout.decode().splitlines() if l.startswith("WRK_JSON "))
    w = json.loads(line[len("WRK_JSON "):])
    client_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    errors = {k: v for k, v in w["errors"].items() if v and k != "status"}
    return {
        "client": "wrk",
        "clients": clients,
        "seconds": round(w["seconds"], 1),
        "requests": w["requests"],
        "requests_per_second": round(w["requests"] / w["seconds"], 1),
        "median_ms": round(w["median_ms"], 1),
        "p95_ms": round(w["p95_ms"], 1),
        "p99_ms": round(w["p99_ms"], 1),
        "max_ms": round(w["max_ms"], 1),
        # wrk counts responses outside 2xx/3xx; every benchmark query is valid, so any is a failure.
        "non_2xx": w["errors"]["status"],
        "connection_errors": errors,
        "client_cpu_share": round(client_cpu / w["seconds"], 3),  # of one core
        **({"midway": seen} if midway is not None else {}),
    }


def http_load(url: str, queries_file: Path, clients: int, seconds: float) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.http_load", "--url", url, "--clients", str(clients),
         "--duration", str(seconds), "--queries", str(queries_file), "--worst-fraction", "0", "--json"],
        cwd=REPO, stdout=subprocess.PIPE, timeout=seconds + 120,
    )
    return json.loads(out.stdout.decode())


def wait_idle(pids: list[int], quiet_ticks: int = 5, timeout: float = 180) -> float:
    """Wait until `pids` together use under `quiet_ticks` CPU ticks per second; the seconds waited."""
    started = time.monotonic()
    before = sum(map(cpu_ticks, pids))
    while time.monotonic() - started < timeout:
        time.sleep(1.0)
        now = sum(map(cpu_ticks, pids))
        if now - before < quiet_ticks:
            break
        before = now
    return round(time.monotonic() - started, 1)


class Server:
    """A gunicorn server on 127.0.0.1 and a free port, healthy on entry, stopped on exit.

    The port reaches gunicorn through FAHRAS_HOST and FAHRAS_PORT, which its
    configuration file (webui/gunicorn.conf.py) reads.
    """

    def __init__(self, argv: list[str], index: Path, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.argv, self.log = argv, log
        self.env = {**os.environ, "FAHRAS_HOST": "127.0.0.1", "FAHRAS_PORT": str(self.port), "FAHRAS_INDEX": str(index)}

    def __enter__(self) -> "Server":
        with open(self.log, "ab") as logfile:
            self.process = subprocess.Popen(self.argv, cwd=REPO, env=self.env, stdout=logfile, stderr=logfile,
                                            start_new_session=True)
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=5) as response:
                    if response.status == 200:
                        return self
            except OSError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.__exit__()
                raise RuntimeError(f"the server did not become healthy on {self.url} (log: {self.log})")
            time.sleep(0.3)

    def workers(self) -> list[int]:
        # The arbiter's children; a worker's own child (the did-you-mean build) is not a worker.
        return children(self.process.pid)

    def warm(self, paths: Path) -> dict:
        # Every worker opens the index and starts its vocabulary; then let them finish.
        warm = wrk_load(self.url, paths, 4, 5)
        warm["idle_wait_seconds"] = wait_idle(self.workers())
        return warm

    def __exit__(self, *exc) -> None:
        server = self.process
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def role_http(index: Path, queries_file: Path, seconds: float, log: Path, lean_floor: bool = False) -> dict:
    serve = [sys.executable, "-m", "cli", "serve", "--index", str(index)]
    paths = request_paths(queries_file)
    if shutil.which("wrk") is None:
        with Server(serve, index, log) as server:
            load = http_load(server.url, queries_file, HTTP_CLIENTS, seconds)
            load["client"] = "benchmarks/http_load.py (wrk not installed: scripts/install-wrk.sh)"
            return load
    with Server(serve, index, log) as server:
        warm = server.warm(paths)
        serving = set(server.workers())
        load = wrk_load(server.url, paths, HTTP_CLIENTS, seconds,
                        midway=lambda: connections_per_worker(server.port, server.workers()))
        load["connections_per_worker"] = load.pop("midway")
        workers = server.workers()
        # A worker replaced during the load (gunicorn's max_requests) would show a fresh process's memory.
        load["workers_replaced"] = len(set(workers) - serving)
        load["worker_rss_mb"] = [round(status_kb(pid, "VmRSS") / 1024, 1) for pid in workers]
        # Private memory, and pages of the index files mapped by the engine (shared page cache).
        load["worker_rss_anon_mb"] = [round(status_kb(pid, "RssAnon") / 1024, 1) for pid in workers]
        load["worker_rss_file_mb"] = [round(status_kb(pid, "RssFile") / 1024, 1) for pid in workers]
        # Proportional set size: shared pages (the index files) divided among the processes mapping them.
        load["worker_pss_mb"] = [round(pss_kb(pid) / 1024, 1) for pid in workers]
        load["worker_peak_rss_mb"] = [round(status_kb(pid, "VmHWM") / 1024, 1) for pid in workers]
        # The floor of the stack: the same clients on the health check, which
        # goes through gunicorn, Flask and the search pool but does no search.
        # After the memory readings, and short: thousands of requests a second
        # would soon reach gunicorn's max_requests and recycle the workers.
        floor = wrk_load(server.url, request_paths(queries_file, "/healthz"), HTTP_CLIENTS, min(seconds, 5))
        load["floor_healthz"] = {k: floor[k] for k in ("requests_per_second", "median_ms", "p95_ms", "p99_ms", "non_2xx")}
        load["warmup_requests"] = warm.get("requests")
        load["idle_wait_seconds"] = warm["idle_wait_seconds"]
    if lean_floor:
        # The same stack, configuration and queries, answering without snippets.
        config = str(REPO / "webui" / "gunicorn.conf.py")
        lean = [sys.executable, "-m", "gunicorn", "-c", config, "benchmarks.lean_app:app"]
        with Server(lean, index, log) as server:
            server.warm(paths)
            floor = wrk_load(server.url, paths, HTTP_CLIENTS, min(seconds, 10),
                             midway=lambda: connections_per_worker(server.port, server.workers()))
        load["floor_without_snippets"] = {k: floor[k] for k in
                                          ("seconds", "requests_per_second", "median_ms", "p95_ms", "p99_ms", "non_2xx", "midway")}
    return load


# ---------------------------------------------------------------- the run


def machine() -> dict:
    def sh(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False).stdout.strip()
        except OSError:
            return ""

    model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "nproc": sh(["nproc"]),
        "free_g": sh(["free", "-g"]),
        "cpu": model,
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "commit": sh(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]),
    }


def bench(args) -> dict:
    corpora = [c.strip() for c in args.corpora.split(",") if c.strip()]
    slow = set(corpora if args.slow_corpora == "all" else [c.strip() for c in args.slow_corpora.split(",")])
    queries = load_queries(args.queries)
    BENCH.mkdir(parents=True, exist_ok=True)
    run_dir = BENCH / "run"
    queries_json = BENCH / "queries.json"
    queries_json.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    queries_jsonl = BENCH / "queries.jsonl"
    queries_jsonl.write_text("".join(json.dumps({"query": q}, ensure_ascii=False) + "\n" for q in queries), encoding="utf-8")
    results = {
        "machine": machine(),
        "parameters": {"queries": len(queries), "top": TOP, "http_clients": HTTP_CLIENTS, "http_seconds": args.http_seconds,
                       "workers": args.workers or os.cpu_count()},
        "corpora": {},
    }
    profiled = False
    for corpus in corpora:
        sources = [str(p) for p in corpus_sources(corpus)]
        results["corpora"][corpus] = entry = {"sources": sources, "configs": {}}
        for config in CONFIGS:
            if config != "tantivy" and corpus not in slow:
                continue
            print(f"[{time.strftime('%H:%M:%S')}] {corpus} / {config}: indexing", file=sys.stderr, flush=True)
            out = run_dir / corpus / config
            shutil.rmtree(out, ignore_errors=True)
            load_before = loadavg()
            role_args = ["_index", "--config", config, "--out", str(out)]
            if args.workers:
                role_args += ["--workers", str(args.workers)]
            runs = []
            for _ in range(args.index_repeats if config == "tantivy" else 1):
                shutil.rmtree(out, ignore_errors=True)
                figures, wall, peak = run_json(role_args + sources)
                figures.update(tree_peak_rss_mb=round(peak / 1024, 1), loadavg_before=load_before, loadavg_after=loadavg())
                runs.append(figures)
                load_before = loadavg()
            # The run with the median rate stands for the configuration; every rate is kept.
            runs.sort(key=lambda f: f["docs_per_second"])
            figures = runs[len(runs) // 2]
            if len(runs) > 1:
                # The last run's index stays for the queries: same documents, same terms.
                figures["docs_per_second_runs"] = [f["docs_per_second"] for f in runs]
            record = entry["configs"][config] = {"index": figures}
            entry["documents"] = figures["indexed"]
            index = out
            print(f"[{time.strftime('%H:%M:%S')}] {corpus} / {config}: {figures['docs_per_second']} docs/s; queries",
                  file=sys.stderr, flush=True)
            profile = args.profile and config == "tantivy" and not profiled
            query_args = ["_query", "--config", config, "--index", str(index), "--queries-file", str(queries_json)]
            record["query"], _, _ = run_json(query_args + (["--profile"] if profile else []))
            record["query"]["loadavg_after"] = loadavg()
            if profile:
                record["api_profile"], _, _ = run_json(["_api_profile", "--config", config, "--index", str(index),
                                                        "--queries-file", str(queries_json)])
            if config != "stock-whoosh" and args.http_seconds > 0:
                print(f"[{time.strftime('%H:%M:%S')}] {corpus} / {config}: HTTP", file=sys.stderr, flush=True)
                record["http"] = role_http(index, queries_jsonl, args.http_seconds, BENCH / "serve.log",
                                           lean_floor=config == "tantivy")
                record["http"]["loadavg_after"] = loadavg()
            if profile:
                # The whole per-document cost in one process (no pool), for the profile only.
                print(f"[{time.strftime('%H:%M:%S')}] {corpus} / {config}: indexing profile (one process)",
                      file=sys.stderr, flush=True)
                serial = run_dir / corpus / "profile"
                shutil.rmtree(serial, ignore_errors=True)
                prof, _, _ = run_json(["_index", "--config", config, "--out", str(serial), "--workers", "1", "--profile"] + sources)
                record["index_profile"] = {"docs_per_second": prof["docs_per_second"], "cpu_seconds": prof["cpu_seconds"],
                                           "profile": prof["profile"]}
                shutil.rmtree(serial, ignore_errors=True)
                profiled = True
            if not args.keep_indexes:
                shutil.rmtree(out, ignore_errors=True)
            save(results)
    return results


def save(results: dict) -> Path:
    BENCH.mkdir(parents=True, exist_ok=True)
    stamp = results.setdefault("stamp", time.strftime("%Y%m%dT%H%M%S"))
    path = BENCH / f"results-{stamp}.json"
    text = json.dumps(results, ensure_ascii=False, indent=1)
    path.write_text(text, encoding="utf-8")
    (BENCH / "latest.json").write_text(text, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("_index", "_query", "_api_profile"):
        p = argparse.ArgumentParser()
        p.add_argument("role")
        p.add_argument("--config", choices=CONFIGS, required=True)
        p.add_argument("--out", type=Path)
        p.add_argument("--index", type=Path)
        p.add_argument("--queries-file", type=Path)
        p.add_argument("--workers", type=int)
        p.add_argument("--profile", action="store_true")
        p.add_argument("sources", nargs="*")
        a = p.parse_intermixed_args(argv)
        if a.role == "_index":
            figures = role_index(a.config, a.out, a.sources, a.workers, a.profile)
        elif a.role == "_api_profile":
            figures = role_api_profile(a.index, a.queries_file)
        else:
            figures = role_query(a.config, a.index, a.queries_file, a.profile)
        print(json.dumps(figures, ensure_ascii=False))
        return 0

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", default="dev,10k,30k,news", help=f"comma-separated, from {', '.join(CORPORA)}")
    parser.add_argument("--queries", type=int, default=None, help="use the first N shuffled development queries (default all)")
    parser.add_argument("--http-seconds", type=float, default=20.0, help="HTTP load per configuration (0: no HTTP)")
    parser.add_argument("--slow-corpora", default="all", help="corpora on which the Whoosh configurations run (default all)")
    parser.add_argument("--workers", type=int, default=None, help="analysis processes for Fahras indexing (default one per core)")
    parser.add_argument("--index-repeats", type=int, default=1,
                        help="index with Tantivy this many times and report the median rate (the machine is shared)")
    parser.add_argument("--no-profile", dest="profile", action="store_false", help="skip the profiles of Tantivy on the first corpus")
    parser.add_argument("--keep-indexes", action="store_true", help="keep the indexes under var/bench/run")
    parser.add_argument("--render", type=Path, help="only render docs/ from a saved results JSON")
    parser.add_argument("--supplement", type=Path, help="a later, smaller results JSON to show apart (with --render)")
    parser.add_argument("--supplement-note", default="", help="what changed before the --supplement run")
    args = parser.parse_args(argv)

    from benchmarks.report import render

    if args.render:
        results = json.loads(args.render.read_text(encoding="utf-8"))
    else:
        results = bench(args)
        print(f"results: {save(results)}", file=sys.stderr)
    supplement = json.loads(args.supplement.read_text(encoding="utf-8")) if args.supplement else None
    print(render(results, supplement, args.supplement_note))
    return 0


if __name__ == "__main__":
    sys.exit(main())
