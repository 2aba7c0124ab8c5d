"""The alias as a store: concrete indices as generations, the manifest in `_meta`, an atomic swap."""
from __future__ import annotations

import logging
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict
from os import PathLike, getpid
from typing import Iterator

from opensearchpy.exceptions import NotFoundError, TransportError

from ... import settings
from ..base import BackendError, IndexUnavailable
from ..ranking import RANKING, Ranking
from ..store import FORMAT_VERSION, IndexRoot, Manifest
from .client import ADMIN_TIMEOUT, ClusterIndex, as_name, connect, describe, redact, retryable
from .mapping import index_body, replica_settings

log = logging.getLogger(__name__)

BACKEND = "opensearch"
# How long a resolved alias is trusted before it is looked up again: a swap is
# seen by every reader within this time; the previous index is kept one round.
ALIAS_TTL = 1.0
_NAME_SUFFIX = r"-\d{8}t\d{6}-\d+-\d+"


class ClusterStore:
    """Where the served index lives when it lives in a cluster: the counterpart of store.IndexRoot.

    generations  concrete indices `<alias>-<yyyymmddThhmmss>-<pid>-<n>`
    current      the one index the alias points to
    manifest     that index's mapping `_meta` (backend, analysis version, count, created)
    writer lock  the local FAHRAS_INDEX directory, as for the embedded backends
    """

    backend = BACKEND

    def __init__(
        self,
        path: str | PathLike | None = None,
        url: str | None = None,
        alias: str | None = None,
        shards: int | None = None,
        replicas: str | None = None,
        ranking: Ranking = RANKING,
    ) -> None:
        self.local = IndexRoot(path)
        self.path = self.local.path  # holds reindex.lock
        self.url = url or settings.get("FAHRAS_OPENSEARCH_URL")
        self.alias = alias or settings.get("FAHRAS_OPENSEARCH_INDEX")
        if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]{0,200}", self.alias):
            raise IndexUnavailable(
                f"FAHRAS_OPENSEARCH_INDEX={self.alias!r} is not a usable index name (lower case letters, digits, - _ .)"
            )
        self.shards = int(shards if shards is not None else settings.get("FAHRAS_OPENSEARCH_SHARDS"))
        self.replicas = str(replicas if replicas is not None else settings.get("FAHRAS_OPENSEARCH_REPLICAS"))
        replica_settings(self.replicas)
        self.ranking = ranking
        self.client = connect(self.url)
        self._pattern = re.compile(re.escape(self.alias) + _NAME_SUFFIX)
        self._resolved: tuple[str | None, float] = (None, 0.0)
        self._resolve_lock = threading.Lock()

    @property
    def location(self) -> str:
        return f"{redact(self.url)} alias {self.alias}"

    def __repr__(self) -> str:
        return f"ClusterStore({self.location})"

    def _handle(self, name: str) -> ClusterIndex:
        return ClusterIndex(name, self.client, self.url)

    def _unavailable(self, exc: BaseException) -> IndexUnavailable:
        return IndexUnavailable(
            f"the OpenSearch cluster at {redact(self.url)} cannot be reached ({describe(exc)}): "
            "start it or set FAHRAS_OPENSEARCH_URL"
        )

    # -- reading

    def _lookup(self) -> str | None:
        """The index behind the alias now; None if there is no alias; raises TransportError."""
        try:
            found = self.client.indices.get_alias(name=self.alias, request_timeout=ADMIN_TIMEOUT)
        except NotFoundError:
            return None
        names = sorted(found)
        return names[-1] if names else None

    def current_name(self) -> str | None:
        """Which index is served, looked up at most once per ALIAS_TTL; the last known one while the cluster is unreachable."""
        name, when = self._resolved
        if time.monotonic() - when < ALIAS_TTL:
            return name
        with self._resolve_lock:
            name, when = self._resolved
            if time.monotonic() - when < ALIAS_TTL:
                return name
            try:
                name = self._lookup()
            except TransportError:
                # Keep serving the index we know; its reader reports real failures.
                self._resolved = (name, time.monotonic())
                return name
            self._resolved = (name, time.monotonic())
            return name

    def version(self) -> tuple:
        """What readers compare to notice a swap (the alias's index)."""
        return (self.current_name(),)

    def current(self) -> ClusterIndex:
        try:
            name = self._lookup()
        except TransportError as exc:
            raise self._unavailable(exc) from exc
        if name is None:
            raise IndexUnavailable(
                f"no index behind alias {self.alias!r} at {redact(self.url)}: run `fahras reindex --backend opensearch`."
            )
        self._resolved = (name, time.monotonic())
        return self._handle(name)

    def _meta(self, name: str) -> dict:
        try:
            found = self.client.indices.get_mapping(index=name, request_timeout=ADMIN_TIMEOUT)
        except NotFoundError:
            raise IndexUnavailable(f"OpenSearch index {name} is gone; run `fahras reindex --backend opensearch`.") from None
        except TransportError as exc:
            raise self._unavailable(exc) from exc
        return (next(iter(found.values()))["mappings"].get("_meta") or {}).get("fahras") or {}

    def manifest(self, generation=None) -> Manifest:
        name = as_name(generation) if generation is not None else self.current().name
        meta = self._meta(name)
        try:
            manifest = Manifest(**{k: meta[k] for k in ("backend", "analysis_version", "document_count", "created", "format")})
        except (KeyError, TypeError):
            raise IndexUnavailable(
                f"OpenSearch index {name} has no complete manifest (an unfinished build?); "
                "run `fahras reindex --backend opensearch`."
            ) from None
        return manifest.check_compatible(f"OpenSearch index {name}", "fahras reindex --backend opensearch")

    def health(self) -> dict:
        """Cluster state for /healthz and reindex reports; IndexUnavailable if the cluster cannot be reached."""
        index: dict = {}
        documents = None
        try:
            cluster = self.client.cluster.health(request_timeout=ADMIN_TIMEOUT)
            name = self._lookup()
            if name is not None:
                index = self.client.cluster.health(index=name, request_timeout=ADMIN_TIMEOUT)
                documents = self.client.count(index=name, request_timeout=ADMIN_TIMEOUT)["count"]
        except TransportError as exc:
            raise self._unavailable(exc) from exc
        return {
            "store": "opensearch",
            "url": redact(self.url),
            "alias": self.alias,
            "index": name,
            "cluster": {
                "name": cluster.get("cluster_name"),
                "status": cluster.get("status"),
                "nodes": cluster.get("number_of_nodes"),
                "data_nodes": cluster.get("number_of_data_nodes"),
                "unassigned_shards": cluster.get("unassigned_shards"),
            },
            "index_status": index.get("status"),
            "shards": {"active": index.get("active_shards"), "primaries": index.get("active_primary_shards"),
                       "unassigned": index.get("unassigned_shards")} if index else {},
            "documents": documents,
        }

    # -- writing

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        with self.local.writer_lock():
            yield

    @contextmanager
    def write_lock(self, wait: float = 30.0) -> Iterator[None]:
        """Live writes to the alias's index: one writer at a time, from this host (as the reindex lock)."""
        with self.local.write_lock(wait):
            yield

    def update_manifest(self, generation, manifest: Manifest) -> None:
        """Record a live write's new document count in the served index's `_meta`."""
        name = as_name(generation)
        meta = {"fahras": {**asdict(manifest), "alias": self.alias, "state": "published"}}
        try:
            self.client.indices.put_mapping(index=name, body={"_meta": meta}, request_timeout=ADMIN_TIMEOUT)
        except TransportError as exc:
            raise BackendError(f"cannot record the manifest of OpenSearch index {name}: {describe(exc)}") from exc

    def new_generation(self) -> ClusterIndex:
        name = f"{self.alias}-{time.strftime('%Y%m%dt%H%M%S')}-{getpid()}-{time.monotonic_ns() % 10**6}"
        meta = {"fahras": {"alias": self.alias, "state": "building", "format": FORMAT_VERSION}}
        try:
            self.client.indices.create(
                index=name,
                body=index_body(self.shards, self.replicas, meta, self.ranking),
                request_timeout=ADMIN_TIMEOUT,
                wait_for_active_shards="1",
            )
        except TransportError as exc:
            if retryable(exc):
                raise self._unavailable(exc) from exc
            raise BackendError(f"cannot create OpenSearch index {name}: {describe(exc)}") from exc
        return self._handle(name)

    def publish(self, generation, manifest: Manifest) -> None:
        """Serve `generation`: refresh, check its count, record the manifest, swap the alias in one call, prune."""
        name = as_name(generation)
        client = self.client
        try:
            client.indices.refresh(index=name, request_timeout=ADMIN_TIMEOUT)
            # Every primary must be active for the count to be complete.
            health = client.cluster.health(
                index=name, wait_for_status="yellow", timeout="60s", request_timeout=ADMIN_TIMEOUT + 10
            )
            if health.get("status") not in ("yellow", "green"):
                raise BackendError(f"OpenSearch index {name} is {health.get('status')}: not published")
            found = client.count(index=name, request_timeout=ADMIN_TIMEOUT)["count"]
            if found != manifest.document_count:
                raise BackendError(
                    f"OpenSearch index {name} holds {found} documents, {manifest.document_count} were written; not published"
                )
            meta = {"fahras": {**asdict(manifest), "alias": self.alias, "state": "published"}}
            client.indices.put_mapping(index=name, body={"_meta": meta}, request_timeout=ADMIN_TIMEOUT)
            old = self._lookup_all()
            actions = [{"remove": {"index": index, "alias": self.alias}} for index in old if index != name]
            actions.append({"add": {"index": name, "alias": self.alias}})
            client.indices.update_aliases(body={"actions": actions}, request_timeout=ADMIN_TIMEOUT)
        except TransportError as exc:
            raise BackendError(f"publishing OpenSearch index {name} failed: {describe(exc)}") from exc
        self._resolved = (name, time.monotonic())
        self.prune(keep=name)

    def _lookup_all(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias, request_timeout=ADMIN_TIMEOUT))
        except NotFoundError:
            return []

    def generations(self) -> dict[str, dict]:
        """This alias's concrete indices: name -> their `_meta.fahras`."""
        try:
            found = self.client.indices.get_mapping(index=f"{self.alias}-*", request_timeout=ADMIN_TIMEOUT)
        except NotFoundError:
            return {}
        return {
            name: (body["mappings"].get("_meta") or {}).get("fahras") or {}
            for name, body in found.items()
            if self._pattern.fullmatch(name)
        }

    def prune(self, keep) -> None:
        """Delete this alias's indices other than `keep` and the newest published one before it.

        The previous index stays one round so that readers still on it (other
        web workers, until they look the alias up again) finish their searches.
        """
        keep = as_name(keep)
        try:
            gens = self.generations()
            served = set(self._lookup_all())
        except TransportError as exc:
            log.warning("could not list old indices of %s: %s", self.alias, describe(exc))
            return
        published = sorted(n for n, meta in gens.items() if meta.get("state") == "published" and n != keep)
        previous = set(published[-1:])
        for name in sorted(gens):
            if name == keep or name in previous or name in served:
                continue
            self.discard(name)

    def discard(self, generation) -> None:
        name = as_name(generation)
        try:
            self.client.indices.delete(index=name, request_timeout=ADMIN_TIMEOUT)
        except NotFoundError:
            pass
        except TransportError as exc:
            log.warning("could not delete OpenSearch index %s: %s", name, describe(exc))

    def drop(self) -> None:
        """Delete the alias and every index of it (tests, decommissioning)."""
        for name in self.generations():
            self.discard(name)
        self._resolved = (None, 0.0)
