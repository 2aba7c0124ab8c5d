"""The did-you-mean vocabulary: every exact term with its document frequency, in flat arrays.

Candidates come from a deletion index (symmetric delete): every candidate term
is stored under itself and its one-letter deletions; a query word looks up
itself and its deletions of up to two letters. That finds every term within
one edit, and within two edits except two substitutions, without scanning the
vocabulary.
"""
from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from typing import Iterable
from zlib import crc32

# Words shorter than this are particles and initials: a "correction" would be noise.
MIN_WORD_LENGTH = 3
# Terms in fewer documents are mostly typos themselves: never proposed.
MIN_CANDIDATE_DF = 2


class Vocabulary:
    """Every exact term with its document frequency, and the deletion index of the candidates.

    Kept in flat arrays, not dicts of strings: a web worker holds one per
    served index, and on the 72,716 news articles (350,000 terms, 870,000
    deletion keys) dicts took over 300 MB per worker, arrays about 40 MB.
    Terms are looked up by hash (binary search in sorted arrays) and checked
    against the stored text, so a hash collision never changes an answer.
    The hash is CRC-32, the same in every process (Python's own hash() is
    salted per process, and the arrays are built in a child process).
    """

    def __init__(self, pairs: Iterable[tuple[str, int]] = (), min_candidate_df: int = MIN_CANDIDATE_DF) -> None:
        self.min_candidate_df = min_candidate_df
        # Rare query words already priced: word -> replacement or None (emptied when full).
        self.corrections: dict[str, str | None] = {}
        terms: list[str] = []
        dfs = array("q")
        term_hashes = array("q")
        key_hashes, key_terms = array("q"), array("l")
        for term, freq in pairs:
            if "\n" in term:
                continue  # the separator of the stored text; no analysed term holds it
            n = len(terms)
            terms.append(term)
            dfs.append(freq)
            term_hashes.append(_hash(term))
            if freq >= min_candidate_df and is_word(term):
                for key in deletions(term, 1):
                    key_hashes.append(_hash(key))
                    key_terms.append(n)
        self._text = "\n".join(terms) + "\n"
        starts = array("q", [0])
        for term in terms:
            starts.append(starts[-1] + len(term) + 1)
        del terms
        self._starts = starts
        self._df = dfs
        self._term_hashes, self._term_ids = _sorted_by_hash(term_hashes, array("l", range(len(dfs))))
        self._key_hashes, self._key_terms = _sorted_by_hash(key_hashes, key_terms)

    @classmethod
    def build(cls, pairs: Iterable[tuple[str, int]], min_candidate_df: int = MIN_CANDIDATE_DF) -> "Vocabulary":
        return cls(pairs, min_candidate_df)

    def __len__(self) -> int:
        return len(self._df)

    def _term(self, n: int) -> str:
        return self._text[self._starts[n] : self._starts[n + 1] - 1]

    def frequencies(self) -> dict[str, int]:
        """Every term with its document frequency, added up over the segments that list it."""
        df = self._df
        out: dict[str, int] = {}
        for i in range(len(df)):
            term = self._term(i)
            out[term] = out.get(term, 0) + df[i]
        return out

    def frequency(self, term: str) -> int:
        """The document frequency of `term` (0 when it is not indexed)."""
        h = _hash(term)
        hashes, ids = self._term_hashes, self._term_ids
        i = bisect_left(hashes, h)
        while i < len(hashes) and hashes[i] == h:
            if self._term(ids[i]) == term:
                return self._df[ids[i]]
            i += 1
        return 0

    def candidates(self, key: str) -> list[str]:
        """The candidate terms that are `key` or give `key` by deleting one letter."""
        h = _hash(key)
        hashes = self._key_hashes
        i = bisect_left(hashes, h)
        j = bisect_right(hashes, h, i)
        return [t for t in map(self._term, self._key_terms[i:j]) if _one_deletion_away(key, t)]


def _hash(text: str) -> int:
    return crc32(text.encode("utf-8"))


def _sorted_by_hash(hashes: array, values: array) -> tuple[array, array]:
    """Both arrays in the order of `hashes`, sorted a bucket (top bits of the hash) at a time:
    sorting a million entries at once holds a million Python ints, which stay in the
    process's heap after they are freed."""
    buckets = [array("l") for _ in range(_SORT_BUCKETS)]
    shift = 32 - _SORT_BUCKETS.bit_length() + 1  # CRC-32 values are unsigned 32-bit
    for i, h in enumerate(hashes):
        buckets[h >> shift].append(i)
    out_hashes, out_values = array("q"), array(values.typecode)
    for bucket in buckets:
        order = sorted(bucket, key=hashes.__getitem__)
        out_hashes.extend(map(hashes.__getitem__, order))
        out_values.extend(map(values.__getitem__, order))
    return out_hashes, out_values


_SORT_BUCKETS = 64  # a power of two


def _one_deletion_away(key: str, term: str) -> bool:
    """Whether `key` is `term` or `term` less one letter."""
    if len(term) == len(key):
        return term == key
    if len(term) != len(key) + 1:
        return False
    i = 0
    while i < len(key) and key[i] == term[i]:
        i += 1
    return key[i:] == term[i + 1 :]


def is_word(term: str) -> bool:
    return len(term) >= MIN_WORD_LENGTH and term.isalpha()


def deletions(word: str, depth: int) -> set[str]:
    """`word` and every string made by deleting up to `depth` of its letters."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier if len(w) > 1 for i in range(len(w))}
        found |= frontier
    return found
