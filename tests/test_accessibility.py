"""axe-core in the real browser: no accessibility violation on any page a reader meets.

Debian's Chromium driven by Playwright against `fahras serve` (the browser
step, `pytest -m browser`); axe-core as shipped by axe-playwright-python.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from indexer.reindex import reindex

from .conftest import fahras_serve, write_jsonl
from .test_browser import CHROMIUM, CHROMIUM_ARGS, type_until_listed
from .web_corpus import DOCS

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "results with facets": "/?q=" + quote("الاقتصاد"),
    "results filtered, page 2": "/?q=" + quote("الاقتصاد") + "&category=economy&page=2&size=3",
    "article": "/doc/trump-1?q=" + quote("ترامب"),
    "no results": "/?q=" + quote("كلمةلاتوجدابدا"),
    "error: not found": "/doc/no-such-article",
    "error: bad parameter": "/?q=" + quote("الاقتصاد") + "&page=0",
    "error: unknown page": "/no/such/page",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("a11y")
    reindex([write_jsonl(directory / "corpus.jsonl", DOCS)], index_dir=directory / "index")
    with fahras_serve(directory / "index", directory / "serve.log") as (_, url):
        yield url


@pytest.fixture(scope="module")
def page():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-browser.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser.new_page()
        browser.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_violation(server, page, name):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(server + PAGES[name])
    assert page.locator("h1").count() == 1, "every page has one h1"
    results = Axe().run(page)
    violations = results.response["violations"]
    print(f"{name}: {len(results.response['passes'])} rules passed, {len(violations)} violated")
    assert violations == [], results.generate_report()


def test_axe_finds_no_violation_with_the_completions_open(server, page):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(server + "/")
    type_until_listed(page, "الاق")
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#q", "aria-expanded") == "true"
    assert page.get_attribute("#q", "aria-activedescendant") == "q-option-0"
    results = Axe().run(page)
    assert results.response["violations"] == [], results.generate_report()
