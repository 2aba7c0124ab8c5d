"""Did-you-mean: replace unknown or very rare query words by frequent indexed words a typo away.

Pure functions over a `Vocabulary` built once per opened index from the exact
(normalised, unstemmed) field: (term, document frequency) pairs. Queries are
compared in the same normalised form, so the analysis chain has already made
أ/إ/آ/ا, ة/ه and ى/ي one letter; what is left of Arabic spelling trouble is
priced here as cheap edits (hamza carriers, letters readers confuse).

Candidates come from the vocabulary's deletion index (vocabulary.py); each is
then priced by a weighted edit distance.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Callable, Iterable, Sequence

from ..analysis import Term
from ..arabic.normalize import normalize
from ..arabic.tokenize import WORD_RE
from .vocabulary import Vocabulary, deletions, is_word

# A query word with at most this many documents may be a typo of a frequent word...
RARE_DF = 2
# ...if the replacement is at least this many times more frequent.
RARE_RATIO = 20
# Rare query words whose correction a vocabulary remembers.
MAX_CACHED_CORRECTIONS = 50_000

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
# A word the archive holds, however rarely, is most likely spelt as meant
# (المعمى is a word, not a typo of المرمى): it is only re-spelt by cheap
# edits (a hamza seat, ض/ظ), never by a plain one.
KNOWN_WORD_LIMIT = CHEAP
# Latin words in an Arabic archive are names and brands, each far from the
# next: one edit only (macron is not a typo of macos).
LATIN_LIMIT = 1.0
# Marks a written form is shown without: harakat and tatweel.
_UNMARKED = dict.fromkeys([*range(0x064B, 0x0660), 0x0670, 0x0640])


def _substitution(a: str, b: str) -> float:
    if a == b:
        return 0.0
    return CHEAP if frozenset((a, b)) in CONFUSABLE else 1.0


def _indel(ch: str) -> float:
    return CHEAP if ch in CHEAP_INDEL else 1.0


def distance(
    a: str, b: str, limit: float = 2.0,
    substitution: Callable[[str, str], float] = _substitution, indel: Callable[[str], float] = _indel,
) -> float:
    """Weighted edit distance (substitution, insertion, deletion, adjacent swap); > limit means "too far".

    The costs are the did-you-mean's by default; spellings of names price
    their own (names.py)."""
    if abs(len(a) - len(b)) * CHEAP > limit:
        return limit + 1
    previous2: list[float] = []
    previous = [0.0]
    for j in range(1, len(b) + 1):
        previous.append(previous[-1] + indel(b[j - 1]))
    for i in range(1, len(a) + 1):
        row = [previous[0] + indel(a[i - 1])]
        for j in range(1, len(b) + 1):
            cost = min(
                previous[j] + indel(a[i - 1]),
                row[j - 1] + indel(b[j - 1]),
                previous[j - 1] + substitution(a[i - 1], b[j - 1]),
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
    if not is_word(word):
        return None
    freq = vocabulary.frequency(word)
    if freq > RARE_DF:
        return None
    # Short words are one typo from dozens of others: allow one edit only.
    cache = vocabulary.corrections
    if word in cache:
        return cache[word]
    if freq:
        limit = KNOWN_WORD_LIMIT
    elif len(word) <= 4 or word.isascii():
        limit = LATIN_LIMIT if word.isascii() else 1.0
    else:
        limit = 2.0
    need = max(vocabulary.min_candidate_df, freq * RARE_RATIO) if freq else vocabulary.min_candidate_df
    found: set[str] = set()
    for key in deletions(word, 2):
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


def written_forms(words: Iterable[str], texts: Iterable[str]) -> dict[str, str]:
    """Each normalised word as `texts` write it most often (without harakat), where they hold it.

    Corrections are found among normalised terms (السعوديه, اردوغان); a reader
    is shown the spelling the archive uses (السعودية, أردوغان)."""
    wanted = set(words)
    counts: dict[str, Counter] = {}
    for text in texts:
        for written in WORD_RE.findall(text):
            form = normalize(written)
            if form in wanted:
                shown = unicodedata.normalize("NFKC", written).translate(_UNMARKED)
                counts.setdefault(form, Counter())[shown] += 1
    # Most often written first; in a tie, a spelling with أ, ة or ى over the normalised one.
    return {form: max(c.items(), key=lambda kv: (kv[1], kv[0] != form, kv[0]))[0] for form, c in counts.items()}


def suggest_query(
    text: str,
    terms: Sequence[Term],
    vocabulary: Vocabulary,
    spell: Callable[[list[str]], dict[str, str]] | None = None,
    read: Callable[[str], str | None] | None = None,
) -> str | None:
    """`text` with its misspelt words replaced (others kept as written), or None when nothing changes.

    `spell` gives the archive's written form of the normalised replacements
    (`written_forms` over the documents that hold them); without it, or where
    it has none, a replacement is shown normalised. `read` gives a Latin
    name's Arabic spelling in the archive (latin.py): where there is one, it
    is the suggestion (macron → ماكرون), before any Latin word an edit away."""
    by_span: dict[tuple[int, int], list[Term]] = {}
    for term in terms:
        by_span.setdefault((term.start, term.end), []).append(term)
    replaced: list[tuple[int, int, str]] = []
    for (start, end), span_terms in sorted(by_span.items()):
        if len(span_terms) != 1:
            continue  # a written word that analyses to several terms is left alone
        word = span_terms[0].exact
        arabic = read(word) if read is not None and word.isascii() else None
        replacement = arabic or correct(word, vocabulary)
        if replacement is not None:
            replaced.append((start, end, replacement))
    if not replaced:
        return None
    shown = spell(sorted({r for _, _, r in replaced})) if spell else {}
    out, pos = [], 0
    for start, end, replacement in replaced:
        out.append(text[pos:start])
        out.append(shown.get(replacement, replacement))
        pos = end
    out.append(text[pos:])
    return "".join(out)
