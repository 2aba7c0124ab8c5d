"""The written form of each exact term, counted at reindex: completions are shown as the archive writes them.

The index holds normalised forms (اردوغان, مدرسه); a reader types and expects
أردوغان and مدرسة. Reindex counts, per exact term, the written words that
give it (diacritics and tatweel removed, hamza and ة kept) and keeps the most
common one in a file of the generation; only forms that differ are written.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Iterable

from ..analysis import Analyzer
from ..arabic.normalize import DELETE

FILE = "written-forms.tsv"
_MARKS = re.compile("[" + re.escape("".join(DELETE)) + "]+")
_EDGES = re.compile(r"^[^\w]+|[^\w]+$")
# The deleted characters that are alphanumeric (tatweel, small waw and yeh): str.isalnum() is
# re's \w less "_", so a piece of other alphanumerics only is shown as it is written.
_ALNUM_DELETED = re.compile("[" + re.escape("".join(c for c in DELETE if c.isalnum())) + "]")


def without_marks(piece: str) -> str:
    """`piece` without the marks, tatweel and invisibles that normalisation deletes."""
    return _MARKS.sub("", piece)


def display(piece: str) -> str:
    """A written word as a completion shows it: without marks, tatweel or punctuation around it."""
    if piece.isalnum() and _ALNUM_DELETED.search(piece) is None:
        return piece  # most pieces: the regular expressions cost ten times this test
    return _EDGES.sub("", without_marks(piece))


def count_written(texts: Iterable[str], analyzer: Analyzer) -> Counter:
    """(exact term, written form) -> occurrences, over pieces of text that give one term.

    Pieces are split on whitespace, as the indexing fast path splits them, so
    their forms are already in the analyser's cache.
    """
    pieces: Counter = Counter()
    for text in texts:
        pieces.update(text.split())
    return count_pieces(pieces, analyzer)


def count_pieces(pieces: Counter, analyzer: Analyzer) -> Counter:
    """(exact term, written form) -> occurrences, from whitespace-delimited pieces and their occurrences."""
    pairs: Counter = Counter()
    for (piece, n), form in zip(pieces.items(), analyzer.forms_of(list(pieces))):
        if form and " " not in form[1]:
            written = display(piece)
            if written:
                pairs[form[1], written] += n
    return pairs


def most_common(pairs: Counter) -> dict[str, str]:
    """Exact term -> its most common written form, where that differs from the term."""
    best: dict[str, tuple[int, str]] = {}
    for (exact, written), n in pairs.items():
        # Ties go to the smaller string, so that the choice is the same in every run.
        if exact not in best or (n, best[exact][1]) > (best[exact][0], written):
            best[exact] = (n, written)
    return {exact: written for exact, (_, written) in best.items() if written != exact}


def save(generation: Path, forms: dict[str, str]) -> None:
    with open(generation / FILE, "w", encoding="utf-8") as f:
        for exact in sorted(forms):
            f.write(f"{exact}\t{forms[exact]}\n")


def load(generation: Path) -> dict[str, str]:
    """The written forms of a generation ({} for one built without them)."""
    try:
        with open(generation / FILE, encoding="utf-8") as f:
            return dict(line.rstrip("\n").split("\t", 1) for line in f if "\t" in line)
    except (FileNotFoundError, NotADirectoryError, TypeError):
        return {}


class ServedWritten:
    """The served generation's saved written forms, read once per generation; None where it saved none."""

    def __init__(self) -> None:
        self._loaded: tuple[str, dict[str, str] | None] = ("", None)  # (generation, its forms), swapped as one

    def get(self, generation: Path) -> dict[str, str] | None:
        key, forms = self._loaded
        if key != str(generation):
            forms = load(generation) if (generation / FILE).is_file() else None
            self._loaded = (str(generation), forms)
        return forms
