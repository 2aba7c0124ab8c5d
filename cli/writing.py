"""`fahras add` and `fahras delete`: live writes on the served index, usable while `fahras serve` runs."""
from __future__ import annotations

import sys

import click

from indexer.live import LiveWritesUnsupported, add_sources, delete_ids
from indexer.sources import SourceError
from search.index import BackendError, IndexUnavailable, ReindexBusy, WriterBusy

from .common import EXIT_BUSY, EXIT_ERROR, EXIT_NO_INDEX, EXIT_USAGE, index_option
from .indexing import print_summary


def _run(name: str, call, as_json: bool) -> None:
    try:
        summary = call()
    except (WriterBusy, ReindexBusy) as exc:
        click.echo(f"fahras {name}: {exc}", err=True)
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
    print_summary(summary, as_json)


@click.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def add(sources, index_dir, as_json) -> None:
    """Add JSON Lines SOURCES to the served index; a record whose id exists replaces it.

    Validated as by reindex; acknowledged once durable, searchable within FAHRAS_REFRESH_SECONDS.
    """
    _run("add", lambda: add_sources(list(sources), index_dir), as_json)


@click.command()
@click.argument("ids", nargs=-1, required=True)
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def delete(ids, index_dir, as_json) -> None:
    """Delete documents by id from the served index; an absent id is reported as skipped."""
    _run("delete", lambda: delete_ids(list(ids), index_dir), as_json)


COMMANDS = (add, delete)
