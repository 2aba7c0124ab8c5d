"""Search as you type: completions through Arabic normalisation, in the archive's written form, by frequency."""
from __future__ import annotations

import re
import time
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.reindex import reindex
from search.analysis import get_analyzer
from search.searcher import Searcher
from search.suggest import Vocabulary
from search.suggest.complete import Completions, suggest
from search.suggest import phrases
from search.arabic.normalize import DELETE
from search.suggest.written import count_written, display, most_common, without_marks
from webui import create_app

from .conftest import write_jsonl
from .test_api import validate

# Two segments list a term twice: their frequencies add up.
VOCABULARY = Vocabulary.build([
    ("اردوغان", 300), ("اردن", 40), ("الاردن", 500), ("الاقتصاد", 800), ("الاسواق", 60), ("اردوغان", 20),
    ("اردني", 1), ("مدرسه", 120), ("مدرسي", 30), ("2018", 900),
])
WRITTEN = {"اردوغان": "أردوغان", "اردن": "أردن", "الاردن": "الأردن", "مدرسه": "مدرسة"}
COMPLETIONS = Completions(VOCABULARY, WRITTEN)
# (exact pair, documents, most common written form), as reindex saves them.
PHRASES = [
    ("اردوغان يزور", 40, "أردوغان يزور"), ("الرئيس اردوغان", 90, "الرئيس أردوغان"), ("ولي العهد", 300, "ولي العهد"),
    ("ولي الامر", 12, "ولي الأمر"), ("مدرسه البنات", 5, "مدرسة البنات"), ("الاقتصاد العالمي", 70, "الاقتصاد العالمي"),
]
WITH_PHRASES = Completions(VOCABULARY, WRITTEN, PHRASES)


@pytest.mark.parametrize("typed, expected", [
    ("اردو", ["أردوغان"]),  # bare alef typed, hamza written
    ("أردو", ["أردوغان"]),
    ("إردو", ["أردوغان"]),
    ("ار", ["أردوغان", "أردن"]),  # by frequency (320, then 40); اردني is too rare
    ("مدرسة", ["مدرسة"]),  # ة typed matches the normalised ه
    ("مدرس", ["مدرسة", "مدرسي"]),
    ("الا", ["الاقتصاد", "الأردن", "الاسواق"]),
    ("مَدْرَ", ["مدرسة", "مدرسي"]),  # diacritics typed
    ("زيارة الرئيس اردو", ["زيارة الرئيس أردوغان"]),  # earlier words kept as typed
    ("اردوغان ", []),  # nothing being typed
    ("ا", []),  # too short
    ("20", []),  # numbers are not proposed
    ("", []),
    ("قطر", []),
])
def test_completions(typed, expected):
    assert suggest(typed, COMPLETIONS, get_analyzer()) == expected


@pytest.mark.parametrize("typed, expected", [
    # The word completed first, then the phrases it starts, by frequency.
    ("اردو", ["أردوغان", "أردوغان يزور"]),
    ("الرئيس اردو", ["الرئيس أردوغان", "الرئيس أردوغان يزور"]),  # the phrase continuing the word before first
    ("زيارة الرئيس أردو", ["زيارة الرئيس أردوغان", "زيارة الرئيس أردوغان يزور"]),
    ("ولي ال", ["ولي العهد", "ولي الأمر", "ولي الاقتصاد", "ولي الأردن", "ولي الاسواق", "ولي الرئيس أردوغان",
                "ولي الاقتصاد العالمي"]),
    ("مدرسة ا", ["مدرسة البنات"]),  # after a phrase's first word one letter is enough
    ("بنات ا", []),  # else one letter completes nothing
    ("ولي الامر", ["ولي الأمر"]),
    ("الا", ["الاقتصاد", "الأردن", "الاسواق", "الاقتصاد العالمي"]),
    ("مدرسة ", []),
])
def test_two_word_completions(typed, expected):
    assert suggest(typed, WITH_PHRASES, get_analyzer()) == expected


@pytest.mark.parametrize("title, body, expected", [
    ("ولي العهد يزور الرياض", "", {"ولي العهد", "العهد يزور", "يزور الرياض"}),
    ("", "قال الأميرُ محمد، في الرياض", {"قال الامير\tقال الأمير", "الامير محمد\tالأمير محمد"}),  # marks gone; a comma or stopword ends a phrase
    ("«الأمير» محمد", "عام 2018 مضى", set()),  # quotes end a phrase; numbers are no words
    ("ولي", "العهد", set()),  # not from the title into the body
])
def test_phrases_counted(title, body, expected):
    assert set(phrases.count_phrases([(title, body)], get_analyzer())) == expected


