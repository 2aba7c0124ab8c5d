"""`fahras serve`: the web page and the JSON API under gunicorn."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from search.index import IndexUnavailable, open_store

from .common import index_option


@click.command()
@index_option
@click.option("--host", default=None, help="Address to listen on (default: FAHRAS_HOST or 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port (default: FAHRAS_PORT or 8000).")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Worker processes (default: FAHRAS_WEB_WORKERS or 2).")
def serve(index_dir, host, port, workers) -> None:
    """Serve the search page and the JSON API with gunicorn (webui/gunicorn.conf.py)."""
    import webui

    # gunicorn reads its configuration from the settings table, so options travel as the environment.
    for env, value in (("FAHRAS_INDEX", index_dir), ("FAHRAS_HOST", host), ("FAHRAS_PORT", port), ("FAHRAS_WEB_WORKERS", workers)):
        if value is not None:
            os.environ[env] = str(value)
    try:
        served = open_store(index_dir).current_name()
    except IndexUnavailable:
        served = None
    if served is not None:
        from indexer.live import recover

        recover(index_dir)  # a writer killed between its commit and its manifest: set the count right
    if served is None:
        # Not fatal: the server starts, /healthz says 503 and the page explains, until a reindex publishes one.
        click.echo("fahras serve: no index is served yet; run `fahras reindex` (/healthz reports 503 until then)", err=True)
    config = Path(webui.__file__).with_name("gunicorn.conf.py")
    # exec: gunicorn becomes this process, so signals and the exit status are its own.
    os.execv(sys.executable, [sys.executable, "-m", "gunicorn", "-c", str(config), "webui:create_app()"])


COMMANDS = (serve,)
