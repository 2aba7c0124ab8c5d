"""One contract for every embedded backend: the same corpus, the same answers.

Each test runs against an index built by `reindex` with each backend and read
through `Searcher`, so it checks what users see, not backend internals.
Expected sets are computed by brute force from the analysis chain itself.
"""
from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from indexer.reindex import reindex
from search.index import EMBEDDED_BACKENDS, BackendError, IndexRoot, open_reader
from search.index.base import empty_result
from search.index.tantivy_counts import aggregate
from search.index.description import Filters, IndexQuery, Term
from search.query import describe, parse_query
from search.documents import FACET_FIELDS, instant_of
from search.request import InvalidRequest, SearchRequest
from search.searcher import Searcher

from .conftest import write_jsonl

BACKENDS = ["whoosh", "tantivy"]


def _doc(id, title, body, date=None, source=None, category=None, author=None, abstract=None):
    return {"id": id, "title": title, "body": body, "date": date, "source": source, "category": category,
            "author": author, "abstract": abstract}


CORPUS = [
    _doc("d01", "افتتاح مدرسة جديدة في القاهرة", "افتتح وزير التعليم المدرسة الجديدة أمس في حي شبرا.", "2024-01-10", "الجزيرة", "تعليم", "سارة علي"),
    _doc("d02", "المَدْرَسَةُ الوطنية تحتفل", "احتفلت المَدْرَسَةُ بتخريج الدفعة الأولى من الطلاب.", "2024-02-15", "بي بي سي", "تعليم",
         abstract="احتفلت المدرسة بتخريج الدفعة الأولى"),  # the body's opening again
    _doc("d03", "أمطار غزيرة في الإسكندرية", "هطلت الأمطار بغزارة على إسكندرية طوال الليل.", "2024-03-01", "الجزيرة", "طقس",
         abstract="سيول تغمر شوارع المدينة"),  # an abstract of its own words
    _doc("d04", "امطار متوقعة في اسكندرية", "تتوقع الارصاد امطار على الاسكندرية غدا.", "2023-12-20", "العربية", "طقس"),
    _doc("d05", "مستشفى جديد في دبي", "افتتح مستشفي متخصص في علاج الأطفال.", "2024-04-05", "العربية", "صحة", "سارة علي"),
    _doc("d06", "وزير الصحة يزور المستشفى", "تفقد الوزير أقسام المستشفى الجديدة.", "2024-04-06T09:30:00", "الجزيرة", "صحة"),
    _doc("d07", "وزير الخارجية يزور القاهرة", "زار وزير الخارجية العاصمة المصرية لبحث العلاقات.", "2024-05-01", "بي بي سي", "سياسة", "أحمد حسن"),
    _doc("d08", "تصريحات عن الخارجية", "قال وزير المالية إن الخارجية لم ترد على الطلب.", "2024-05-02", "العربية", "سياسة"),
    _doc(
        "d09",
        "ثغرة في متصفح شائع",
        'اكتشف باحثون ثغرة تسمح بحقن <script>alert("x")</script> في صفحة المدرسة الإلكترونية.',
        "2024-06-01",
        "تقنية نيوز",
        "تقنية",
    ),
    _doc("d10", "مباراة كرة القدم", "فاز الفريق في الدوري بعد مباراة قوية.", None, "الجزيرة", "رياضة"),
    _doc("d11", "كرة القدم في المدارس", "تشجع المدارس الطلاب على لعب كرة القدم.", "2023-11-11", "بي بي سي", "رياضة"),
    _doc("d12", "اقتصاد مصر ينمو", "قال البنك المركزي إن الاقتصاد نما بنسبة ثلاثة في المئة.", "2024-07-01", "العربية", "اقتصاد", "القاهرة - أحمد حسن"),
    _doc("d13", "مدرسه القرية تغلق", "أغلقت مدرسه القرية أبوابها بسبب الأمطار.", "2022-09-01", "الجزيرة", None),
    _doc("d14", "توقعات الإقتصاد العالمي", "يتوقع صندوق النقد تباطؤ الاقتصاد العالمي.", "2024-07-15", None, "اقتصاد"),
    _doc("d15", "تبرعات للمدرسة", "قدم الأهالي تبرعات للمدرسة وللمعلمين في القرية.", "2024-08-01", "بي بي سي", "تعليم"),
]
# The contract's own: runs of one time indexed in an order that is not their ids'.
TIMES = [
    # Indexed after the documents of their time (d12 at midnight, d10 undated), before them in id order.
    _doc("d00", "أسواق الاقتصاد تنتعش", "انتعشت الأسواق مع نمو الاقتصاد.", "2024-07-01T00:00:00", "العربية", "اقتصاد", "سارة علي"),
    _doc("d0a", "الاقتصاد في الصيف", "يتباطأ الاقتصاد في الصيف عادة.", "2024-07-01", "بي بي سي", "اقتصاد"),
    _doc("d0u", "كرة اليد", "فاز فريق كرة اليد في البطولة.", None, "الجزيرة", "رياضة"),
    # The same day as d07 (a day alone: its midnight), six hours later.
    _doc("d16", "وزير النقل يفتتح طريقا", "افتتح وزير النقل الطريق الجديد.", "2024-05-01T06:15:00", "العربية", "سياسة"),
]
CONTRACT = CORPUS + TIMES
BY_ID = {d["id"]: d for d in CONTRACT}
# A query that matches most of the corpus, for filters, facets and paging.
BROAD = "مدرسة امطار مستشفى وزير كرة اقتصاد ثغرة"


