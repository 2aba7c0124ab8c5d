"""Hamza seats: where news writes one word with two seats (ئ / ؤ / ء), fold to one (measured in docs/relevance.md).

Folding ئ→ي and ؤ→و everywhere gained nothing (it merges nothing a reader
confuses more than it merges distinct words); these rules only join the
spellings that the news corpora show side by side for one word:

- ئو written for ؤو: مسئول / مسؤول, شئون / شؤون (the Egyptian convention);
  not the plural ending ئون / ئوا of a word in ئ (لاجئون is لاجئ + ون);
- word-final يء and يئ (شيء, شيئا; سيء, سيئ), and the short spelling شئ;
- the seat a case ending gives before a suffix: ابناؤهم / ابنائهم / ابناءهم
  are all ابناء.
Each takes a stem (clitics already removed) and is a pure function of it.
"""
from __future__ import annotations

_WAW_SEAT, _YEH_SEAT, _LINE = "ؤ", "ئ", "ء"
# Whole stems written without the ي of the standard spelling.
SPELLINGS = {"شئ": "شيئ"}
_MIN_PLURAL_STEM = 3  # as the stemmer's MIN_STEM: a shorter stem means ون is part of the word (شئون)


def seat(stem: str) -> str:
    """The one spelling of `stem`'s hamza seats."""
    stem = SPELLINGS.get(stem, stem)
    if stem.endswith("ي" + _LINE):
        stem = stem[:-1] + _YEH_SEAT
    i = stem.find(_YEH_SEAT + "و")
    if i > 0:
        tail = stem[i + 2 :]
        if tail not in ("", "ن", "ا") or i + 1 < _MIN_PLURAL_STEM:
            stem = stem[:i] + _WAW_SEAT + stem[i + 1 :]
    return stem


def final_seat(stem: str, min_length: int) -> str:
    """A final ؤ/ئ after alef is the seat a case ending gives before a suffix: ابناؤ, ابنائ → ابناء.

    ائ only in stems of `min_length` letters or more: مائ(ة) "hundred" is not ماء "water"."""
    if stem.endswith("ا" + _WAW_SEAT) and len(stem) >= 4:
        return stem[:-1] + _LINE
    if stem.endswith("ا" + _YEH_SEAT) and len(stem) >= min_length:
        return stem[:-1] + _LINE
    return stem
