"""Search as you type: completions through Arabic normalisation, in the archive's written form, by frequency."""
from __future__ import annotations

import time
from collections import Counter

import pytest

from indexer.reindex import reindex
from search.analysis import get_analyzer
from search.searcher import Searcher
from search.suggest import Vocabulary
from search.suggest.complete import Completions, suggest
from search.suggest.written import count_written, display, most_common
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


@pytest.mark.parametrize("pieces, expected", [
    # The most common written form wins; only forms that differ from the exact term are kept.
    (["أردوغان", "أردوغان", "اردوغان"], {"اردوغان": "أردوغان"}),
    (["«المدرسة»", "المدرسةُ", "المدرسه"], {"المدرسه": "المدرسة"}),
    (["الرئيس", "الرئيس"], {}),
    (["أردنـــي"], {"اردني": "أردني"}),  # tatweel dropped
])
def test_written_forms(pieces, expected):
    assert most_common(count_written([" ".join(pieces)], get_analyzer())) == expected


@pytest.mark.parametrize("piece, shown", [("«المدرسةُ»", "المدرسة"), ("(رويترز)", "رويترز"), ("أردوغان،", "أردوغان")])
def test_display(piece, shown):
    assert display(piece) == shown


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
    cases = [("اردو", ["أردوغان"]), ("الرئيس انق", ["الرئيس أنقرة"]), ("", []), ("ق" * 5000, [])]
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
