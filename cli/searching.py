"""`fahras search`, `analyze` and `eval`: the library's Searcher, analyser and evaluation on the command line.

`fahras search --json` prints exactly what `/api/search` answers for the same
query and options: both build their request with search.request.parse_request
and call Searcher.search.
"""
from __future__ import annotations

import html
import json
import sys

import click

from search.analysis import get_analyzer
from search.evaluation import METRICS, evaluate, read_copies, read_qrels, read_run
from search.export import EXPORT_CAP, FORMATS, export_lines
from search.index import IndexUnavailable
from search.index.description import SORTS
from search.request import InvalidRequest, SearchRequest, parse_request
from search.results import SearchResult
from search.searcher import Searcher

from .batch import answers, default_processes
from .common import EXIT_NO_INDEX, EXIT_USAGE, index_option



@click.command()
@click.argument("words", nargs=-1)
@index_option
@click.option("--source", "sources", multiple=True, help="Only this source (repeatable).")
@click.option("--category", "categories", multiple=True, help="Only this category (repeatable).")
@click.option("--author", "authors", multiple=True, help="Only this author, the byline as published (repeatable).")
@click.option("--from", "date_from", default=None, help="Earliest publication day, YYYY-MM-DD (Arabic-Indic digits too).")
@click.option("--to", "date_to", default=None, help="Latest publication day, YYYY-MM-DD (Arabic-Indic digits too).")
@click.option("--sort", type=click.Choice(SORTS), default=None, help="relevance (default), date (newest first) or oldest.")
@click.option("--page", default=None, help="Page number (default 1).")
@click.option("--size", default=None, help="Hits per page (default 10; the API's limit applies).")
@click.option("--no-group", "no_group", is_flag=True, help="Every copy of a story, not each story once (the API's group=off).")
@click.option("--json", "as_json", is_flag=True, help="Print the result object as JSON (what /api/search answers).")
@click.option("--batch", type=click.File("r", encoding="utf-8"), help='JSON Lines of {"qid", "query"}; "-" for stdin.')
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes searching a --batch file (default: one per CPU core).")
@click.option("--export", "export_format", type=click.Choice(FORMATS), default=None,
              help=f"Print the whole result set (up to {EXPORT_CAP:,} hits) as CSV or JSON Lines, as /api/export does.")
def search(words, index_dir, sources, categories, authors, date_from, date_to, sort, page, size, no_group, as_json, batch, workers,
           export_format) -> None:
    """Search the index for WORDS (several words need no quotes; "quoted phrases" keep their quotes)."""
    # No words with a filter browses it, newest first.
    browsing = not words and batch is None and any((sources, categories, authors, date_from, date_to))
    if bool(words) == (batch is not None) and not browsing:
        raise click.UsageError("give either a QUERY (or a filter to browse) or --batch FILE")
    given = {"from": date_from, "to": date_to, "sort": sort, "page": page, "size": size}
    params = {"q": [" ".join(words)], "source": list(sources), "category": list(categories), "author": list(authors)}
    params.update({name: [value] for name, value in given.items() if value is not None})
    if no_group:
        params["group"] = ["off"]
    searcher = Searcher(index_dir, suggest="off" if batch is not None else "sync")
    try:
        request = parse_request(params, searcher.limits)
        if batch is not None:
            _search_batch(index_dir, batch, request, workers or default_processes())
            return
        if export_format:
            for line in export_lines(searcher.export(request), export_format):
                sys.stdout.write(line)
            return
        result = searcher.search(request)
    except InvalidRequest as exc:
        click.echo(f"fahras search: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except IndexUnavailable as exc:
        click.echo(f"fahras search: {exc}", err=True)
        sys.exit(EXIT_NO_INDEX)
    finally:
        searcher.close()
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print(result)


def _print(result: SearchResult) -> None:
    first = (result.page - 1) * result.size + 1
    about = "about " if result.estimated else ""  # more matched than are counted exactly
    if result.grouped:
        click.echo(f"{about}{result.total} stories, {result.articles} articles ({result.took_ms:.1f} ms)")
    else:
        click.echo(f"{about}{result.total} results ({result.took_ms:.1f} ms)")
    if result.truncated:
        click.echo(f"(a long query: its first {len(result.plan.stems)} distinct words were searched)")
    if result.plan is not None and result.plan.boolean is not None:
        click.echo(f"read as: {result.interpreted}")
    for word, shown in result.spellings.items():
        click.echo(f"also searched: {', '.join(shown)} (for {word})")
    if result.suggestion:
        click.echo(f"did you mean: {result.suggestion}")
    for rank, hit in enumerate(result.hits, start=first):
        meta = " · ".join(x for x in (hit.source, (hit.date or "")[:10], hit.category, hit.author) if x)
        click.echo(f"\n{rank}. {hit.title or '(untitled)'}  [{hit.id}]  {hit.score:.3f}")
        if meta:
            click.echo(f"   {meta}")
        if hit.copies:
            click.echo("   also in: " + ", ".join(f"{c['source'] or '?'} [{c['id']}]" for c in hit.copies))
        click.echo(f"   {_plain(hit.snippet)}")


def _plain(snippet: str) -> str:
    # Terminal rendering of a snippet: marks as brackets, HTML entities decoded.
    return html.unescape(snippet.replace("<mark>", "[").replace("</mark>", "]"))


def _search_batch(index_dir, batch, options: SearchRequest, processes: int) -> None:
    """Each line's query with the command's options (size, filters, sort); ids and scores out, in the order of the lines."""
    out = sys.stdout
    for written, complaint in answers(index_dir, batch, options, processes):
        if complaint is not None:
            click.echo(f"fahras search --batch: {complaint}", err=True)
        if written is not None:
            out.write(written)


@click.command()
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


@click.command("eval")
@click.option("--run", "run_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Run: `fahras search --batch` JSON Lines or a TREC run file.")
@click.option("--qrels", "qrels_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="TREC qrels: qid iter docid rel.")
@click.option("--per-query", is_flag=True, help="Also give every query's figures.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def evaluate_run(run_path, qrels_path, per_query, as_json) -> None:
    """Score a run against qrels: MRR@10, nDCG@10, Recall@100 (trec_eval conventions, every judged query counts)."""
    try:
        result = evaluate(read_run(run_path), read_qrels(qrels_path), read_copies(run_path))
    except (ValueError, UnicodeDecodeError) as exc:
        click.echo(f"fahras eval: {exc}", err=True)
        sys.exit(EXIT_USAGE)
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


COMMANDS = (search, analyze, evaluate_run)
