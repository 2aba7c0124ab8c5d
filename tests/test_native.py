"""The native analysis core gives exactly what the Python chain gives: terms, positions, offsets and indexed forms."""
from __future__ import annotations

import os
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.analysis import AnalysisConfig, Analyzer, _joined_forms, analyze_document
from search.arabic import native
from search.arabic.normalize import normalize

from .conftest import SHARED_DATA

built = pytest.mark.skipif(native._native is None, reason="the native core is not built (no Rust compiler)")


def analyzers(config: AnalysisConfig = AnalysisConfig(), monkeypatch=None) -> tuple[Analyzer, Analyzer]:
    """(the Python chain, the native core) for one configuration, each with a cache of its own."""
    saved = os.environ.get("FAHRAS_NATIVE")
    try:
        os.environ["FAHRAS_NATIVE"] = "0"
        python = Analyzer(config)
        os.environ["FAHRAS_NATIVE"] = "1"
        fast = Analyzer(config)
    finally:
        os.environ.pop("FAHRAS_NATIVE") if saved is None else os.environ.__setitem__("FAHRAS_NATIVE", saved)
    assert not python.native and fast.native
    return python, fast


def test_native_core_is_built_where_expected():
    # The Makefile's test target sets this after an install that had a Rust compiler.
    if os.environ.get("FAHRAS_EXPECT_NATIVE") != "1":
        pytest.skip("FAHRAS_EXPECT_NATIVE is not set")
    assert native._native is not None, "search.arabic._native did not build or does not import"
    assert Analyzer().native or os.environ.get("FAHRAS_NATIVE") == "0"


def test_fahras_native_0_forces_the_python_chain(monkeypatch):
    monkeypatch.setenv("FAHRAS_NATIVE", "0")
    assert not Analyzer().native


def test_other_stemmers_and_raw_analysis_stay_in_python():
    assert not Analyzer(AnalysisConfig(stemmer="lucene")).native
    assert not Analyzer(AnalysisConfig(normalize=False)).native


@built
def test_every_pair_of_safe_characters_normalises_as_its_two_characters():
    # What makes a lookup per character exact: NFKC neither composes nor
    # reorders anything that survives normalisation.
    for fold in (False, True):
        core = native.core(fold, True, 40, 10)
        safe = native.rules(fold)["safe"]
        pairs = [a + b for a in safe for b in safe]
        expected = normalize("\n".join(pairs), fold).split("\n")
        assert [core.normalize(p) for p in pairs] == expected
        assert all(unicodedata.normalize("NFKC", ch) == ch for ch in safe)


@built
def test_pieces_with_other_characters_are_analysed_in_python():
    python, fast = analyzers()
    text = "ﷺ قال ﻻ café Ⅻ مدرسةٌ ١٢ ०१ 𝐀bc \ufdfa"
    assert fast.terms(text) == python.terms(text)
    assert fast.word_forms(text) == python.word_forms(text)
    assert "صلي" in fast.index_forms(text)[1]  # ﷺ expands to four words, in Python


@built
def test_reference_examples():
    python, fast = analyzers()
    for text in ("وبالمدرسة الكبيرة", "عبدالله", "كتاب‌جديد", "و‌تعد", "مسئول شئون ابناؤهم", "عاماً", "بـ4 2024م ٣٠٪"):
        assert fast.terms(text) == python.terms(text)
    assert [t.stem for t in fast.terms("والحسن بالحسن للاخر زوجها")] == ["حسن", "حسن", "اخر", "زوج"]


def _compare(python: Analyzer, fast: Analyzer, text: str) -> int:
    terms = python.terms(text)
    assert fast.terms(text) == terms
    assert fast.word_forms(text) == python.word_forms(text)
    assert fast.index_forms(text) == python.index_forms(text)
    assert fast.forms_of(text.split()) == python.forms_of(text.split())
    assert _joined_forms(text, fast) == _joined_forms(text, python)
    return len(terms)


