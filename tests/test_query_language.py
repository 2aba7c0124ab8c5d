"""The query language without an index: how texts are read, what stays plain, what falls back, what is refused."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.index.description import All, Bool, Filters, Phrase, Term
from search.query import TooComplex, describe, parse_query, read_query
from search.query.language import MAX_EXPANSIONS, MAX_PREFIXES
from search.query.syntax import MAX_CLAUSES, MAX_DEPTH

# Text -> how it is read (SearchResult.interpreted): every word analysed as documents are.
READINGS = [
    ("ترامب -روسيا", "ترامب -روسيا"),
    ('ترامب -"البيت الأبيض"', 'ترامب -"البيت الابيض"'),
    ("+ترامب روسيا", "+ترامب روسيا"),
    ("ترامب AND روسيا", "ترامب AND روسيا"),
    ("ترامب OR روسيا AND بوتين", "ترامب (روسيا AND بوتين)"),
    ("(ترامب OR بوتين) AND NOT روسيا", "(ترامب OR بوتين) AND NOT روسيا"),
    ("NOT روسيا", "-روسيا"),
    ("title:ترامب body:روسيا", "title:ترامب body:روسيا"),
    ('title:"البيت الأبيض"', 'title:"البيت الابيض"'),
    ('+source:"بي بي سي" category:سياسة', '+source:"بي بي سي" category:سياسة'),
    ("title:(ترامب بوتين)", "title:ترامب title:بوتين"),
    ("-title:(ترامب بوتين)", "-(title:ترامب OR title:بوتين)"),
    ('"وزير الخارجية"~3', '"وزير الخارجيه"~3'),
    ("covid-19 -كورونا", '"covid 19" -كورونا'),
    # Stopwords are dropped as in documents; a clause of nothing but them goes.
    ("ترامب -في", "ترامب"),
]


@pytest.mark.parametrize("text, reading", READINGS)
def test_operators_are_read_with_the_analysis_of_documents(text, reading):
    assert read_query(text).interpreted == reading


# Texts without operators: exactly the plan (and so the IndexQuery and ranking) they always had.
PLAIN = [
    "ترامب روسيا",
    '"وزير الخارجية"',
    'المملكة تشارك في «ضبط الاتجار»',
    "عاجل - ترامب يصل",  # a dash standing alone is punctuation
    "covid-19 في مصر",  # a hyphen inside a word is part of it
    "(ترامب روسيا)",  # brackets around plain words
    "and or not title",  # operators are capitals, fields need a colon
    "writer:فلان field:مدرسة",  # not fields of the language
    "ك* مدرسة",  # one letter before the star is no prefix
    "ما هي عاصمة مصر",
    " ".join(f"كلمة{i}" for i in range(40)),  # a pasted paragraph: still truncated as before
]


@pytest.mark.parametrize("text", PLAIN)
def test_queries_without_operators_keep_todays_plan_and_index_query(text):
    plan = read_query(text)
    assert plan == parse_query(text) and plan.boolean is None
    for sort in ("relevance", "date"):
        assert describe(plan, Filters(sources=("x",)), sort, 10, 20, True) == describe(parse_query(text), Filters(sources=("x",)), sort, 10, 20, True)


# Malformed syntax -> the plain words it is read as.
MALFORMED = [
    ("(ترامب AND روسيا", "ترامب روسيا"),
    ("ترامب AND", "ترامب"),
    ("OR ترامب", "ترامب"),
    ("ترامب -\"روسيا", "ترامب روسيا"),
    ("NOT", ""),
    ("ترامب title:", "ترامب"),
    ("ترامب) -روسيا", "ترامب) روسيا"),
]


@pytest.mark.parametrize("text, words", MALFORMED)
def test_malformed_syntax_falls_back_to_plain_words(text, words):
    plan = read_query(text)
    assert plan.boolean is None and plan.exacts == parse_query(words).exacts
    assert describe(plan) == describe(parse_query(words))


# Past a bound -> refused, naming it.
TOO_COMPLEX = [
    ("(" * (MAX_DEPTH + 1) + "ترامب -روسيا" + ")" * (MAX_DEPTH + 1), "nest deeper"),
    (" AND ".join(f"كلمة{i}" for i in range(MAX_CLAUSES + 1)), "more than"),
    (" ".join(f"{word}*" for word in ["كتب", "درس", "علم", "سفر", "نهر", "بحر"][: MAX_PREFIXES + 1]), "prefixes"),
    ('"وزير الخارجية"~51', "distance"),
]


@pytest.mark.parametrize("text, message", TOO_COMPLEX)
def test_queries_past_the_bounds_are_refused(text, message):
    with pytest.raises(TooComplex, match=message):
        read_query(text, expand=lambda prefix, n: [prefix + "ات"])


def _expander(vocabulary: dict[str, int]):
    def expand(prefix, n):
        found = sorted((t for t in vocabulary if t.startswith(prefix)), key=lambda t: -vocabulary[t])
        return found[:n]

    return expand


LETTERS = "بتثجحخدذرزسشصضطظعغفقكلمن"
# Prefix -> the exact forms it stands for, given a vocabulary with frequencies.
EXPANSIONS = [
    ("اقتص*", {"اقتصاد": 9, "اقتصادي": 5, "اقتصر": 1, "الاقتصاد": 7}, ["اقتصاد", "اقتصادي", "اقتصر"]),
    ("title:مد*", {"مدرسه": 3, "مدير": 8}, ["مدير", "مدرسه"]),
    ("زلز*", {}, []),
    # Many completions: the most frequent, up to the cap.
    ("كت*", {"كت" + a + b: i for i, (a, b) in enumerate((a, b) for a in LETTERS for b in LETTERS)},
     ["كت" + a + b for a, b in list((a, b) for a in LETTERS for b in LETTERS)[::-1][:MAX_EXPANSIONS]]),
]


@pytest.mark.parametrize("text, vocabulary, exacts", EXPANSIONS)
def test_prefixes_complete_to_the_most_frequent_terms_up_to_a_cap(text, vocabulary, exacts):
    plan = read_query(text + " -روسيا", expand=_expander(vocabulary))
    assert [t.exact for t in plan.terms] == exacts


def test_without_a_vocabulary_a_prefix_is_its_word():
    assert read_query("اقتصاد* -روسيا").interpreted == "اقتصاد -روسيا"


# Query -> the neutral clause it describes (the first `should` clause of its IndexQuery).
CLAUSES = [
    ("ترامب -روسيا", Bool(
        should=(Bool(should=(Term("title", "ترامب", 3.0), Term("body", "ترامب"), Term("lead", "ترامب", 0.5), Term("exact", "ترامب", 0.25))),),
        must_not=(Bool(should=(Term("title", "روس"), Term("body", "روس"))),),
    )),
    ("-روسيا", Bool(must=(All(),), must_not=(Bool(should=(Term("title", "روس"), Term("body", "روس"))),))),
    ("title:ترامب +source:الجزيرة", Bool(must=(Term("source", "الجزيرة", 0.0),), should=(Term("title", "ترامب", 3.0),))),
    ('-"وزير الخارجية"~2 ترامب', Bool(
        should=(Bool(should=(Term("title", "ترامب", 3.0), Term("body", "ترامب"), Term("lead", "ترامب", 0.5), Term("exact", "ترامب", 0.25))),),
        must_not=(Phrase("exact", ("وزير", "الخارجيه"), 2),),
    )),
    # author: searches the stems of the byline; its phrase keeps their order there.
    ("ترامب author:حنوش", Bool(should=(
        Bool(should=(Term("title", "ترامب", 3.0), Term("body", "ترامب"), Term("lead", "ترامب", 0.5), Term("exact", "ترامب", 0.25))),
        Term("byline", "حنوش"),
    ))),
    ('-author:"رنيم حنوش" ترامب', Bool(
        should=(Bool(should=(Term("title", "ترامب", 3.0), Term("body", "ترامب"), Term("lead", "ترامب", 0.5), Term("exact", "ترامب", 0.25))),),
        must_not=(Phrase("byline", ("رنيم", "حنوش")),),
    )),
]


@pytest.mark.parametrize("text, clause", CLAUSES)
def test_the_language_describes_lucene_boolean_clauses(text, clause):
    query = describe(read_query(text))
    assert query.should == (clause,) and not query.required and not query.matching


# Query -> its sort when asked for relevance: nothing ranks without a positive word, so newest first.
SORTS = [("ترامب -روسيا", "relevance"), ("-روسيا", "date"), ("+source:الجزيرة", "date"), ("category:سياسة -روسيا", "date")]


@pytest.mark.parametrize("text, sort", SORTS)
def test_queries_with_nothing_to_rank_list_newest_first(text, sort):
    assert describe(read_query(text)).sort == sort


# Request -> what an empty query lists: everything filtered, newest first; without a filter, nothing.
BROWSING = [
    (Filters(sources=("الجزيرة",)), "relevance", "date"),
    (Filters(date_from="2024-01-01"), "oldest", "oldest"),
    (Filters(), "relevance", None),
]


@pytest.mark.parametrize("filters, sort, listed", BROWSING)
def test_an_empty_query_with_filters_lists_articles(filters, sort, listed):
    query = describe(read_query(""), filters, sort)
    if listed is None:
        assert not query
    else:
        assert query.required == (All(),) and query.sort == listed and query.filters == filters


def test_excluded_words_are_not_highlighted():
    plan = read_query('ترامب -روسيا -"البيت الأبيض" NOT (بوتين) title:زيارة')
    assert plan.exacts == ["ترامب", "زياره"]


_OPERATOR_PIECES = st.sampled_from(["AND", "OR", "NOT", "(", ")", '"', "-", "+", "*", "~2", "title:", "source:", "«", " "])
_WORDS = st.sampled_from(["ترامب", "روسيا", "في", "مدرسة", "covid-19", "اقت", "ك", "٣٠"])


@given(st.lists(st.one_of(_OPERATOR_PIECES, _WORDS, st.text(max_size=4)), max_size=40).map("".join))
def test_reading_never_raises_but_a_refusal(text):
    try:
        plan = read_query(text, expand=lambda prefix, n: [prefix, prefix + "ات"][:n])
    except TooComplex:
        return
    describe(plan, Filters(), "relevance")


@given(st.lists(st.one_of(_WORDS, st.sampled_from([" ", '"', "(", ")", " - ", "«", "»"])), max_size=30).map("".join))
def test_any_text_without_operators_reads_as_today(text):
    assert read_query(text) == parse_query(text)
