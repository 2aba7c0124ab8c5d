"""Affixes that only the archive can tell from letters of the word: single proclitics and pronoun suffixes.

A single ب "with", ل "for" or ك "like" is written joined to the next word,
and so are the pronouns هم "their", نا "our", كم "your": بمدينة is ب + مدينة,
حكومتهم is حكومة + هم (the taa marbuta is written ت before a suffix). But
بعيد "far" is not ب + عيد "feast", لجنة "committee" is not ل + جنة
"paradise", تفاهم "understanding" is not تفا + هم. No rule on letters
separates them; the news archive does. scripts/build-affix-table.py lists
the forms whose remainder the archive attests far more often than the form
itself (data/affixes.txt); a form not listed keeps its letters.
"""
from __future__ import annotations

from pathlib import Path

from .hamza import final_seat
from .normalize import normalize

TABLE_PATH = Path(__file__).with_name("data") / "affixes.txt"
ARTICLE = "ال"
PROCLITICS = frozenset("بلك")
# Pronoun suffixes new to the chain, longest first. ها, ه, ي are light10
# suffixes already (search.arabic.stem); for them the table only decides
# whether to restore the taa marbuta.
PRONOUNS = ("هما", "كما", "هم", "هن", "كم", "كن", "نا")
_ALL_PRONOUNS = PRONOUNS + ("ها", "ه", "ي")
TAA = "ت"
TAA_MARBUTA = normalize("ة")
MIN_REMAINDER = 3  # as the stemmer's MIN_STEM: shorter remainders are nearly always damage

# Words that look like a proclitic or a pronoun plus a word but are one word:
# never listed, whatever the counts say (names above all: كمال is not ك + مال).
_PROTECTED_WORDS = """
بعيد بعيده بعيدا لجنه لجان كتاب كتابه بغداد بريطانيا بريطاني بريطانيه
لسان كيري ليلي كروس بانك بسام باير بيليه لوكاس كريم كامل كامله كمال بشار بشير
بلال لطيفه كندا لندن ليبيا بلديه بنك بكر بحر بدر كمبوديا كولومبيا بيرو
بحريه بطاقه
تفاهم مساهم دراهم محاكم اماكن مساكن احيانا كورونا فيينا اثينا سينا لينا
يتمكن تتمكن نتمكن سيتمكن ستتمكن
""".split()
PROTECTED: frozenset[str] = frozenset(normalize(w) for w in _PROTECTED_WORDS)


def proclitic_remainder(form: str) -> str | None:
    """What is left of a normalised word without a single leading ب/ل/ك, or None when that cannot be a proclitic."""
    rest = form[1:]
    if form[:1] in PROCLITICS and len(rest) >= MIN_REMAINDER and not rest.startswith(ARTICLE) and not form.startswith("لل"):
        return rest
    return None


def pronoun_split(form: str) -> tuple[str, str | None] | None:
    """(the word without its pronoun suffix, that word with its taa marbuta restored or None), or None."""
    for pronoun in _ALL_PRONOUNS:
        if form.endswith(pronoun) and len(form) - len(pronoun) >= MIN_REMAINDER:
            bare = form[: -len(pronoun)]
            if pronoun in PRONOUNS:
                bare = final_seat(bare, MIN_REMAINDER)  # ابناؤ(هم), ابنائ(هم) → ابناء
            restored = bare[:-1] + TAA_MARBUTA if bare.endswith(TAA) and len(bare) > MIN_REMAINDER else None
            return bare, restored
    return None


def is_pronoun(suffix: str) -> bool:
    return suffix in PRONOUNS


def _load(path: Path) -> dict[str, frozenset[str]]:
    sections: dict[str, set[str]] = {}
    current: set[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), set())
        elif current is not None:
            current.add(line)
    return {name: frozenset(forms - PROTECTED) for name, forms in sections.items()}


# Part of the chain (CHAIN_VERSION): a missing table must fail, never analyse differently.
_TABLE = _load(TABLE_PATH)
PROCLITIC_FORMS = _TABLE.get("proclitic", frozenset())
PRONOUN_FORMS = _TABLE.get("pronoun", frozenset())
PRONOUN_TAA_FORMS = _TABLE.get("pronoun-taa", frozenset())


def strip_proclitic(word: str) -> str:
    """`word` without its single proclitic where the archive says it is one (بمدينه → مدينه)."""
    return word[1:] if word in PROCLITIC_FORMS else word


def strip_pronoun(word: str) -> str:
    """`word` without its pronoun suffix where the archive says it is one, taa marbuta restored (حكومتهم → حكومه)."""
    if word in PRONOUN_TAA_FORMS:
        split = pronoun_split(word)
        return split[1] if split and split[1] else word
    if word in PRONOUN_FORMS:
        split = pronoun_split(word)
        return split[0] if split else word
    return word