# The cluster backend runs the same contract, only under `pytest -m opensearch`.
@pytest.fixture(scope="module", params=[*BACKENDS, pytest.param("opensearch", marks=pytest.mark.opensearch)])
def engine(request, tmp_path_factory):
    if request.param == "opensearch":
        from .opensearch_support import cluster_engine

        with cluster_engine(tmp_path_factory.mktemp("opensearch"), CONTRACT, "contract") as eng:
            assert eng.doc_count() == len(CONTRACT)
            yield eng
        return
    assert request.param in EMBEDDED_BACKENDS
    tmp = tmp_path_factory.mktemp(request.param)
    source = write_jsonl(tmp / "corpus.jsonl", CONTRACT)
    summary = reindex([source], index_dir=tmp / "index", backend=request.param)
    assert summary.indexed == len(CONTRACT)
    eng = Searcher(tmp / "index")
    assert eng.manifest.backend == request.param
    yield eng
    eng.close()


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    out = {}
    for name in BACKENDS:
        tmp = tmp_path_factory.mktemp(f"both-{name}")
        reindex([write_jsonl(tmp / "corpus.jsonl", CONTRACT)], index_dir=tmp / "index", backend=name)
        out[name] = Searcher(tmp / "index")
    yield out
    for eng in out.values():
        eng.close()


def ids(engine, query, **options) -> set[str]:
    result = engine.find(query, size=100, snippets=False, **options)
    assert result.total == len(result.hits)
    return {h.id for h in result.hits}


def expected(engine, query, filters: Filters = Filters()) -> list[dict]:
    """The documents that match, by brute force over the analysis chain."""
    plan = engine.plan(query)
    stems, exacts = set(plan.stems), set(plan.exacts)
    out = []
    for d in CONTRACT:
        terms = engine.analyzer.terms(d["title"] + "\n" + d["body"])
        if not any(t.stem in stems or t.exact in exacts for t in terms):
            continue
        if any(filters.selected(name) and d[name] not in filters.selected(name) for name in FACET_FIELDS):
            continue
        day = (d["date"] or "")[:10]
        if (filters.date_from or filters.date_to) and not day:
            continue
        if filters.date_from and day < filters.date_from:
            continue
        if filters.date_to and day > filters.date_to:
            continue
        out.append(d)
    return out


