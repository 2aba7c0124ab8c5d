"""A reader in a real browser: Debian's Chromium driven by Playwright against `fahras serve` (gunicorn).

The index holds real articles (every 15th of the multi-source ANT corpus, so
all five outlets appear) plus the hand-written hostile documents. Screenshots
of the results page (desktop and phone width) and of an article page go to
artifacts/screenshots/.

Run with `pytest -m browser`; scripts/install-browser.sh installs Chromium and
Playwright (never Playwright's own browser download).
"""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from indexer.reindex import reindex

from .conftest import REPO, fahras_serve, shared_data, write_jsonl
from .web_corpus import DOCS as HOSTILE_CORPUS

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
CORPUS = "news/antcorpus-v2.1-multisource.jsonl.gz"
STRIDE = 15  # ~2,100 articles from all five outlets (the file is grouped by outlet)
SCREENSHOTS = REPO / "artifacts" / "screenshots"
HOSTILE = [d for d in HOSTILE_CORPUS if d["id"].startswith("xss-")]


def _sample(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for i, line in enumerate(f) if i % STRIDE == 0]


@pytest.fixture(scope="module")
def articles():
    return _sample(shared_data(CORPUS))


@pytest.fixture(scope="module")
def server(articles, tmp_path_factory):
    directory = tmp_path_factory.mktemp("browser")
    source = write_jsonl(directory / "corpus.jsonl", articles + HOSTILE)
    index = directory / "index"
    reindex([source], index_dir=index, backend="whoosh")
    with fahras_serve(index, directory / "serve.log") as (_, url):
        yield url


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-browser.sh")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: run scripts/install-browser.sh")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Reader:
    """A browser tab that records every dialog (an XSS that ran) and CSP violation (our own inline code)."""

    def __init__(self, browser, server: str, **context) -> None:
        self.context = browser.new_context(locale="ar", **context)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.server = server
        self.dialogs: list[str] = []
        self.violations: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("console", self._console)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(message.text)

    def open(self, path: str = "/") -> None:
        response = self.page.goto(self.server + path)
        assert response is not None and response.status < 500

    def navigate(self, action) -> None:
        with self.page.expect_navigation():
            action()

    def hit_ids(self) -> list[str]:
        hrefs = self.page.eval_on_selector_all(".hit h2 a", "links => links.map(a => a.getAttribute('href'))")
        return [re.match(r"/doc/([^?]+)", h).group(1) for h in hrefs]

    def close(self) -> None:
        assert self.violations == [], self.violations
        self.context.close()


@pytest.fixture
def reader(browser, server):
    reader = Reader(browser, server, viewport={"width": 1280, "height": 900})
    yield reader
    reader.close()


HEADLINE_WORDS = ("إدارة", "ترامب", "تركيا")
QUERY = "ادارة ترامب تركيا"  # as a reader types it: bare alef where the headline has إ


def _hamza_headline(articles: list[dict]) -> dict:
    """The article whose headline has all of HEADLINE_WORDS (the sample holds one)."""
    return next(a for a in articles if all(w in (a["title"] or "") for w in HEADLINE_WORDS))


def test_hamza_variant_filter_pages_article_and_sort(reader, articles):
    page = reader.page
    expected = _hamza_headline(articles)
    reader.open("/")
    assert page.evaluate("document.activeElement && document.activeElement.name") == "q"  # autofocus
    reader.navigate(lambda: (page.keyboard.type(QUERY), page.keyboard.press("Enter")))
    assert expected["id"] in reader.hit_ids()[:3]
    assert page.locator(".hit mark", has_text="إدارة").count() > 0
    assert "نتيجة" in page.inner_text(".stats") or "نتائج" in page.inner_text(".stats")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "results.png"), full_page=True)

    # Filter by one outlet: ticking it searches at once (the script submits the form).
    source = "BBC Arabic"
    reader.navigate(lambda: page.check(f'input[name=source][value="{source}"]'))
    assert page.is_checked(f'input[name=source][value="{source}"]')
    sources = page.eval_on_selector_all(".hit .source", "spans => spans.map(s => s.textContent)")
    assert sources and set(sources) == {"بي بي سي عربي"}

    # Back to all outlets, then page 2.
    reader.navigate(lambda: page.uncheck(f'input[name=source][value="{source}"]'))
    first_page = reader.hit_ids()
    reader.navigate(lambda: page.click("nav.pagination a[rel=next]"))
    assert "page=2" in page.url
    assert page.get_attribute("ol.hits", "start") == "11"
    assert not set(reader.hit_ids()) & set(first_page)

    # Open an article: the whole text, the query's words marked, a way back.
    title = page.inner_text(".hit h2 a >> nth=0")
    reader.navigate(lambda: page.click(".hit h2 a >> nth=0"))
    assert "/doc/" in page.url and page.inner_text("article h1") == title
    assert page.locator("article mark").count() > 0
    page.screenshot(path=str(SCREENSHOTS / "article.png"), full_page=True)
    reader.navigate(lambda: page.click("article .back a"))

    # Newest first.
    reader.navigate(lambda: page.check("input[name=sort][value=date]"))
    days = page.eval_on_selector_all(".hit time", "times => times.map(t => t.getAttribute('datetime'))")
    assert len(days) == 10 and days == sorted(days, reverse=True)
    assert reader.dialogs == []


