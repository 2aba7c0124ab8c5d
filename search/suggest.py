"""Did-you-mean: replace unknown or very rare query words by frequent indexed words a typo away.

Pure functions over a `Vocabulary` built once per opened index from the exact
(normalised, unstemmed) field: (term, document frequency) pairs. Queries are
compared in the same normalised form, so the analysis chain has already made
أ/إ/آ/ا, ة/ه and ى/ي one letter; what is left of Arabic spelling trouble is
priced here as cheap edits (hamza carriers, letters readers confuse).

Candidates come from a deletion index (symmetric delete): every candidate term
is stored under itself and its one-letter deletions; a query word looks up
itself and its deletions of up to two letters. That finds every term within
one edit, and within two edits except two substitutions, without scanning the
vocabulary; each candidate is then priced by a weighted edit distance.
"""
from __future__ import annotations

import pickle
import subprocess
import sys
import tempfile
from array import array
from bisect import bisect_left, bisect_right
from pathlib import Path
from typing import Iterable, Sequence
from zlib import crc32

from .analysis import Term

CHEAP = 0.5
# Pairs of letters (normalised forms) that writers swap: hamza carriers and
# hamza on the line, and consonants that dialect pronunciation merges.
CONFUSABLE = {
    frozenset(pair)
    for pair in (
        ("ؤ", "و"), ("ئ", "ي"), ("ئ", "ؤ"), ("ء", "ا"), ("ء", "ؤ"), ("ء", "ئ"),
        ("ض", "ظ"), ("ذ", "ز"), ("ذ", "د"), ("ث", "س"), ("ث", "ت"), ("ص", "س"),
        ("ط", "ت"), ("ق", "ك"), ("ه", "ت"),
    )
}
# Letters often dropped or added: hamza on the line and alef as a long vowel (لاكن/لكن).
CHEAP_INDEL = frozenset("ءا")

# Words shorter than this are particles and initials: a "correction" would be noise.
MIN_WORD_LENGTH = 3
# A query word with at most this many documents may be a typo of a frequent word...
RARE_DF = 2
# ...if the replacement is at least this many times more frequent.
RARE_RATIO = 20
# Terms in fewer documents are mostly typos themselves: never proposed.
MIN_CANDIDATE_DF = 2
# Rare query words whose correction a vocabulary remembers.
MAX_CACHED_CORRECTIONS = 50_000


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
            if freq >= min_candidate_df and _is_word(term):
                for key in _deletions(term, 1):
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


def _is_word(term: str) -> bool:
    return len(term) >= MIN_WORD_LENGTH and term.isalpha()


