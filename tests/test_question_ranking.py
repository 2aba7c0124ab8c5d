"""Questions rank by their own weights: the lead and adjacent pairs count for less than in a headline."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.analysis import get_analyzer
from search.index.description import Phrase, Term
from search.index.ranking import RANKING, Ranking
from search.query import describe, parse_query, read_query

QUESTIONS = [
    ("من هو جمال أحمد حمزة خاشقجي؟", True),
    ("متى ولد خاشقجي", True),  # a question word, no mark
    ("كم عدد سكان الرياض", True),
    ("السعودة الوهمية.. إلى أين؟!", True),
    ("what is the capital of Saudi Arabia?", True),
    ("«ماذا بعد الاتفاق؟»", True),
    ("اختتام مهرجان التراث والأسر المنتجة بالرياض", False),
    ("«السياحة»: 10 % معدل نمو فرص العمل سنويا", False),
    ("أمير الشمالية يزور المنطقة", False),
    ("؟", False),  # nothing to search
    ("", False),
]


@pytest.mark.parametrize("text, question", QUESTIONS)
def test_a_question_is_told_from_a_headline(text, question):
    assert parse_query(text, get_analyzer()).question is question


def _boosts(query, field: str, kind) -> set[float]:
    return {c.boost for c in query.should if isinstance(c, kind) and c.field == field}


def test_a_question_weighs_its_lead_and_pairs_less_and_nothing_else():
    analyzer = get_analyzer()
    asked = describe(parse_query("متى افتتح مطار الملك خالد؟", analyzer))
    stated = describe(parse_query("افتتح مطار الملك خالد", analyzer))
    # The same clauses (question words are dropped from both), only some boosts differ.
    assert [(type(c), c.field, getattr(c, "value", getattr(c, "words", None))) for c in asked.should] == \
        [(type(c), c.field, getattr(c, "value", getattr(c, "words", None))) for c in stated.should]
    w = RANKING.question_weight
    assert _boosts(asked, "lead", Term) == {RANKING.lead_boost * w}
    assert _boosts(asked, "exact", Phrase) == {RANKING.pair_boost * w}
    assert _boosts(stated, "lead", Term) == {RANKING.lead_boost}
    assert _boosts(stated, "exact", Phrase) == {RANKING.pair_boost}
    for field in ("title", "body"):
        assert _boosts(asked, field, Term) == _boosts(stated, field, Term)


@pytest.mark.parametrize("ranking", [Ranking(lead_boost=0.0, pair_boost=0.0), Ranking(question_weight=1.0)])
def test_the_question_weight_adds_nothing_the_ranking_leaves_out(ranking):
    # Plain BM25 rows (no lead, no pairs) and the weight switched off stay what they were for questions.
    assert ranking.for_question() == ranking


def test_queries_with_operators_rank_as_they_always_did():
    assert read_query("متى -الحرب؟", get_analyzer()).question is False


@given(st.text())
def test_only_a_query_with_words_to_search_is_a_question(text):
    plan = parse_query(text, get_analyzer())
    assert not plan.question or plan.terms
