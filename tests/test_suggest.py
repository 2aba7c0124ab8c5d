"""Did-you-mean over a hand-made vocabulary: Arabic-aware costs, rarity, limits, query rewriting."""
from __future__ import annotations

import pytest

from search.analysis import get_analyzer
from search.query import parse_query
from search.suggest import Vocabulary, correct, distance, suggest_query, suggest_words, written_forms
from search.suggest.spelling import CHEAP

VOCABULARY = Vocabulary.build(
    [
        ("الرياض", 900), ("الرياضه", 300), ("مسؤول", 400), ("مسؤولين", 50), ("مدرسه", 120), ("الاقتصاد", 800),
        ("السعوديه", 1000), ("سعود", 200), ("لكن", 700), ("رئيس", 500), ("الرءيس", 1), ("اسواق", 60),
        ("نادره", 2), ("ترامب", 300), ("typo", 1),
    ]
)


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("مسئول", "مسؤول", CHEAP),  # hamza carrier swap
        ("الرياظ", "الرياض", CHEAP),  # ض/ظ confusion
        ("لاكن", "لكن", CHEAP),  # alef as a long vowel
        ("مدرصه", "مدرسه", CHEAP),
        ("مدرسه", "مدرسه", 0.0),
        ("الاقتصد", "الاقتصاد", CHEAP),
        ("السعودبه", "السعوديه", 1.0),  # ب for ي: a plain typo
        ("ترمب", "ترامب", CHEAP),
        ("رتامب", "ترامب", 1.0),  # adjacent swap
    ],
)
def test_weighted_distance(a, b, expected):
    assert distance(a, b) == expected


def test_distance_gives_up_past_the_limit():
    assert distance("مدرسه", "الاقتصاد", limit=2.0) > 2.0


@pytest.mark.parametrize(
    "word, expected",
    [
        ("الرياظ", "الرياض"),  # unknown word
        ("مسئول", "مسؤول"),
        ("السعودبه", "السعوديه"),
        ("الرءيس", None),  # rare (df 1), but رئيس is 2.5 edits away (ال, then ء for ئ)
        ("الرياض", None),  # a frequent word is never corrected
        ("نادره", None),  # rare, and nothing much more frequent nearby
        ("qwertyuiop", None),  # nothing close
        ("لك", None),  # too short to correct
        ("12345", None),  # numbers are not words
    ],
)
def test_correct(word, expected):
    assert correct(word, VOCABULARY) == expected


def test_short_words_allow_one_edit_only():
    vocabulary = Vocabulary.build([("كتاب", 500)])
    assert correct("كتب", vocabulary) == "كتاب"  # one cheap edit
    assert correct("قطب", vocabulary) is None  # two edits on a 3-letter word


def test_most_frequent_within_one_edit_wins():
    vocabulary = Vocabulary.build([("سلام", 50), ("كلام", 500)])
    assert correct("ثلام", vocabulary) == "كلام"


def test_rare_candidates_are_never_proposed():
    assert correct("الرياظ", Vocabulary.build([("الرياض", 1)])) is None
    assert suggest_words(["الرياظ", "الرياض"], VOCABULARY) == ["الرياض", None]


def test_suggested_query_keeps_the_other_words_as_written():
    analyzer = get_analyzer()
    plan = parse_query("أسواق الرياظ اليوم", analyzer)
    vocabulary = Vocabulary.build([("اسواق", 60), ("الرياض", 900), ("اليوم", 900)])
    assert suggest_query(plan.text, plan.terms, vocabulary) == "أسواق الرياض اليوم"
    plan = parse_query("أسواق الرياض", analyzer)
    assert suggest_query(plan.text, plan.terms, vocabulary) is None


