"""The `fahras` command line: a face over the library, like the web page and the JSON API.

Each command parses its arguments, calls one library function, prints, and
turns domain errors into a one-line message and an exit status:
1 = error, 2 = usage, bad parameter or unreadable source, 3 = no usable index,
4 = a reindex refused to publish an accident, 75 = another reindex is running.
"""
from __future__ import annotations

import click

from search import settings

from . import indexing, searching, serving, writing
from .common import EXIT_BUSY, EXIT_NO_INDEX

__all__ = ["EXIT_BUSY", "EXIT_NO_INDEX", "main"]


def _settings_help() -> str:
    return "\n\n".join(f"{s.env} (default {s.default!r}): {s.help}" for s in settings.SETTINGS)


@click.group(help="Fahras: full-text search for Arabic news.\n\nSettings (environment):\n\n" + _settings_help())
def main() -> None:
    pass


for module in (indexing, searching, serving, writing):
    for command in module.COMMANDS:
        main.add_command(command)
