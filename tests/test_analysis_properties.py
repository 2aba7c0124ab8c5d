"""Invariants of the analysis chain over any string (hypothesis)."""
from __future__ import annotations

import threading

from hypothesis import given, settings
from hypothesis import strategies as st

from search.analysis import MAX_TERM_LENGTH, AnalysisConfig, Analyzer, get_analyzer
from search.arabic.normalize import normalize
from search.arabic.stem import STEMMERS
from search.query import MAX_QUERY_TERMS, clean_text, parse_query

# Arabic letters, marks, tatweel, digits, invisible controls, Latin and junk.
ARABIC_ALPHABET = (
    [chr(c) for c in range(0x0600, 0x06FF)]
    + [chr(c) for c in range(0xFB50, 0xFB60)]
    + [chr(c) for c in range(0xFE70, 0xFE90)]
    + list("\u200b\u200c\u200d\u200e\u200f\u202b\u202e\u2066\ufeff\x00 \n\t\"'*:^[]()«»“”_-ﷺ")
    + list("abcXYZ0123456789")
    + ["\ud800", "\udfff"]
)
arabic_text = st.text(alphabet=st.sampled_from(ARABIC_ALPHABET), max_size=100)
any_text = st.one_of(arabic_text, st.text(max_size=100))


def in_threads(n: int, work) -> list:
    """The results of `work()` run at once in `n` threads."""
    results: list = [None] * n

    def run(i: int) -> None:
        results[i] = work()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@given(any_text)
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@given(any_text)
def test_hamza_folding_normalize_is_idempotent(text):
    once = normalize(text, fold_hamza_carriers=True)
    assert normalize(once, fold_hamza_carriers=True) == once


@given(any_text)
def test_analysis_never_raises_and_offsets_are_valid_and_monotonic(text):
    terms = get_analyzer().terms(text)
    previous_start = 0
    for position, term in enumerate(terms):
        assert term.position == position
        assert 0 <= term.start < term.end <= len(text)
        assert term.start >= previous_start
        previous_start = term.start
        assert term.stem and term.exact
        assert len(term.exact) <= MAX_TERM_LENGTH and len(term.stem) <= MAX_TERM_LENGTH
        assert " " not in term.stem and " " not in term.exact


@given(any_text)
def test_index_fast_path_agrees_with_terms(text):
    analyzer = get_analyzer()
    stems, exacts = analyzer.index_forms(text)
    terms = analyzer.terms(text)
    assert stems == [t.stem for t in terms]
    assert exacts == [t.exact for t in terms]


@given(arabic_text)
def test_every_stemmer_is_total_and_never_lengthens(text):
    for word in normalize(text).split():
        for stem in STEMMERS.values():
            result = stem(word)
            assert isinstance(result, str) and result
            # The one letter a stem may add is the seat of a hamza spelt out (شئ → شيئ, as شيء is written).
            assert len(result.replace("يئ", "ئ")) <= len(word), (word, result)


def test_the_only_lengthening_is_the_spelt_out_hamza_seat():
    from search.arabic.stem import fahras_stem

    assert fahras_stem(normalize("شئ")) == "شيئ"
    assert len(fahras_stem(normalize("شيء"))) == 3


@given(any_text)
def test_query_parsing_never_raises_and_keeps_the_analysers_terms(text):
    analyzer = get_analyzer()
    plan = parse_query(text, analyzer)
    cleaned = clean_text(text)
    assert plan.text == cleaned
    # The plan's words are the analyser's query terms, in order, up to the term cap.
    assert list(plan.terms) == analyzer.query_terms(cleaned)[: len(plan.terms)]
    assert len(plan.stems) <= MAX_QUERY_TERMS
    assert plan.truncated == (len({t.stem for t in analyzer.query_terms(cleaned)}) > MAX_QUERY_TERMS)
    # Pairs are adjacent words of the query, as written.
    adjacent = {(a.exact, b.exact) for a, b in zip(plan.terms, plan.terms[1:]) if b.position == a.position + 1}
    assert set(plan.pairs) == adjacent


def test_long_inputs_are_bounded():
    analyzer = get_analyzer()
    terms = analyzer.terms("ب" * 10_000 + " " + "\u064e" * 10_000 + " كتاب")
    assert [len(t.exact) for t in terms] == [MAX_TERM_LENGTH, 4]


@settings(max_examples=20, deadline=None)
@given(st.lists(arabic_text, min_size=50, max_size=50))
def test_eight_threads_give_the_single_thread_result(texts):
    from search.analysis import AnalysisConfig, Analyzer

    expected = [Analyzer(AnalysisConfig()).terms(t) for t in texts]
    for stemmer in ("fahras", "tashaphyne"):
        analyzer = Analyzer(AnalysisConfig(stemmer=stemmer))
        single = [analyzer.terms(t) for t in texts] if stemmer != "fahras" else expected
        fresh = Analyzer(AnalysisConfig(stemmer=stemmer))  # empty word cache: threads race to fill it
        results = in_threads(8, lambda: [fresh.terms(t) for t in texts])
        assert all(r == single for r in results)


def test_tashaphyne_engine_is_thread_safe_without_its_cache():
    # Tashaphyne keeps per-word state on the stemmer object; ours has one per thread.
    from search.arabic.stem import tashaphyne_stem

    words = [normalize(w) for w in "والكتاب بالمدرسة المعلمون فلسطينيين وزارات كتابها سيلعبون الطالبات".split()] * 200
    uncached = tashaphyne_stem.__wrapped__
    single = [uncached(w) for w in words]
    results = in_threads(8, lambda: [uncached(w) for w in words])
    assert all(r == single for r in results)


def test_the_word_cache_stays_within_its_bound():
    analyzer = Analyzer(AnalysisConfig())
    analyzer.max_cached_words = 50
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    words = [a + b + c for a in letters[:8] for b in letters[:8] for c in letters[:4]]  # 256 distinct words
    for start in range(0, len(words), 20):
        batch = words[start : start + 20]
        assert analyzer.forms_of(batch) == [Analyzer(AnalysisConfig()).forms_of([w])[0] for w in batch]
        assert len(analyzer._forms) <= 50 + len(batch)
