"""The fields a document is indexed with: its abstract, its author, its instant; and the days a filter takes."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from search.analysis import analyze_document, get_analyzer
from search.documents import Document, instant_of, parse_day

BODY = "أعلنت وزارة الصحة افتتاح مستشفى جديد في الرياض يضم ثلاثمئة سرير"


@pytest.mark.parametrize(
    "abstract, adds",
    [
        (None, False),
        ("", False),
        (BODY, False),  # the body again
        ("أعلنت وزارة الصحة افتتاح مستشفى جديد", False),  # its opening, cut
        ("أعلنت وزارة الصحة افتتاح مستشفى جديد في الرياض يضم ثلاثمئة سريرا", False),  # one word in ten changed
        ("مستشفى بثلاثمئة سرير شمال العاصمة السعودية", True),  # words of its own
    ],
)
def test_an_abstract_adds_its_words_only_when_they_are_not_the_bodys(abstract, adds):
    analyzer = get_analyzer()
    plain = analyze_document(Document("a", title="عنوان", body=BODY), analyzer)
    doc = analyze_document(Document("a", title="عنوان", body=BODY, abstract=abstract), analyzer)
    def forms(d):
        return d.title_stems, d.body_stems, d.lead_stems, d.exact

    assert (forms(doc) != forms(plain)) == adds
    if adds:
        assert doc.body_stems.endswith(plain.body_stems) and len(doc.body_stems) > len(plain.body_stems)
        # The lead is the abstract's, and stays inside the body, as the counting clauses assume.
        assert doc.lead_stems != plain.lead_stems
        assert set(doc.lead_stems.split()) <= set(doc.body_stems.split())


def test_the_author_is_analysed_into_the_byline():
    doc = analyze_document(Document("a", body="نص", author="لندن: رنيم حنوش"), get_analyzer())
    assert doc.byline.split() == [t.stem for t in get_analyzer().terms("لندن: رنيم حنوش")]


@pytest.mark.parametrize(
    "stored, instant",
    [
        ("2015-07-31T10:00:00", "2015-07-31T10:00:00"),
        ("2015-07-31", "2015-07-31T00:00:00"),  # a day alone: its midnight
        (None, None),
        ("", None),
        ("31/07/2015", None),
    ],
)
def test_the_instant_of_a_stored_date(stored, instant):
    assert instant_of(stored) == instant


@pytest.mark.parametrize(
    "typed, day",
    [
        ("2018-02-18", "2018-02-18"),
        ("٢٠١٨-٠٢-١٨", "2018-02-18"),  # Arabic-Indic digits
        ("۲۰۱۸-۰۲-۱۸", "2018-02-18"),  # Eastern Arabic-Indic (Persian keyboards)
        ("٢٠١٨-02-١٨", "2018-02-18"),  # mixed, as a form filled in two goes
    ],
)
def test_a_day_may_be_typed_in_arabic_digits(typed, day):
    assert parse_day(typed) == day


@pytest.mark.parametrize("typed", ["٢٠١٨-١٣-٠١", "٢٠١٨/٠٢/١٨", "١٨-٠٢-٢٠١٨", "2018-2-18", "", "٢٠١٨-٠٢-١٨T10:00", None, 20180218])
def test_anything_else_is_refused_with_the_format_named(typed):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_day(typed)


ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@given(st.dates())
def test_arabic_and_ascii_digits_give_the_same_day(day):
    assert parse_day(day.isoformat().translate(ARABIC)) == parse_day(day.isoformat()) == day.isoformat()
