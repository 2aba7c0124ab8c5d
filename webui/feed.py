"""GET /feed?<the search parameters>: the newest matching articles as an Atom feed (RFC 4287).

A feed reader polling it is an alert service: a saved search that shows what
is new. Entries link to the article page; ids are the article pages' URLs,
so a reader never shows one article twice.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, current_app, request, url_for

from search.results import Hit, SearchResult

from .params import parse_search_args
from .pages import search_url

bp = Blueprint("feed", __name__)
ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 20


def _when(date: str | None) -> str | None:
    """A stored ISO date (day or day and time, taken as UTC) as an RFC 3339 timestamp."""
    if not date:
        return None
    try:
        moment = datetime.fromisoformat(date[:19])
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(parent: ET.Element, tag: str, text: str, **attrs) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = text
    return element


def _entry(feed: ET.Element, hit: Hit, fallback: str) -> None:
    entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
    page = url_for("pages.document", doc_id=hit.id, _external=True)
    _text(entry, "id", page)
    _text(entry, "title", hit.title or "خبر بلا عنوان")
    _text(entry, "updated", _when(hit.date) or fallback)
    ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": page})
    if hit.source:
        ET.SubElement(entry, f"{{{ATOM}}}author").append(_named(hit.source))
    if hit.category:
        ET.SubElement(entry, f"{{{ATOM}}}category", {"term": hit.category})
    if hit.snippet:
        _text(entry, "summary", hit.snippet, type="html")  # escaped text with <mark>: HTML, escaped again by XML


def _named(name: str) -> ET.Element:
    element = ET.Element(f"{{{ATOM}}}name")
    element.text = name
    return element


def atom(result: SearchResult, title: str, self_url: str, page_url: str) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "ar"})
    newest = max((w for h in result.hits if (w := _when(h.date))), default=None)
    updated = newest or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    _text(feed, "id", self_url)
    _text(feed, "title", title)
    _text(feed, "updated", updated)
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "type": "application/atom+xml", "href": self_url})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": page_url})
    ET.SubElement(feed, f"{{{ATOM}}}author").append(_named("فهرس"))
    for hit in result.hits:
        _entry(feed, hit, updated)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


@bp.get("/feed")
def feed():
    params = parse_search_args(request.args, current_app.config["LIMITS"])
    # The newest first, whatever the page asked: a feed is what is new.
    params = replace(params, page=1, size=FEED_ENTRIES, sort="date")
    result = current_app.extensions["fahras"].search(params)
    page_url = request.host_url.rstrip("/") + search_url(params)
    title = f"فهرس: {params.q}" if params.q else "فهرس: أحدث الأخبار"
    body = atom(result, title, request.url, page_url)
    return Response(body, content_type="application/atom+xml; charset=utf-8")
