"""Render a benchmarks.run results JSON into docs/performance.md and docs/performance.png."""
from __future__ import annotations

from pathlib import Path

from .lucene_report import BEGIN, END, kept_section, splice

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
ORDER = ("tantivy", "whoosh", "stock-whoosh")
LABELS = {"tantivy": "Fahras on Tantivy", "whoosh": "Fahras on Whoosh", "stock-whoosh": "stock Whoosh (baseline)"}
CORPUS_LABELS = {"dev": "development corpus", "10k": "news, 10k slice", "30k": "news, 30k slice", "news": "all news corpora"}

# What the default embedded configuration (Tantivy) must reach, from the issue.
TARGET_INDEX_RATE = 3000  # documents/s on the development corpus, two cores
TARGET_MEDIAN_MS = 2.0  # in-process search at top 10
TARGET_P95_MS = 5.0
TARGET_HTTP_P95_MS = 20.0  # 20 concurrent clients
TARGET_WORKER_MB = 300  # each web worker, with the 72,716-document index

CHANGES = """\
- **Top-k that skips** (`search/index/tantivy_index.py`, `tantivy_schema.py`):
  each two adjacent exact forms are indexed as one term of a `pairs` field, so
  the pair clauses of a plain query (and any two-word phrase) are term lookups
  and the whole query is a flat OR of term queries, which tantivy answers with
  block-max WAND, skipping blocks that cannot reach the top. The total is then
  counted only while the query's terms are rare (FAHRAS_EXACT_TOTAL, 10,000):
  past it the total is estimated from the terms' document frequencies
  (`search/index/estimate.py`) and facets and the timeline are counted over a
  few of 64 id-hash slices and scaled up; the result says `estimated`.
  `fahras search --batch` counts no totals and searches in one process per core.
- **Analysis fast path** (`search/analysis.py`): the indexer splits text on
  whitespace (C speed) and looks every piece up in a plain dict of
  space-joined (stems, exacts) per distinct piece, read with `map()`; the
  word pattern, normalisation and stemming run only on pieces not seen
  before, in one batch per text (one `normalize()` call for all new words).
  No `Term` objects, no per-word Python call; the output is unchanged (a
  hypothesis test compares it with the term-by-term path, and the whole
  development corpus gives identical strings).
- **Reindex pipeline** (`indexer/reindex.py`, `indexer/sources.py`): pass 1
  only judges records (id, validity, date warning) without building
  documents or cleaning every field; pass 2 sends the surviving records to
  the pool as raw lines (bytes cost nothing to pickle) and the workers parse,
  validate and analyse them and send back flat tuples of strings, not
  dataclasses; the main process only feeds the backend writer.
- **Snippets** (`search/highlight/scan.py`): instead of analysing up to 6,000
  characters per hit, one compiled pattern per query (its stems as they may
  be written: each letter as any letter that normalises to it, harakat and
  tatweel between letters) finds the space-delimited pieces that can hold a
  match; pieces are looked up in the analysis cache and only a matching piece
  of several words is split into words. A text with unusual marks, letter
  forms from outside the Arabic block, or not in NFKC is analysed whole, as
  before. The marks are exactly those of the term-by-term walk (a hypothesis
  test compares both). Letter classes are kept to at most two runs of code
  points, so a query's pattern compiles in a fraction of a millisecond.
- **Did-you-mean** (`search/suggest.py`): the vocabulary of every web worker
  lives in flat arrays (terms as one string, sorted hashes, a deletion index
  by hash, each hit checked against the text) instead of dicts of strings:
  about 40 MB instead of over 300 MB per worker with the news corpora.
  Candidates are priced most frequent first (once one within one edit is
  found, rarer ones cannot win), and rare query words are remembered. Same
  suggestions as before (compared on 8,000 words and typos).
- **JSON results** (`search/results.py`): `to_dict` without `asdict`'s deep copy.
- **One parse per API request** (`webui/service.py`, `search/engine.py`): the
  engine hands the caller the query plan it searched with, and refuses an
  over-long query through a check on that plan, where the API analysed each
  query three times.
- **Snippets for numbers and Latin words**: the scan also covers digit and
  Latin stems (any digit set, either case) instead of analysing the whole
  text of every hit for such queries.
- **Bounded word cache in web workers**: 200,000 written words, where the
  indexer's bound (2,000,000) would let a long-lived worker grow by hundreds
  of megabytes.
- **Load generator**: the HTTP figures come from wrk (C, event loop, about
  4% of a core for 20 clients) instead of 20 Python client threads, whose own
  CPU use was not measured and shared the two cores with the server.
- **Whoosh**: shares the analysis cache and the two-core reindex pipeline;
  its own posting writer (Whoosh's sub-writer processes) remains the cost.
- **Kept-alive connections shared between the web workers**
  (`webui/worker.py`): with gunicorn's gthread worker, the busy worker wins
  the race to accept a new connection, and a kept-alive connection never
  moves, so 20 clients settled 19 to 1 or 20 to 0 on the two workers and one
  core idled (560–740 requests/s, p95 48–78 ms, from one run to the next). A
  worker already holding as many connections as it has threads now waits
  before accepting, 0.1 ms per connection it holds, so the worker holding
  fewest takes the connection: 10 to 10 or 11 to 9 in six trials, about 760
  requests/s at p95 about 40 ms. `SO_REUSEPORT` also spreads connections,
  but lost requests (connection resets) whenever a worker was recycled.
- **Facets over the match query** (Tantivy): the terms aggregation runs on
  the query's stems over title and body, which match the same documents as
  the ranking query without its adjacent-pair phrases (they read positions):
  0.25 → 0.12 ms per development query.
- **Workers recycled every 100,000 requests** instead of 20,000: a new worker
  rebuilds the did-you-mean vocabulary (1.8 s of CPU on the development
  corpus).
- **Did-you-mean vocabulary built in a child process** (`search/suggest.py`,
  `build_apart`): building holds every term of the index as Python objects at
  once, which lifted a web worker's peak to 171 MB on the news corpora where
  the finished vocabulary leaves it at 89 MB; built apart and loaded as
  arrays, the peak is 114 MB (measured in one process with the news index).
  The lookup arrays use CRC-32, the same in every process, instead of
  Python's salted `hash()`.
"""


