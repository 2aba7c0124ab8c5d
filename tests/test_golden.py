"""Golden queries over real news (ANT corpus v1.1, 10,161 Jawhara FM articles).

Each query is written the way a reader might type it, with the spelling
variants a search must see through: no hamza, ه for ة, ي for ى, diacritics,
tatweel, clitics. The article it names must come first or near the top.
Related coverage of real articles is judged by the corpus's own categories.
"""
from __future__ import annotations

import gzip
import itertools
import json

import pytest

from indexer.reindex import reindex
from search.index import EMBEDDED_BACKENDS
from search.related import RELATED, related_query
from search.searcher import Searcher

from .conftest import shared_data

GOLDEN = [
    ("رابطه العالم الاسلامي تنهي عضويه القرضاوي", "JA-internationalNews-1146-20170609"),  # ة→ه, no hamza
    ("هجوم اورلي", "JA-internationalNews-553-20170318"),  # أورلي without hamza
    ("جُمْجُمَةٌ تَكْشِفُ مَلَامِحَ الإِنْسَانِ", "JA-diverse-28-20170106"),  # fully vocalised
    ("الطائره الليبيه المختطفه", "JA-localNews-1578-20161223"),
    ("مستشفي مدنين الجامعى", "JA-localNews-2304-20170306"),  # ى/ي swapped both ways
    ("صلاة الإستسقاء بسوسة", "JA-localNews-3111-20170331"),  # hamza added, clitic ب
    ("رسالة خروج بريطانيا من الإتحاد الأوروبي", "JA-internationalNews-598-20170329"),
    ("الطريق السيارة صفاقس قابس", "JA-localNews-523-15112016"),
    ("تهريب ادوية وسجائر في بن قردان", "JA-localNews-2193-20150822"),  # ڨردان written with ق
    ("موعد تحرى هلال رمضان", "JA-diverse-366-20170523"),
    ("هل قتلت صحفيه عراقيه اثناء تصوير برنامج", "JA-internationalNews-360-20170225"),  # a question
    ("تصنيف الفـــيفا للمنتخب التونسى", "JA-sport-1155-20170504"),  # tatweel, لل
    ("فلاحو قربة يطالبون بمياه الشرب", "JA-localNews-2512-20170309"),
]
# Pairs a reader does not distinguish: both spellings must give the same results.
EQUIVALENT_QUERIES = [
    ("إدارة", "ادارة"),
    ("أحمد", "احمد"),
    ("مدرسة", "مدرسه"),
    ("الدورى", "الدوري"),
    ("مَدْرَسَةٌ", "مدرسة"),
    ("كتـــاب", "كتاب"),
    ("٢٠١٧", "2017"),
    ("الحكومه", "الحكومة"),
]
# A clitic changes the written form, which scores on its own, but not what matches.
CLITIC_PAIRS = [("والحكومة", "الحكومة"), ("بالمنتخب", "المنتخب"), ("للفلاحين", "فلاح")]


@pytest.fixture(scope="session", params=EMBEDDED_BACKENDS)
def ant_engine(request, tmp_path_factory):
    source = shared_data("news/antcorpus-v1.1.jsonl.gz")
    index = tmp_path_factory.mktemp(f"ant-{request.param}") / "index"
    summary = reindex([source], index_dir=index, backend=request.param)
    assert summary.indexed == 10161 and summary.read == summary.indexed + summary.skipped_total
    engine = Searcher(index)
    yield engine
    engine.close()


@pytest.mark.parametrize("query, expected", GOLDEN)
def test_golden_query_finds_its_article_near_the_top(ant_engine, query, expected):
    ids = [h.id for h in ant_engine.find(query, size=3, snippets=False).hits]
    assert expected in ids


def test_golden_set_mean_reciprocal_rank_floor(ant_engine):
    ranks = []
    for query, expected in GOLDEN:
        ids = [h.id for h in ant_engine.find(query, size=10, snippets=False).hits]
        ranks.append(1 / (ids.index(expected) + 1) if expected in ids else 0.0)
    assert sum(ranks) / len(ranks) >= 0.9


@pytest.mark.parametrize("a, b", EQUIVALENT_QUERIES)
def test_spelling_variants_give_the_same_results(ant_engine, a, b):
    first = ant_engine.find(a, size=20, snippets=False)
    second = ant_engine.find(b, size=20, snippets=False)
    assert first.total == second.total > 0
    assert [h.id for h in first.hits] == [h.id for h in second.hits]


def test_vocalised_query_highlights_the_written_word(ant_engine):
    hit = ant_engine.find("الجمجمة", size=1).hits[0]
    assert "<mark>" in hit.snippet and "جمجمة" in hit.snippet


@pytest.mark.parametrize("a, b", CLITIC_PAIRS)
def test_clitics_match_the_same_articles(ant_engine, a, b):
    assert ant_engine.find(a, snippets=False).total == ant_engine.find(b, snippets=False).total > 0


# Every 250th article (41). Measured with tantivy and whoosh: 68% of the
# articles listed share the article's category (28% would by chance), and
# the first listed holds 4 or more of the article's 20 telling stems for 37
# articles of the 41 (both).
RELATED_EVERY = 250
RELATED_SAME_CATEGORY = 0.6


def test_related_coverage_of_real_articles_stays_on_their_subject(ant_engine):
    with gzip.open(shared_data("news/antcorpus-v1.1.jsonl.gz"), "rt", encoding="utf-8") as f:
        ids = [json.loads(line)["id"] for line in itertools.islice(f, 0, None, RELATED_EVERY)]
    same, close = 0, 0
    with ant_engine.served.using() as index:
        reader, analyzer = index.reader, index.analyzer
        for doc_id in ids:
            doc, hits = ant_engine.document(doc_id), ant_engine.related(doc_id)
            groups = [h.group for h in hits]
            assert len(set(groups)) == len(hits) == RELATED and doc["group"] not in groups
            query = related_query(doc, analyzer, lambda stem: reader.doc_frequency("body", stem), reader.doc_count())
            first = ant_engine.document(hits[0].id)
            shared = {t.value for t in query.should} & set(analyzer.index_forms(first["title"] + "\n" + first["body"])[0])
            close += len(shared) >= 4
            same += sum(h.category == doc["category"] for h in hits)
    assert close >= 0.85 * len(ids)
    assert same >= RELATED_SAME_CATEGORY * RELATED * len(ids)
