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


ZWNJ = "\u200c"
# A zero-width non-joiner only stops two letters from joining: Persian puts it
# inside words, and text pasted from such keyboards puts it between two words
# (كتاب‌جديد). Between two runs of at least this many letters it separates
# words; next to a single letter it is a broken clitic (و‌تعد) and is ignored.
_MIN_LETTERS_APART = 2


def separate_joined(word: str) -> str:
    """`word` as written, with a space for each ZWNJ that stands between two words."""
    if ZWNJ not in word:
        return word
    parts = [part for part in word.split(ZWNJ) if part] or [""]  # a run of ZWNJ is one
    out = [parts[0]]
    for part in parts[1:]:
        apart = _letters(out[-1].rsplit(" ", 1)[-1]) >= _MIN_LETTERS_APART and _letters(part) >= _MIN_LETTERS_APART
        out.append(" " + part if apart else part)
    return "".join(out)


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)