def _mb(value) -> str:
    return "–" if value is None else f"{value:,.0f}"


def _ms(value) -> str:
    return "–" if value is None else f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _get(record: dict, *path):
    for key in path:
        if not isinstance(record, dict) or key not in record:
            return None
        record = record[key]
    return record


def table(results: dict) -> str:
    lines = []
    for corpus, entry in results["corpora"].items():
        docs = entry.get("documents")
        lines.append(f"\n### {CORPUS_LABELS.get(corpus, corpus)} ({docs:,} documents)\n" if docs else f"\n### {corpus}\n")
        lines.append(
            "| configuration | index docs/s | index CPU s | peak RSS, tree (largest process) MB | index MB "
            "| search ms median / p95 / p99 | with snippets ms median / p95 / p99 "
            "| HTTP req/s | HTTP ms median / p95 / p99 | each web worker: VmRSS (private + index files; PSS; peak) MB |"
        )
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for config in ORDER:
            record = entry["configs"].get(config)
            if not record:
                continue
            ix, q, http = record["index"], record.get("query", {}), record.get("http")
            plain, snip = q.get("no_snippets", {}), q.get("snippets", {})
            cells = [
                LABELS[config],
                f"{ix['docs_per_second']:,.0f}" + (
                    f" (median of {', '.join(f'{r:,.0f}' for r in ix['docs_per_second_runs'])})"
                    if ix.get("docs_per_second_runs") else ""),
                f"{ix['cpu_seconds']:,.0f}",
                f"{_mb(ix.get('tree_peak_rss_mb'))} ({_mb(ix.get('max_process_rss_mb'))})",
                _mb(ix["index_bytes"] / 1e6),
                " / ".join(_ms(plain.get(k)) for k in ("median_ms", "p95_ms", "p99_ms")),
                " / ".join(_ms(snip.get(k)) for k in ("median_ms", "p95_ms", "p99_ms")),
                f"{http['requests_per_second']:,.0f}" if http else "–",
                " / ".join(_ms(http.get(k)) for k in ("median_ms", "p95_ms", "p99_ms")) if http else "–",
                _workers_rss(http) if http else "–",
            ]
            lines.append("| " + " | ".join(cells) + " |")
        ratios = _ratios(entry)
        if ratios:
            lines.append("\n" + ratios)
    return "\n".join(lines)


