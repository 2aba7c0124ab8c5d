"""The snippet matcher's shortcuts (scan for written stems, analyse stretches) find exactly the words a walk over every term finds."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.analysis import AnalysisConfig, get_analyzer
from search.highlight import snippet
from search.highlight.scan import matches as _matches
from search.query import parse_query

from .test_analysis_properties import any_text, arabic_text

ANALYZERS = [
    get_analyzer(),
    get_analyzer(AnalysisConfig(fold_hamza_carriers=True)),
    get_analyzer(AnalysisConfig(stemmer="lucene")),
    get_analyzer(AnalysisConfig(stemmer="snowball")),
]


def reference(text, plan, analyzer):
    stems, exacts = set(plan.stems), set(plan.exacts)
    spans = []
    for term in analyzer.terms(text):
        if term.stem in stems or term.exact in exacts:
            if spans and spans[-1] == (term.start, term.end):
                continue
            spans.append((term.start, term.end))
    return spans


@settings(max_examples=400)
@given(st.one_of(arabic_text, any_text), st.one_of(arabic_text, any_text), st.sampled_from(ANALYZERS))
def test_matches_agree_with_a_walk_over_every_term(query, text, analyzer):
    for q in (query, text[:30], text[7:40]):
        plan = parse_query(q, analyzer)
        assert _matches(text, plan, analyzer) == reference(text, plan, analyzer)


def test_written_variants_marks_and_clitics_are_found():
    analyzer = get_analyzer()
    text = "زار وزيرُ الخارجيـــة مَدْرَسَةً، ثم قال للمدرسه: إن المدارس «مدرسةٌ» واحدة. المدرسة\u200c الجديدة"
    plan = parse_query("مدرسة", analyzer)
    assert _matches(text, plan, analyzer) == reference(text, plan, analyzer)
    marked = snippet(text, plan, analyzer)
    for word in ("مَدْرَسَةً", "للمدرسه", "مدرسةٌ"):
        assert f"<mark>{word}</mark>" in marked


@pytest.mark.parametrize("word", ["w" * 60, "ب" * 60, "Abcdefghijklmnopqrstuvwxyz" * 3, "٣" * 60])
def test_a_long_word_glued_to_punctuation_is_marked_without_backtracking(word):
    # The word pattern once split a run of n letters in 2^n ways before a failed full match:
    # this piece took longer than the age of the universe. The alarm turns a hang into a failure.
    import signal

    def hung(signum, frame):
        raise AssertionError("the word pattern backtracks")

    analyzer = get_analyzer()
    text = f"قال {word}! ثم {word}."
    plan = parse_query(word, analyzer)
    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(30)
    try:
        found = _matches(text, plan, analyzer)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert found == reference(text, plan, analyzer) == [(4, 4 + len(word)), (4 + len(word) + 5, 4 + 2 * len(word) + 5)]


def test_digits_and_latin_are_found_as_written():
    analyzer = get_analyzer()
    text = "سجل ٢٠١٥ و2015 و۲۰۱۵ عاماً، وقالت FIFA و Fifa و fifa: الفيفا 20150 Straße"
    for q in ("2015 fifa", "عام 2015", "strasse"):
        plan = parse_query(q, analyzer)
        assert _matches(text, plan, analyzer) == reference(text, plan, analyzer)
    marked = snippet(text, parse_query("2015 fifa", analyzer), analyzer)
    for word in ("٢٠١٥", "2015", "۲۰۱۵", "FIFA", "Fifa", "fifa"):
        assert f"<mark>{word}</mark>" in marked
    assert "<mark>20150</mark>" not in marked


def test_every_digit_the_analyser_folds_is_marked():
    # One code-point table (search/arabic/codepoints.py): a document found by
    # the query 5 through any digit set has that digit marked.
    from search.arabic.codepoints import decimal_digits
    from search.highlight import highlight

    analyzer = get_analyzer()
    unmarked = [
        hex(code) for code, value in decimal_digits().items()
        if f"<mark>{chr(code)}</mark>" not in highlight(f"في عام {chr(code)} وقع", parse_query(value, analyzer), analyzer)
    ]
    assert len(decimal_digits()) > 600 and unmarked == []


def test_forms_whose_stem_is_spelt_otherwise_are_marked():
    # The stem holds a letter the written word does not: a restored taa marbuta
    # (حكومتهم → حكوم), a folded hamza seat (مسئول → مسؤول), شئ → شيئ.
    analyzer = get_analyzer()
    text = "قالت حكومتهم إن المسئول عن شئون البلاد لم يقل شئ، وإن أبنائهم بخير"
    for q, word in (("حكومة", "حكومتهم"), ("مسؤول", "المسئول"), ("شؤون", "شئون"), ("شيء", "شئ"), ("أبناء", "أبنائهم")):
        plan = parse_query(q, analyzer)
        assert _matches(text, plan, analyzer) == reference(text, plan, analyzer)
        assert f"<mark>{word}</mark>" in snippet(text, plan, analyzer)


def test_every_kept_character_that_casefolds_into_latin_letters_is_analysed_whole():
    import unicodedata

    from search.highlight.scan import _CASEFOLDS_TO_LATIN

    derived = {chr(c) for c in range(0x80, 0x10000) if not 0xD800 <= c < 0xE000
               and unicodedata.is_normalized("NFKC", chr(c)) and any("a" <= x <= "z" for x in chr(c).casefold())}
    assert set(_CASEFOLDS_TO_LATIN) == derived


@pytest.mark.parametrize(("text", "query"), [("İ", "i"), ("İstanbul", "istanbul"), ("ǰ", "j"), ("Straße", "strasse")])
def test_a_latin_letter_written_as_another_is_marked(text, query):
    analyzer = get_analyzer(AnalysisConfig())
    assert _matches(text, parse_query(query, analyzer), analyzer) != []
