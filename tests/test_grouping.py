"""Copies grouping: which edits keep a copy in its story's group, and the group id in the index."""
from __future__ import annotations

import re
from dataclasses import replace

import pytest

from indexer.reindex import reindex
from search.analysis import analyze_document, get_analyzer
from search.documents import Document
from search.grouping import Grouper, GroupingConfig, fingerprint, shingles
from search.index import EMBEDDED_BACKENDS, open_reader
from search.index.store import IndexRoot

from .conftest import write_jsonl

STORY = "\n".join([
    "أعلنت وزارة الصحة في المملكة يوم الأحد عن افتتاح مستشفى جديد في مدينة جدة بسعة خمسمائة سرير لخدمة سكان المنطقة الغربية.",
    "وقال المتحدث الرسمي باسم الوزارة إن المستشفى يضم أقساما متخصصة في أمراض القلب والأورام وجراحة الأطفال وأن العمل فيه سيبدأ مطلع الشهر المقبل.",
    "وأضاف أن المشروع كلف أكثر من مليار ريال وأنه جزء من خطة لرفع عدد الأسرة في مستشفيات المملكة خلال السنوات الخمس القادمة.",
    "وأشار إلى أن الوزارة تعمل على توظيف ألفي طبيب وممرض من خريجي الجامعات السعودية للعمل في المستشفيات الجديدة.",
    "ويأتي افتتاح المستشفى بعد أسابيع من إعلان الوزارة عن برنامج لتقليل فترات الانتظار في أقسام الطوارئ في المدن الكبرى.",
])
OTHER_STORY = "\n".join([
    "أعلنت وزارة التعليم في المملكة يوم الأحد عن بدء العام الدراسي الجديد في جميع المدارس الحكومية والأهلية في موعده المحدد.",
    "وقال المتحدث الرسمي باسم الوزارة إن أكثر من ستة ملايين طالب وطالبة سيعودون إلى مقاعد الدراسة بعد انتهاء الإجازة الصيفية.",
    "وأضاف أن الوزارة وزعت الكتب المدرسية على المدارس وأنهت صيانة المباني قبل بداية الدوام بأسبوعين كاملين.",
    "وأشار إلى أن الوزارة عينت آلاف المعلمين الجدد لسد النقص في بعض المناطق النائية والقرى البعيدة عن المدن.",
])


def _paragraphs(text: str) -> list[str]:
    return text.split("\n")


EDITS = [
    # (edit, the copy joins the story's group)
    ("the same text", lambda t: t, True),
    ("a dateline added", lambda t: "جدة - (واس) - " + t, True),
    ("the last paragraph dropped", lambda t: "\n".join(_paragraphs(t)[:-1]), True),
    ("a paragraph edited", lambda t: t.replace("خمسمائة سرير", "ستمائة سرير").replace("مطلع الشهر المقبل", "بعد شهرين"), True),
    ("hamza written as bare alef", lambda t: re.sub("[أإآ]", "ا", t), True),
    ("diacritics added", lambda t: t.replace("وزارة", "وِزارَةُ").replace("المستشفى", "المُسْتَشْفَى"), True),
    ("tatweel added", lambda t: t.replace("الوزارة", "الـــوزارة").replace("المملكة", "المـمـلكة"), True),
    ("another story of the same day and outlet", lambda t: OTHER_STORY, False),
    ("only the first paragraph kept", lambda t: _paragraphs(t)[0], False),
]


def _analysed(doc_id: str, body: str, title: str = "افتتاح مستشفى", date: str | None = None):
    return analyze_document(Document(doc_id, title=title, body=body, date=date), get_analyzer())


@pytest.mark.parametrize("name, edit, grouped", EDITS, ids=[e[0] for e in EDITS])
def test_a_copy_joins_its_story_only_when_it_is_one(name, edit, grouped):
    grouper = Grouper()
    assert grouper.assign("original", fingerprint(_analysed("original", STORY))) == "original"
    group = grouper.assign("copy", fingerprint(_analysed("copy", edit(STORY), title="عنوان آخر")))
    assert (group == "original") is grouped


