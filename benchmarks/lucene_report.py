"""Render benchmarks.lucene_compare results into docs/performance.md (its own section) and a growth plot.

    python -m benchmarks.lucene_report [var/bench-lucene/results.json]

The section sits between two markers at the top of docs/performance.md, so
benchmarks.run's renderer, which writes the rest of the page, keeps it.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
BEGIN, END = "<!-- beside-lucene -->", "<!-- /beside-lucene -->"
PLOT = "performance-growth.png"


def splice(page: str, section: str) -> str:
    """`page` with the text between the markers replaced by `section` (inserted after the title when absent)."""
    block = f"{BEGIN}\n{section.rstrip()}\n{END}"
    if BEGIN in page and END in page:
        return page[: page.index(BEGIN)] + block + page[page.index(END) + len(END):]
    title, _, rest = page.partition("\n")
    return f"{title}\n\n{block}\n{rest}"


def kept_section(page: str) -> str:
    """The Lucene section of an existing page, markers included ('' when there is none)."""
    if BEGIN in page and END in page:
        return page[page.index(BEGIN): page.index(END) + len(END)]
    return ""


def _ratio(a: float, b: float) -> str:
    return f"×{a / b:.2f}" if b else "–"


def section(rows: list[dict], machine: str) -> str:
    lines = [
        "## Beside Lucene, at growing archive sizes",
        "",
        "`python -m benchmarks.lucene_compare` (both engines through their own command lines, process start included,",
        "one row after another in one run; Lucene 9.12.3, its ArabicAnalyzer and BM25, two indexing and two search threads;",
        "Fahras two analysis processes and two search processes; top 10 of the development queries, 3,085 of them).",
        f"Machine: {machine}. The load average (on 2 cores) is recorded around each row: compare the ratios.",
        "",
        "| corpus | documents | Fahras docs/s | Lucene docs/s | ratio | Fahras q/s | Lucene q/s | ratio | Fahras p50 / p95 ms | "
        "Lucene p50 / p95 ms | peak RSS index, Fahras / Lucene MB | peak RSS search, Fahras / Lucene MB | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['size']} | {r['documents']:,} | {r['fahras_docs_s']:,.0f} | {r['lucene_docs_s']:,.0f} | "
            f"{_ratio(r['fahras_docs_s'], r['lucene_docs_s'])} | {r['fahras_q_s']:,.0f} | {r['lucene_q_s']:,.0f} | "
            f"{_ratio(r['fahras_q_s'], r['lucene_q_s'])} | {r.get('fahras_p50_ms', 0):.2f} / {r.get('fahras_p95_ms', 0):.2f} | "
            f"{r.get('lucene_p50_ms', 0):.2f} / {r.get('lucene_p95_ms', 0):.2f} | "
            f"{r.get('fahras_index_rss_mb', 0):,.0f} / {r.get('lucene_index_rss_mb', 0):,.0f} | "
            f"{r.get('fahras_search_rss_mb', 0):,.0f} / {r.get('lucene_search_rss_mb', 0):,.0f} | "
            f"{r['load_before']:.1f}–{r['load_after']:.1f} |"
        )
    ungrouped = [r for r in rows if "fahras_articles_q_s" in r]
    if ungrouped:
        lines += ["", "The same queries with `--no-group` (ten articles, no story grouped and no copy listed, as Lucene answers):", "",
                  "| corpus | Fahras q/s, articles | Lucene q/s | ratio | Fahras p50 / p95 ms |", "|---|---:|---:|---:|---:|"]
        # lucene_articles_q_s: Lucene searched again beside a --no-group run made apart from the rows.
        lines += [f"| {r['size']} | {r['fahras_articles_q_s']:,.0f} | {r.get('lucene_articles_q_s', r['lucene_q_s']):,.0f} | "
                  f"{_ratio(r['fahras_articles_q_s'], r.get('lucene_articles_q_s', r['lucene_q_s']))} | "
                  f"{r['fahras_articles_p50_ms']:.2f} / {r['fahras_articles_p95_ms']:.2f} |" for r in ungrouped]
    for r in rows:
        if "fahras_ndcg10" in r:
            f, lu = r["fahras_ndcg10"], r["lucene_ndcg10"]
            lines += ["", f"nDCG@10 of these top-10 runs on the {r['size']} corpus: "
                      + "; ".join(f"{name} Fahras {f[name]:.4f}, Lucene {lu[name]:.4f}" for name in f)
                      + " (Fahras groups copies: a judged copy counts at its story's rank)."]
    lines += ["", f"![Indexing rate, queries/s, p95 and peak RSS against archive size, Fahras and Lucene]({PLOT})"]
    return "\n".join(lines)


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = sorted(rows, key=lambda r: r["documents"])
    x = [r["documents"] for r in rows]
    panels = [("documents/s (reindex)", "docs_s"), ("queries/s (top 10)", "q_s"), ("p95 per query, ms", "p95_ms"),
              ("peak RSS while searching, MB", "search_rss_mb")]
    fig, axes = plt.subplots(1, 4, figsize=(16, 3.6))
    for ax, (title, key) in zip(axes, panels):
        for engine, style in (("fahras", "o-"), ("lucene", "s--")):
            ax.plot(x, [r.get(f"{engine}_{key}", 0) for r in rows], style, label=engine.capitalize())
        ax.set_xscale("log")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("documents")
        ax.grid(alpha=0.3)
    axes[0].legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    results = Path(argv[0]) if argv else ROOT / "var" / "bench-lucene" / "results.json"
    data = json.loads(results.read_text(encoding="utf-8"))
    rows, machine = data["rows"], data.get("machine", "")
    page = DOCS / "performance.md"
    page.write_text(splice(page.read_text(encoding="utf-8"), section(rows, machine)), encoding="utf-8")
    plot(rows, DOCS / PLOT)
    print(f"wrote {page} and {DOCS / PLOT}")


if __name__ == "__main__":
    main()
