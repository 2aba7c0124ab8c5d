"""The search page and the article page, read as HTML: Arabic layout, escaping, filters, paging, errors."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from webui import CONTENT_SECURITY_POLICY
from webui.display import arabic_date, result_count, safe_url

from .web_corpus import ECONOMY_DOCS, XSS_URL, app, client, index, make_app  # noqa: F401 (fixtures)

# Tags and attributes a page of ours may contain; anything else came from a document or a query.
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "link", "script", "body", "header", "a", "form", "label", "input", "button",
    "main", "footer", "div", "p", "aside", "fieldset", "legend", "span", "section", "ol", "li", "h1", "h2", "time",
    "mark", "nav", "ul", "article",
    # The timeline (an SVG of linked bars, an SVG time axis, a table) and the query-language help.
    "figure", "figcaption", "svg", "rect", "details", "summary", "table", "caption", "thead", "tbody", "tr", "th", "td",
    "code", "bdi", "g", "line", "text",
}


class Tags(HTMLParser):
    """Every start tag with its attributes, as a browser would parse them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def find(self, tag: str, **attrs) -> list[dict]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]




def page(client, path="/", status=200, **params):
    response = client.get(path, query_string=urlencode(params, doseq=True))
    assert response.status_code == status, response.data[:500]
    assert response.mimetype == "text/html"
    assert b"\x00" not in response.data
    return response.get_data(as_text=True)


