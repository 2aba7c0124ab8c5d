"""The cluster client: connection to comma-separated nodes, retry policy, error descriptions."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConnectionError as ClusterConnectionError
from opensearchpy.exceptions import TransportError

from ... import settings
from ..base import BackendError

# Retries of a rejected request (429, 5xx, connection lost), with exponential
# backoff and jitter: 0.5, 1, 2, 4, 8, 16, 30, 30, ... seconds.
BACKOFF_FIRST = 0.5
BACKOFF_MAX = 30.0
ADMIN_TIMEOUT = 60
_RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


def redact(url: str) -> str:
    """A URL fit for messages: no user name or password."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        if parts.port:
            host += f":{parts.port}"
        return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return url


def _hosts(url: str) -> list[str]:
    hosts = [u.strip() for u in url.split(",") if u.strip()]
    if not hosts:
        raise BackendError("FAHRAS_OPENSEARCH_URL is empty: give the URL of at least one OpenSearch node")
    return hosts


def connect(url: str | None = None) -> OpenSearch:
    """A client for the cluster at `url` (FAHRAS_OPENSEARCH_URL; several nodes comma-separated)."""
    hosts = _hosts(url or settings.get("FAHRAS_OPENSEARCH_URL"))
    # max_retries: a request whose node is unreachable moves on to the next node
    # at once; the backoff loops below handle a cluster that is busy or failing over.
    return OpenSearch(hosts=hosts, timeout=ADMIN_TIMEOUT, max_retries=len(hosts), retry_on_timeout=False, pool_maxsize=16)


def retryable(exc: BaseException) -> bool:
    if isinstance(exc, ClusterConnectionError):  # includes timeouts
        return True
    return isinstance(exc, TransportError) and exc.status_code in _RETRYABLE_STATUS


def backoff(attempt: int) -> float:
    delay = min(BACKOFF_MAX, BACKOFF_FIRST * 2**attempt)
    return delay * random.uniform(0.8, 1.2)


def describe(exc: BaseException) -> str:
    if isinstance(exc, ClusterConnectionError):
        return f"connection failed ({type(exc).__name__})"
    if isinstance(exc, TransportError):
        error = exc.error if isinstance(exc.error, str) else type(exc).__name__
        return f"HTTP {exc.status_code} {error}"
    return f"{type(exc).__name__}: {exc}"


@dataclass(frozen=True)
class ClusterIndex:
    """A concrete index of a cluster: what a directory generation is to the local store."""

    name: str
    client: OpenSearch = field(compare=False, repr=False)
    url: str = field(default="", compare=False)

    def __str__(self) -> str:
        return self.name

    def refresh(self) -> None:
        """Make searchable what a writer sent before it died: its own refresh, which ends a write, never came."""
        self.client.indices.refresh(index=self.name, request_timeout=ADMIN_TIMEOUT)


def as_index(generation) -> ClusterIndex:
    """A ClusterIndex from a handle, an index name, or a path whose last part is the name."""
    if isinstance(generation, ClusterIndex):
        return generation
    if isinstance(generation, (str, PathLike)):
        url = settings.get("FAHRAS_OPENSEARCH_URL")
        return ClusterIndex(Path(generation).name if isinstance(generation, PathLike) else generation, connect(url), url)
    raise BackendError(f"not an OpenSearch index: {generation!r}")




def as_name(generation) -> str:
    if isinstance(generation, ClusterIndex):
        return generation.name
    if isinstance(generation, PathLike):
        return Path(generation).name
    return str(generation)