def _workers_rss(http: dict) -> str:
    total = http.get("worker_rss_mb", [])
    anon, files = http.get("worker_rss_anon_mb", []), http.get("worker_rss_file_mb", [])
    pss = http.get("worker_pss_mb", [])
    peak = http.get("worker_peak_rss_mb", [])
    if len(anon) == len(total) == len(files):
        if len(pss) == len(peak) == len(total):
            return ", ".join(f"{_mb(t)} ({_mb(a)} + {_mb(f)}; PSS {_mb(q)}; peak {_mb(h)})"
                             for t, a, f, q, h in zip(total, anon, files, pss, peak))
        if len(pss) == len(total):
            return ", ".join(f"{_mb(t)} ({_mb(a)} + {_mb(f)}; PSS {_mb(q)})" for t, a, f, q in zip(total, anon, files, pss))
        return ", ".join(f"{_mb(t)} ({_mb(a)} + {_mb(f)})" for t, a, f in zip(total, anon, files))
    return ", ".join(map(_mb, total))


def _worst_rss(record: dict) -> float | None:
    """The largest VmRSS of any web worker, after the load or at its peak (VmHWM)."""
    values = (_get(record, "http", "worker_rss_mb") or []) + (_get(record, "http", "worker_peak_rss_mb") or [])
    return max(values) if values else None


def _ratios(entry: dict) -> str:
    t, s = entry["configs"].get("tantivy"), entry["configs"].get("stock-whoosh")
    w = entry["configs"].get("whoosh")
    parts = []
    for other, name in ((w, "Fahras on Whoosh"), (s, "stock Whoosh")):
        if not (t and other):
            continue
        rate = t["index"]["docs_per_second"] / other["index"]["docs_per_second"]
        plain = _ratio(other, t, "no_snippets")
        snip = _ratio(other, t, "snippets")
        parts.append(
            f"Tantivy against {name}, same run: indexing ×{rate:.1f} as fast, median search ×{plain:.1f} "
            f"as fast without snippets and ×{snip:.1f} with them."
        )
    return " ".join(parts)


def _ratio(slow: dict, fast: dict, key: str) -> float:
    a, b = _get(slow, "query", key, "median_ms"), _get(fast, "query", key, "median_ms")
    return a / b if a and b else float("nan")


