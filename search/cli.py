"""The `fahras` command line: a thin shell over the indexer and search libraries.

Each command parses its arguments, calls one library function, prints, and
turns domain errors into a one-line message and an exit status:
1 = error, 2 = usage or unreadable source, 3 = no usable index, 75 = another reindex is running.
"""
from __future__ import annotations

import json
import sys

import click

from . import settings
from .analysis import get_analyzer
from .store import IndexUnavailable, ReindexBusy

EXIT_NO_INDEX = 3
EXIT_BUSY = 75  # EX_TEMPFAIL: try again later


def _settings_help() -> str:
    return "\n\n".join(f"{s.env} (default {s.default!r}): {s.help}" for s in settings.SETTINGS)


@click.group(help="Fahras: full-text search for Arabic news.\n\nSettings (environment):\n\n" + _settings_help())
def main() -> None:
    pass


index_option = click.option(
    "--index", "index_dir", envvar="FAHRAS_INDEX", default=None, help="Index directory (default: FAHRAS_INDEX or var/index)."
)


@main.command()
@click.argument("sources", nargs=-1, type=click.Path())
@index_option
@click.option("--backend", type=click.Choice(["whoosh", "tantivy", "opensearch"]), default=None, help="Engine (default: FAHRAS_BACKEND).")
@click.option("--workers", type=int, default=None, help="Analysis processes (default: one per core).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def reindex(sources, index_dir, backend, workers, as_json) -> None:
    """Build a new index from JSON Lines SOURCES (default: seeds/) and swap it in atomically."""
    from indexer.reindex import reindex as run_reindex
    from indexer.sources import SourceError

    from .backends import BackendError

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="indexing", file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        summary = run_reindex(
            list(sources) or ["seeds"],
            index_dir=index_dir,
            backend=backend,
            workers=workers,
            progress=progress if sys.stderr.isatty() else None,
        )
    except ReindexBusy as exc:
        click.echo(f"fahras reindex: {exc}", err=True)
        sys.exit(EXIT_BUSY)
    except SourceError as exc:
        click.echo(f"fahras reindex: {exc}", err=True)
        sys.exit(2)
    except (IndexUnavailable, BackendError) as exc:  # e.g. the cluster is unreachable; nothing was published
        click.echo(f"fahras reindex: {exc}", err=True)
        sys.exit(1)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if as_json:
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(
        f"read {summary.read}, indexed {summary.indexed}, skipped {summary.skipped_total} "
        f"in {summary.seconds:.1f} s ({summary.docs_per_second:.0f} documents/s) "
        f"into {summary.index} [{summary.backend}]"
    )
    for reason, count in summary.skipped.most_common():
        where = ", ".join(summary.examples.get(reason, []))
        more = " …" if count > len(summary.examples.get(reason, [])) else ""
        click.echo(f"  skipped {count}: {reason} (at {where}{more})")
    for warning, count in summary.warnings.most_common():
        click.echo(f"  warning {count}: {warning}")
    cluster = summary.health.get("cluster")
    if cluster:
        nodes = cluster.get("nodes")
        click.echo(
            f"  cluster {cluster.get('name')} {cluster.get('status')}, {nodes} node{'' if nodes == 1 else 's'}; "
            f"alias {summary.health.get('alias')} -> {summary.health.get('index')} "
            f"({summary.health.get('documents')} documents, index {summary.health.get('index_status')})"
        )
    if summary.bulk:
        b = summary.bulk
        click.echo(
            f"  bulk: {b['requests']} requests, {b['retried_requests']} retried, "
            f"{b['retried_documents']} documents retried, {sum(b['rejected'].values())} rejected"
        )


def _engine(index_dir):
    from .engine import SearchEngine

    return SearchEngine(index_dir)


@main.command()
@click.argument("query", required=False)
@index_option
@click.option("--page", type=click.IntRange(min=1), default=1)
@click.option("--size", type=click.IntRange(1, 1000), default=10)
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance")
@click.option("--json", "as_json", is_flag=True, help="Print the result object as JSON.")
@click.option("--batch", type=click.File("r", encoding="utf-8"), help='JSON Lines of {"qid", "query"}; "-" for stdin.')
def search(query, index_dir, page, size, sort, as_json, batch) -> None:
    """Search the index for QUERY (words and "quoted phrases")."""
    if (query is None) == (batch is None):
        raise click.UsageError("give either QUERY or --batch FILE")
    engine = _engine(index_dir)
    try:
        if batch is not None:
            _search_batch(engine, batch, size)
            return
        result = engine.search(query, page=page, size=size, sort=sort, facets=as_json)
    except IndexUnavailable as exc:
        click.echo(f"fahras search: {exc}", err=True)
        sys.exit(EXIT_NO_INDEX)
    finally:
        engine.close()
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    first = (result.page - 1) * result.size + 1
    click.echo(f"{result.total} results ({result.took_ms:.1f} ms)")
    for rank, hit in enumerate(result.hits, start=first):
        meta = " · ".join(x for x in (hit.source, (hit.date or "")[:10], hit.category) if x)
        click.echo(f"\n{rank}. {hit.title or '(untitled)'}  [{hit.id}]  {hit.score:.3f}")
        if meta:
            click.echo(f"   {meta}")
        click.echo(f"   {_plain(hit.snippet)}")


def _plain(snippet: str) -> str:
    # Terminal rendering of a snippet: marks as brackets, HTML entities decoded.
    import html

    return html.unescape(snippet.replace("<mark>", "[").replace("</mark>", "]"))


def _search_batch(engine, batch, size: int) -> None:
    out = sys.stdout
    for lineno, line in enumerate(batch, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            qid, query = item["qid"], item["query"]
        except (ValueError, KeyError, TypeError):
            click.echo(f"fahras search --batch: line {lineno} is not a {{\"qid\", \"query\"}} object; skipped", err=True)
            continue
        result = engine.search(str(query), size=size, snippets=False)
        hits = [{"id": h.id, "score": h.score} for h in result.hits]
        out.write(json.dumps({"qid": qid, "hits": hits}, ensure_ascii=False) + "\n")


@main.command()
@click.argument("text")
@click.option("--json", "as_json", is_flag=True)
def analyze(text, as_json) -> None:
    """Print the terms of TEXT (stem, exact form, position, offsets) as the index sees them."""
    terms = get_analyzer().terms(text)
    if as_json:
        click.echo(json.dumps([t._asdict() for t in terms], ensure_ascii=False))
        return
    for t in terms:
        click.echo(f"{t.position}\t{t.start}-{t.end}\t{text[t.start:t.end]}\t{t.exact}\t{t.stem}")


@main.command("eval")
@click.option("--run", "run_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Run: `fahras search --batch` JSON Lines or a TREC run file.")
@click.option("--qrels", "qrels_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="TREC qrels: qid iter docid rel.")
@click.option("--per-query", is_flag=True, help="Also give every query's figures.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def evaluate_run(run_path, qrels_path, per_query, as_json) -> None:
    """Score a run against qrels: MRR@10, nDCG@10, Recall@100 (trec_eval conventions, every judged query counts)."""
    from .evaluation import METRICS, evaluate, read_qrels, read_run

    try:
        result = evaluate(read_run(run_path), read_qrels(qrels_path))
    except (ValueError, UnicodeDecodeError) as exc:
        click.echo(f"fahras eval: {exc}", err=True)
        sys.exit(2)
    if result.unjudged:
        click.echo(f"fahras eval: {len(result.unjudged)} run queries are not in the qrels and were ignored "
                   f"(e.g. {result.unjudged[0]})", err=True)
    if as_json:
        click.echo(json.dumps(result.to_dict(per_query=per_query), ensure_ascii=False, indent=2))
        return
    if per_query:
        click.echo("\t".join(["qid", *METRICS]))
        for qid, figures in result.per_query.items():
            click.echo("\t".join([qid, *(f"{figures[m]:.4f}" for m in METRICS)]))
        click.echo()
    for metric in METRICS:
        click.echo(f"{metric:<11} {result.mean[metric]:.4f}")
    click.echo(f"{'queries':<11} {result.queries} ({len(result.no_hits)} without hits)")


@main.command()
@index_option
@click.option("--host", default=None, help="Address to listen on (default: FAHRAS_HOST or 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port (default: FAHRAS_PORT or 8000).")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Worker processes (default: FAHRAS_WEB_WORKERS or 2).")
def serve(index_dir, host, port, workers) -> None:
    """Serve the search page and the JSON API with gunicorn (webui/gunicorn.conf.py)."""
    import os
    from pathlib import Path

    import webui

    from .store import open_store

    # gunicorn reads its configuration from the settings table, so options travel as the environment.
    for env, value in (("FAHRAS_INDEX", index_dir), ("FAHRAS_HOST", host), ("FAHRAS_PORT", port), ("FAHRAS_WEB_WORKERS", workers)):
        if value is not None:
            os.environ[env] = str(value)
    try:
        served = open_store(index_dir).current_name()
    except IndexUnavailable:
        served = None
    if served is None:
        # Not fatal: the server starts, /healthz says 503 and the page explains, until a reindex publishes one.
        click.echo("fahras serve: no index is served yet; run `fahras reindex` (/healthz reports 503 until then)", err=True)
    config = Path(webui.__file__).with_name("gunicorn.conf.py")
    # exec: gunicorn becomes this process, so signals and the exit status are its own.
    os.execv(sys.executable, [sys.executable, "-m", "gunicorn", "-c", str(config), "webui:create_app()"])


if __name__ == "__main__":
    main()
