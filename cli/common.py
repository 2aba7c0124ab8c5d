"""Options and exit statuses shared by the `fahras` commands."""
from __future__ import annotations

import click

EXIT_ERROR = 1
EXIT_USAGE = 2  # usage, bad parameter or unreadable source
EXIT_NO_INDEX = 3
EXIT_REFUSED = 4  # the new index looks like an accident (empty or shrunk); the served one is kept
EXIT_BUSY = 75  # EX_TEMPFAIL: try again later

index_option = click.option(
    "--index", "index_dir", envvar="FAHRAS_INDEX", default=None, help="Index directory (default: FAHRAS_INDEX or var/index)."
)
