"""Light stemming: strip clitics and inflectional suffixes, never guess roots.

Several engines are kept so that the choice stays measurable (docs/relevance.md):

- ``fahras`` (default): stacked proclitics (و/ف + ب/ك/ل + ال, لل), single
  proclitics and pronoun suffixes where the archive attests them (affixes.py),
  one spelling of the hamza seats (hamza.py), the alef of tanween fath, the
  light10 suffixes, a minimum stem of three letters, and protected words;
- ``lucene``: the reference chain's stemmer (one light10 prefix, guards of two
  letters), reproduced to compare like with like;
- ``tashaphyne``, ``snowball``: the third-party engines, for comparison;
- ``none``: normalisation only.

Every engine takes a NORMALISED word and is a pure function of it, so results
are cached per distinct word (news vocabulary is Zipfian: a small cache serves
most tokens).
"""
from __future__ import annotations

import threading
from functools import lru_cache
from typing import Callable

from . import affixes, hamza
from .normalize import normalize

# Proclitics, longest first. A conjunction (و "and", ف "so") may precede a
# preposition (ب "with", ك "like", ل "for") and the article ال; ل + ال is written لل.
_ARTICLE_PREFIXES = tuple(
    sorted(
        {c + p + "ال" for c in ("", "و", "ف") for p in ("", "ب", "ك")}
        | {c + "لل" for c in ("", "و", "ف")},
        key=len,
        reverse=True,
    )
)
_CONJUNCTION = "و"
# light10's suffixes in its order (after ة→ه normalisation ية/ة read يه/ه):
# dual/plural, feminine, nisba, and the pronoun ها/ه.
SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")

# Arabic roots are mostly three letters: a shorter stem is nearly always damage
# (مكان→مك, بيان→بي), so stripping stops before it.
MIN_STEM = 3
# A final ائ is folded to اء only in stems this long: ابنائ(ه) → ابناء, كهربائ(ي) → كهرباء, not مائ(ة) "hundred" → ماء "water".
FINAL_SEAT_MIN_STEM = 5

# The indefinite accusative (tanween fath) is written with a final alef:
# عاماً/عاما "year", كبيراً "big", دولاراً "dollar", and normalisation has
# already removed its mark. Dropping that alef joins عاما to عام, فرنسا to
# فرنسي. It stays after و (the plural verb ending: كانوا) and ن (the pronoun
# "our, us": بلادنا), and on the closed class of function words ending in ما
# (عندما, مهما, بعدما are not عندم, مهم "important", بعدم "for lack of") and
# on عليا/دنيا (عليا is not علي, the name).
TANWEEN_ALEF = "ا"
_KEEPS_FINAL_ALEF_AFTER = frozenset("ون")
_KEEPS_FINAL_ALEF = frozenset(
    normalize(w)
    for w in "عندما بينما ربما فيما بعدما مهما حينما انما كلما طالما سيما لاسيما قلما ريثما كيفما اينما حيثما عليا دنيا".split()
)
# A bare و is taken for "and" only when three letters remain: ولد, وجد are words;
# four-letter words with a radical و (وزير, وطني) are in PROTECTED.
MIN_WORD_FOR_CONJUNCTION = 4

# Words whose first or last letters look like clitics but belong to the word.
# Light stemmers turn وزير into زير ("pot") and وزارة into زار ("visited"),
# فلسطين into فلسط, لبنان into لبن ("milk"), رئيسية ("main") into رئيس
# ("president"), مكتبة ("library") into مكتب ("office"). Normalised spellings.
_PROTECTED_WORDS = """
وزير وزيره وزراء وزاره وزارات وطن وطني وطنيه وفد وفود وفاه وقت وقف وضع ولايه ولايات
واشنطن وكاله وكالات ورقه وسط وصول واقع وثيقه وثائق وجود وجه وجهه وادي وعد وعود
وقائع وقود وحش وهم وحده وحيد وزن وسائل وسيله ورشه وظيفه وظائف وفق وفقا ولاء وارد واردات وكيل
وباء وديعه وعي واجب واجبات واضح واسع واحد واحده والد والده وليد ولاده وثائقي
فلسطين لبنان عمان ايران اليابان يابان السودان سودان اليونان يونان البلدان بلدان
سلطان انسان امان ميدان برلمان مكان زمان بيان بيانات قانون قوانين مليون ملايين
عنوان لون الوان ديوان حيوان طيران شبان جيران اخوان اعلان رمضان شعبان سليمان
عثمان عدنان حسين ياسين تنين تموين تكوين تامين سنين يمين دين
رئيسيه رئيسي مكتبه مكتبات جامعه جامعات الله
""".split()
PROTECTED: frozenset[str] = frozenset(normalize(w) for w in _PROTECTED_WORDS)


def strip_prefix(word: str) -> str:
    for prefix in _ARTICLE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix):]
    if word.startswith(_CONJUNCTION) and len(word) >= MIN_WORD_FOR_CONJUNCTION:
        return word[1:]
    return word


