"""News feeds as a source: RSS and Atom entries mapped to documents, rounds that add nothing twice, bad feeds skipped."""
from __future__ import annotations

import http.server
import threading

import pytest
from click.testing import CliRunner

from cli import main
from indexer import feeds as feeds_module
from indexer.feeds import UNCHANGED, ingest_round, strip_html
from search.searcher import Searcher

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>الأخبار العربية</title><link>https://news.example/</link>
<item><guid isPermaLink="false">rss-1</guid><title>زلزال يضرب جنوب تركيا</title>
<description>&lt;p&gt;ضرب &lt;b&gt;زلزال&lt;/b&gt; قوي المنطقة.&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;p&gt;ولا ضحايا.&lt;/p&gt;</description>
<pubDate>Tue, 01 Dec 2026 02:30:00 +0300</pubDate><category>الشرق الأوسط</category><category>تركيا</category>
<link>https://news.example/rss-1</link></item>
<item><title>ارتفاع أسعار النفط</title><link>https://news.example/oil</link><description>ارتفعت أسعار {oil}.</description></item>
<item><title>بلا معرف ولا رابط</title><description>نص</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>وكالة الأنباء</title><id>urn:feed</id><updated>2026-12-01T08:00:00Z</updated>
<entry><id>urn:atom:1</id><title type="html">قمة &amp;lt;عربية&amp;gt; في الرياض</title>
<link href="https://agency.example/1"/><updated>2026-12-01T08:00:00+02:00</updated>
<summary>ملخص قصير</summary><content type="html">&lt;div&gt;انعقدت القمة العربية في الرياض.&lt;/div&gt;</content>
<category term="سياسة"/></entry>
</feed>"""


def _feed(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


STRIP = [
    ("<p>أ</p><p>ب</p>", "أ\nب"),
    ("نص &amp; رمز &lt;b&gt;", "نص & رمز <b>"),
    ("<script>alert(1)</script>خبر<style>p{}</style>", "خبر"),
    ("سطر<br>سطر   ثان", "سطر\nسطر ثان"),
    ("", ""),
]


@pytest.mark.parametrize("html, text", STRIP)
def test_strip_html(html, text):
    assert strip_html(html) == text


def test_rss_and_atom_entries_become_documents(tmp_path, monkeypatch):
    monkeypatch.setenv("FAHRAS_REFRESH_SECONDS", "0")
    index = tmp_path / "index"
    rss = _feed(tmp_path, "rss.xml", RSS.replace("{oil}", "النفط"))
    atom = _feed(tmp_path, "atom.xml", ATOM)
    result = ingest_round([rss, atom], index)
    assert result.errors == []
    summary = result.summary
    assert (summary.read, summary.indexed, summary.skipped_total) == (4, 3, 1)
    engine = Searcher(index, suggest="off")
    quake = engine.document("rss-1")
    assert quake == {
        "id": "rss-1", "title": "زلزال يضرب جنوب تركيا", "body": "ضرب زلزال قوي المنطقة.\nولا ضحايا.",
        "date": "2026-11-30T23:30:00", "source": "الأخبار العربية", "category": "الشرق الأوسط", "url": "https://news.example/rss-1",
        "author": None, "abstract": None, "group": "rss-1",  # a story of its own
    }
    assert engine.document("https://news.example/oil")["title"] == "ارتفاع أسعار النفط"  # no guid: the link
    summit = engine.document("urn:atom:1")
    assert summit["title"] == "قمة <عربية> في الرياض"
    assert summit["body"] == "انعقدت القمة العربية في الرياض."  # the content, not the summary
    assert (summit["date"], summit["source"], summit["category"]) == ("2026-12-01T06:00:00", "وكالة الأنباء", "سياسة")


def test_a_second_round_adds_nothing_twice_and_takes_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("FAHRAS_REFRESH_SECONDS", "0")
    index = tmp_path / "index"
    rss = _feed(tmp_path, "rss.xml", RSS.replace("{oil}", "النفط"))
    ingest_round([rss], index)
    again = ingest_round([rss], index).summary
    assert (again.indexed, again.skipped[UNCHANGED]) == (0, 2)
    _feed(tmp_path, "rss.xml", RSS.replace("{oil}", "الذهب"))
    changed = ingest_round([rss], index).summary
    assert (changed.indexed, changed.skipped[UNCHANGED]) == (1, 1)
    engine = Searcher(index, suggest="off")
    assert engine.doc_count() == 2 and "الذهب" in engine.document("https://news.example/oil")["body"]


def test_unreachable_malformed_and_huge_feeds_are_reported_and_the_others_indexed(tmp_path, monkeypatch):
    monkeypatch.setenv("FAHRAS_REFRESH_SECONDS", "0")
    monkeypatch.setattr(feeds_module, "MAX_FEED_BYTES", 5000)
    good = _feed(tmp_path, "atom.xml", ATOM)
    broken = _feed(tmp_path, "broken.xml", "404: this is not a feed &")
    huge = _feed(tmp_path, "huge.xml", RSS.replace("{oil}", "ن" * 5000))
    result = ingest_round(["http://127.0.0.1:1/feed.xml", broken, huge, str(tmp_path / "missing.xml"), good], tmp_path / "index")
    assert result.summary.indexed == 1
    reasons = [e.split(": ")[1].split(" (")[0] for e in result.errors]
    assert reasons == ["cannot fetch", "not a readable feed", "over 5000 bytes, not read", "cannot fetch"]


class _Feed(http.server.BaseHTTPRequestHandler):
    body = RSS.replace("{oil}", "النفط").encode()

    def do_GET(self):  # noqa: N802 (the handler's name)
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


def test_cli_polls_a_feed_over_http_every_round(tmp_path, monkeypatch):
    monkeypatch.setenv("FAHRAS_REFRESH_SECONDS", "0")
    server = http.server.HTTPServer(("127.0.0.1", 0), _Feed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/rss.xml"
    try:
        result = CliRunner().invoke(main, ["ingest", "--feed", url, "--feed", "http://127.0.0.1:1/x", "--every", "1",
                                           "--rounds", "2", "--index", str(tmp_path / "index")])
    finally:
        server.shutdown()
    assert result.exit_code == 0, result.output
    assert "round 1" in result.output and "round 2" in result.output
    assert "read 3, indexed 2, skipped 1" in result.output  # round 1
    assert "read 3, indexed 0, skipped 3" in result.output  # round 2: nothing twice
    assert result.output.count("cannot fetch") == 2