# Mostly what the native core handles, and what it must hand back: marks that
# compose, presentation forms, ligatures, other digits, astral letters.
ALPHABET = (
    [chr(c) for c in range(0x0600, 0x0700)]
    + list("\u200b\u200c\u200d\u200e\u200f\u202b\u202e\u2066\ufeff \n\t\xa0\u3000\"'*:^[]()«»“”_-.,،؛؟")
    + list("abcXYZ0123456789éİßﷺﻻ\ufdfa०𝐀\u0301")
    + ["عبد", "ال", "وال", "بال", "لل", "هم", "ها", "ات", "ون", "ين", "ئو", "يء", "شئ", "ا"]
)
text = st.one_of(st.lists(st.sampled_from(ALPHABET), max_size=60).map("".join), st.text(max_size=40))
CONFIGS = [AnalysisConfig(), AnalysisConfig(fold_hamza_carriers=True), AnalysisConfig(stopwords=False)]
PAIRS = {}


def _pair(config: AnalysisConfig) -> tuple[Analyzer, Analyzer]:
    if config not in PAIRS:
        PAIRS[config] = analyzers(config)
    return PAIRS[config]


@built
@settings(max_examples=400)
@given(st.lists(text, min_size=1, max_size=4), st.sampled_from(CONFIGS))
def test_random_text_gives_the_same_terms(texts, config):
    python, fast = _pair(config)
    for t in texts:  # several texts per analyzer: the caches are part of what is tested
        _compare(python, fast, t)


@built
@given(st.lists(text, min_size=1, max_size=6))
def test_a_small_cache_that_empties_gives_the_same_terms(texts):
    python, fast = analyzers()
    fast.max_cached_words = 3
    for t in texts:
        _compare(python, fast, t)


@built
@pytest.mark.parametrize("earlier, words", [
    # '³' is cached, then '¹' (handed to Python: NFKC changes it) fills the cache, which empties and loses '³'
    (["³"], ["¹", "³", "0"]),
    (["³", "²"], ["¹", "²", "³", "0", "ﷺ"]),
    ([], ["¹", "²", "³", "⁴", "⁵", "ﻻ"]),
])
def test_a_cache_that_empties_while_taking_in_handed_back_pieces_still_gives_forms(earlier, words):
    python, fast = analyzers()
    fast.max_cached_words = 1
    fast.forms_of(earlier)
    assert fast.forms_of(words) == python.forms_of(words)
    assert fast.word_forms(" ".join(words)) == python.word_forms(" ".join(words))


@built
@pytest.mark.native_corpus
def test_every_news_article_gives_the_same_terms_and_fingerprint():
    from indexer.sources import read_records
    from search import grouping

    files = sorted((SHARED_DATA / "news").glob("*.jsonl.gz"))
    if not files:
        pytest.skip(f"real data not available: no news corpora in {SHARED_DATA / 'news'} (set FAHRAS_SHARED_DATA)")
    python, fast = analyzers()
    sketch = grouping._sketch(grouping.DEFAULT_GROUPING, True)
    documents = terms = signed = 0
    for path in files:
        for record in read_records(path):
            doc = record.document
            if doc is None:
                continue
            documents += 1
            for field in (doc.title, doc.body):
                found = fast.terms(field)
                expected = python.terms(field)
                assert found == expected, (doc.id, next(pair for pair in zip(found, expected) if pair[0] != pair[1]))
                terms += len(expected)
            analysed = analyze_document(doc, python)
            assert analyze_document(doc, fast) == analysed, doc.id
            # The fingerprint: datasketch's signature and band keys against the native core's.
            body = grouping.body_exact(analysed)[1]
            signature = grouping.minhash_of(body)
            assert sketch.signature(body) == signature, doc.id
            if signature is not None:
                assert sketch.band_keys(signature) == grouping.band_keys(signature), doc.id
                signed += 1
    print(f"\nnative = Python on {documents} documents, {terms} terms (stem, exact, position, start, end),"
          f" {signed} fingerprint signatures and their band keys")
    assert documents >= 72_000
    assert signed >= 70_000
