#!/usr/bin/env python3
"""Build search/arabic/data/affixes.txt: which single proclitics and pronoun suffixes to strip, learned from news.

    scripts/build-affix-table.py [CORPUS.jsonl.gz ...]    # default: the three corpora of ../shared/data/news

A single ب, ل or ك, or a pronoun suffix (هم هن هما كم كن كما نا), cannot be
told from a letter of the word by its shape: بمدينة is ب + مدينة but بعيد is
not ب + عيد, حكومتهم is حكومة + هم but تفاهم is not تفا + هم. The archive
decides: a form is listed when what remains is attested far more often than
the form itself, and never for a word of search.arabic.affixes.PROTECTED.
For a proclitic both are counted as written (بمدينة against مدينة); a word
with a pronoun never takes the article, so its remainder also counts with it
(بلادنا against بلاد and البلاد), provided it is a frequent word on its own
(else التزام would make تزام+نا a word). Only the decisions are written (one form a
line), never the text. Rebuilding changes what terms a text produces: bump
CHAIN_VERSION (search/analysis.py) with the new table.
"""
from __future__ import annotations

import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search.arabic import affixes  # noqa: E402
from search.arabic.normalize import normalize  # noqa: E402
from search.arabic.stem import strip_prefix  # noqa: E402
from search.arabic.stopwords import STOPWORDS  # noqa: E402
from search.arabic.tokenize import WORD_RE  # noqa: E402

NEWS = ROOT.parent / "shared" / "data" / "news"
CORPORA = ["antcorpus-v1.1.jsonl.gz", "antcorpus-v2.1-multisource.jsonl.gz", "saudinewsnet.jsonl.gz"]
ARABIC_WORD = re.compile("[\u0621-\u064a]+")
# A form seen fewer times is too rare to decide on (and to be searched for).
MIN_FORM_COUNT = 3
# "Far more often": the remainder at least this many times as often as the whole form.
RATIO = 2.0
# The remainder of a pronoun form must be a word of its own this often.
MIN_REMAINDER_COUNT = 20


def count_words(paths: list[Path]) -> Counter:
    pieces: Counter = Counter()
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                doc = json.loads(line)
                for text in (doc.get("title") or "", doc.get("body") or ""):
                    pieces.update(text.split())
    words: Counter = Counter()
    for piece, n in pieces.items():
        for word in WORD_RE.findall(piece):
            for form in normalize(word).split():
                words[form] += n
    return words


def decide(words: Counter) -> dict[str, list[str]]:
    def attested(x: str) -> int:
        if words.get(x, 0) < MIN_REMAINDER_COUNT:
            return 0
        return words[x] + words.get(affixes.ARTICLE + x, 0)

    def listed(form: str) -> bool:
        # Only forms the stemmer meets as they are: not those it strips of an article or a conjunction first.
        return (
            words[form] >= MIN_FORM_COUNT
            and ARABIC_WORD.fullmatch(form) is not None
            and form not in STOPWORDS
            and form not in affixes.PROTECTED
            and strip_prefix(form) == form
        )

    table: dict[str, list[str]] = {"proclitic": [], "pronoun": [], "pronoun-taa": []}
    for form in words:
        if not listed(form):
            continue
        rest = affixes.proclitic_remainder(form)
        if rest and rest not in STOPWORDS and words.get(rest, 0) >= RATIO * words[form]:
            table["proclitic"].append(form)
        split = affixes.pronoun_split(form)
        if split is None:
            continue
        bare, restored = split
        # Restore the taa marbuta where the archive writes the word with it (حكومت+هم → حكومة),
        # not where ت is a letter of the word (ثابت+ه, بيت+ه).
        if restored and attested(restored) >= max(attested(bare), MIN_REMAINDER_COUNT) and attested(restored) >= RATIO * words[form]:
            table["pronoun-taa"].append(form)
        elif bare and bare not in STOPWORDS and affixes.is_pronoun(form[len(bare):]):
            if attested(bare) >= max(MIN_REMAINDER_COUNT, RATIO * words[form]):
                table["pronoun"].append(form)
    return table


def main(argv: list[str]) -> None:
    paths = [Path(p) for p in argv] or [NEWS / name for name in CORPORA]
    table = decide(count_words(paths))
    lines = [f"# Learned by scripts/build-affix-table.py from {len(paths)} news corpora; one normalised form a line."]
    for section, forms in table.items():
        lines.append(f"[{section}]")
        lines.extend(sorted(forms))
    affixes.TABLE_PATH.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(", ".join(f"{k}: {len(v)}" for k, v in table.items()), "->", affixes.TABLE_PATH)


if __name__ == "__main__":
    main(sys.argv[1:])