def test_phone_width_is_one_readable_column(browser, server):
    reader = Reader(browser, server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = reader.page
    reader.open("/?q=" + "الاقتصاد السعودي")
    # Nothing wider than the phone: the layout viewport is not widened, the button is on screen.
    assert page.evaluate("[window.innerWidth, document.documentElement.scrollWidth]") == [390, 390]
    button = page.locator(".search button").bounding_box()
    assert 0 <= button["x"] and button["x"] + button["width"] <= 390
    results = page.locator("section.results").bounding_box()
    assert results["width"] > 300  # the results take the whole width, filters go below
    page.screenshot(path=str(SCREENSHOTS / "results-phone.png"), full_page=False)
    reader.close()


def test_without_javascript_the_form_still_filters(browser, server):
    reader = Reader(browser, server, java_script_enabled=False)
    page = reader.page
    reader.open("/")
    reader.navigate(lambda: (page.fill("input[name=q]", "الاقتصاد"), page.press("input[name=q]", "Enter")))
    page.check('input[name=source][value="CNN Arabic"]')  # no script: nothing happens until "تطبيق"
    reader.navigate(lambda: page.click("button.apply"))
    assert "source=CNN+Arabic" in page.url
    sources = page.eval_on_selector_all(".hit .source", "spans => spans.map(s => s.textContent)")
    assert sources and set(sources) == {"سي إن إن بالعربية"}
    reader.close()


def test_hostile_documents_render_as_text_and_no_script_runs(reader):
    page = reader.page
    reader.open("/?q=" + "تقرير الاقتصاد المسموم")
    assert "xss-1" in reader.hit_ids()
    assert "<script>alert(1)</script>" in page.inner_text(".hits")
    for doc_id in ("xss-1", "xss-2"):
        reader.open(f"/doc/{doc_id}?q=الاقتصاد")
        assert "<" in page.inner_text("article h1") or "\"" in page.inner_text("article h1")
        assert page.locator("article img, article svg, article script").count() == 0
        assert page.locator('a[href^="javascript:" i]').count() == 0
    reader.open("/?q=" + '"><script>alert(1)</script><img src=x onerror=alert(2)>')
    assert page.input_value("input[name=q]") == '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    page.wait_for_timeout(300)  # a handler would have fired by now
    assert reader.dialogs == []


def test_did_you_mean_for_a_misspelt_word(reader):
    # The vocabulary is built in the background after a worker's first search: ask until both workers have it.
    page = reader.page
    for _ in range(40):
        reader.open("/?q=" + "الرياظ")
        if page.locator(".suggestion a").count():
            break
        page.wait_for_timeout(500)
    assert page.inner_text(".suggestion a") == "الرياض"
    reader.navigate(lambda: page.click(".suggestion a"))
    assert page.locator(".hit").count() > 0


def _completions_ready(reader, typed: str) -> list[str]:
    """Ask the API until the workers' vocabulary (built in the background) completes `typed`."""
    for _ in range(60):
        found = reader.page.request.get(reader.server + "/api/suggest", params={"q": typed}).json()["suggestions"]
        if found:
            return found
        reader.page.wait_for_timeout(500)
    raise AssertionError(f"no completions for {typed!r}")


def type_until_listed(page, typed: str) -> None:
    """Type `typed` into the empty box until its completions are listed: each worker builds its vocabulary in the background."""
    for _ in range(30):
        page.fill("#q", "")
        page.locator("#q").press_sequentially(typed)
        try:
            page.wait_for_selector("#q-suggestions [role=option]", timeout=2000)
            return
        except Exception:  # that worker's vocabulary is not built yet
            page.wait_for_timeout(500)
    raise AssertionError(f"{typed!r} was never completed in the page")


def _state(page) -> dict:
    return page.eval_on_selector("#q", """box => ({
        expanded: box.getAttribute("aria-expanded"),
        active: box.getAttribute("aria-activedescendant"),
        selected: [...document.querySelectorAll("#q-suggestions [aria-selected=true]")].map(o => o.id),
        visible: !document.getElementById("q-suggestions").hidden,
        status: document.getElementById("q-status").textContent,
        value: box.value,
    })""")


def test_search_box_completions_by_keyboard(reader):
    typed = "ترا"
    expected = _completions_ready(reader, typed)
    page = reader.page
    reader.open("/")
    assert page.get_attribute("#q", "role") == "combobox" and page.get_attribute("#q", "aria-controls") == "q-suggestions"
    type_until_listed(page, typed)
    assert page.eval_on_selector_all("#q-suggestions [role=option]", "os => os.map(o => o.textContent)") == expected
    state = _state(page)
    assert (state["expanded"], state["active"], state["visible"]) == ("true", None, True)
    assert state["status"]  # the count, for screen readers
    page.keyboard.press("ArrowDown")
    assert (_state(page)["active"], _state(page)["selected"]) == ("q-option-0", ["q-option-0"])
    if len(expected) > 1:
        page.keyboard.press("ArrowDown")
        assert _state(page)["selected"] == ["q-option-1"]
        page.keyboard.press("ArrowUp")
    assert _state(page)["active"] == "q-option-0"
    page.keyboard.press("ArrowUp")  # from the first option round to the last
    assert _state(page)["active"] == f"q-option-{len(expected) - 1}"
    page.keyboard.press("Escape")
    state = _state(page)
    assert (state["expanded"], state["active"], state["visible"], state["value"]) == ("false", None, False, typed)
    page.keyboard.press("ArrowDown")  # opens the list again on its first option
    assert (_state(page)["expanded"], _state(page)["active"]) == ("true", "q-option-0")
    reader.navigate(lambda: page.keyboard.press("Enter"))
    assert page.input_value("#q") == expected[0]
    assert page.locator(".hit").count() > 0


def test_enter_without_a_chosen_completion_searches_what_was_typed(reader):
    typed = "ترا"
    _completions_ready(reader, typed)
    page = reader.page
    reader.open("/")
    type_until_listed(page, typed)
    reader.navigate(lambda: page.keyboard.press("Enter"))
    assert page.input_value("#q") == typed


def test_two_sources_ticked_keep_the_others_and_a_date_typed_in_arabic_digits(reader):
    page = reader.page
    reader.open("/?q=" + "الاقتصاد")
    every = page.eval_on_selector_all("input[name=source]", "boxes => boxes.map(b => b.value)")
    reader.navigate(lambda: page.check('input[name=source][value="BBC Arabic"]'))
    reader.navigate(lambda: page.check('input[name=source][value="CNN Arabic"]'))
    sources = page.eval_on_selector_all(".hit .source", "spans => spans.map(s => s.textContent)")
    assert sources and set(sources) <= {"بي بي سي عربي", "سي إن إن بالعربية"}
    # The unticked sources stay on screen, counted, to be added with one more tick.
    assert page.eval_on_selector_all("input[name=source]", "boxes => boxes.map(b => b.value)") == every
    assert page.locator("input[name=source]:checked").count() == 2
    reader.navigate(lambda: (page.fill("input[name=from]", "٢٠١٨-٠٥-٠١"), page.press("input[name=from]", "Enter")))
    days = page.eval_on_selector_all(".hit time", "times => times.map(t => t.getAttribute('datetime'))")
    assert days and min(days) >= "2018-05-01"
    assert page.input_value("input[name=from]") == "٢٠١٨-٠٥-٠١"
    assert page.get_attribute("input[name=from]", "aria-describedby") == "date-format"
    assert reader.dialogs == []


AXIS_LABELS = """() => [...document.querySelectorAll('.timeline .axis text')]
    .map(t => t.getBoundingClientRect()).filter(r => r.width > 0).map(r => [r.left, r.right])"""


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_the_timeline_axis_labels_fit_the_chart_without_overlapping(browser, server, viewport):
    reader = Reader(browser, server, viewport=viewport, is_mobile=viewport["width"] < 720)
    page = reader.page
    reader.open("/?q=" + "الاقتصاد")
    chart = page.locator(".timeline svg").first.bounding_box()
    labels = page.evaluate(AXIS_LABELS)  # shown ones, earliest (rightmost) first
    assert len(labels) >= 2
    assert all(chart["x"] - 0.5 <= left and right <= chart["x"] + chart["width"] + 0.5 for left, right in labels)
    assert all(later[1] < earlier[0] for earlier, later in zip(labels, labels[1:]))  # right to left, apart
    # A bar for every period with matches, however few beside the busiest.
    heights = page.eval_on_selector_all(".timeline rect", "rects => rects.map(r => r.getBoundingClientRect().height)")
    counts = page.eval_on_selector_all(".timeline tbody td:last-child", "cells => cells.map(c => c.textContent)")
    assert all((h >= 1) == (c != "٠") for h, c in zip(heights, counts))
    # The export and feed links, brackets and all, each on one line.
    lines = page.eval_on_selector_all(".tools a", "links => links.map(a => new Set([...a.getClientRects()].map(r => Math.round(r.top))).size)")
    assert lines == [1, 1, 1]
    reader.close()