def test_lossy_counting_keeps_pairs_seen_twice():
    total = Counter({"ولي العهد": 2, "قال الامير": 1})
    phrases.merge(total, Counter({"يزور الرياض": 1}), cap=2)
    assert total == Counter({"ولي العهد": 2})
    phrases.merge(total, Counter({"يزور الرياض": 1}), cap=2)
    assert total == Counter({"ولي العهد": 2, "يزور الرياض": 1})


def test_phrases_are_counted_per_document_and_kept_in_their_most_common_form():
    documents = [("ولي العهد وولي العهد", "")] * 2 + [("ولي العهد", "")] + [("الامير محمد", ""), ("الأمير محمد", "")] * 2
    counted = phrases.count_phrases(documents, get_analyzer())
    assert counted["ولي العهد"] == 3  # once per document
    assert phrases.most_common(counted, min_documents=3) == [("الامير محمد", 4, "الأمير محمد"), ("ولي العهد", 3, "ولي العهد")]


@pytest.mark.parametrize("pieces, expected", [
    # The most common written form wins; only forms that differ from the exact term are kept.
    (["أردوغان", "أردوغان", "اردوغان"], {"اردوغان": "أردوغان"}),
    (["«المدرسة»", "المدرسةُ", "المدرسه"], {"المدرسه": "المدرسة"}),
    (["الرئيس", "الرئيس"], {}),
    (["أردنـــي"], {"اردني": "أردني"}),  # tatweel dropped
])
def test_written_forms(pieces, expected):
    assert most_common(count_written([" ".join(pieces)], get_analyzer())) == expected


@pytest.mark.parametrize("piece, shown", [
    ("«المدرسةُ»", "المدرسة"), ("(رويترز)", "رويترز"), ("أردوغان،", "أردوغان"), ("الرياض", "الرياض"),
    ("أردنـــي", "أردني"),  # tatweel is alphanumeric, and deleted all the same
    ("_وزارة_", "_وزارة_"),  # "_" is a word character to regular expressions
])
def test_display(piece, shown):
    assert display(piece) == shown


# Pieces as news writes them: Arabic and Latin letters, digits, the deleted marks and tatweel, punctuation, "_".
PIECE_CHARACTERS = st.sampled_from("ابةتـًٌٍَُِّْۥۦ\u200cأإآىئؤxyzXY_09٣«»()،.؛:!؟-'\"\u0301") | st.characters()


@given(st.text(PIECE_CHARACTERS, max_size=12) | st.text(st.sampled_from("ابتـۥۦxY9٣_"), max_size=8))
def test_display_is_the_piece_without_marks_then_without_punctuation_around_it(piece):
    bare = piece.translate({ord(c): None for c in DELETE})
    assert without_marks(piece) == bare
    assert display(piece) == re.sub(r"^\W+|\W+$", "", bare)


def test_ties_between_written_forms_are_broken_the_same_way_every_time():
    pairs = Counter({("اردن", "أردن"): 2, ("اردن", "إردن"): 2})
    assert most_common(pairs) == {"اردن": "أردن"}


RECORDS = [
    {"id": f"d{i}", "title": "أردوغان يزور أنقرة", "body": f"قال الرئيس التركي رجب طيب أردوغان في خطاب رقم {i} إن اقتصاد تركيا قوي."}
    for i in range(6)
] + [{"id": "x", "title": "اردوغان", "body": "خبر قصير عن الأردن والأردن"}]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("complete")
    reindex([write_jsonl(root / "docs.jsonl", RECORDS)], index_dir=root / "index", backend="tantivy")
    return root / "index"


def test_reindex_keeps_written_forms_and_the_api_completes(index):
    client = create_app({"INDEX_DIR": str(index), "SUGGEST": "sync", "TESTING": True}).test_client()
    cases = [("اردو", ["أردوغان", "أردوغان يزور"]), ("الرئيس انق", ["الرئيس أنقرة"]), ("رجب ط", ["رجب طيب"]), ("", []),
             ("ق" * 5000, [])]
    for q, expected in cases:
        response = client.get("/api/suggest", query_string={"q": q})
        assert response.status_code == 200
        assert response.get_json() == {"suggestions": expected}
        validate(response.get_json(), "Suggestions")


def test_completions_answer_within_milliseconds():
    # A vocabulary the size of the news corpora's: 300,000 terms under one letter.
    def letters(i: int) -> str:
        out = ""
        while True:
            i, digit = divmod(i, 20)
            out += chr(0x0628 + digit)
            if not i:
                return out

    many = Vocabulary.build((f"ا{letters(i)}", 2 + i % 97) for i in range(300_000))
    completions = Completions(many, {})
    analyzer = get_analyzer()
    assert len(suggest("اب", completions, analyzer)) == 8
    took = []
    for typed in ["اب", "ات", "ابت", "ابتث", "اثج"] * 40:
        started = time.perf_counter()
        suggest(typed, completions, analyzer)
        took.append(time.perf_counter() - started)
    took.sort()
    assert took[int(len(took) * 0.95)] < 0.005