@pytest.mark.parametrize("body, other, grouped", [
    ("خبر قصير", "خبر قصير", True),  # identical short texts
    ("خبر قصير", "خبر قصير آخر", False),  # too short to call near: only identical ones group
    ("", "", True),  # no body: the titles decide, and they are the same here
])
def test_short_bodies_group_only_when_identical(body, other, grouped):
    grouper = Grouper()
    grouper.assign("a", fingerprint(_analysed("a", body)))
    assert (grouper.assign("b", fingerprint(_analysed("b", other))) == "a") is grouped


def test_a_later_copy_joins_the_group_of_its_nearest_earlier_copy():
    grouper = Grouper()
    grouper.assign("first", fingerprint(_analysed("first", STORY)))
    grouper.assign("other", fingerprint(_analysed("other", OTHER_STORY)))
    dropped = "\n".join(_paragraphs(STORY)[1:])
    assert grouper.assign("later", fingerprint(_analysed("later", dropped))) == "first"
    assert grouper.assign("later", fingerprint(_analysed("later", OTHER_STORY))) == "first"  # an id keeps its group
    assert grouper.groups() == {"first": 2}


MARKET = "أغلق مؤشر السوق الرئيسي اليوم مرتفعا بنسبة {} في المئة عند مستوى {} نقطة بتداولات بلغت قيمتها {} مليار ريال وسط ارتفاع أسهم المصارف والبتروكيماويات"


@pytest.mark.parametrize("first, second, grouped", [
    ("2018-03-01", "2018-03-01", True),
    ("2018-03-01", "2018-03-06", True),
    ("2018-03-01", "2018-03-20", False),  # the same template, another day's report
    ("2018-03-01", None, True),  # undated: the text decides
])
def test_near_copies_group_only_within_days_of_each_other(first, second, grouped):
    grouper = Grouper()
    grouper.assign("a", fingerprint(_analysed("a", MARKET.format(1.2, 7800, 3.1), date=first)))
    copy = fingerprint(_analysed("b", MARKET.format(1.2, 7800, 3.4), date=second))
    assert (grouper.assign("b", copy) == "a") is grouped


@pytest.mark.parametrize("words, size, expected", [
    ([], 3, set()),
    (["a", "b"], 3, {b"a b"}),
    (["a", "b", "c", "d"], 3, {b"a b c", b"b c d"}),
])
def test_shingles(words, size, expected):
    assert shingles(words, size) == expected


def test_the_threshold_is_a_setting():
    grouper = Grouper(GroupingConfig(threshold=0.95))
    grouper.assign("original", fingerprint(_analysed("original", STORY)))
    dropped = "\n".join(_paragraphs(STORY)[:-1])
    assert grouper.assign("copy", fingerprint(_analysed("copy", dropped))) == "copy"


@pytest.mark.parametrize("backend", EMBEDDED_BACKENDS)
@pytest.mark.parametrize("grouping", [True, False])
def test_reindex_stores_each_documents_group(tmp_path, backend, grouping):
    records = [
        {"id": "bbc-1", "title": "افتتاح مستشفى", "body": STORY, "source": "BBC"},
        {"id": "cnn-1", "title": "مستشفى جديد", "body": "جدة - (واس) - " + STORY, "source": "CNN"},
        {"id": "bbc-2", "title": "العام الدراسي", "body": OTHER_STORY, "source": "BBC"},
    ]
    source = write_jsonl(tmp_path / "docs.jsonl", records)
    kwargs = {} if grouping else {"grouping": None}
    summary = reindex([source], index_dir=tmp_path / "index", backend=backend, **kwargs)
    reader = open_reader(backend, IndexRoot(tmp_path / "index").current())
    try:
        groups = {r["id"]: reader.get(r["id"])["group"] for r in records}
    finally:
        reader.close()
    if grouping:
        assert groups == {"bbc-1": "bbc-1", "cnn-1": "bbc-1", "bbc-2": "bbc-2"}
        assert summary.to_dict()["copies"] == {"groups": 1, "grouped_documents": 2}
    else:
        assert groups == {"bbc-1": "bbc-1", "cnn-1": "cnn-1", "bbc-2": "bbc-2"}