def _strip_tanween_alef(stem: str) -> str:
    if (
        stem.endswith(TANWEEN_ALEF)
        and len(stem) - 1 >= MIN_STEM
        and stem[-2] not in _KEEPS_FINAL_ALEF_AFTER
        and stem not in _KEEPS_FINAL_ALEF
    ):
        return stem[:-1]
    return stem


@lru_cache(maxsize=500_000)
def fahras_stem(word: str) -> str:
    """Stem a normalised word: proclitics, pronouns and light10 suffixes, hamza seats, protected words."""
    if word in PROTECTED or not word.isalpha():
        return word
    stem = strip_prefix(word)
    if stem in PROTECTED:
        return stem
    if len(stem) >= len(word) - 1:
        # No article was removed: a single ب/ل/ك may still be a proclitic (بمدينة, وبمدينة).
        stem = affixes.strip_proclitic(stem)
    stem = hamza.seat(affixes.strip_pronoun(stem))
    if stem in PROTECTED:
        return stem
    stem = _strip_tanween_alef(stem)
    if stem in PROTECTED:
        return stem
    for suffix in SUFFIXES:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= MIN_STEM:
            stem = stem[: -len(suffix)]
            if stem in PROTECTED:
                return stem
    return hamza.final_seat(stem, FINAL_SEAT_MIN_STEM)


# Letters of a stem that its written word may hold as another letter: the
# restored taa marbuta (حكومتهم → حكومه) and the folded hamza seats
# (مسئول → مسؤول, ابناؤهم → ابناء, شيء → شيئ). A stem is otherwise a
# substring of its normalised word; with يئ it may not be (شئ → شيئ).
WRITTEN_AS = {"ه": "ت", "ؤ": "ئ", "ء": "ؤئ", "ئ": "ء"}
NOT_A_SUBSTRING = ("يئ",)


# The reference chain (Lucene ArabicStemmer, after Larkey's light10).
_LUCENE_PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
_LUCENE_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي")


@lru_cache(maxsize=500_000)
def lucene_stem(word: str) -> str:
    """Stem like Lucene's ArabicStemmer: one prefix, then each suffix in turn, guards of two letters."""
    for prefix in _LUCENE_PREFIXES:
        if prefix == "و":
            if word.startswith(prefix) and len(word) > 3:
                word = word[1:]
                break
        elif word.startswith(prefix) and len(word) >= len(prefix) + 2:
            word = word[len(prefix):]
            break
    for suffix in _LUCENE_SUFFIXES:
        if word.endswith(suffix) and len(word) >= len(suffix) + 2:
            word = word[: -len(suffix)]
    return word


_tashaphyne = threading.local()


@lru_cache(maxsize=500_000)
def tashaphyne_stem(word: str) -> str:
    """Tashaphyne's ArabicLightStemmer; it keeps per-word state, so one instance per thread."""
    stemmer = getattr(_tashaphyne, "stemmer", None)
    if stemmer is None:
        from tashaphyne.stemming import ArabicLightStemmer

        stemmer = _tashaphyne.stemmer = ArabicLightStemmer()
    stem = stemmer.light_stem(word)
    return normalize(stem) or word


# Tashaphyne tuned for news: the light10 clitics and suffixes instead of its
# long default lists (which turn كتاب into تاب and كبير into بير), and stems of
# at least three letters.
_TUNED_PREFIXES = ["", "و", "ف", "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "وبال", "فبال"]
_TUNED_SUFFIXES = ["", "ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي", "هم", "هما", "كم", "نا"]


@lru_cache(maxsize=500_000)
def tashaphyne_tuned_stem(word: str) -> str:
    stemmer = getattr(_tashaphyne, "tuned", None)
    if stemmer is None:
        from tashaphyne.stemming import ArabicLightStemmer

        stemmer = _tashaphyne.tuned = ArabicLightStemmer()
        stemmer.set_prefix_list(_TUNED_PREFIXES)
        stemmer.set_suffix_list(_TUNED_SUFFIXES)
        stemmer.set_min_stem_length(3)
    stem = stemmer.light_stem(word)
    return normalize(stem) or word


_snowball = threading.local()


@lru_cache(maxsize=500_000)
def snowball_stem(word: str) -> str:
    """Snowball Arabic (as in Tantivy, Xapian, PostgreSQL); one stemmer object per thread."""
    stemmer = getattr(_snowball, "stemmer", None)
    if stemmer is None:
        import snowballstemmer

        stemmer = _snowball.stemmer = snowballstemmer.stemmer("arabic")
    return normalize(stemmer.stemWord(word)) or word


def no_stem(word: str) -> str:
    return word


STEMMERS: dict[str, Callable[[str], str]] = {
    "fahras": fahras_stem,
    "lucene": lucene_stem,
    "tashaphyne": tashaphyne_stem,
    "tashaphyne-tuned": tashaphyne_tuned_stem,
    "snowball": snowball_stem,
    "none": no_stem,
}
DEFAULT_STEMMER = "fahras"


def light_stem(word: str) -> str:
    """Stem a normalised word with the default engine."""
    return fahras_stem(word)
