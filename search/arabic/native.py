"""The native analysis core (the `search.arabic._native` extension), fed with the rules of these modules.

The extension ports only the small algorithms (tokenizer, normaliser,
compound split, stemmer, hamza seats); every table it applies is built here
from the Python modules, so the Python chain stays the specification and the
one place rules are written. It is optional: without a compiler the package
installs without it and `available()` is False.

Exactness does not depend on the Rust side knowing Unicode. The native core
only handles text made of a safe set of characters computed here with Python's
own tables (NFKC, casefold, the `re` classes): characters that NFKC leaves
alone and composes with no other safe character, whose casefolding is
themselves (or ASCII lower case), and which, when they are combining marks
(so that NFKC may reorder them), normalisation deletes. On such text NFKC
changes nothing that survives normalisation, and normalising is a lookup per
character. Pieces of text with any other character are analysed in Python.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from . import affixes, compounds, hamza, stem, stopwords
from .. import settings
from .codepoints import IN_WORD, codes
from .normalize import _BASE_TABLE, _HAMZA_TABLE

try:
    from . import _native
except ImportError:  # built without a Rust compiler: the Python chain runs alone
    _native = None

# The characters the native core may see: ASCII, the Arabic block, the in-word
# marks and invisibles, and common punctuation; `_safe` keeps those that pass.
_CANDIDATES = (
    (0x0021, 0x007E),
    (0x00A0, 0x00BF),
    (0x0600, 0x06FF),
    (0x2010, 0x2027),
    (0x2030, 0x205E),
    (0xFD3E, 0xFD3F),
)
_LETTER = re.compile(r"[^\W\d_]")
# Python's whitespace (str.split, str.isspace and re's \s agree): all in the BMP.
_SPACES = "".join(re.findall(r"\s", "".join(map(chr, range(0x10000)))))
_DIGIT = re.compile(r"\d")


def enabled() -> bool:
    """The native core is used: it is built, and FAHRAS_NATIVE=0 does not turn it off."""
    return _native is not None and settings.get("FAHRAS_NATIVE") != "0"


def _normal(ch: str, table: dict) -> str:
    return unicodedata.normalize("NFKC", ch).casefold().translate(table)


def _safe(table: dict) -> list[str]:
    candidates = sorted({chr(c) for c in codes(_CANDIDATES) + codes(IN_WORD)} - set(_SPACES))
    kept = []
    for ch in candidates:
        if unicodedata.normalize("NFKC", ch) != ch:
            continue
        if ch.casefold() != ch and not ("A" <= ch <= "Z"):
            continue
        if unicodedata.combining(ch) and _normal(ch, table) != "":
            continue  # NFKC may reorder it, and it survives normalisation
        kept.append(ch)
    # No two safe characters compose (ا + U+0654 → أ, e + U+0301 → é): drop
    # the mark of any pair that does. Only a starter and a combining mark
    # compose among these characters (tests/test_native.py checks every pair).
    # A starter and one mark are never reordered, so NFKC changes the pairs
    # (each between NULs, which compose with nothing) only if one composes.
    starters = [a for a in kept if not unicodedata.combining(a)]
    composing = set()
    for b in kept:
        if unicodedata.combining(b):
            pairs = "\0".join(a + b for a in starters)
            if unicodedata.normalize("NFKC", pairs) != pairs:
                composing.add(b)
    return [ch for ch in kept if ch not in composing]


@lru_cache(maxsize=2)
def rules(fold_hamza_carriers: bool) -> dict:
    """Every table the native core applies, from the Python modules."""
    table = _HAMZA_TABLE if fold_hamza_carriers else _BASE_TABLE
    safe = _safe(table)
    normal = {ch: _normal(ch, table) for ch in safe}
    outputs = {c for out in normal.values() for c in out}
    return {
        "safe": "".join(safe),
        "letters": "".join(ch for ch in safe if _LETTER.fullmatch(ch)),
        "digits": "".join(ch for ch in safe if _DIGIT.fullmatch(ch)),
        "inword": "".join(chr(c) for c in codes(IN_WORD)),
        "alpha": "".join(sorted(ch for ch in set(safe) | outputs if ch.isalpha())),
        "spaces": _SPACES,
        "normal": {ch: out for ch, out in normal.items() if out != ch},
        "stopwords": sorted(stopwords.STOPWORDS),
        "abd": compounds._ABD,
        "article": compounds._ARTICLE,
        "compound_min_length": compounds._MIN_LENGTH,
        "zwnj": compounds.ZWNJ,
        "min_letters_apart": compounds._MIN_LETTERS_APART,
        "protected": sorted(stem.PROTECTED),
        "article_prefixes": list(stem._ARTICLE_PREFIXES),
        "conjunction": stem._CONJUNCTION,
        "min_word_for_conjunction": stem.MIN_WORD_FOR_CONJUNCTION,
        "suffixes": list(stem.SUFFIXES),
        "min_stem": stem.MIN_STEM,
        "final_seat_min_stem": stem.FINAL_SEAT_MIN_STEM,
        "tanween_alef": stem.TANWEEN_ALEF,
        "keeps_final_alef_after": "".join(sorted(stem._KEEPS_FINAL_ALEF_AFTER)),
        "keeps_final_alef": sorted(stem._KEEPS_FINAL_ALEF),
        "proclitic_forms": sorted(affixes.PROCLITIC_FORMS),
        "pronoun_forms": sorted(affixes.PRONOUN_FORMS),
        "pronoun_taa_forms": sorted(affixes.PRONOUN_TAA_FORMS),
        "pronouns": list(affixes.PRONOUNS),
        "all_pronouns": list(affixes._ALL_PRONOUNS),
        "taa": affixes.TAA,
        "taa_marbuta": affixes.TAA_MARBUTA,
        "min_remainder": affixes.MIN_REMAINDER,
        "spellings": dict(hamza.SPELLINGS),
        "waw_seat": hamza._WAW_SEAT,
        "yeh_seat": hamza._YEH_SEAT,
        "line": hamza._LINE,
        "min_plural_stem": hamza._MIN_PLURAL_STEM,
    }


def core(fold_hamza_carriers: bool, stopwords_on: bool, max_term_length: int, max_cached_words: int):
    """A native core for the default stemmer, or None when the extension is not built or turned off."""
    if not enabled():
        return None
    chain = dict(rules(fold_hamza_carriers), max_term_length=max_term_length)
    if not stopwords_on:
        chain["stopwords"] = []
    return _native.Core(chain, max_cached_words)


def marking(rules: dict):
    """The native highlighter's marks, ellipses, bounds and escapes (search/highlight/ gives them); None when not built."""
    return None if _native is None else _native.Marking(rules)


def sketch(scheme: str, permutations, shingle_words: int, min_shingles: int, bands):
    """The native near-duplicate fingerprint for datasketch's `permutations` (a, b) and LSH `bands`
    (search/grouping gives them); None when not built or for a scheme it does not compute."""
    if _native is None or scheme != "affine32":
        return None
    a, b = permutations
    return _native.Sketch(a.tolist(), b.tolist(), shingle_words, min_shingles, list(bands), _SPACES)


def call(core, analyse, method: str, *args):
    """`core.method(*args)`, the pieces it hands back analysed by `analyse` (the Python chain's
    pieces_forms); None without a core, or when the Python chain must answer instead."""
    if core is None:
        return None
    try:
        out = getattr(core, method)(*args)
        if type(out) is set:
            out = getattr(core, method)(*args, analyse(list(out), {}))
            # A cache smaller than one call's pieces can empty itself while taking them in and
            # ask again for the ones it lost: the Python chain answers that rare call.
            if type(out) is set:
                return None
    except (RuntimeError, UnicodeEncodeError):  # in use by another thread (it takes no lock), or a lone surrogate
        return None
    return out
