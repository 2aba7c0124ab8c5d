"""Copies of one story: near-duplicate detection over the analysed text, a group id per document.

A wire story reaches the archive under several ids and outlets, as it was
sent or with a dateline added, a paragraph dropped or edited, ا written for
أ. Such copies share most of their word shingles once the text is analysed
(normalised, marks and tatweel gone, stopwords dropped), so a document's
fingerprint is the MinHash of the shingles of its body's exact forms, and
copies are found with locality-sensitive hashing (datasketch) among the
documents grouped before it. The native core (native/src/fingerprint.rs)
computes the same signatures and keys, byte for byte, where it is built;
datasketch's code here remains the specification and the fallback.

A group is named by the id of its first document; a later copy joins the
group of the most similar document already grouped, published at most
MAX_DAYS_APART days before or after it: templated reports (the day's market
close, the weather) are near copies of each other, yet different stories on
different days. Identical bodies group whatever their dates. Bodies too short
to shingle meaningfully group only with an identical text (title and body).
The threshold was chosen on a labelled set (benchmarks/grouping.py).

Reindex groups in memory (Grouper). So that a copy written later (live
writes, indexer/live.py) finds its story without that memory, every
document is indexed with its fingerprint keys (`keys`): one per LSH band of
its signature and one of its digest. Documents sharing a key are the LSH
candidates; grouping/live.py finds them with a term query and decides by
the same rules.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from hashlib import blake2b
from typing import Iterable
from zlib import crc32

import numpy as np

from ..analysis import FIELD_GAP
from ..arabic import native
from ..documents import AnalyzedDocument, day_of

# Estimated Jaccard similarity of shingle sets from which two bodies are copies.
# On the labelled set (benchmarks/grouping.py: 7,066 copy pairs, 3,000 pairs of
# stories of one day, category and outlet) 0.5 groups no two stories and finds
# 97.9% of copies; 0.4 finds 99.3% but groups 2 pairs of stories.
DEFAULT_THRESHOLD = 0.5
NUM_PERM = 128
SHINGLE_WORDS = 3
# datasketch's 32-bit scheme: signatures of uint32, the same in every process for one seed.
SCHEME = "affine32"
SEED = 1
# Fewer shingles than this (a body of a few words) is no fingerprint: such
# documents group only with an identical text.
MIN_SHINGLES = 8
# Copies of a wire story appear within days of each other.
MAX_DAYS_APART = 7


@dataclass(frozen=True)
class GroupingConfig:
    threshold: float = DEFAULT_THRESHOLD
    num_perm: int = NUM_PERM
    shingle_words: int = SHINGLE_WORDS
    min_shingles: int = MIN_SHINGLES
    max_days_apart: int = MAX_DAYS_APART


DEFAULT_GROUPING = GroupingConfig()


@dataclass(frozen=True)
class Fingerprint:
    """What the grouper needs of one document: cheap to send between processes."""

    digest: bytes  # of the body's exact forms (of title and body when the body is short)
    minhash: bytes | None  # the MinHash signature (uint32s), or None for a short body
    day: int | None = None  # the publication day (proleptic ordinal), when dated


def shingles(words: list[str], size: int) -> set[bytes]:
    """The distinct runs of `size` consecutive words (the whole text when it is shorter), as UTF-8.

    The text is encoded once and its runs joined as bytes: this is most of the
    cost of a fingerprint.
    """
    encoded = " ".join(words).encode("utf-8").split(b" ") if words else []
    if len(encoded) <= size:
        return {b" ".join(encoded)} if encoded else set()
    return set(map(b" ".join, zip(*(encoded[i:] for i in range(size)))))


def body_exact(doc: AnalyzedDocument) -> tuple[str, str]:
    """The exact forms of the title and of the body, from the analysed document (never analysed again)."""
    title, _, body = doc.exact.partition(FIELD_GAP)
    return title.strip(), body.strip()


def fingerprint(doc: AnalyzedDocument, config: GroupingConfig = DEFAULT_GROUPING) -> Fingerprint:
    title, body = body_exact(doc)
    sketch = _sketch(config, native.enabled())
    minhash = sketch.signature(body) if sketch is not None else minhash_of(body, config)
    if minhash is None:
        return Fingerprint(_digest(f"{title}{FIELD_GAP}{body}"), None)
    return Fingerprint(_digest(body), minhash, _day_number(doc.document.date))


def minhash_of(body: str, config: GroupingConfig = DEFAULT_GROUPING) -> bytes | None:
    """The MinHash signature (uint32s) of the shingles of `body`, or None when it has fewer than
    min_shingles: datasketch's, and the specification of the native core's (fingerprint.rs)."""
    found = shingles(body.split(), config.shingle_words)
    if len(found) < config.min_shingles:
        return None
    # CRC-32: stable across processes (fingerprints are computed in worker
    # processes) and much cheaper than datasketch's default SHA-1; MinHash's
    # random permutations mix the bits.
    from datasketch import MinHash  # imported on first use: with it scipy, seconds that no search needs

    m = MinHash(config.num_perm, SEED, hashfunc=crc32, permutations=_permutations(config.num_perm), scheme=SCHEME)
    m.update_batch(list(found))
    return m.hashvalues.astype(np.uint32).tobytes()


@lru_cache(maxsize=8)
def _sketch(config: GroupingConfig, enabled: bool):
    # The native core's fingerprint, handed datasketch's permutations and bands once (one per
    # configuration and state of FAHRAS_NATIVE); None when datasketch computes it.
    if not enabled:
        return None
    return native.sketch(SCHEME, _permutations(config.num_perm), config.shingle_words, config.min_shingles,
                         _bands(config.threshold, config.num_perm))


@lru_cache(maxsize=4)
def _permutations(num_perm: int):
    # Drawing the permutations costs more than hashing a whole article: drawn once.
    from datasketch import MinHash

    return MinHash(num_perm, SEED, scheme=SCHEME).permutations


def signature(fp: Fingerprint) -> np.ndarray | None:
    """The MinHash signature of a fingerprint, or None for a short body."""
    return None if fp.minhash is None else np.frombuffer(fp.minhash, dtype=np.uint32)


def nearest(sig: np.ndarray, day: int | None, candidates: Iterable[tuple[str, np.ndarray | None, int | None]],
            config: GroupingConfig = DEFAULT_GROUPING) -> str | None:
    """The label of the candidate (label, signature, day) most similar to `sig` at the threshold or above,
    published at most MAX_DAYS_APART days from `day`; ties go to the first. The estimated Jaccard decides,
    so a chance collision of LSH bands never groups two stories."""
    best, found = config.threshold, None
    for label, other, other_day in candidates:
        if other is None:
            continue
        if day is not None and other_day is not None and abs(day - other_day) > config.max_days_apart:
            continue
        similarity = np.count_nonzero(sig == other) / sig.size  # datasketch's estimate of the Jaccard
        if similarity > best or (similarity == best and found is None):
            best, found = similarity, label
    return found


@lru_cache(maxsize=4)
def _bands(threshold: float, num_perm: int) -> tuple[tuple[int, int], ...]:
    # The bands datasketch chooses for this threshold, so that both ways find the same candidates.
    from datasketch import MinHashLSH

    return tuple(MinHashLSH(threshold=threshold, num_perm=num_perm).hashranges)


def keys(fp: Fingerprint, config: GroupingConfig = DEFAULT_GROUPING) -> tuple[str, ...]:
    """The fingerprint's index keys: "=" and its digest, and per LSH band its number and a hash of its values."""
    digest = ("=" + fp.digest.hex(),)
    if fp.minhash is None:
        return digest
    sketch = _sketch(config, native.enabled())
    return digest + tuple(sketch.band_keys(fp.minhash) if sketch is not None else band_keys(fp.minhash, config))


