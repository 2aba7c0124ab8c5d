"""What must meet (one term) and what must stay apart (different terms) after analysis."""
from __future__ import annotations

import pytest

from search.analysis import get_analyzer

MUST_CONFLATE = [
    ("إدارة", "ادارة"),
    ("أحمد", "احمد"),
    ("مدرسة", "مدرسه"),
    ("الدورى", "الدوري"),
    ("مَدْرَسَةٌ", "مدرسة"),
    ("كتـــاب", "كتاب"),
    ("٢٠٢٤", "2024"),
    ("۲۰۲۴", "2024"),
    ("ﻻعب", "لاعب"),
    ("كتاب", "الكتاب"),
    ("كتاب", "والكتاب"),
    ("كتاب", "بالكتاب"),
    ("كتاب", "وبالكتاب"),
    ("كتاب", "للكتاب"),
    ("حسن", "وحسن"),
    ("حسن", "فالحسن"),
    ("وزير", "والوزير"),
    ("وزير", "للوزير"),
    ("وزارة", "الوزارة"),
    ("فلسطين", "الفلسطينيين"),
    ("فلسطين", "فلسطيني"),
    ("معلم", "معلمون"),
    ("معلم", "المعلمين"),
    ("مهندسة", "مهندسات"),
    ("عاماً", "عام"),  # tanween fath's alef
    ("دولاراً", "الدولار"),
    ("أوروبا", "الأوروبي"),
    ("عبدالله", "عبد الله"),
    ("عبدالعزيز", "عبد العزيز"),
    ("فلسطين", "بفلسطين"),  # single proclitics
    ("سوريا", "لسوريا"),
    ("مدينة", "بمدينة"),
    ("رئيس", "كرئيس"),
    ("منطقة", "بمنطقة"),
    ("وزارة", "بوزارة"),
    ("حكومة", "حكومتهم"),  # pronoun suffixes
    ("حكومة", "حكومتنا"),
    ("كتاب", "كتابهم"),
    ("بلاد", "بلادنا"),
    ("حياة", "حياته"),
    ("ترامب", "ترامپ"),  # Persian letters
    ("جنكيز", "چنكيز"),
    ("مسئول", "مسؤول"),  # hamza seats
    ("مسئولية", "مسؤولية"),
    ("شئون", "شؤون"),
    ("شئ", "شيء"),
    ("شيء", "شيئاً"),
    ("سيء", "سيئ"),
    ("أبناء", "أبناؤهم"),
    ("أبناء", "أبنائهم"),
]

MUST_NOT_CONFLATE = [
    ("وزير", "زير"),  # minister / pot
    ("وزارة", "زار"),  # ministry / visited
    ("وزراء", "زراء"),
    ("رئيسية", "رئيس"),  # main / president
    ("مكتبة", "مكتب"),  # library / office
    ("لبنان", "لبن"),  # Lebanon / milk
    ("مكان", "مك"),
    ("بيان", "بي"),
    ("فلسطين", "فلسط"),
    ("قانون", "قان"),
    ("ولد", "لد"),
    ("إسرائيل", "رائيل"),  # root stemmers wreck names
    ("مهما", "مهم"),  # whatever / important
    ("بعدما", "بعدم"),  # after / for lack of
    ("العليا", "علي"),  # supreme / Ali
    ("بعيد", "عيد"),  # far / feast
    ("لجنة", "جنة"),  # committee / paradise
    ("كتاب", "تاب"),
    ("بغداد", "غداد"),
    ("بريطانيا", "ريطانيا"),
    ("بحرية", "حرية"),  # naval / freedom
    ("بطاقة", "طاقة"),  # card / energy
    ("كمال", "مال"),  # a name / money
    ("تفاهم", "تفا"),
    ("يتمكن", "يتم"),  # is able / is done
    ("ثابتة", "ثابة"),
    ("بيته", "بية"),
    ("المائة", "الماء"),  # hundred / water
    ("لاجئون", "لاجؤون"),
]


def test_joined_compound_names_split_but_not_other_words():
    from search.arabic.compounds import split_compound

    assert split_compound("عبدالرحمن") == ("عبد", "الرحمن")
    assert split_compound("عبدال") == ("عبدال",)
    assert split_compound("عبده") == ("عبده",)
    assert split_compound("عبادله") == ("عبادله",)


def _terms(word: str) -> list[str]:
    return [t.stem for t in get_analyzer().terms(word)]


@pytest.mark.parametrize("a, b", MUST_CONFLATE)
def test_must_conflate(a, b):
    assert _terms(a) == _terms(b) and _terms(a)


@pytest.mark.parametrize("a, b", MUST_NOT_CONFLATE)
def test_must_not_conflate(a, b):
    assert _terms(a) != _terms(b)
