"""The one table of code points: letters, marks, digits and invisibles.

The tokenizer keeps marks and invisibles inside a word, the normaliser deletes
them and folds the digits, and the highlighter scans for the same characters:
all three read these ranges, so a character one of them knows is known to all.
Ranges are inclusive (first, last) pairs.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from array import array
from functools import lru_cache


# The Arabic letters block from hamza to yeh: what stems are spelt with after normalisation.
ARABIC_LETTERS = ((0x0621, 0x064A),)
# Combining marks with no lexical weight for search.
ARABIC_MARKS = (
    (0x0610, 0x061A),  # Quranic honorifics and small high letters
    (0x064B, 0x065F),  # harakat, tanween, shadda, sukun, hamza above/below, ...
    (0x0670, 0x0670),  # superscript (dagger) alef
    (0x06D6, 0x06ED),  # Quranic annotation marks
)
TATWEEL = ((0x0640, 0x0640),)  # kashida: typographic stretching
LATIN_COMBINING = ((0x0300, 0x036F),)  # é written as e + U+0301
# Copy-paste debris: format characters that change nothing a reader sees as text.
INVISIBLES = (
    (0x200B, 0x200F),  # zero-width space, non-joiner, joiner; LRM, RLM
    (0x202A, 0x202E),  # bidi embeddings and overrides
    (0x2066, 0x2069),  # bidi isolates
    (0xFEFF, 0xFEFF),  # zero-width no-break space (BOM)
)
# Characters that may sit inside a word without being letters, and are deleted by normalisation.
IN_WORD = ARABIC_MARKS + TATWEEL + LATIN_COMBINING + INVISIBLES
# Digit sets the highlighter's scan matches directly (ASCII, Arabic-Indic,
# Persian); a text with a digit of any other set is analysed whole.
SCANNED_DIGIT_ZEROS = (0x0030, 0x0660, 0x06F0)


def codes(ranges: tuple[tuple[int, int], ...]) -> list[int]:
    return [code for first, last in ranges for code in range(first, last + 1)]


def regex_class(ranges: tuple[tuple[int, int], ...]) -> str:
    """The inside of a regex character class for `ranges` (no brackets)."""
    return "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges)


_UINT32 = next(code for code in "IL" if array(code).itemsize == 4)


@lru_cache(maxsize=1)
def decimal_digits() -> dict[int, str]:
    """Every Unicode decimal digit outside ASCII (Arabic-Indic ٠-٩, Persian ۰-۹, Devanagari ०-९, ...) -> its 0-9 value."""
    # The regex engine finds them (\d is Unicode's Nd, the decimal digits) over every code
    # point at once, decoded from one buffer: a Python loop over 1.1 million chr() calls
    # cost more than the rest of the start of a search command, and importing numpy to
    # build the buffer about 0.1 s (array: 0.04 s).
    every = array(_UINT32, range(0x0660, 0x110000)).tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be",
                                                                  "surrogatepass")
    return {ord(ch): str(unicodedata.decimal(ch)) for ch in re.findall(r"\d", every)}


def scanned_digits(value: int) -> str:
    """The written forms of one digit that the highlighter's scan matches."""
    return "".join(chr(zero + value) for zero in SCANNED_DIGIT_ZEROS)
