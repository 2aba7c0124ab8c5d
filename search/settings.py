"""Every setting in one table (name, default, help); the CLI, the web app and the README read it."""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("FAHRAS_INDEX", "var/index", "Directory holding the index generations (relative to the working directory)."),
    Setting("FAHRAS_BACKEND", "tantivy", "Engine used by `fahras reindex`: tantivy (native, fast) or whoosh (pure Python) (readers follow the index's manifest), or opensearch (the index lives in a cluster behind FAHRAS_OPENSEARCH_INDEX; readers look there too)."),
    Setting("FAHRAS_OPENSEARCH_URL", "http://127.0.0.1:9200", "OpenSearch node URL(s) of the opensearch backend, comma-separated (https://user:password@host:9200 for a secured cluster)."),
    Setting("FAHRAS_OPENSEARCH_INDEX", "fahras", "Alias the opensearch backend serves; each reindex builds a concrete index <alias>-<timestamp> and swaps the alias to it."),
    Setting("FAHRAS_OPENSEARCH_SHARDS", "1", "Primary shards of each new OpenSearch index (about one per 10-30 GB of index; more shards spread indexing over more nodes)."),
    Setting("FAHRAS_OPENSEARCH_REPLICAS", "0-1", "Replicas of each new OpenSearch index: a number, or a range such as 0-1 (as many as the nodes allow: 0 on one node, 1 on two or more)."),
    Setting("FAHRAS_WORKERS", "0", "Processes for analysis during reindex; 0 means one per CPU core."),
    Setting("FAHRAS_REFRESH_SECONDS", "1", "Longest time, in seconds, before a search sees a committed live write (readers reopen at most this often while writes arrive)."),
    Setting("FAHRAS_WRITE_WAIT", "30", "Seconds a live write waits for the single writer lock (held by another write or a reindex's final replay) before giving up."),
    Setting("FAHRAS_API_TOKEN", "", "Bearer token that enables document writes over the JSON API (POST/PUT/DELETE /api/documents); unset, every write is refused with 403."),
    Setting("FAHRAS_SEARCH_TIMEOUT", "5", "Time budget of one search in seconds (web); over it the request gets a 503."),
    Setting("FAHRAS_MAX_PAGE_SIZE", "100", "Largest page size the API accepts."),
    Setting("FAHRAS_MAX_RESULT_WINDOW", "10000", "Deepest result reachable by paging: pages go up to this divided by the largest page size."),
    Setting("FAHRAS_EXACT_TOTAL", "10000", "Totals are counted exactly up to about this many matches, then estimated (and marked so); 0 always counts."),
    Setting("FAHRAS_HOST", "127.0.0.1", "Address `fahras serve` listens on (loopback unless a proxy needs otherwise)."),
    Setting("FAHRAS_PORT", "8000", "Port `fahras serve` listens on."),
    Setting("FAHRAS_WEB_WORKERS", "2", "gunicorn worker processes of `fahras serve` (one per core)."),
    Setting("FAHRAS_WEB_THREADS", "4", "Threads per web worker; also the size of each worker's search pool."),
    Setting("FAHRAS_NATIVE", "1", "0 analyses text with the pure-Python chain even where the native analysis core is built (same results, slower)."),
    Setting("FAHRAS_ACCESS_LOG", "-", "Access log of `fahras serve` in the combined format: a file path, - for standard output, or off."),
)
_BY_ENV = {s.env: s for s in SETTINGS}


def get(env: str) -> str:
    """The value of a setting: the environment if set, else its default."""
    return os.environ.get(env) or _BY_ENV[env].default
