"""`fahras add` and `fahras delete`: live writes on the served index, usable while `fahras serve` runs."""
from __future__ import annotations

import sys
import time

import click

from search.index import BackendError, IndexUnavailable, ReindexBusy, WriterBusy

from .common import EXIT_BUSY, EXIT_ERROR, EXIT_NO_INDEX, EXIT_USAGE, index_option
from .indexing import print_summary


def _run(name: str, call, as_json: bool, stop: bool = True):
    """Print the summary of call(); domain errors end the command (stop) or are only reported."""
    from indexer.live import LiveWritesUnsupported
    from indexer.sources import SourceError

    try:
        summary = call()
    except (WriterBusy, ReindexBusy) as exc:
        click.echo(f"fahras {name}: {exc}", err=True)
        if not stop:
            return None
        sys.exit(EXIT_BUSY)
    except SourceError as exc:
        click.echo(f"fahras {name}: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except IndexUnavailable as exc:
        click.echo(f"fahras {name}: {exc}", err=True)
        sys.exit(EXIT_NO_INDEX)
    except (LiveWritesUnsupported, BackendError) as exc:
        click.echo(f"fahras {name}: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    print_summary(getattr(summary, "summary", summary), as_json)
    return summary


@click.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def add(sources, index_dir, as_json) -> None:
    """Add JSON Lines SOURCES to the served index; a record whose id exists replaces it.

    Validated as by reindex; acknowledged once durable, searchable within FAHRAS_REFRESH_SECONDS.
    """
    from indexer.live import add_sources

    _run("add", lambda: add_sources(list(sources), index_dir), as_json)


@click.command()
@click.argument("ids", nargs=-1, required=True)
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def delete(ids, index_dir, as_json) -> None:
    """Delete documents by id from the served index; an absent id is reported as skipped."""
    from indexer.live import delete_ids

    _run("delete", lambda: delete_ids(list(ids), index_dir), as_json)


@click.command()
@click.option("--feed", "feeds", multiple=True, required=True, help="RSS 2.0 or Atom feed: a URL or a file (repeatable).")
@click.option("--every", type=click.FloatRange(min=1), default=None, help="Poll every SECONDS until stopped.")
@click.option("--rounds", type=click.IntRange(min=1), default=None, help="With --every, stop after this many rounds.")
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print each round's summary as JSON.")
def ingest(feeds, every, rounds, index_dir, as_json) -> None:
    """Add the new and changed entries of news feeds to the served index, once or every SECONDS.

    A feed that cannot be fetched or parsed is reported and skipped for the round; the next round runs.
    """
    from indexer.feeds import ingest_round

    done = 0
    try:
        while True:
            done += 1
            if every is not None:
                click.echo(f"fahras ingest: round {done} at {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}", err=True)
            result = _run("ingest", lambda: ingest_round(list(feeds), index_dir), as_json, stop=every is None)
            for error in result.errors if result else ():
                click.echo(f"fahras ingest: {error}", err=True)
            if every is None:
                sys.exit(EXIT_ERROR if result.errors else 0)
            if rounds is not None and done >= rounds:
                return
            time.sleep(every)
    except KeyboardInterrupt:  # stopping a poller is how it ends
        click.echo(f"fahras ingest: stopped after {done} rounds", err=True)


COMMANDS = (add, delete, ingest)
