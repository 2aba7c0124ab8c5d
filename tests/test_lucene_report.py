"""The Lucene comparison's section of docs/performance.md survives the other renderer, and only its own text changes."""
from __future__ import annotations

import pytest

from benchmarks.lucene_report import BEGIN, END, kept_section, section, splice

ROW = {"size": "news", "documents": 72716, "fahras_docs_s": 3000.0, "lucene_docs_s": 2000.0, "fahras_q_s": 900.0,
       "lucene_q_s": 300.0, "load_before": 1.0, "load_after": 2.0}


@pytest.mark.parametrize("page", ["# Performance\n\nintro\n", "# Performance\n"])
def test_a_section_goes_after_the_title_then_is_replaced_in_place(page):
    once = splice(page, "first")
    twice = splice(once, "second")
    assert once.startswith("# Performance\n") and "first" in once
    assert "first" not in twice and "second" in twice
    assert twice.replace(kept_section(twice), "") == once.replace(kept_section(once), "")
    assert kept_section(twice).startswith(BEGIN) and kept_section(twice).endswith(END)


def test_a_page_without_the_section_keeps_nothing():
    assert kept_section("# Performance\n\nno section\n") == ""


def test_the_table_gives_each_ratio():
    text = section([ROW], "2 cores")
    assert "| news | 72,716 | 3,000 | 2,000 | ×1.50 | 900 | 300 | ×3.00 |" in text


def test_the_ungrouped_rates_get_their_own_table_only_when_measured():
    assert "--no-group" not in section([ROW], "2 cores")
    text = section([{**ROW, "fahras_articles_q_s": 1200.0, "fahras_articles_p50_ms": 1.5, "fahras_articles_p95_ms": 3.25}], "2 cores")
    assert "| news | 1,200 | 300 | ×4.00 | 1.50 / 3.25 |" in text