def test_a_vocabulary_built_in_a_child_process_answers_as_one_built_here(tmp_path):
    # Web workers build it apart (search.suggest.build.build_apart), where Python's
    # salted hash() would differ: every lookup must still find the same terms.
    from indexer.reindex import reindex
    from search.index import open_reader
    from search.searcher import Searcher
    from search.suggest.build import build_apart

    from .conftest import write_jsonl
    from .web_corpus import DOCS

    reindex([write_jsonl(tmp_path / "corpus.jsonl", DOCS)], index_dir=tmp_path / "index", backend="tantivy")
    generation = Searcher(tmp_path / "index").root.current()
    reader = open_reader("tantivy", generation)
    here = Vocabulary.build(reader.vocabulary("exact"))
    reader.close()
    apart = build_apart("tantivy", generation)
    assert len(apart) == len(here) > 50
    words = [here._term(n) for n in range(len(here))]
    assert [apart.frequency(w) for w in words] == [here.frequency(w) for w in words]
    assert all(apart.frequency(w) > 0 for w in words)
    typos = ["اسوق", "الرياظ", "ترمب", "الاقتصد", "مستشفي", "النفت"]
    assert [correct(t, apart) for t in typos] == [correct(t, here) for t in typos]
    assert any(correct(t, apart) for t in typos)


def test_a_word_the_archive_holds_is_only_respelt_by_cheap_edits():
    vocabulary = Vocabulary.build([("المرمي", 1000), ("المعمي", 1), ("مسؤول", 400), ("مسئول", 1), ("قول", 900), ("قوقل", 2)])
    assert correct("المعمي", vocabulary) is None  # a word of its own, not a typo of المرمى
    assert correct("قوقل", vocabulary) is None  # a spelling of a name, not a typo of قول
    assert correct("مسئول", vocabulary) == "مسؤول"  # a hamza seat is a cheap edit


def test_latin_words_allow_one_edit_only():
    vocabulary = Vocabulary.build([("macos", 10), ("trump", 50)])
    assert correct("macron", vocabulary) is None  # two edits from macos
    assert correct("trumpp", vocabulary) == "trump"


def test_written_forms_are_the_archives_most_common_spelling():
    texts = ["زار وفد من السعودية الرياض", "السّعودية والسعوديه", "السعودية", "قال أردوغان إن اردوغان"]
    assert written_forms(["السعوديه", "اردوغان", "غائب"], texts) == {"السعوديه": "السعودية", "اردوغان": "أردوغان"}


def test_a_suggestion_is_shown_as_the_archive_writes_it():
    analyzer = get_analyzer()
    plan = parse_query("الاقتصاد السعودبة", analyzer)
    vocabulary = Vocabulary.build([("السعوديه", 1000), ("الاقتصاد", 800)])
    spelt = suggest_query(plan.text, plan.terms, vocabulary, lambda words: written_forms(words, ["في السعودية"]))
    assert spelt == "الاقتصاد السعودية"
    assert suggest_query(plan.text, plan.terms, vocabulary) == "الاقتصاد السعوديه"  # nothing to read it from


def test_the_searcher_suggests_the_written_form_of_its_documents(tmp_path):
    from indexer.reindex import reindex
    from search.searcher import Searcher

    from .conftest import write_jsonl
    from .web_corpus import DOCS

    reindex([write_jsonl(tmp_path / "corpus.jsonl", DOCS)], index_dir=tmp_path / "index", backend="tantivy")
    searcher = Searcher(tmp_path / "index")
    try:
        assert searcher.find("بنسبت").suggestion == "بنسبة"  # indexed as بنسبه, written بنسبة
        assert searcher.find("اسوق الرياض").suggestion == "أسواق الرياض"
        assert searcher.find("بنسبة").suggestion is None
    finally:
        searcher.close()


@pytest.mark.parametrize("saved", [True, False])
def test_the_written_form_comes_from_the_saved_forms_or_else_from_the_documents(tmp_path, monkeypatch, saved):
    from indexer.reindex import reindex
    from search import searcher as searcher_module
    from search.index import IndexRoot
    from search.searcher import Searcher
    from search.suggest import written

    from .conftest import write_jsonl
    from .web_corpus import DOCS

    reindex([write_jsonl(tmp_path / "corpus.jsonl", DOCS)], index_dir=tmp_path / "index", backend="tantivy")
    read = []
    monkeypatch.setattr(searcher_module, "written_forms", lambda words, texts: read.append(words) or written_forms(words, texts))
    if not saved:  # a generation built before the forms were saved
        (IndexRoot(tmp_path / "index").current() / written.FILE).unlink()
    searcher = Searcher(tmp_path / "index")
    try:
        assert searcher.find("بنسبت").suggestion == "بنسبة"
        assert searcher.find("اسوق الرياض").suggestion == "أسواق الرياض"
    finally:
        searcher.close()
    assert bool(read) != saved  # the documents are read only where no forms were saved
