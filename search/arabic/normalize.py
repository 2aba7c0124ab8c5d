"""Orthographic normalisation: map spellings a reader does not distinguish to one form.

Applied to every token of documents and queries alike, so the rules only need
to be consistent, not linguistically canonical. Each rule is a named table.
"""
from __future__ import annotations

import unicodedata

from .codepoints import IN_WORD, codes, decimal_digits

# أ إ آ ٱ are written interchangeably with bare alef in news text.
ALEF_VARIANTS = {"\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627"}
# Egyptian and much online writing puts ى for final ي and vice versa.
YEH = {"\u0649": "\u064a", "\u06cc": "\u064a"}  # alef maqsura, Farsi yeh
# ة and ه are confused at word end (مدرسة / مدرسه). ة only occurs word-finally in
# correct spelling, so folding it everywhere equals folding it finally, and stays
# idempotent when a clitic is glued on by a typo.
TEH_MARBUTA = {"\u0629": "\u0647"}
# Letters for sounds outside Standard Arabic (g, v) and Persian shapes, written
# interchangeably with their base letter: بن ڨردان / بن قردان (Maghrebi g),
# ڤيروس / فيروس, گ / ك; keheh and heh goal are Persian/Urdu shapes of ك and ه.
# Persian پ (p) and چ (ch) are written ب and ج in Arabic: ترامپ / ترامب, چنكيز / جنكيز.
LETTER_VARIANTS = {
    "\u06a8": "\u0642", "\u06a4": "\u0641", "\u06af": "\u0643", "\u06a9": "\u0643", "\u06c1": "\u0647",
    "\u067e": "\u0628", "\u0686": "\u062c",
}

# Marks, tatweel and invisibles (codepoints.IN_WORD) carry no lexical difference for search.
DELETE = [chr(code) for code in codes(IN_WORD)]

# Hamza on waw and yeh (ؤ ئ) are real letters; whether to fold them is measured
# (docs/relevance.md), so the table exists but is off by default.
HAMZA_CARRIERS = {"\u0624": "\u0648", "\u0626": "\u064a"}


_BASE_TABLE: dict[int, str | None] = {
    **{ord(k): v for k, v in {**ALEF_VARIANTS, **YEH, **TEH_MARBUTA, **LETTER_VARIANTS}.items()},
    **{ord(ch): None for ch in DELETE},
    # Every Unicode decimal digit reads as 0-9.
    **decimal_digits(),
}
_HAMZA_TABLE = {**_BASE_TABLE, **{ord(k): v for k, v in HAMZA_CARRIERS.items()}}


def normalize(text: str, fold_hamza_carriers: bool = False) -> str:
    """Return the search form of `text`: NFKC, Latin casefolded, Arabic variants folded, marks removed."""
    # NFKC first: it turns presentation forms (ﻻ, ﺍ) into plain letters, which the
    # tables below then see. Casefold handles Latin (and ß, dotted I) properly.
    text = unicodedata.normalize("NFKC", text).casefold()
    # NFKC also composes ا + U+0653/U+0654/U+0655 into آ/أ/إ, which the alef table
    # then folds, so decomposed and precomposed hamza spellings meet.
    return text.translate(_HAMZA_TABLE if fold_hamza_carriers else _BASE_TABLE)
