"""Spellings of one name, learned from the archive with each generation: ترمب and ترامب, جوجل, غوغل and قوقل.

Foreign names reach Arabic by ear, so outlets spell them differently: a long
vowel written or not (ترمب/ترامب, نتنياهو/نتانياهو), a hamza seat, and the
letter chosen for a sound Arabic lacks (g: ج غ ق). Two frequent terms are taken
for spellings of one name when

- they have the same skeleton (consonants, once long vowels and hamza seats are
  set aside and letters of one sound merged): the skeleton is the blocking key,
  so candidates come from one dict, never from a scan of all pairs;
- the did-you-mean edit distance, with those edits priced cheap, is small;
- they look like names: seldom written with the article (الكتاب, الكاتب are
  words; nobody writes الترامب);
- they seldom share an article: an outlet keeps to one spelling, while two
  words of one skeleton (محمد, محمود) meet in many;
- the words around them are alike (cosine of their neighbours' stems).

Everything here is a pure function of the vocabulary and of two callables
that read the index (a term's contexts, two terms' shared articles), so the
build (build.py) wires them to a reader and the tests to a small corpus.
"""
from __future__ import annotations

import math
from collections import Counter
from typing import Callable, Iterable, Mapping

from .spelling import CHEAP, distance

# Both spellings in at least this many articles: rarer terms are mostly typos,
# and their contexts too thin to compare.
MIN_NAME_DF = 20
MIN_NAME_LENGTH = 4
# Letters set aside in a skeleton: long vowels and hamza, which outlets write or omit.
VOWELS = frozenset("اويءؤئ")
# Letters of one sound in foreign names (g: جوجل غوغل قوقل; t: ت ط; s: س ص ث; z: ز ذ ظ ض).
# Not ك: native words differ by it (يؤكد/يوجد).
SOUNDS = ("جغق", "تط", "سصث", "زذظض")
_SOUND = {ch: group[0] for group in SOUNDS for ch in group}
NAME_LIMIT = 1.0
# The article on at most this share of a name's articles.
MAX_ARTICLE_SHARE = 0.1
# At most this share of the rarer spelling's articles hold both.
MAX_SHARED = 0.15
# Contexts as alike as this: a long vowel written or not also tells apart
# native words of one root (نايف/نواف, two given names), so it needs more
# than a letter of one sound (جوجل/غوغل), which native words seldom differ by.
MIN_VOWEL_COSINE = 0.55
MIN_SOUND_COSINE = 0.3
# A form written with a verb's affixes this often is a verb (احرز: احرزت, يحرز; يؤكد: تؤكد), not a name.
VERB_FORMS = (("", "ت"), ("", "وا"), ("ي", ""), ("ت", ""))
PERSON_PREFIXES = {"ي": "تن", "ت": "ين"}
MIN_VERB_DF = 3
MAX_VARIANTS = 3

Contexts = Callable[[str], Counter]
Shared = Callable[[str, str], int]


def skeleton(term: str) -> str:
    """The consonants of `term`, each letter of one sound written as its group's first."""
    return "".join(_SOUND.get(ch, ch) for ch in term if ch not in VOWELS)


def _substitution(a: str, b: str) -> float:
    if a == b:
        return 0.0
    if (a in VOWELS and b in VOWELS) or (_SOUND.get(a, a) == _SOUND.get(b, b)):
        return CHEAP
    return 1.0


def _indel(ch: str) -> float:
    return CHEAP if ch in VOWELS else 1.0


def name_distance(a: str, b: str) -> float:
    """The did-you-mean distance with the edits of name spelling cheap: a long vowel, a hamza, a letter of one sound."""
    return distance(a, b, NAME_LIMIT, _substitution, _indel)


def name_like(term: str, frequency: Mapping[str, int]) -> bool:
    """A candidate name: a long enough word, not itself the article's, seldom written with it."""
    if len(term) < MIN_NAME_LENGTH or not term.isalpha() or term.isascii() or term.startswith("ال"):
        return False
    if verb_like(term, frequency):
        return False
    return frequency.get("ال" + term, 0) <= MAX_ARTICLE_SHARE * frequency[term]


def verb_like(term: str, frequency: Mapping[str, int], min_df: int = MIN_VERB_DF) -> bool:
    """Whether the archive writes `term` with a verb's affixes (احرزت, يحرز; تؤكد for يؤكد) at least `min_df` times."""
    if any(frequency.get(before + term + after, 0) >= min_df for before, after in VERB_FORMS):
        return True
    return any(frequency.get(p + term[1:], 0) >= min_df for p in PERSON_PREFIXES.get(term[0], ""))