def _deletions(word: str, depth: int) -> set[str]:
    """`word` and every string made by deleting up to `depth` of its letters."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier if len(w) > 1 for i in range(len(w))}
        found |= frontier
    return found


def _substitution(a: str, b: str) -> float:
    if a == b:
        return 0.0
    return CHEAP if frozenset((a, b)) in CONFUSABLE else 1.0


def _indel(ch: str) -> float:
    return CHEAP if ch in CHEAP_INDEL else 1.0


def distance(a: str, b: str, limit: float = 2.0) -> float:
    """Weighted edit distance (substitution, insertion, deletion, adjacent swap); > limit means "too far"."""
    if abs(len(a) - len(b)) * CHEAP > limit:
        return limit + 1
    previous2: list[float] = []
    previous = [0.0]
    for j in range(1, len(b) + 1):
        previous.append(previous[-1] + _indel(b[j - 1]))
    for i in range(1, len(a) + 1):
        row = [previous[0] + _indel(a[i - 1])]
        for j in range(1, len(b) + 1):
            cost = min(
                previous[j] + _indel(a[i - 1]),
                row[j - 1] + _indel(b[j - 1]),
                previous[j - 1] + _substitution(a[i - 1], b[j - 1]),
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1] and a[i - 1] != b[j - 1]:
                cost = min(cost, previous2[j - 2] + 1.0)
            row.append(cost)
        if min(row) > limit:
            return limit + 1  # every alignment is already too expensive
        previous2, previous = previous, row
    return previous[-1]


def correct(word: str, vocabulary: Vocabulary) -> str | None:
    """The best replacement for one normalised query word, or None to keep it."""
    if not _is_word(word):
        return None
    freq = vocabulary.frequency(word)
    if freq > RARE_DF:
        return None
    # Short words are one typo from dozens of others: allow one edit only.
    cache = vocabulary.corrections
    if word in cache:
        return cache[word]
    limit = 1.0 if len(word) <= 4 else 2.0
    need = max(vocabulary.min_candidate_df, freq * RARE_RATIO) if freq else vocabulary.min_candidate_df
    found: set[str] = set()
    for key in _deletions(word, 2):
        found.update(vocabulary.candidates(key))
    found.discard(word)
    # Most frequent first: once a word within one edit is found, rarer ones cannot beat it.
    candidates = sorted((-df, c) for c in found for df in (vocabulary.frequency(c),) if df >= need)
    best: tuple | None = None
    for minus_df, candidate in candidates:
        if best is not None and not best[0] and minus_df > best[1]:
            break
        cost = distance(word, candidate, limit)
        if cost > limit:
            continue
        # Within one edit, the most frequent word wins; two edits only if nothing is closer.
        rank = (cost > 1.0, minus_df, cost, candidate)
        if best is None or rank < best:
            best = rank
    if len(cache) >= MAX_CACHED_CORRECTIONS:
        cache.clear()
    cache[word] = best[-1] if best else None
    return cache[word]


def suggest_words(words: Sequence[str], vocabulary: Vocabulary) -> list[str | None]:
    return [correct(word, vocabulary) for word in words]


def suggest_query(text: str, terms: Sequence[Term], vocabulary: Vocabulary) -> str | None:
    """`text` with its misspelt words replaced (others kept as written), or None when nothing changes."""
    by_span: dict[tuple[int, int], list[Term]] = {}
    for term in terms:
        by_span.setdefault((term.start, term.end), []).append(term)
    out, pos, changed = [], 0, False
    for (start, end), span_terms in sorted(by_span.items()):
        if len(span_terms) != 1:
            continue  # a written word that analyses to several terms is left alone
        replacement = correct(span_terms[0].exact, vocabulary)
        if replacement is None:
            continue
        out.append(text[pos:start])
        out.append(replacement)
        pos, changed = end, True
    if not changed:
        return None
    out.append(text[pos:])
    return "".join(out)


# A build takes seconds (2.7 s of CPU on the news corpora); this only stops a wedged one.
BUILD_TIMEOUT = 600


def build_apart(backend: str, generation: Path, timeout: float = BUILD_TIMEOUT) -> Vocabulary:
    """The vocabulary of the embedded index in `generation`, built in a child process and loaded here.

    Building holds every term of the index at once as Python objects: on the
    news corpora (350,000 terms) the process grows by about 80 MB beyond the
    finished arrays, which hold about 45 MB. In a child process that peak
    never reaches the long-lived web worker; only the arrays come back
    (arrays pickle as their bytes).
    """
    with tempfile.TemporaryDirectory(prefix="fahras-vocabulary-") as tmp:
        out = Path(tmp) / "vocabulary.pickle"
        done = subprocess.run(
            [sys.executable, "-m", __name__, backend, str(generation), str(out)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(f"the vocabulary build exited with {done.returncode}: "
                               + done.stderr.decode("utf-8", "replace")[-2000:])
        with open(out, "rb") as f:  # written just now by our own child
            state = pickle.load(f)
    vocabulary = Vocabulary.__new__(Vocabulary)
    vocabulary.__dict__.update(state)
    return vocabulary


def _build_main(argv: list[str]) -> int:
    """python -m search.suggest BACKEND GENERATION OUT: pickle the vocabulary of an embedded index to OUT."""
    from .backends import open_reader

    backend, generation, out = argv
    reader = open_reader(backend, Path(generation))
    try:
        vocabulary = Vocabulary.build(reader.vocabulary("exact"))
    finally:
        reader.close()
    # Its fields only (arrays, a string, numbers): this module runs as __main__
    # here, so the class itself would not unpickle under its own name.
    with open(out, "wb") as f:
        pickle.dump(vocabulary.__dict__, f, protocol=pickle.HIGHEST_PROTOCOL)
    return 0


if __name__ == "__main__":
    sys.exit(_build_main(sys.argv[1:]))