def band_keys(minhash: bytes, config: GroupingConfig = DEFAULT_GROUPING) -> list[str]:
    """Per LSH band its number and the blake2b-64 of its values: the specification of the native core's."""
    values = np.frombuffer(minhash, dtype=np.uint32)
    return [f"{band}:{blake2b(values[start:end].tobytes(), digest_size=8).hexdigest()}"
            for band, (start, end) in enumerate(_bands(config.threshold, config.num_perm))]


def _day_number(value: str | None) -> int | None:
    try:
        day = day_of(value)
        return date.fromisoformat(day).toordinal() if day else None
    except ValueError:  # a well-formed but impossible day: undated
        return None


def _digest(text: str) -> bytes:
    return blake2b(text.encode("utf-8"), digest_size=16).digest()


class Grouper:
    """Assigns group ids in the order documents arrive; a later copy joins an existing group.

    Its LSH is the fingerprint keys themselves (`keys`), as grouping/live.py
    reads them from the index: documents sharing a band key are candidates.
    """

    def __init__(self, config: GroupingConfig = DEFAULT_GROUPING) -> None:
        self.config = config
        self._by_digest: dict[bytes, str] = {}
        self._signatures: dict[str, tuple[np.ndarray, int | None]] = {}
        # hash of a band key -> the document, or the documents, holding it. Python's
        # hash is enough in one process: a collision only adds a candidate, and the
        # estimated Jaccard decides.
        self._bands: dict[int, str | list[str]] = {}
        self._group: dict[str, str] = {}  # id of every fingerprinted document -> its group

    def __len__(self) -> int:
        return len(self._group)

    def assign(self, doc_id: str, fp: Fingerprint, found: tuple[str, ...] | None = None) -> str:
        """The group of `doc_id`: its own id unless it copies a document seen before.

        `found` are the fingerprint's keys when already computed (by the worker that analysed the document).
        """
        if doc_id in self._group:  # the same id again (a live update): it keeps its group
            return self._group[doc_id]
        group = self._by_digest.get(fp.digest)
        if fp.minhash is not None:
            sig = signature(fp)
            bands = [hash(key) for key in (found if found is not None else keys(fp, self.config)) if key[0] != "="]
            if group is None:
                group = self._nearest(sig, fp.day, bands)
            for band in bands:
                held = self._bands.get(band)
                if held is None:
                    self._bands[band] = doc_id
                elif type(held) is str:
                    self._bands[band] = [held, doc_id]
                else:
                    held.append(doc_id)
            self._signatures[doc_id] = (sig, fp.day)
        group = group or doc_id
        self._by_digest.setdefault(fp.digest, group)
        self._group[doc_id] = group
        return group

    def _candidates(self, bands: list[int]) -> dict[str, None]:
        found: dict[str, None] = {}  # in the order first seen: ties go to the earliest band
        for band in bands:
            held = self._bands.get(band)
            if held is None:
                continue
            if type(held) is str:
                found[held] = None
            else:
                found.update(dict.fromkeys(held))
        return found

    def _nearest(self, sig: np.ndarray, day: int | None, bands: list[int]) -> str | None:
        found = nearest(sig, day, ((c, *self._signatures[c]) for c in self._candidates(bands)), self.config)
        return self._group[found] if found is not None else None

    def groups(self) -> dict[str, int]:
        """Group id -> number of documents, for groups of more than one."""
        sizes: dict[str, int] = {}
        for group in self._group.values():
            sizes[group] = sizes.get(group, 0) + 1
        return {g: n for g, n in sizes.items() if n > 1}