def test_doc_count_and_get(engine):
    assert engine.doc_count() == len(CONTRACT)
    got = engine.document("d02")
    assert got["id"] == "d02"
    assert got["title"] == BY_ID["d02"]["title"]
    assert got["body"] == BY_ID["d02"]["body"]
    assert got["source"] == "بي بي سي" and got["category"] == "تعليم"
    assert got["date"] == "2024-02-15"
    assert engine.document("d06")["date"] == "2024-04-06T09:30:00"
    assert engine.document("nope") is None
    assert engine.document("") is None


@pytest.mark.parametrize(
    "variants, must_find",
    [
        (["أمطار الإسكندرية", "امطار الاسكندرية", "الأمطار إسكندرية"], {"d03", "d04"}),
        (["مستشفى", "مستشفي", "المستشفى"], {"d05", "d06"}),
        (["مدرسة", "مدرسه", "المدرسة", "والمدرسة", "للمدرسة"], {"d01", "d02", "d09", "d13", "d15"}),
        (["الإقتصاد", "الاقتصاد", "اقتصاد"], {"d12", "d14"}),
    ],
)
def test_spelling_variants_and_clitics_find_the_same_documents(engine, variants, must_find):
    found = [ids(engine, q) for q in variants]
    assert all(f == found[0] for f in found), dict(zip(variants, found))
    assert must_find <= found[0]
    assert found[0] == {d["id"] for d in expected(engine, variants[0])}


def test_vocalised_query_finds_plain_text_and_plain_query_finds_vocalised(engine):
    vocalised = ids(engine, "المَدْرَسَةُ")
    plain = ids(engine, "المدرسة")
    assert vocalised == plain
    assert {"d01", "d02"} <= plain  # d01 is plain, d02 vocalised


def test_phrases_require_adjacent_words(engine):
    loose = ids(engine, "وزير الخارجية")
    assert {"d07", "d08"} <= loose
    phrase = ids(engine, '"وزير الخارجية"')
    assert "d07" in phrase and "d08" not in phrase
    assert ids(engine, "«وزير الخارجية»") == phrase
    assert ids(engine, '"الخارجية وزير"') == set()
    # Quotes inside a longer text are quotation, not a filter: the phrase ranks
    # its documents first, and the other words still find theirs.
    mixed = engine.find('"وزير الخارجية" مستشفى', size=50, snippets=False).hits
    assert mixed[0].id == "d07"
    assert {"d07", "d08"} <= {h.id for h in mixed}


@pytest.mark.parametrize(
    "filters",
    [
        Filters(sources=("الجزيرة",)),
        Filters(sources=("الجزيرة", "العربية")),
        Filters(categories=("تعليم",)),
        Filters(sources=("بي بي سي",), categories=("تعليم", "رياضة")),
        Filters(date_from="2024-02-15", date_to="2024-05-01"),  # both bounds inclusive
        Filters(date_from="2024-04-06"),  # d06 has a time of day: its day still counts
        Filters(date_to="2023-12-31"),
        Filters(sources=("لا يوجد",)),
    ],
)
def test_filters(engine, filters):
    want = {d["id"] for d in expected(engine, BROAD, filters)}
    result = engine.find(BROAD, size=100, filters=filters, snippets=False)
    assert {h.id for h in result.hits} == want
    assert result.total == len(want)


def test_a_reversed_date_range_is_an_empty_range(engine):
    # As a range query in Lucene or Elasticsearch: nothing lies between, nothing is wrong.
    result = engine.find(BROAD, filters=Filters(date_from="2024-05-01", date_to="2024-01-01"))
    assert result.total == 0 and result.hits == []


def test_date_range_bounds_are_inclusive(engine):
    found = ids(engine, BROAD, filters=Filters(date_from="2024-02-15", date_to="2024-05-01"))
    assert {"d02", "d07"} <= found
    assert "d10" not in found  # no date: outside every range


FACET_SELECTIONS = [
    Filters(),
    Filters(categories=("تعليم", "صحة")),
    Filters(date_from="2024-01-01"),
    Filters(sources=("الجزيرة",)),
    Filters(sources=("الجزيرة", "العربية"), categories=("صحة",)),
    Filters(authors=("سارة علي",), date_to="2024-06-30"),
]


