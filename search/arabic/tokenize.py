"""Split text into word tokens with offsets into the ORIGINAL text.

Python's `\\w` does not match Arabic combining marks (harakat, shadda, U+0670),
so a vocalised word such as مَدْرَسَةٌ would fall apart into fragments. A word
here is a run of letters and digits that may carry combining marks, tatweel
and invisible format characters (ZWJ/ZWNJ, bidi marks) anywhere inside it;
normalisation removes those later, and the offsets still cover them so that a
highlight marks the whole word as written.
"""
from __future__ import annotations

import re
from typing import Iterator, NamedTuple

from .codepoints import IN_WORD, regex_class

# Characters that may sit inside a word without being letters themselves.
_INWORD = regex_class(IN_WORD)
# A word is a run of letters or a run of digits: news glues numbers to clitics
# and units (بـ4, 2024م, ٣٠٪), and a reader searching 4 or 2024 means the number.
# It starts with a letter or digit (marks alone never make a word, and a fixed
# start keeps matching linear on long runs of marks). The repetition is possessive (*+):
# a run of n letters splits into runs in 2^n ways, and a full match that fails on the
# character after a long word (the highlighter's, on «abc...xyz!») tried them all.
WORD_RE = re.compile(rf"[^\W\d_](?:[^\W\d_]+|[{_INWORD}]+)*+|\d(?:\d+|[{_INWORD}]+)*+")


class Token(NamedTuple):
    text: str  # the word as written, marks included
    start: int  # offset of the first character in the original text
    end: int  # offset one past the last character


def tokenize(text: str) -> Iterator[Token]:
    """Yield the words of `text` with their [start, end) offsets, left to right."""
    for match in WORD_RE.finditer(text):
        yield Token(match.group(), match.start(), match.end())
