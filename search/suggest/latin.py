"""Latin-script names read in Arabic letters and matched against the archive's own names: trump → ترامب, gaza → غزة.

A reader types a foreign name as it is spelt in English; the archive writes
it as outlets heard it. Each Latin letter or digraph stands for a few Arabic
letters (LETTERS, with a cost for the less usual readings), and a vowel is
written as a long vowel or not at all (VOWELS). A Latin word matches an
archive term when some reading spells the term (an alignment, priced by
dynamic programming); the cheapest reading wins, then the most frequent term.

Candidates are the generation's frequent names (names.Names): a word written
with the article about as often as without it is a common word (قرية,
القرية), however close its letters, so only terms seldom written with the
article (people, brands) or nearly always (places: الكويت, اليمن) are read.
They are found through a coarse key, the term's consonants by sound class,
so a query never scans the vocabulary.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Mapping

from .names import verb_like

# Latin unit -> (Arabic letters, cost). Normalised Arabic: ا for أ إ آ, ه for ة, ي for ى.
LETTERS: dict[str, tuple[tuple[str, float], ...]] = {
    "b": (("ب", 0),), "p": (("ب", 0),), "f": (("ف", 0),), "v": (("ف", 0),), "ph": (("ف", 0),),
    "t": (("ت", 0), ("ط", 0.3)), "th": (("ث", 0), ("ت", 0.2), ("ذ", 0.3)),
    "d": (("د", 0), ("ض", 0.3)), "dh": (("ذ", 0), ("ظ", 0.2), ("ض", 0.3)),
    "j": (("ج", 0),), "g": (("غ", 0), ("ج", 0), ("ق", 0.3), ("ك", 0.5)), "gh": (("غ", 0),),
    "k": (("ك", 0), ("ق", 0.3)), "kh": (("خ", 0),), "ck": (("ك", 0),), "q": (("ق", 0), ("ك", 0.3)),
    "c": (("ك", 0), ("س", 0.3), ("ق", 0.5)), "ch": (("تش", 0), ("ش", 0.2), ("ك", 0.3)),
    "s": (("س", 0), ("ص", 0.3), ("ز", 0.3)), "sh": (("ش", 0),), "z": (("ز", 0), ("ظ", 0.5)), "x": (("كس", 0),),
    "h": (("ه", 0), ("ح", 0), ("", 0.5)), "l": (("ل", 0),), "m": (("م", 0),), "n": (("ن", 0),), "r": (("ر", 0),),
    "w": (("و", 0),), "y": (("ي", 0),),
}
# Vowels: a long vowel, or nothing (short vowels are not written, at a cost:
# foreign names are mostly written with their vowels long).
OMITTED = 0.5
VOWELS: dict[str, tuple[tuple[str, float], ...]] = {
    "a": (("ا", 0), ("", OMITTED)), "e": (("ي", 0.2), ("", 0.3), ("ا", 0.5)), "i": (("ي", 0), ("", OMITTED)),
    "o": (("و", 0), ("", OMITTED), ("ا", 0.6)), "u": (("و", 0), ("ا", 0.3), ("", OMITTED)), "y": (("ي", 0),),
    "ee": (("ي", 0),), "ea": (("ي", 0),), "ie": (("ي", 0),), "ey": (("ي", 0),), "oo": (("و", 0),), "ou": (("و", 0),),
    "ai": (("ي", 0), ("اي", 0)), "ay": (("ي", 0), ("اي", 0)), "ei": (("ي", 0), ("اي", 0)),
    "au": (("و", 0), ("او", 0)), "aw": (("و", 0), ("او", 0)), "oa": (("و", 0),),
}
# A word's last vowel: also ة (gaza → غزة) or nothing (george → جورج).
FINAL = {"a": (("ه", 0), ("ي", 0.6)), "e": (("", 0), ("ه", 0.3)), "i": (("ي", 0),), "y": (("ي", 0),)}
# A word's first vowel is carried by alef, or by ain (iraq → العراق, oman → عمان).
INITIAL_SEATS = (("ا", 0), ("ع", 0.3))
MAX_COST = 0.8
MIN_LATIN_LENGTH = 3
MAX_LATIN_LENGTH = 20
# Article share (with ال / all) of a name: a person or brand seldom has it, a place nearly always.
PERSON_SHARE, PLACE_SHARE = 0.1, 0.9

# Sound classes of the coarse key; letters not listed (long vowels, hamza, ain, h) are left out of it.
_CLASS = {ch: cls for cls, letters in {"B": "ب", "T": "تطث", "K": "جغقكخ", "D": "دضذظز", "S": "سصش", "F": "ف",
                                        "L": "ل", "M": "م", "N": "ن", "R": "ر"}.items() for ch in letters}
_LATIN = re.compile(r"[a-z]+")
_UNITS = sorted({*LETTERS, *VOWELS}, key=len, reverse=True)


# key() as one str.translate (50,000 names in milliseconds): ASCII and the other Arabic letters
# deleted; what is left that is not ASCII (letters of other blocks) is keyed by key() itself.
_KEY = {**{c: None for c in [*range(0x80), *range(0x600, 0x700)]}, **{ord(ch): cls for ch, cls in _CLASS.items()}}


def key(arabic: str) -> str:
    return "".join(_CLASS.get(ch, "") for ch in arabic)


def fast_key(arabic: str) -> str:
    """key(arabic), faster."""
    k = arabic.translate(_KEY)
    return k if k.isascii() else key(arabic)


def _options(word: str, i: int, unit: str) -> tuple[tuple[str, float], ...]:
    if unit in LETTERS and not (unit == "y" and 0 < i and (i + 1 == len(word) or word[i + 1] not in "aeiou")):
        options = LETTERS[unit]
        if i and word[i - 1] == unit[0] and len(unit) == 1:  # a doubled consonant is one letter
            options = (("", 0),) + options
        return options
    options = VOWELS.get(unit, ())
    if i + len(unit) == len(word) and unit in FINAL:
        # A final e is silent or ة, never ي: europe is اوروبا, not الاوروبي.
        options = FINAL[unit] if unit == "e" else options + FINAL[unit]
    if i == 0:  # the first vowel needs a seat
        options = tuple((seat + a, c + sc) for seat, sc in INITIAL_SEATS for a, c in options)
    return options


def _units(word: str, i: int) -> list[str]:
    return [u for u in _UNITS if word.startswith(u, i)]


def cost(word: str, term: str) -> float:
    """The cheapest reading of the Latin `word` that spells `term` (an article before it is free); > MAX_COST: none."""
    starts = [0, 2] if term.startswith("ال") else [0]

    @lru_cache(maxsize=None)
    def best(i: int, j: int) -> float:
        if i == len(word):
            return 0.0 if j == len(term) else MAX_COST + 1
        out = MAX_COST + 1
        for unit in _units(word, i):
            for letters, c in _options(word, i, unit):
                if term.startswith(letters, j):
                    out = min(out, c + best(i + len(unit), j + len(letters)))
        return out

    return min(best(0, j) for j in starts)


def keys(word: str, limit: int = 256) -> set[str]:
    """The coarse keys of every reading of `word` (at most `limit`)."""
    @lru_cache(maxsize=None)
    def rest(i: int) -> frozenset[str]:
        if i == len(word):
            return frozenset({""})
        out: set[str] = set()
        for unit in _units(word, i):
            for letters, _ in _options(word, i, unit):
                head = key(letters)
                out.update(head + tail for tail in rest(i + len(unit)))
                if len(out) > limit:
                    return frozenset(out)
        return frozenset(out)

    return set(rest(0))


def is_latin_name(word: str) -> bool:
    return MIN_LATIN_LENGTH <= len(word) <= MAX_LATIN_LENGTH and bool(_LATIN.fullmatch(word))


def readable(term: str, frequency: Mapping[str, int]) -> bool:
    """A term a Latin name may stand for: a name by its use of the article (module docstring)."""
    if term.startswith("ال"):
        bare, article = frequency.get(term[2:], 0), frequency[term]
    else:
        bare, article = frequency[term], frequency.get("ال" + term, 0)
    share = article / (bare + article)
    # A word the archive also writes as a verb (ترقي beside يرقي) is no name, whatever its article.
    return (share <= PERSON_SHARE or share >= PLACE_SHARE) and not verb_like(term, frequency, 1)


class LatinNames:
    """The archive's names by coarse key, to read Latin words against."""

    def __init__(self, frequency: Mapping[str, int]) -> None:
        self.frequency = frequency
        self._by_key: dict[str, list[str]] = {}
        # Whether a term may be read (readable()) is judged when a lookup first reaches it: built
        # on the first Latin word of a process, judging every name took 0.2-0.5 s of its CPU.
        self._readable: dict[str, bool] = {}
        for term in frequency:
            if term.isalpha() and not term.isascii() and len(term) >= MIN_LATIN_LENGTH:
                # With the article and without: al jazeera, and kuwait for الكويت.
                for k in {fast_key(term), fast_key(term[2:]) if term.startswith("ال") else ""} - {""}:
                    self._by_key.setdefault(k, []).append(term)

    def _is_readable(self, term: str) -> bool:
        judged = self._readable.get(term)
        if judged is None:
            judged = self._readable[term] = readable(term, self.frequency)
        return judged

    def read(self, word: str) -> str | None:
        """The archive's spelling of the Latin name `word`, or None when no reading matches a name."""
        word = word.lower()
        if not is_latin_name(word):
            return None
        found = []
        for k in keys(word):
            for term in self._by_key.get(k, ()):
                if not self._is_readable(term):
                    continue
                c = cost(word, term)
                if c <= MAX_COST:
                    found.append((c, -self.frequency[term], term))
        return min(found)[2] if found else None