def targets(results: dict, supplement: dict | None = None) -> tuple[str, list[str]]:
    dev = _get(results, "corpora", "dev", "configs", "tantivy") or {}
    news = _get(results, "corpora", "news", "configs", "tantivy") or {}
    later = _get(supplement or {}, "corpora", "news", "configs", "tantivy") or {}
    rows, missed = [], []

    def check(name: str, value, ok: bool | None, goal: str) -> None:
        verdict = "not measured" if ok is None else "met" if ok else "**missed**"
        rows.append(f"| {name} | {goal} | {value} | {verdict} |")
        if ok is False:
            missed.append(name)

    rate = _get(dev, "index", "docs_per_second")
    check("indexing, development corpus", f"{rate:,.0f} docs/s" if rate else "–",
          None if rate is None else rate >= TARGET_INDEX_RATE, f"≥ {TARGET_INDEX_RATE:,} docs/s")
    for key, label in (("snippets", "with snippets"), ("no_snippets", "without snippets")):
        median, p95 = _get(dev, "query", key, "median_ms"), _get(dev, "query", key, "p95_ms")
        check(f"in-process search at top 10, {label}", f"{_ms(median)} / {_ms(p95)} ms",
              None if median is None else median <= TARGET_MEDIAN_MS and p95 <= TARGET_P95_MS,
              f"median ≤ {TARGET_MEDIAN_MS:g} ms, p95 ≤ {TARGET_P95_MS:g} ms")
    http = _get(dev, "http", "p95_ms")
    check("HTTP p95, 20 clients, development corpus", f"{_ms(http)} ms",
          None if http is None else http <= TARGET_HTTP_P95_MS, f"≤ {TARGET_HTTP_P95_MS:g} ms")
    worst = _worst_rss(news)
    check("web worker RSS, 72,716-document index", f"{_mb(worst)} MB (largest worker, after the load or at its peak)",
          None if worst is None else worst <= TARGET_WORKER_MB, f"≤ {TARGET_WORKER_MB} MB each")
    later_dev = _get(supplement or {}, "corpora", "dev", "configs", "tantivy", "index") or {}
    if later_dev.get("docs_per_second_runs"):
        runs = later_dev["docs_per_second_runs"]
        rate = later_dev["docs_per_second"]
        rows.append(f"| indexing, development corpus, follow-up run below (median of {len(runs)}) | ≥ {TARGET_INDEX_RATE:,} docs/s "
                    f"| {rate:,.0f} docs/s ({', '.join(f'{r:,.0f}' for r in runs)}) | {'met' if rate >= TARGET_INDEX_RATE else '**missed**'} |")
    worst = _worst_rss(later)
    if worst is not None:
        rows.append(f"| web worker RSS, 72,716-document index, follow-up run below | ≤ {TARGET_WORKER_MB} MB each "
                    f"| {_mb(worst)} MB (largest worker, after the load or at its peak) "
                    f"| {'met' if worst <= TARGET_WORKER_MB else '**missed**'} |")
    head = "| target | goal | measured (Tantivy) | verdict |\n|---|---|---|---|\n"
    return head + "\n".join(rows), missed