@pytest.mark.parametrize("group", [True, False])
@pytest.mark.parametrize("filters", FACET_SELECTIONS)
def test_facets_count_every_match_of_the_other_filters(engine, filters, group):
    # Disjunctive: a facet is counted over every filter but its own.
    result = engine.find(BROAD, size=2, filters=filters, facets=True, snippets=False, group=group)
    assert result.articles == len(expected(engine, BROAD, filters))
    for name in ("source", "category", "author"):
        brute = Counter(d[name] for d in expected(engine, BROAD, filters.without(name)) if d[name])
        assert result.facets[name] == dict(brute), name


def test_selecting_a_source_keeps_the_other_sources_counts(engine):
    unfiltered = engine.find(BROAD, facets=True, snippets=False)
    one = engine.find(BROAD, facets=True, snippets=False, filters=Filters(sources=("الجزيرة",)))
    assert len(unfiltered.facets["source"]) > 1
    assert one.facets["source"] == unfiltered.facets["source"]
    # The other facets count only the selected source's articles.
    assert sum(one.facets["category"].values()) < sum(unfiltered.facets["category"].values())
    assert one.articles == unfiltered.facets["source"]["الجزيرة"]


def in_time_order(docs: list[dict], newest: bool) -> list[str]:
    """Ids by full timestamp (a day alone is its midnight), then id; undated last, by id."""
    dated = sorted((d for d in docs if d["date"]), key=lambda d: d["id"])
    dated.sort(key=lambda d: instant_of(d["date"]), reverse=newest)  # stable: ties stay in id order
    return [d["id"] for d in dated] + sorted(d["id"] for d in docs if not d["date"])


