"""Compound names written as one word or two: عبدالله / عبد الله, عبدالعزيز / عبد العزيز.

News spells theophoric names both ways; splitting the joined form makes both
spellings the same two terms. Only عبد + a word with the article is split:
the article marks the second half as a name of its own (الله, العزيز, الرحمن).
"""
from __future__ import annotations

_ABD = "عبد"
_ARTICLE = "ال"
# عبدال + at least two letters: عبدالله, عبدالعزيز; not عبدال alone.
_MIN_LENGTH = len(_ABD) + len(_ARTICLE) + 2


def split_compound(word: str) -> tuple[str, ...]:
    """The parts of a normalised word: (word,) unless it is a joined compound name."""
    if len(word) >= _MIN_LENGTH and word.startswith(_ABD + _ARTICLE):
        return (_ABD, word[len(_ABD):])
    return (word,)