def assert_only_our_markup(html: str) -> None:
    """No script, handler or javascript: link that our templates did not write."""
    tags = Tags(html)
    for tag, attrs in tags.tags:
        assert tag in ALLOWED_TAGS, (tag, attrs)
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        if tag == "script":
            assert attrs.get("src", "").startswith("/static/"), attrs
        for name in ("href", "src", "action"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:text", "vbscript:")), (tag, attrs)
    assert "<script>alert" not in html and "<img src=x" not in html and "<svg onload" not in html  # our timeline is an <svg>


# --- the page as a reader sees it -----------------------------------------------------------


def test_home_is_an_arabic_rtl_page_with_an_autofocused_search_box(client):
    html = page(client)
    assert '<html dir="rtl" lang="ar">' in html
    box = Tags(html).find("input", name="q")
    assert len(box) == 1 and "autofocus" in box[0] and box[0]["type"] == "search"
    assert Tags(html).find("form", id="search")[0]["method"] == "get"
    assert "ادارة" in html  # the intro explains spelling variants


def test_results_show_title_link_marked_snippet_arabic_date_and_source(client):
    html = page(client, q="ادارة ترامب")
    tags = Tags(html)
    links = [a["href"] for a in tags.find("a") if a["href"].startswith("/doc/")]
    assert links and links[0].startswith("/doc/trump-1?")
    assert parse_qs(urlsplit(links[0]).query)["q"] == ["ادارة ترامب"]
    assert "<mark>إدارة</mark>" in html and "<mark>ترامب</mark>" in html
    assert re.search(r'<h2><a href="/doc/trump-1[^"]*"><mark>إدارة</mark> <mark>ترامب</mark> تفرض', html)
    assert "٨ مايو ٢٠١٨" in html and "سكاي نيوز عربية" in html and "دولي" in html
    assert "نتيجة واحدة" in html and "ثانية" in html
    assert Tags(html).find("input", name="q")[0]["value"] == "ادارة ترامب"


def test_facets_are_checkboxes_and_filtering_by_source_narrows(client):
    html = page(client, q="الاقتصاد")
    boxes = Tags(html).find("input", type="checkbox", name="source")
    assert {b["value"] for b in boxes} >= {"BBC Arabic", "Al Arabiya", "Sky News Arabia"}
    assert Tags(html).find("input", type="checkbox", name="category", value="economy")
    filtered = page(client, q="الاقتصاد", source="BBC Arabic", size=50)
    checked = [b for b in Tags(filtered).find("input", type="checkbox", name="source") if "checked" in b]
    assert [b["value"] for b in checked] == ["BBC Arabic"]
    metas = re.findall(r'<span class="source">([^<]*)</span>', filtered)
    assert metas and set(metas) == {"بي بي سي عربي"}


def test_date_inputs_and_sort_choices_are_in_the_form(client):
    html = page(client, q="الاقتصاد", **{"from": "2018-01-01", "to": "2018-12-31"})
    tags = Tags(html)
    # Shown in the page's digits, the format described in Arabic; typed in either digits.
    described = {"form": "search", "lang": "ar", "aria-describedby": "date-format"}
    assert tags.find("input", type="text", name="from", value="٢٠١٨-٠١-٠١", **described)
    assert tags.find("input", type="text", name="to", value="٢٠١٨-١٢-٣١", **described)
    assert tags.find("p", id="date-format") and "بالصيغة سنة-شهر-يوم" in html
    same = page(client, q="الاقتصاد", **{"from": "٢٠١٨-٠١-٠١", "to": "٢٠١٨-١٢-٣١"})
    hits = re.findall(r'<li class="hit">.*?href="([^"?]+)', html, re.S)
    assert hits and re.findall(r'<li class="hit">.*?href="([^"?]+)', same, re.S) == hits
    assert [r["value"] for r in tags.find("input", type="radio", name="sort")] == ["relevance", "date", "oldest"]


def test_sort_by_date_lists_newest_first(client):
    html = page(client, q="الاقتصاد", sort="date")
    days = re.findall(r'<time datetime="([0-9-]+)">', html)
    assert days == sorted(days, reverse=True) and len(days) == 10
    assert "checked" in Tags(html).find("input", type="radio", name="sort", value="date")[0]


def test_pagination_links_keep_the_query_and_filters(client):
    html = page(client, q="الاقتصاد", category="economy")
    assert html.count('class="hit"') == 10
    nav = re.search(r'<nav class="pagination".*?</nav>', html, re.S).group(0)
    links = [a["href"] for a in Tags(nav).find("a")]
    second = next(link for link in links if "page=2" in link)
    assert parse_qs(urlsplit(second).query) == {"q": ["الاقتصاد"], "category": ["economy"], "page": ["2"]}
    assert "٢" in nav and "التالي" in nav
    page2 = page(client, q="الاقتصاد", category="economy", page=2)
    assert '<ol class="hits" start="11">' in page2
    assert page2.count('class="hit"') == len(ECONOMY_DOCS) - 10
    assert "السابق" in page2


def test_did_you_mean_links_to_the_corrected_query(client):
    html = page(client, q="الرياظ")
    link = [a["href"] for a in Tags(html).find("a") if "%D8%B6" in a["href"] or "الرياض" in a["href"]]
    assert "هل تقصد" in html and link
    assert parse_qs(urlsplit(link[0]).query)["q"] == ["الرياض"]


def test_no_results_is_a_clear_message(client):
    html = page(client, q="كلمةلاتوجدابدا", source="BBC Arabic")
    assert "لم نجد أخبارًا تطابق «كلمةلاتوجدابدا»" in html and "أزل بعض المرشحات" in html


def test_article_page_shows_the_whole_text_with_the_query_marked(client):
    html = page(client, "/doc/health-1", q="الرياض")
    assert html.count("<mark>الرياض</mark>") == 3  # title and both paragraphs
    assert html.count("<p>") >= 2
    assert "٣١ يوليو ٢٠١٥" in html and "العربية" in html
    original = Tags(html).find("a", href="http://example.com/health-1")
    assert original and "noopener" in original[0]["rel"]
    back = [a["href"] for a in Tags(html).find("a") if a["href"].startswith("/?")]
    assert parse_qs(urlsplit(back[0]).query) == {"q": ["الرياض"]}


def test_article_page_without_a_query_and_unknown_article(client):
    assert "<mark>" not in page(client, "/doc/trump-1")
    html = page(client, "/doc/no-such-article", status=404)
    assert "لم يُعثر على هذا الخبر" in html


# --- escaping -------------------------------------------------------------------------------


def test_stored_markup_renders_escaped_in_results(client):
    html = page(client, q="الاقتصاد", size=50)
    assert_only_our_markup(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;svg onload=alert(1)&gt;" in html


@pytest.mark.parametrize("doc_id", ["xss-1", "xss-2"])
def test_stored_markup_and_javascript_urls_render_escaped_on_the_article_page(client, doc_id):
    html = page(client, f"/doc/{doc_id}", q="الاقتصاد")
    assert_only_our_markup(html)
    assert XSS_URL not in [a.get("href") for a in Tags(html).find("a")]
    assert "&lt;" in html


@pytest.mark.parametrize(
    "q", ['"><script>alert(1)</script>', "<img src=x onerror=alert(1)>", "'><svg onload=alert(1)>", "</title><script>x"]
)
def test_the_query_is_echoed_escaped(client, q):
    for path in ("/", "/doc/trump-1"):
        html = page(client, path, q=q)
        assert_only_our_markup(html)
    assert Tags(page(client, q=q)).find("input", name="q")[0]["value"] == q


def test_only_web_addresses_become_links():
    assert safe_url("https://example.com/a") == "https://example.com/a"
    for bad in (XSS_URL, " javascript:alert(1)", "JaVaScRiPt:alert(3)", "data:text/html,x", "java\nscript:x", "//x", "", None):
        assert safe_url(bad) is None


# --- headers, errors, odd input ---------------------------------------------------------------


def test_html_carries_csp_without_inline_script_and_nosniff(client):
    for path in ("/", "/?q=ترامب", "/doc/trump-1", "/no-such-page"):
        response = client.get(path)
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        html = response.get_data(as_text=True)
        assert "<script>" not in html and " style=" not in html  # CSP would block inline code and styles
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY and "script-src 'self'" in CONTENT_SECURITY_POLICY


def test_static_files_and_phone_layout(client):
    css = client.get("/static/style.css")
    assert css.status_code == 200 and css.headers["X-Content-Type-Options"] == "nosniff"
    text = css.get_data(as_text=True)
    assert "@media (max-width" in text and '"Noto Naskh Arabic"' in text and "@import" not in text and "url(" not in text
    assert client.get("/static/app.js").status_code == 200


@pytest.mark.parametrize(
    "params, message",
    [
        ({"q": "ترامب", "page": "abc"}, "رقم الصفحة"),
        ({"q": "ترامب", "page": "0"}, "رقم الصفحة"),
        ({"q": "ترامب", "size": "1000"}, "100"),
        ({"q": "ترامب", "page": "500"}, "100"),
        ({"q": "ا" * 1001}, "1000"),
        ({"q": "ترامب", "from": "2018-02-30"}, "سنة-شهر-يوم"),
        ({"q": "ترامب", "to": "٢٠١٨-٠٢-٣٠"}, "سنة-شهر-يوم"),
        ({"q": "ترامب", "sort": "x"}, "الترتيب"),
    ],
)
def test_bad_parameters_give_an_arabic_message_and_keep_the_form(client, params, message):
    html = page(client, status=400, **params)
    assert 'role="alert"' in html and message in html
    assert Tags(html).find("input", name="q")


def test_odd_bytes_and_syntax_never_break_the_page(client):
    for raw, status in ((b"q=%FF", 400), (b"q=%00", 400), (b"q=%ED%A0%80", 400), (b"q=\x80", 400), (b"q=*", 200),
                        (b"q=%22unbalanced", 200), (b"q=%E2%80%AE", 200)):
        response = client.get("/", environ_overrides={"QUERY_STRING": raw.decode("latin-1")})
        assert response.status_code == status and b"\x00" not in response.data, raw
    for path in ("/doc/%FF", "/doc/%00", "/doc/" + "x" * 3000):
        response = client.get(path)
        assert response.status_code == 404 and b"\x00" not in response.data


def test_unknown_page_and_method_are_arabic_pages(client):
    assert "غير موجودة" in page(client, "/nope", status=404)
    response = client.post("/", data={"q": "x"})
    assert response.status_code == 405 and response.mimetype == "text/html" and "غير مسموح" in response.get_data(as_text=True)


def test_missing_index_is_a_friendly_503_not_a_500(tmp_path):
    client = make_app(tmp_path / "never-built").test_client()
    html = page(client, status=503, q="ترامب")
    assert "البحث غير متاح مؤقتًا" in html and "Traceback" not in html
    assert "البحث غير متاح مؤقتًا" in page(client, "/doc/trump-1", status=503)
    assert page(client).count('name="q"') == 1  # the home page itself needs no index


# --- Arabic display helpers -----------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [("2015-07-31T10:00:00", "٣١ يوليو ٢٠١٥"), ("2018-01-05", "٥ يناير ٢٠١٨"), ("2018-12-01", "١ ديسمبر ٢٠١٨"),
     (None, ""), ("", ""), ("2018-13-01", ""), ("garbage", "")],
)
def test_arabic_dates(value, expected):
    assert arabic_date(value) == expected


