"""A small hand-written Arabic news corpus for the web tests, and an app over its index.

It has what the page and the API must cope with: hamza and teh marbuta
variants, vocalised text, enough economy stories to fill two pages, several
sources and categories, and hostile documents (markup in title and body, a
javascript: URL) that must come out escaped.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from indexer.reindex import reindex
from webui import create_app

from .conftest import write_jsonl

XSS_TITLE = "<script>alert(1)</script> تقرير الاقتصاد المسموم"
XSS_BODY = 'خبر عن الاقتصاد فيه <img src=x onerror=alert(1)> وأيضًا "><svg onload=alert(1)> في النص.'
XSS_URL = "javascript:alert(1)"

SOURCES = ("Sky News Arabia", "Al Arabiya", "BBC Arabic")

DOCS = [
    {"id": "trump-1", "title": "إدارة ترامب تفرض عقوبات جديدة على إيران",
     "body": "أعلنت إدارة الرئيس الأمريكي دونالد ترامب فرض عقوبات جديدة تستهدف قطاع النفط في إيران.",
     "date": "2018-05-08T10:00:00", "source": "Sky News Arabia", "category": "internationalNews",
     "url": "https://example.com/trump-1"},
    {"id": "health-1", "title": "وزارة الصحة تفتتح مستشفى جديدًا في الرياض",
     "body": "افتتحت وزارة الصحة مستشفى جديدًا في مدينة الرياض يضم ثلاثمئة سرير.\nويخدم المستشفى أحياء شمال الرياض.",
     "date": "2015-07-31T09:00:00", "source": "Al Arabiya", "category": "localNews",
     "url": "http://example.com/health-1"},
    {"id": "school-1", "title": "مَدْرَسَةٌ جَدِيدَةٌ فِي الرِّيَاضِ",
     "body": "تَفْتَحُ الْمَدْرَسَةُ أَبْوَابَهَا لِلطُّلَّابِ فِي الرياض الأُسْبُوعَ الْمُقْبِلَ.",
     "date": "2015-08-15T08:00:00", "source": "Al Arabiya", "category": "localNews", "url": None,
     "author": "الرياض - سارة المطيري", "abstract": "عام دراسي جديد يبدأ في العاصمة"},
    {"id": "xss-1", "title": XSS_TITLE, "body": XSS_BODY, "date": "2018-06-01T00:00:00",
     "source": "BBC Arabic", "category": "economy", "url": XSS_URL},
    {"id": "xss-2", "title": '"><svg onload=alert(1)> عنوان الاقتصاد', "body": "<b>الاقتصاد</b> &amp; <i>النفط</i>",
     "date": "2018-06-02T00:00:00", "source": "<script>alert(2)</script>", "category": "economy",
     "url": "JaVaScRiPt:alert(3)"},
] + [
    {"id": f"eco-{i:02d}", "title": f"الاقتصاد السعودي ينمو في الربع {i}",
     "body": f"قال تقرير إن الاقتصاد السعودي نما بنسبة {i} في المئة، وإن أسواق الرياض شهدت نشاطًا كبيرًا.",
     "date": f"2018-{1 + i % 9:02d}-{10 + i:02d}T12:00:00", "source": SOURCES[i % 3], "category": "economy",
     "url": f"https://example.com/eco-{i}"}
    for i in range(1, 13)
]
ECONOMY_DOCS = [d for d in DOCS if "الاقتصاد" in d["title"] + d["body"]]


def build_index(directory: Path) -> Path:
    source = write_jsonl(directory / "corpus.jsonl", DOCS)
    index = directory / "index"
    summary = reindex([source], index_dir=index, backend="whoosh", workers=1)
    assert summary.indexed == len(DOCS), summary.to_dict()
    return index


def make_app(index: Path, **config):
    return create_app({"INDEX_DIR": str(index), "SUGGEST": "sync", "TESTING": True, **config})


# Fixtures shared by the page and API tests (imported by name there).
@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def app(index):
    return make_app(index)


@pytest.fixture
def client(app):
    return app.test_client()