def plot(results: dict, path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    styles = {"tantivy": "o-", "whoosh": "s-", "stock-whoosh": "^--"}
    colors = {"tantivy": "tab:blue", "whoosh": "tab:orange", "stock-whoosh": "tab:green"}
    for config in ORDER:
        points = []
        for corpus, entry in results["corpora"].items():
            record = entry["configs"].get(config)
            if record and entry.get("documents"):
                points.append((entry["documents"], record))
        points.sort(key=lambda p: p[0])
        if not points:
            continue
        sizes = [p[0] for p in points]
        c = colors[config]
        left.plot(sizes, [p[1]["index"]["docs_per_second"] for p in points], styles[config], color=c, label=LABELS[config])
        right.plot(sizes, [_get(p[1], "query", "snippets", "median_ms") for p in points], styles[config], color=c,
                   label=f"{LABELS[config]}, median")
        right.plot(sizes, [_get(p[1], "query", "snippets", "p95_ms") for p in points], styles[config], color=c,
                   alpha=0.35, label=f"{LABELS[config]}, p95")
    left.set(title="Indexing rate", xlabel="documents in the corpus", ylabel="documents / s")
    right.set(title="In-process search at top 10, with snippets", xlabel="documents in the corpus", ylabel="ms",
              yscale="log")
    for axis in (left, right):
        axis.grid(True, alpha=0.3)
        axis.legend(fontsize=7)
    from matplotlib.ticker import FuncFormatter, NullFormatter

    plain = FuncFormatter(lambda value, _: f"{value:g}")
    right.yaxis.set_major_formatter(plain)
    right.yaxis.set_minor_formatter(NullFormatter())
    left.set_ylim(bottom=0)
    left.axhline(TARGET_INDEX_RATE, color="grey", lw=0.8, ls=":")
    right.axhline(TARGET_MEDIAN_MS, color="grey", lw=0.8, ls=":")
    m = results["machine"]
    fig.suptitle(f"Fahras benchmark, {m['date']}, {m['nproc']} cores ({m['cpu']}), Python {m['python']}", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def observations(results: dict) -> list[str]:
    notes = []
    for corpus, entry in results["corpora"].items():
        w, s = entry["configs"].get("whoosh"), entry["configs"].get("stock-whoosh")
        if w and s and _get(w, "query", "no_snippets", "median_ms") and _get(s, "query", "no_snippets", "median_ms"):
            notes.append(
                f"- {CORPUS_LABELS.get(corpus, corpus).capitalize()}: Fahras on Whoosh searches "
                f"×{w['query']['no_snippets']['median_ms'] / s['query']['no_snippets']['median_ms']:.1f} slower than "
                "stock Whoosh at the median: each query word is a clause on title, body, lead and exact form, and "
                "adjacent words add phrase clauses, which Whoosh evaluates in Python."
            )
        rss = _get(w or {}, "http", "worker_rss_mb")
        if rss:
            notes.append(
                f"- {CORPUS_LABELS.get(corpus, corpus).capitalize()}: a Fahras-on-Whoosh web worker holds "
                f"{_mb(max(rss))} MB after the load ({_mb(max(_get(w, 'http', 'worker_rss_anon_mb') or [0]))} MB private): "
                "one Whoosh searcher per worker, which reads its index files rather than mapping them, "
                "and the keyword columns as arrays (benchmarks/whoosh_targets.py measures it apart)."
            )
    t = _get(results, "corpora", "dev", "configs", "tantivy")
    if t and t.get("index_profile"):
        notes.append(
            f"- Indexing the development corpus with Tantivy in one process ran at "
            f"{t['index_profile']['docs_per_second']:,.0f} docs/s ({t['index_profile']['cpu_seconds']:,.0f} CPU s); "
            f"with two analysis workers at {t['index']['docs_per_second']:,.0f} docs/s "
            f"({t['index']['cpu_seconds']:,.0f} CPU s): ×{t['index']['docs_per_second'] / t['index_profile']['docs_per_second']:.1f} "
            "for about the same CPU time, since the writer and Tantivy's indexing thread share the same two cores."
        )
    return notes or ["- (nothing to compare in this run)"]


def render(results: dict, supplement: dict | None = None, note: str = "") -> str:
    DOCS.mkdir(exist_ok=True)
    m, p = results["machine"], results["parameters"]
    body = table(results)
    target_table, missed = targets(results, supplement)
    dev = _get(results, "corpora", "dev", "configs", "tantivy") or {}
    loads = [
        v
        for entry in results["corpora"].values()
        for record in entry["configs"].values()
        for v in (_get(record, "index", "loadavg_before"), _get(record, "index", "loadavg_after"),
                  _get(record, "query", "loadavg_after"), _get(record, "http", "loadavg_after"))
        if v is not None
    ]
    has_plot = plot(results, DOCS / "performance.png")
    out = [
        "# Performance",
        "",
        "Fahras on Tantivy (the default embedded engine), Fahras on Whoosh, and stock",
        "Whoosh as a baseline (Whoosh's StandardAnalyzer on title and body, BM25F, an OR",
        "query from Whoosh's own parser: `benchmarks/stock_whoosh.py`, not Fahras), one",
        "after another in one run, on the same documents and the same queries:",
        "",
        "    .venv/bin/pip install -e '.[bench]'   # matplotlib, for the plot",
        "    .venv/bin/python -m benchmarks.run [--corpora dev,10k,30k,news] [--queries N] [--http-seconds S]",
        "",
        "Results are saved as JSON under `var/bench/` and rendered here",
        "(`python -m benchmarks.run --render var/bench/latest.json` renders again).",
        "",
        "## How it is measured",
        "",
        f"- Indexing runs in a subprocess: documents/s over the whole reindex (both passes, commit,",
        f"  count check); CPU seconds of the process tree; peak memory as the summed RSS of the",
        f"  process tree sampled every 0.1 s, and in brackets the largest single process",
        f"  (`getrusage(RUSAGE_CHILDREN)`); index size on disk. Fahras analyses on "
        f"{p.get('workers')} worker processes.",
        f"- Search runs in a fresh subprocess: {p['queries']:,} development queries (arabic-qa-dev and",
        f"  news-known-item-dev, shuffled), top {p['top']}, after {min(200, p['queries'])} warm-up searches;",
        "  first all without snippets, then all with them.",
        f"- HTTP: `fahras serve` (gunicorn, 2 workers × 4 threads) on 127.0.0.1, {p['http_clients']} clients",
        f"  in a second process (`wrk -t2 -c{p['http_clients']}` with `benchmarks/wrk_paths.lua`: keep-alive, closed loop,",
        "  each connection sends the next query as soon as its answer arrives; installed by",
        f"  `scripts/install-wrk.sh`) for {p['http_seconds']:g} s each, the same queries through `/api/search` (snippets and",
        "  facets on, as the page asks), after a warm-up and once the workers are idle (each builds its",
        "  did-you-mean vocabulary in the background after its first search); then VmRSS of each web worker.",
        "  Halfway through, the connections each worker holds are counted (`/proc/net/tcp` and the workers' fds).",
        "  Then the same clients for 5 s on `/healthz`, which passes through gunicorn, Flask and the search",
        "  thread pool but searches nothing: the floor of the stack on this machine. For Tantivy, last,",
        "  the same configuration serves `benchmarks/lean_app.py`, the app with snippets switched off",
        "  (query, search, facets, ten stored documents, did-you-mean), to the same clients for 10 s.",
        "",
        "## Machine",
        "",
        f"- `nproc`: {m['nproc']}; CPU: {m['cpu']}; Python {m['python']}; {m['date']}; commit {m.get('commit', '')}",
        "- `free -g`:",
        "",
        "\n".join("      " + line for line in m["free_g"].splitlines()),
        "",
        "The machine is shared: other jobs ran during the measurements (load average "
        + (f"{min(loads):.1f}–{max(loads):.1f}" if loads else "unknown")
        + " on 2 cores, sampled around each phase), so absolute figures are pessimistic and vary"
        " from run to run; the configurations were measured one after another in the same run, and"
        " their ratios are the steadier comparison.",
        "",
        "## Results",
        body,
        "",
    ]
    if has_plot:
        out += ["![Indexing rate and search latency against corpus size](performance.png)", ""]
    out += ["## Observations", "", *observations(results), ""]
    out += ["## Targets (default embedded configuration, Tantivy)", "", target_table, ""]
    if missed:
        out += ["### Profiles of missed targets", ""]
        if any(name.startswith("indexing") for name in missed) and dev.get("index_profile"):
            ip = dev["index_profile"]
            out += [
                f"Indexing, the development corpus in one process (no pool, so every per-document cost is",
                f"in one profile; {ip['docs_per_second']:,.0f} docs/s, {ip['cpu_seconds']:,.0f} CPU s), top functions by own time:",
                "",
                "```",
                ip["profile"],
                "```",
                "",
            ]
        if any(("search" in name or "HTTP" in name) for name in missed) and _get(dev, "query", "profile"):
            out += [
                f"In-process search with snippets ({min(1000, p['queries']):,} queries, development corpus), "
                "top functions by own time:",
                "",
                "```",
                dev["query"]["profile"],
                "```",
                "",
            ]
        api = dev.get("api_profile")
        if any("HTTP" in name for name in missed) and api and api.get("cpu_ms_per_request"):
            steps = list(api["cpu_ms_per_request"].items())
            out += [
                f"CPU per `GET /api/search`, the WSGI app called in-process ({api['requests']:,} requests, development",
                "corpus, the least of three passes), with parts of the work taken away in turn:",
                "",
                "| request | CPU ms per request | cost of the part taken away |",
                "|---|---:|---:|",
            ]
            previous = None
            for name, value in steps:
                if name.startswith("health"):
                    out.append(f"| {name} | {value:.2f} | |")
                    continue
                diff = "" if previous is None else f"{previous - value:.2f}"
                out.append(f"| {name} | {value:.2f} | {diff} |")
                previous = value
            out += [""]
        if any("HTTP" in name for name in missed) and api:
            out += [
                f"`GET /api/search` on the WSGI app in-process, the search run inline rather than in the pool thread "
                f"({api['requests']:,} requests, development corpus, {api['cpu_ms_per_request_profiled']:.1f} ms of CPU per "
                f"request under the profiler), top functions by own time:",
                "",
                "```",
                api["profile"],
                "```",
                "",
            ]
        if any("HTTP" in name for name in missed) and _get(dev, "http", "requests_per_second"):
            rate = dev["http"]["requests_per_second"]
            out += [
                f"HTTP: with {p['http_clients']} clients in a closed loop, latency is bound to the throughput",
                f"(Little's law: median ≈ clients / throughput = {p['http_clients']} / {rate:,.0f} req/s ≈ "
                f"{1000 * p['http_clients'] / rate:.0f} ms). A p95 of 20 ms needs well over 1,000 req/s, under",
                f"2 ms of CPU per request on two cores shared with the load generator; this run served one request",
                f"per {2000 / rate:.1f} ms of the two cores. Per request the worker runs the search with snippets",
                "(profile above), a facet aggregation, the did-you-mean check, Flask and gunicorn's HTTP handling,",
                "and a hop through the search thread pool that enforces the time budget.",
                "",
            ]
            floor = dev["http"].get("floor_healthz")
            split = dev["http"].get("connections_per_worker")
            if floor:
                out += [
                    f"The floor, same run and clients, `/healthz` (no search): {floor['requests_per_second']:,.0f} req/s, "
                    f"median {_ms(floor['median_ms'])} ms, p95 {_ms(floor['p95_ms'])} ms; wrk itself used "
                    f"{dev['http'].get('client_cpu_share', 0) * 100:.0f}% of one core during the search load"
                    + (f"; the workers held {' and '.join(map(str, split))} of the {p['http_clients']} connections." if split else "."),
                    "",
                ]
            lean = dev["http"].get("floor_without_snippets")
            if lean:
                verdict = "still over" if lean["p95_ms"] > TARGET_HTTP_P95_MS else "within"
                out += [
                    f"Without snippets (`benchmarks/lean_app.py`, same stack and clients, {lean['seconds']:g} s): "
                    f"{lean['requests_per_second']:,.0f} req/s, median {_ms(lean['median_ms'])} ms, "
                    f"p95 {_ms(lean['p95_ms'])} ms, {verdict} the {TARGET_HTTP_P95_MS:g} ms target"
                    + (f" (connections {' and '.join(map(str, lean['midway']))})." if lean.get("midway") else "."),
                    "",
                ]
        if any("RSS" in name for name in missed):
            out += ["A web worker holds the index reader (its mapped files count in VmRSS: the shared page cache of",
                    "the index, listed apart in the table), the analysis caches and the did-you-mean vocabulary.", ""]
    if supplement:
        out += [
            "## Follow-up measurement",
            "",
            note or "A separate, later run (same command, fewer corpora) after a change made once the main run was over:",
            "",
            f"Run of {supplement['machine']['date']}, commit {supplement['machine'].get('commit', '')}:",
            table(supplement),
            "",
        ]
        later_http = _get(supplement, "corpora", "dev", "configs", "tantivy", "http") or {}
        floor, lean = later_http.get("floor_healthz"), later_http.get("floor_without_snippets")
        if floor and lean:
            out += [
                f"HTTP on the development corpus in this run: the workers held "
                f"{' and '.join(map(str, later_http.get('connections_per_worker', [])))} of the {p['http_clients']} connections; "
                f"`/healthz` {floor['requests_per_second']:,.0f} req/s at p95 {_ms(floor['p95_ms'])} ms; without snippets "
                f"{lean['requests_per_second']:,.0f} req/s, median {_ms(lean['median_ms'])} ms, p95 {_ms(lean['p95_ms'])} ms"
                + (f" (connections {' and '.join(map(str, lean['midway']))})." if lean.get("midway") else "."),
                "",
            ]
    out += ["## What was changed for speed", "", CHANGES]
    text = "\n".join(out).rstrip() + "\n"
    page = DOCS / "performance.md"
    kept = kept_section(page.read_text(encoding="utf-8")) if page.exists() else ""  # benchmarks.lucene_report's section
    page.write_text(splice(text, kept[len(BEGIN): -len(END)].strip()) if kept else text, encoding="utf-8")
    return body + "\n\n" + target_table