@pytest.mark.parametrize(
    "n, expected",
    [(0, "لا نتائج"), (1, "نتيجة واحدة"), (2, "نتيجتان"), (3, "٣ نتائج"), (10, "١٠ نتائج"), (11, "١١ نتيجة"),
     (103, "١٠٣ نتائج"), (1500, "١٬٥٠٠ نتيجة")],
)
def test_result_counts_follow_arabic_number_agreement(n, expected):
    assert result_count(n) == expected


def test_bidi_controls_in_stored_fields_cannot_reorder_the_page(tmp_path):
    from indexer.reindex import reindex
    from webui import create_app

    from .conftest import write_jsonl

    doc = {"id": "bidi-1", "title": "عنوان \u202eمقلوب\u202c هنا", "body": "نص \u2067معزول\u2069 الخبر", "source": "مصدر\u202e"}
    reindex([write_jsonl(tmp_path / "c.jsonl", [doc])], index_dir=tmp_path / "index")
    client = create_app({"INDEX_DIR": str(tmp_path / "index"), "SUGGEST": "off", "TESTING": True}).test_client()
    for path in ("/?q=" + "عنوان", "/doc/bidi-1?q=" + "عنوان"):
        html = client.get(path).get_data(as_text=True)
        assert "مقلوب" in html
        assert not any(ch in html for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), path


