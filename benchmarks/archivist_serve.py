"""The served half of benchmarks/archivist.py: `fahras serve` on an index, its export measured, its page photographed."""
from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Iterator

from search.export import FORMATS
from search.request import SearchRequest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
VIEWPORTS = {
    "desktop": dict(viewport={"width": 1366, "height": 900}),
    "phone": dict(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True),
}
PARTS = {"timeline": ".timeline", "facets": ".filters"}
SAMPLE_SECONDS = 0.01
CHUNK = 1 << 16


@contextlib.contextmanager
def served(index_dir: Path, log: Path) -> Iterator[tuple[str, int]]:
    """`fahras serve` with one worker on 127.0.0.1 and a free port: (its URL, the worker's pid) once healthy."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    fahras = str(Path(sys.executable).with_name("fahras"))
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        arbiter = subprocess.Popen(
            [fahras, "serve", "--index", str(index_dir), "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
            stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "FAHRAS_ACCESS_LOG": "off"},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while not _healthy(url):
            if arbiter.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"fahras serve did not come up (log: {log})")
            time.sleep(0.2)
        yield url, _worker(arbiter.pid)
    finally:
        arbiter.terminate()
        arbiter.wait(30)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _worker(arbiter: int) -> int:
    """The one gunicorn worker: the arbiter's child (gunicorn forks it from its main thread)."""
    children = Path(f"/proc/{arbiter}/task/{arbiter}/children").read_text().split()
    if len(children) != 1:
        raise RuntimeError(f"expected one worker under {arbiter}, found {children}")
    return int(children[0])


RSS_FIELDS = ("VmRSS", "RssAnon", "RssFile")  # all resident, the process's own heap, mapped files (the index)


def rss_mib(pid: int) -> dict[str, float]:
    """The resident memory of `pid` in MiB by RSS_FIELDS, from /proc/PID/status."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return {name: int(fields[name].split()[0]) / 1024 for name in RSS_FIELDS}


def shown(rss: dict[str, float]) -> str:
    return f"{rss['VmRSS']:,.0f} MiB (anonymous {rss['RssAnon']:,.0f}, files {rss['RssFile']:,.0f})"


class RssSampler:
    """The peak of each of RSS_FIELDS of `pid` while the block runs, sampled every SAMPLE_SECONDS."""

    def __init__(self, pid: int) -> None:
        self.pid, self.samples = pid, 0
        self.peak = dict.fromkeys(RSS_FIELDS, 0.0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for name, value in rss_mib(self.pid).items():
                self.peak[name] = max(self.peak[name], value)
            self.samples += 1
            self._stop.wait(SAMPLE_SECONDS)

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def query_string(request: SearchRequest, **extra) -> str:
    f = request.filters
    pairs = [("q", request.q)] + [("source", v) for v in f.sources] + [("category", v) for v in f.categories]
    pairs += [("from", f.date_from)] if f.date_from else []
    pairs += [("to", f.date_to)] if f.date_to else []
    return urllib.parse.urlencode(pairs + list(extra.items()))


def _get(url: str) -> tuple[int, int]:
    """(bytes, lines) of the body at `url`, read in chunks as a download would."""
    size = lines = 0
    with urllib.request.urlopen(url, timeout=600) as response:
        while chunk := response.read(CHUNK):
            size += len(chunk)
            lines += chunk.count(b"\n")
    return size, lines


def export_figures(index_dir: Path, sets: list[tuple[str, SearchRequest]], rounds: int) -> None:
    """Print /api/search's time and each format's full export: time, size, rows and the worker's memory."""
    with served(index_dir, index_dir.parent / "archivist-serve.log") as (url, worker):
        print(f"\nfahras serve on {url}, one worker (pid {worker}), once healthy {shown(rss_mib(worker))}")
        for name, request in sets:
            search = f"{url}/api/search?{query_string(request)}"
            _get(search)
            times = []
            for _ in range(rounds):
                start = time.perf_counter()
                _get(search)
                times.append(time.perf_counter() - start)
            print(f"  {name}: /api/search (timeline and facets) median {statistics.median(times) * 1000:,.0f} ms, "
                  f"worker {shown(rss_mib(worker))}")
            for fmt in FORMATS:
                before, runs = rss_mib(worker), []
                for _ in range(rounds):
                    with RssSampler(worker) as rss:
                        start = time.perf_counter()
                        size, lines = _get(f"{url}/api/export?{query_string(request, format=fmt)}")
                        seconds = time.perf_counter() - start
                    runs.append((seconds, rss))
                seconds = statistics.median(r[0] for r in runs)
                peak = {name: max(r[1].peak[name] for r in runs) for name in RSS_FIELDS}
                rows = lines - 1 if fmt == "csv" else lines  # the CSV header
                print(f"    export {fmt}: {rows:,} rows, {size / 2**20:,.1f} MiB, median {seconds:,.1f} s "
                      f"({rows / seconds:,.0f} rows/s), {sum(r[1].samples for r in runs):,} samples; worker before "
                      f"{shown(before)}, peak {shown(peak)}, after {shown(rss_mib(worker))}")


def screenshots(index_dir: Path, query: str, out: Path) -> list[Path]:
    """The results page of `query` (viewport and whole page) on each viewport: the paths written."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with served(index_dir, index_dir.parent / "archivist-serve.log") as (url, _), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name, options in VIEWPORTS.items():
                context = browser.new_context(locale="ar", **options)
                page = context.new_page()
                page.goto(f"{url}/?{urllib.parse.urlencode({'q': query})}", wait_until="networkidle")
                for suffix, full in (("", False), ("-full", True)):
                    path = out / f"results-{name}{suffix}.png"
                    page.screenshot(path=str(path), full_page=full)
                    written.append(path)
                for part, selector in PARTS.items():  # close-ups, readable where the whole page is not
                    path = out / f"results-{name}-{part}.png"
                    page.locator(selector).first.screenshot(path=str(path))
                    written.append(path)
                overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                print(f"  {name}: horizontal overflow {overflow} px")
                context.close()
        finally:
            browser.close()
    return written
