"""Two-word completions: the archive's frequent phrases (ولي العهد, كأس العالم), counted at reindex.

Reindex counts, per document, the pairs of adjacent words of its title and
the opening of its body (where news names its people, places and subjects),
as their exact forms and as written; a pair stops at punctuation, a
stopword, a number or a word that analyses to several terms. Pairs found in
at least MIN_DOCUMENTS documents are kept in a file of the generation, each
with its document count and its most common written form. Like the written
forms of words, they are counted again at the next reindex, not by live writes.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..analysis import Analyzer
from .vocabulary import is_word
from .written import display, without_marks

FILE = "phrases.tsv"
# Words of the body read after the title.
LEAD_WORDS = 60
# Phrases in fewer documents are chance neighbours, not names or subjects.
MIN_DOCUMENTS = 3
# Pairs counted at most before the rarest are dropped (merge): about 200 bytes each.
PRUNE_AT = 1_500_000


def count_phrases(documents: list[tuple[str, str]], analyzer: Analyzer, sides: dict | None = None,
                  into: Counter | None = None) -> Counter:
    """Pair -> the documents (title, body) holding it: the exact forms joined by a space, then a tab
    and the written forms when they differ.

    `sides` caches, per piece, what it may be in a phrase (`_sides`), across the calls of one indexing run;
    the counts are added to `into` when given (counting a set into a Counter runs at C speed, merging
    two Counters does not).
    """
    texts_of = [(title.split(), body.split(None, LEAD_WORDS)[:LEAD_WORDS]) for title, body in documents]
    sides = {} if sides is None else sides
    new = list({piece for texts in texts_of for pieces in texts for piece in pieces if piece not in sides})
    sides.update(zip(new, map(_sides, new, analyzer.forms_of(new))))
    counts: Counter = Counter() if into is None else into
    for texts in texts_of:
        found = set()
        for pieces in texts:  # no phrase from the end of the title to the start of the body
            known = list(map(sides.__getitem__, pieces))
            for a, b in zip(known, known[1:]):
                if a is not None and b is not None and a[2] and b[3]:
                    exact = f"{a[0]} {b[0]}"
                    # One string a pair, the written form only where it differs: millions are counted.
                    # No side holds a space, so the written pair differs where a side does.
                    found.add(exact if a[0] == a[1] and b[0] == b[1] else f"{exact}\t{a[1]} {b[1]}")
        counts.update(found)
    return counts


def merge(total: Counter, batch: Counter, cap: int = PRUNE_AT) -> None:
    """Add a batch's counts to `total`, keeping it under `cap` pairs by lossy counting (`prune`)."""
    total.update(batch)
    prune(total, cap)


def prune(total: Counter, cap: int = PRUNE_AT) -> None:
    """Past `cap` pairs, drop the pairs seen in one document only (Manku and Motwani's lossy
    counting), then in two, and so on, until at most half the cap is left: a phrase kept in
    the end is in MIN_DOCUMENTS documents or more, and such phrases are rarely that rare by then.
    Halving keeps the pruning rare, where a cap reached again at once would scan every batch."""
    floor = 1
    while len(total) > (cap if floor == 1 else cap // 2):
        for key in [key for key, n in total.items() if n <= floor]:
            del total[key]
        floor += 1


def _sides(piece: str, form) -> tuple[str, str, bool, bool] | None:
    """(exact form, written form, may end a phrase's first word, may start its second) of a piece
    that may be in a phrase at all, else None."""
    if not form or " " in form[1] or not is_word(form[1]):
        return None
    # Punctuation after the first word or before the second ends the phrase.
    bare = without_marks(piece)
    if not bare:
        return None
    return form[1], display(piece), bare[-1].isalpha(), bare[0].isalpha()


def most_common(pairs: Counter, min_documents: int = MIN_DOCUMENTS) -> list[tuple[str, int, str]]:
    """(exact pair, documents, most common written form) of the pairs in at least `min_documents` documents."""
    total: Counter = Counter()
    best: dict[str, tuple[int, str]] = {}
    for key, n in pairs.items():
        exact, _, written = key.partition("\t")
        written = written or exact
        total[exact] += n
        # Ties go to the smaller string, so that the choice is the same in every run.
        if exact not in best or (n, best[exact][1]) > (best[exact][0], written):
            best[exact] = (n, written)
    return sorted((exact, n, best[exact][1]) for exact, n in total.items() if n >= min_documents)


def save(generation: Path, phrases: list[tuple[str, int, str]]) -> None:
    with open(generation / FILE, "w", encoding="utf-8") as f:
        for exact, n, written in phrases:
            f.write(f"{exact}\t{n}\t{written}\n")


def load(generation) -> list[tuple[str, int, str]]:
    """The phrases of a generation, sorted by exact form ([] for one built without them)."""
    out = []
    try:
        with open(Path(generation) / FILE, encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 3 and parts[1].isdigit():
                    out.append((parts[0], int(parts[1]), parts[2]))
    except (FileNotFoundError, NotADirectoryError, TypeError):
        return []
    return out