def test_an_article_links_back_to_the_results_it_was_opened_from(client):
    html = page(client, q="الاقتصاد", category="economy", sort="date", page=2, size=3)
    link = re.search(r'<h2><a href="(/doc/[^"]+)"', html).group(1).replace("&amp;", "&")
    back = re.search(r'<p class="back"><a href="([^"]+)"', client.get(link).get_data(as_text=True)).group(1).replace("&amp;", "&")
    from urllib.parse import parse_qs, urlsplit

    assert urlsplit(back).path == "/"
    assert parse_qs(urlsplit(back).query) == {"q": ["الاقتصاد"], "category": ["economy"], "sort": ["date"], "page": ["2"], "size": ["3"]}


def test_a_search_that_cannot_run_keeps_its_filters(client):
    html = page(client, status=400, q="الاقتصاد", source="Al Arabiya", sort="date", page="0")
    assert 'name="source" value="Al Arabiya" form="search" checked' in html
    assert 'value="date" form="search" checked' in html
    assert html.count("<h1") == 1


def test_the_home_page_shows_what_the_archive_holds(client):
    from .web_corpus import DOCS

    html = page(client)
    sources = {d["source"] for d in DOCS if d.get("source")}
    dates = sorted(d["date"][:10] for d in DOCS if d.get("date"))
    assert "في الأرشيف" in html and html.count("<h1") == 1
    assert f'<time datetime="{dates[0]}">' in html and f'<time datetime="{dates[-1]}">' in html
    linked = {parse_qs(urlsplit(href.replace("&amp;", "&")).query)["source"][0] for href in re.findall(r'href="(/\?source=[^"]*)"', html)}
    assert linked == sources
    newest = max((d for d in DOCS if d.get("date")), key=lambda d: d["date"])
    assert f'href="/doc/{newest["id"]}"' in html
    assert "fahras add" in html  # a small archive says how to add news


@pytest.mark.parametrize("n, noun, text", [(1, "article", "خبر واحد"), (2, "article", "خبران"), (7, "article", "٧ أخبار"),
                                            (25, "article", "٢٥ خبرًا"), (103, "source", "١٠٣ مصادر"), (111, "source", "١١١ مصدرًا")])
def test_counted_nouns_follow_arabic_grammar(n, noun, text):
    from webui.display import counted

    assert counted(n, noun) == text


def test_an_article_shows_its_author_and_an_abstract_of_its_own(client):
    html = page(client, "/doc/school-1")
    assert '<span class="author">الرياض - سارة المطيري</span>' in html
    assert '<p class="standfirst">عام دراسي جديد يبدأ في العاصمة</p>' in html
    assert 'class="standfirst"' not in page(client, "/doc/health-1")  # no abstract
    # Its words are searched; the author is a facet of its own.
    found = page(client, q="دراسي")
    assert "/doc/school-1" in found
    assert Tags(found).find("input", type="checkbox", name="author", value="الرياض - سارة المطيري")