@pytest.mark.parametrize("sort", ["date", "oldest"])
@pytest.mark.parametrize("query", [BROAD, "", "اقتصاد"])
def test_sort_by_time_of_day_then_id_undated_last(engine, sort, query):
    filters = Filters() if query else Filters(date_from="2024-04-01")  # an empty query browses its filters
    matching = expected(engine, query or "مدرسة امطار مستشفى وزير كرة اقتصاد ثغرة اسواق", filters)
    want = in_time_order(matching, newest=sort == "date")
    assert [h.id for h in engine.find(query, size=100, sort=sort, filters=filters, snippets=False, group=False).hits] == want
    # Page by page, every edge cutting a run of one time (d00, d12, d14 share a second).
    for size in (1, 2, 3):
        pages = [engine.find(query, page=p, size=size, sort=sort, filters=filters, snippets=False, group=False).hits
                 for p in range(1, len(want) // size + 2)]
        assert [h.id for page in pages for h in page] == want, size
    assert [h.id for h in engine.export(SearchRequest(query, sort=sort, filters=filters, group=False))] == want


def test_the_time_of_day_orders_one_day(engine):
    ids_newest = [h.id for h in engine.find("وزير", size=100, sort="date", snippets=False).hits]
    assert ids_newest.index("d16") < ids_newest.index("d07")  # 06:15 after the day's midnight


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_pagination(engine, sort):
    total = len(expected(engine, BROAD))
    pages = [engine.find(BROAD, page=p, size=4, sort=sort, snippets=False) for p in (1, 2, 3, 4, 5)]
    assert all(p.total == total for p in pages)
    seen = [h.id for p in pages for h in p.hits]
    assert len(seen) == len(set(seen)) == total
    assert seen == [h.id for h in engine.find(BROAD, size=100, sort=sort, snippets=False).hits]
    assert engine.find(BROAD, page=10, size=100, snippets=False).hits == []  # past the last match
    with pytest.raises(InvalidRequest, match="page"):
        engine.find(BROAD, page=10**9, size=100)  # past the deepest result reachable


def test_relevance_order_is_by_score(engine):
    hits = engine.find(BROAD, size=100, snippets=False).hits
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    # The title field and the exact form count more: only d15 has للمدرسة as written.
    assert engine.find("للمدرسة", snippets=False).hits[0].id == "d15"
    assert engine.find("مدرسة", snippets=False).hits[0].id in {"d01", "d13", "d15"}


def test_highlights_mark_the_written_word_and_escape_html(engine):
    hits = {h.id: h for h in engine.find("مدرسة", size=100).hits}
    assert "<mark>المَدْرَسَةُ</mark>" in hits["d02"].snippet
    assert "<mark>للمدرسة</mark>" in hits["d15"].snippet
    snippet = hits["d09"].snippet
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet
    assert "<mark>المدرسة</mark>" in snippet


# Odd input -> the plain query it must behave as (None: finds nothing).
ODD_QUERIES = [
    ("", None), ("   ", None), ("***", None), ('"', None), ('""', None), ("\ud800", None), ("\x00", None),
    ("\u200f\u064b", None),
    # Characters outside the query language are text: only the words count.
    ("field:مدرسة^2 [امطار TO b]", "field مدرسة 2 امطار to b"),
    # Malformed syntax (operators without operands) is read as its plain words.
    ("AND OR NOT ( ) { مدرسة", "مدرسة"),
    # A NUL or a lone surrogate is dropped, without gluing or splitting words.
    ("مدرسة\ud800", "مدرسة"),
    ("مدرسة\x00 امطار", "مدرسة امطار"),
    ("ك " * 400 + "مدرسة", "ك مدرسة"),
]


@pytest.mark.parametrize("query, same_as", ODD_QUERIES)
def test_odd_queries_behave_as_their_plain_words(engine, query, same_as):
    result = engine.find(query, size=100, snippets=True, facets=True)
    if same_as is None:
        assert result.total == 0 and result.hits == []
        return
    plain = engine.find(same_as, size=100, snippets=False, facets=True)
    assert result.total == plain.total > 0
    assert [h.id for h in result.hits] == [h.id for h in plain.hits]
    assert result.facets == plain.facets


@pytest.mark.parametrize("query", ["مدرسة" * 2000, "ك " * 5000])
def test_queries_over_the_character_limit_are_refused_with_the_limit_named(engine, query):
    with pytest.raises(InvalidRequest, match="1000 characters"):
        engine.find(query)


def test_empty_query_finds_nothing(engine):
    assert engine.find("").total == 0
    assert engine.find("***").total == 0


@pytest.mark.parametrize("query", ["مستشفى", "امطار الاسكندرية", '"وزير الخارجية"', "كرة القدم", "اقتصاد", BROAD])
def test_backends_agree(engines, query):
    results = {name: eng.find(query, size=100, snippets=False) for name, eng in engines.items()}
    whoosh, tantivy = results["whoosh"], results["tantivy"]
    assert whoosh.total == tantivy.total
    assert {h.id for h in whoosh.hits} == {h.id for h in tantivy.hits}
    assert [h.id for h in whoosh.hits[:1]] == [h.id for h in tantivy.hits[:1]]


@pytest.mark.parametrize("name", BACKENDS)
def test_missing_or_damaged_index_raises_backend_error(tmp_path, name):
    with pytest.raises(BackendError):
        open_reader(name, tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(BackendError):
        open_reader(name, tmp_path / "empty")
    built = tmp_path / "index"
    reindex([write_jsonl(tmp_path / "c.jsonl", CORPUS[:3])], index_dir=built, backend=name)
    generation = IndexRoot(built).current()
    for path in generation.iterdir():
        if path.name != "manifest.json" and path.is_file() and path.stat().st_size > 0:
            path.write_bytes(b"\0garbage")
    with pytest.raises(BackendError):
        open_reader(name, generation).search(IndexQuery(should=(Term("body", "مدرس"),)))


def test_vocabulary_is_the_same_on_every_backend(engines):
    vocabularies = {}
    for name, eng in engines.items():
        reader = open_reader(name, eng.root.current())
        vocabularies[name] = dict(reader.vocabulary("exact"))
        reader.close()
    assert vocabularies["whoosh"] == vocabularies["tantivy"]
    assert vocabularies["tantivy"]["مدرسه"] == 2  # d01, d13 (d15 has للمدرسه)


def test_concurrent_searches_from_threads_agree_with_serial_ones(engine):
    queries = [BROAD, "مدرسة", '"وزير الخارجية"', "امطار", "كرة القدم", "اقتصاد"] * 20

    def run(query):
        result = engine.find(query, size=5, facets=True)
        return result.total, [h.id for h in result.hits], result.facets

    serial = [run(q) for q in queries]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(run, queries)) == serial


def test_a_page_never_holds_more_than_its_size_with_facets(engine):
    # With facets Whoosh collects every match; the page must still be `size` long.
    result = engine.find("وزير", size=1, facets=True, snippets=False)
    assert result.total > 1 and len(result.hits) == 1


@pytest.fixture(scope="module")
def tantivy_index(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tantivy-match")
    reindex([write_jsonl(tmp / "corpus.jsonl", CONTRACT)], index_dir=tmp / "index", backend="tantivy")
    eng = Searcher(tmp / "index")
    with eng.served.using() as index:
        yield index.reader, index.analyzer
    eng.close()


@pytest.mark.parametrize(
    "query",
    [
        BROAD,
        "وزير الخارجية يزور القاهرة",  # adjacent pairs
        '"وزير الخارجية"',  # a phrase that filters
        "زيارة «وزير الخارجية» للقاهرة",  # a phrase that only ranks
        "ماذا قال وزير المالية",  # a question word
        " ".join(f"كلمة{i}" for i in range(40)) + ' "مدرسة القرية"',  # a phrase past the term cap
    ],
)
@pytest.mark.parametrize("filters", [Filters(), Filters(sources=("الجزيرة",), date_from="2024-01-01")])
def test_tantivy_facets_count_what_the_ranking_query_matches(tantivy_index, query, filters):
    # Facets are counted over a cheaper query without the score-only clauses:
    # it must match exactly the documents the ranking query does.
    reader, analyzer = tantivy_index
    query = describe(parse_query(query, analyzer), filters, limit=100, facets=True)
    searcher = reader._searcher()
    scoring = reader._query(query.should, query, score=True)
    matching = reader._query(query.matching, query, score=False)
    ranked = {(a.segment_ord, a.doc) for _, a in searcher.search(scoring, limit=100).hits}
    matched = {(a.segment_ord, a.doc) for _, a in searcher.search(matching, limit=100).hits}
    assert ranked == matched
    assert facet_counts(searcher, matching) == facet_counts(searcher, scoring)


def facet_counts(searcher, query) -> dict:
    aggregate(searcher, query, IndexQuery(facets=True), result := empty_result())
    return result.facets


# author: searches the byline's words, analysed as any text (أحمد finds احمد); a phrase keeps their order.
AUTHOR_QUERIES = [
    ("author:حسن", {"d07", "d12"}),
    ("author:أحمد", {"d07", "d12"}),
    ('author:"احمد حسن"', {"d07", "d12"}),
    ('author:"حسن احمد"', set()),
    ("author:سارة", {"d00", "d01", "d05"}),
    ("author:القاهرة", {"d12"}),
    ("author:مدرسة", set()),  # a word of titles and bodies, of no byline
    ("+author:سارة -مستشفى", {"d00", "d01"}),
]


@pytest.mark.parametrize("query, want", AUTHOR_QUERIES)
def test_author_searches_the_byline(engine, query, want):
    assert ids(engine, query, group=False) == want


def test_author_is_returned_in_hits_and_documents(engine):
    hit = next(h for h in engine.find("مستشفى", snippets=False).hits if h.id == "d05")
    assert hit.author == "سارة علي"
    assert engine.document("d12")["author"] == "القاهرة - أحمد حسن"
    assert engine.document("d04")["author"] is None


def test_an_abstract_of_its_own_words_is_searched_and_returned(engine):
    assert ids(engine, "سيول") == {"d03"}
    assert ids(engine, '"شوارع المدينة"') == {"d03"}
    assert ids(engine, '"المدينة هطلت"') == set()  # no phrase runs from the abstract into the body
    assert engine.document("d03")["abstract"] == "سيول تغمر شوارع المدينة"
