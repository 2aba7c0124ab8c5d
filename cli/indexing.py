"""`fahras reindex`: documents in, a new generation swapped in atomically."""
from __future__ import annotations

import json
import sys

import click

from search.index import BACKENDS, BackendError, IndexUnavailable, ReindexBusy

from .common import EXIT_BUSY, EXIT_ERROR, EXIT_REFUSED, EXIT_USAGE, index_option


@click.command()
@click.argument("sources", nargs=-1, type=click.Path())
@index_option
@click.option("--backend", type=click.Choice(BACKENDS), default=None, help="Engine (default: FAHRAS_BACKEND).")
@click.option("--workers", type=int, default=None, help="Analysis processes (default: one per core).")
@click.option("--allow-shrink", is_flag=True, help="Publish even an empty index or one under half the served size.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def reindex(sources, index_dir, backend, workers, allow_shrink, as_json) -> None:
    """Build a new index from JSON Lines SOURCES (default: seeds/) and swap it in atomically."""
    # Imported here: the other commands (a search) start without the indexer and its dependencies.
    from indexer.reindex import PublishRefused, reindex as run_reindex
    from indexer.sources import SourceError

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
            allow_shrink=allow_shrink,
        )
    except PublishRefused as exc:
        print_summary(exc.summary, as_json)
        click.echo(f"fahras reindex: not published: {exc}", err=True)
        sys.exit(EXIT_REFUSED)
    except ReindexBusy as exc:
        click.echo(f"fahras reindex: {exc}", err=True)
        sys.exit(EXIT_BUSY)
    except SourceError as exc:
        click.echo(f"fahras reindex: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except (IndexUnavailable, BackendError) as exc:  # e.g. the cluster is unreachable; nothing was published
        click.echo(f"fahras reindex: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    print_summary(summary, as_json)


def _examples(found: list[str], count: int) -> str:
    return ", ".join(found) + (" …" if count > len(found) else "")


def print_summary(summary, as_json: bool) -> None:
    """The account of an indexing run, the same for reindex, add, delete and feeds: read = indexed + skipped."""
    if as_json:
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
        return
    deleted = f", deleted {summary.deleted}" if summary.deleted else ""
    deleted += f", {summary.replayed} live writes replayed" if summary.replayed else ""
    click.echo(
        f"read {summary.read}, indexed {summary.indexed}, skipped {summary.skipped_total}{deleted} "
        f"in {summary.seconds:.1f} s ({summary.docs_per_second:.0f} documents/s) "
        f"into {summary.index} [{summary.backend}]"
    )
    for reason, count in summary.skipped.most_common():
        click.echo(f"  skipped {count}: {reason} (at {_examples(summary.examples.get(reason, []), count)})")
    for warning, count in summary.warnings.most_common():
        click.echo(f"  warning {count}: {warning} (at {_examples(summary.warning_examples.get(warning, []), count)})")
    for path, reason in summary.unread:
        click.echo(f"  not read: {path} ({reason})")
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


COMMANDS = (reindex,)
