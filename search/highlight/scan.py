"""The words of a text that a query marks: those with a term whose stem or exact form is the query's.

`matches` finds the same words as a walk over every term of the text, by a
cheaper scan; `chunk_matches` is the walk itself, in C-level passes.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import accumulate, compress, repeat
from operator import itemgetter, or_

from ..analysis import AnalysisConfig, Analyzer
from ..arabic.codepoints import ARABIC_LETTERS, SCANNED_DIGIT_ZEROS, TATWEEL, codes, regex_class, scanned_digits
from ..arabic.normalize import _BASE_TABLE, _HAMZA_TABLE
from ..arabic.stem import NOT_A_SUBSTRING, WRITTEN_AS
from ..arabic.tokenize import WORD_RE
from ..query import QueryPlan

# The tokenizer's words as one capturing group: re.split keeps them between the gaps.
_WORD_SPLIT_RE = re.compile(f"({WORD_RE.pattern})")
_WORD_FULLMATCH = WORD_RE.fullmatch
_WORD_FINDITER = WORD_RE.finditer
# Stemmers that only cut prefixes and suffixes off: a stem is a substring of its word.
_SUBSTRING_STEMMERS = frozenset({"fahras", "lucene", "none"})
# Stems the scan can look for: Arabic letters, digits (written in any of the
# three digit sets) and Latin letters (written in either case).
_SCANNABLE_STEM_RE = re.compile(f"[{regex_class(ARABIC_LETTERS)}0-9a-z]+")
_DIGITS = {str(d): f"[{scanned_digits(d)}]" for d in range(10)}
_LATIN = {c: f"[{c}{c.upper()}]" for c in "abcdefghijklmnopqrstuvwxyz"}
# Characters outside these classes that casefold into Latin letters (ß -> ss,
# İ -> i and a dot the normaliser removes): every such character that NFKC
# keeps (tests/test_highlight_scan.py derives the list); `in` finds them
# several times faster than a pattern would.
_CASEFOLDS_TO_LATIN = ("ß", "ẞ", "İ", "ǰ", "ẖ", "ẗ", "ẘ", "ẙ")
# Removed marks the scan allows between letters: harakat and tatweel (two runs
# of code points compile fast). Not the Arabic-Indic digits that follow them:
# a digit that may be read as a mark or as itself gave a run of n digits 2^n
# ways to match a stem of digits. The superscript alef beyond them is rare
# enough to send its text to the whole analysis...
_MARK_CLASS = f"[{regex_class(TATWEEL)}\u064b-\u065f]"
_MARKS = _MARK_CLASS + "*"
# ...and a text with any other character that normalisation removes (Quranic
# marks, joiners, bidi controls, Latin combining marks) or turns into an Arabic
# letter from outside the Arabic letters' block (ٱ, ی, ک, ہ, ...), or a digit
# of a set the scan does not match (Devanagari ५, ...), is analysed whole.
_ARABIC_LETTER_CODES = frozenset(codes(ARABIC_LETTERS))
_SCANNED_DIGIT_CODES = frozenset(zero + d for zero in SCANNED_DIGIT_ZEROS for d in range(10))
_UNUSUAL = frozenset(
    chr(code)
    for code, value in {**_BASE_TABLE, **_HAMZA_TABLE}.items()
    if (value is None and not re.fullmatch(_MARK_CLASS, chr(code)))
    or (value is not None and ord(value[0]) in _ARABIC_LETTER_CODES and code not in _ARABIC_LETTER_CODES)
    or (value is not None and value.isdigit() and code not in _SCANNED_DIGIT_CODES)
)
# One class of those in the Basic Multilingual Plane: `re` tests it with a
# bitmap. Beyond it (astral digits and letters), a class is a list of ranges
# tried one by one at every character (over a millisecond per text): a text is
# searched for astral characters (one range), and only those are looked up.
_UNUSUAL_RE = re.compile("[" + "".join(re.escape(ch) for ch in sorted(_UNUSUAL) if ch <= "\uffff") + "]")
_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")


def _unusual(text: str) -> bool:
    return _UNUSUAL_RE.search(text) is not None or not _UNUSUAL.isdisjoint(_ASTRAL_RE.findall(text))


def matches(text: str, plan: QueryPlan, analyzer: Analyzer) -> list[tuple[int, int]]:
    """[start, end) of every written word with a term whose stem or exact form is the query's.

    The same words as a walk over `analyzer.terms(text)`, without analysing
    the whole text: a cheap scan for the letters of the query's stems, as they
    may be written, finds every space-delimited piece that can hold a match;
    pieces are looked up in the analyzer's cache, and only a piece of several
    words (or with punctuation) that matches is split into its words.
    """
    stems, exacts = plan.stems, plan.exacts
    finder = _finder(tuple(stems), analyzer.config)
    stems, exacts = set(stems), set(exacts)
    if (
        finder is None
        or _unusual(text)
        or not unicodedata.is_normalized("NFKC", text)
        or any(ch in text for ch in _CASEFOLDS_TO_LATIN)
    ):
        return chunk_matches(text, 0, stems, exacts, analyzer)
    # No word holds a space, so a piece cut at spaces holds whole words; a
    # match runs to the end of its piece, and starts somewhere inside it.
    found = [(text.rfind(" ", 0, m.start()) + 1, m.end()) for m in finder.finditer(text)]
    if not found:
        return []
    starts, ends = zip(*found)
    pieces = [text[s:e] for s, e in zip(starts, ends)]
    spans: list[tuple[int, int]] = []
    for start, end, piece, form in zip(starts, ends, pieces, analyzer.forms_of(pieces)):
        if not form:
            continue
        stem, exact = form
        if " " in stem:  # several words with terms: look at each
            spans.extend(chunk_matches(piece, start, stems, exacts, analyzer))
        elif stem in stems or exact in exacts:
            # A piece of letters alone is one word (isalpha is the cheap common case).
            if piece.isalpha() or _WORD_FULLMATCH(piece):
                spans.append((start, end))
            else:
                # Punctuation around one word, «الحكومة», is the usual case: mark the word alone.
                words = list(_WORD_FINDITER(piece))
                if len(words) == 1:
                    spans.append((start + words[0].start(), start + words[0].end()))
                else:
                    spans.extend(chunk_matches(piece, start, stems, exacts, analyzer))
    return spans


def chunk_matches(text: str, offset: int, stems: set[str], exacts: set[str], analyzer: Analyzer) -> list[tuple[int, int]]:
    """The matching words of `text` (offsets shifted by `offset`), in C-level passes.

    One split gives the words and the gaps between them (offsets are running
    sums of their lengths), and each distinct word is looked up once in the
    analyzer's cache of space-joined forms.
    """
    parts = _WORD_SPLIT_RE.split(text)  # gap, word, gap, word, ..., gap
    words = parts[1::2]
    if not words:
        return []
    distinct = list(set(words))
    forms = analyzer.forms_of(distinct)
    kept = list(compress(distinct, forms))  # words that yield terms
    forms = list(filter(None, forms))
    word_stems = list(map(itemgetter(0), forms))
    word_exacts = list(map(itemgetter(1), forms))
    hits = set(compress(kept, map(or_, map(stems.__contains__, word_stems), map(exacts.__contains__, word_exacts))))
    # A word with several terms has them space-joined: look at each one.
    for i in compress(range(len(kept)), map(str.__contains__, word_stems, repeat(" "))):
        if not stems.isdisjoint(word_stems[i].split(" ")) or not exacts.isdisjoint(word_exacts[i].split(" ")):
            hits.add(kept[i])
    if not hits:
        return []
    ends = list(accumulate(map(len, parts), initial=offset))
    # Word k is parts[2k + 1]: it spans from the end of parts[2k] to its own end.
    return [(ends[2 * k + 1], ends[2 * k + 2]) for k in compress(range(len(words)), map(hits.__contains__, words))]


@lru_cache(maxsize=4096)
def _finder(stems: tuple[str, ...], config: AnalysisConfig) -> re.Pattern | None:
    """A pattern found in every written word whose normalised form holds one of `stems`; None if unsure.

    Each letter may be written as any character that normalises to it, with
    harakat and tatweel between letters. Valid only for stemmers that cut
    affixes off (a stem is part of its normalised word), for stems of Arabic
    letters, digits and Latin letters, and for NFKC text without other removed
    marks (the caller checks).
    """
    if config.stemmer not in _SUBSTRING_STEMMERS or not getattr(config, "normalize", True) or not stems:
        return None
    if not all(_SCANNABLE_STEM_RE.fullmatch(stem) for stem in stems):
        return None
    if any(part in stem for stem in stems for part in NOT_A_SUBSTRING):
        return None
    letter = {**_DIGITS, **_LATIN, **_written_letters(config.fold_hamza_carriers)}
    alternatives = (
        _MARKS.join(letter.get(ch, ch) for ch in stem) for stem in sorted(set(stems), key=len, reverse=True)
    )
    # The rest of the piece is part of the match: one match per piece at most.
    return re.compile("(?:" + "|".join(alternatives) + ")[^ ]*")


@lru_cache(maxsize=2)
def _written_letters(fold_hamza_carriers: bool) -> dict[str, str]:
    """Letter -> a character class of every Arabic letter that normalises to it (where there are several)."""
    table = _HAMZA_TABLE if fold_hamza_carriers else _BASE_TABLE
    written: dict[str, set[int]] = {}
    for code, value in table.items():
        if value is not None and "\u0621" <= value <= "\u064a" and "\u0621" <= chr(code) <= "\u064a":
            written.setdefault(value, {ord(value)} if ord(value) not in table else set()).add(code)
    for letter, others in WRITTEN_AS.items():
        written.setdefault(letter, {ord(letter)}).update(map(ord, others))
    return {ch: _compact_class(codes) for ch, codes in written.items()}


def _compact_class(codes: set[int]) -> str:
    # The regex compiler turns a class of three or more runs of code points
    # beyond Latin-1 into a 64K bitmap, a millisecond per query; one range over
    # them all (أ إ آ ا -> آ-ا, which also takes in ؤ ئ) is only a wider net.
    ordered = sorted(codes)
    runs = 1 + sum(1 for a, b in zip(ordered, ordered[1:]) if b != a + 1)
    if runs > 2:
        return f"[{chr(ordered[0])}-{chr(ordered[-1])}]"
    return "[" + "".join(map(chr, ordered)) + "]"
