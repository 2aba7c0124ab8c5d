"""The results page's timeline, export and feed links, query-language help and reading line; browsing from the page."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from .test_pages import Tags, page
from .web_corpus import ECONOMY_DOCS, app, client, index  # noqa: F401 (fixtures)


def test_the_timeline_is_an_svg_of_linked_bars_with_a_table(client):
    html = page(client, q="الاقتصاد")
    tags = Tags(html)
    bars = tags.find("rect")
    rows = [a["href"] for a in tags.find("a") if "from" in parse_qs(urlsplit(a.get("href", "")).query)]
    assert bars and len(rows) == 2 * len(bars)  # each bar's link, in the SVG and in the table
    assert tags.find("svg", **{"aria-hidden": "true"})
    assert all(a["tabindex"] == "-1" for a in tags.find("a") if a.get("tabindex"))


def test_a_bar_filters_to_its_period_keeping_the_query_and_filters(client):
    html = page(client, q="الاقتصاد", source="Al Arabiya")
    link = next(a["href"] for a in Tags(html).find("a", tabindex="-1"))
    params = parse_qs(urlsplit(link).query)
    assert params["q"] == ["الاقتصاد"] and params["source"] == ["Al Arabiya"]
    assert params["from"][0] <= params["to"][0]
    narrowed = page(client, **{k: v for k, v in params.items()})
    assert 'class="hit"' in narrowed


# Page parameters -> the paths the page links its whole result set to.
TOOLS = [({"q": "الاقتصاد"}, {"/api/export", "/feed"}), ({"q": "لاشيءيطابق"}, set())]


@pytest.mark.parametrize("params, paths", TOOLS)
def test_results_link_to_their_export_and_feed(client, params, paths):
    links = {urlsplit(a["href"]).path for a in Tags(page(client, **params)).find("a") if a.get("href")}
    assert links & {"/api/export", "/feed"} == paths


# Page parameters -> whether the page says how it read the query.
READINGS = [({"q": "الاقتصاد -السعودي"}, True), ({"q": "الاقتصاد"}, False)]


@pytest.mark.parametrize("params, shown", READINGS)
def test_a_query_with_operators_says_how_it_was_read(client, params, shown):
    assert ('class="interpreted"' in page(client, **params)) == shown


@pytest.mark.parametrize("params", [{}, {"q": "الاقتصاد"}])
def test_the_query_language_help_is_on_the_home_and_results_pages(client, params):
    tags = Tags(page(client, **params))
    assert tags.find("details", **{"class": "help"})


def test_an_empty_query_with_a_filter_lists_the_filtered_articles(client):
    html = page(client, category="economy", sort="oldest")
    economy = [d for d in ECONOMY_DOCS if d["category"] == "economy"]
    assert html.count('class="hit"') == min(10, len(economy))
    days = [a for a in Tags(html).find("time")]
    assert [d["datetime"] for d in days] == sorted(d["datetime"] for d in days)