def min_cosine(a: str, b: str) -> float:
    """The context similarity two spellings need: more when they differ by vowels only."""
    consonants = {ord(ch): None for ch in VOWELS}
    return MIN_VOWEL_COSINE if a.translate(consonants) == b.translate(consonants) else MIN_SOUND_COSINE


def _same_sound(a: str, b: str) -> bool:
    return _SOUND.get(a, a) == _SOUND.get(b, b)


def candidate_pairs(frequency: Mapping[str, int], bare: Callable[[str], bool] = lambda term: True) -> list[tuple[str, str]]:
    """Pairs of frequent name-like terms with one skeleton, within the name distance, the more frequent first.

    `bare` tells a term that is its own stem: a form with a clitic (وترامب)
    or an ending is left to the stemmer, which finds its stem's spellings.
    Both spellings begin and end with one sound: outlets differ inside a name.
    """
    groups: dict[str, list[str]] = {}
    for term, df in frequency.items():
        if df >= MIN_NAME_DF and name_like(term, frequency) and bare(term):
            groups.setdefault(skeleton(term), []).append(term)
    pairs = []
    for key, terms in groups.items():
        if len(terms) < 2 or len(key) < 2:
            continue
        terms.sort(key=lambda t: (-frequency[t], t))
        for i, a in enumerate(terms):
            for b in terms[i + 1:]:
                if (abs(len(a) - len(b)) <= 1 and _same_sound(a[0], b[0]) and _same_sound(a[-1], b[-1])
                        and name_distance(a, b) <= NAME_LIMIT):
                    pairs.append((a, b))
    return pairs


def cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    dot = sum(n * b[w] for w, n in a.items() if w in b)
    return dot / (math.sqrt(sum(n * n for n in a.values())) * math.sqrt(sum(n * n for n in b.values())))


def learn(
    frequency: Mapping[str, int], contexts: Contexts, shared: Shared, bare: Callable[[str], bool] = lambda term: True
) -> dict[str, tuple[str, ...]]:
    """Each name's other spellings in the archive, most frequent first, at most MAX_VARIANTS."""
    found: dict[str, list[str]] = {}
    context_of: dict[str, Counter] = {}
    for a, b in candidate_pairs(frequency, bare):
        if shared(a, b) > MAX_SHARED * min(frequency[a], frequency[b]):
            continue
        for t in (a, b):
            if t not in context_of:
                context_of[t] = contexts(t)
        if cosine(context_of[a], context_of[b]) < min_cosine(a, b):
            continue
        found.setdefault(a, []).append(b)
        found.setdefault(b, []).append(a)
    return {t: tuple(sorted(v, key=lambda s: (-frequency[s], s))[:MAX_VARIANTS]) for t, v in found.items()}


def neighbours(term: str, documents: Iterable[tuple[list[str], list[str]]], window: int = 2) -> Counter:
    """The stems within `window` positions of each occurrence of `term` (an exact form) in analysed documents.

    `documents` are (stems, exacts) per document; the term itself is not its own context."""
    out: Counter = Counter()
    for stems, exacts in documents:
        # list.index finds the occurrences at C speed: a term is rare in an article.
        i = exacts.index(term) if term in exacts else -1
        while i >= 0:
            for j in range(max(0, i - window), min(len(stems), i + window + 1)):
                if j != i and exacts[j] != term:
                    out[stems[j]] += 1
            try:
                i = exacts.index(term, i + 1)
            except ValueError:
                i = -1
    return out


FILE = "names.tsv"


def save(generation, frequency: Mapping[str, int], variants: Mapping[str, tuple[str, ...]]) -> None:
    """The generation's frequent Arabic words (Latin names are read against them) with their learned spellings."""
    with open(generation / FILE, "w", encoding="utf-8") as f:
        for term in sorted(frequency):
            if frequency[term] >= MIN_NAME_DF and term.isalpha() and not term.isascii():
                f.write("\t".join((term, str(frequency[term]), *variants.get(term, ()))) + "\n")


class Names:
    """A generation's frequent Arabic words (document frequencies) and each name's other spellings."""

    def __init__(self, rows: Iterable[tuple[str, int, tuple[str, ...]]] = ()) -> None:
        self.frequency: dict[str, int] = {}
        self.variants: dict[str, tuple[str, ...]] = {}
        for term, df, spellings in rows:
            self.frequency[term] = df
            if spellings:
                self.variants[term] = spellings

    @classmethod
    def load(cls, generation) -> "Names":
        """The names of a generation (none for one built without them)."""
        try:
            with open(generation / FILE, encoding="utf-8") as f:
                rows = [line.rstrip("\n").split("\t") for line in f]
        except (FileNotFoundError, NotADirectoryError, TypeError):
            return cls()
        return cls((r[0], int(r[1]), tuple(r[2:])) for r in rows if len(r) >= 2 and r[1].isdigit())
