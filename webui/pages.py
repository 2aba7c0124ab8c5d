"""The search page and the article page: parse the query string, call the search service, render.

Every page works as a plain GET form without JavaScript. Text from users and
documents reaches the templates as plain strings and is escaped by Jinja; the
only markup passed through (`|safe`) is the highlighter's output, which
escapes everything but its own <mark> tags.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, current_app, render_template, request, url_for

from search.documents import MAX_ID_CHARS
from search.export import FORMATS
from search.index import IndexUnavailable
from search.query import clean_text
from search.request import InvalidRequest, SearchRequest
from search.results import SearchResult

from .chart import timeline_chart
from .display import category_name, source_name
from .errors import INDEX_UNAVAILABLE_AR, timeout_arabic
from .params import parse_search_args
from .service import SearchTimeout

bp = Blueprint("pages", __name__)
PAGE_SIZE = 10
FACET_VALUES_SHOWN = 15
PAGE_LINKS_AROUND = 3
SEARCH_STATE = ("q", "source", "category", "author", "from", "to", "sort", "group", "page", "size")
# Facet field, its heading, how a value is shown.
FACETS = (("source", "المصدر", source_name), ("category", "القسم", category_name), ("author", "الكاتب", str))


@dataclass
class FacetEntry:
    value: str
    label: str
    count: int
    checked: bool


def search_url(params: SearchRequest, **changes) -> str:
    """The page URL for `params` with `changes` (q, page, ...), omitting defaults so links stay short."""
    q = changes.get("q", params.q)
    page = changes.get("page", 1)
    f = params.filters
    pairs = [("q", q)]
    pairs += [(name, value) for name, _, _ in FACETS for value in f.selected(name)]
    pairs += [(name, value) for name, value in (("from", f.date_from), ("to", f.date_to)) if value]
    if params.sort != "relevance":
        pairs.append(("sort", params.sort))
    if params.size != PAGE_SIZE:
        pairs.append(("size", params.size))
    if not params.group:
        pairs.append(("group", "off"))
    if page > 1:
        pairs.append(("page", page))
    return url_for("pages.index") + "?" + urlencode(pairs)


def _query_string(params: SearchRequest, **extra) -> str:
    """The search parameters of `params` (no page) with `extra`, for the export and feed links."""
    query = search_url(params).split("?", 1)[1]
    return "&".join(part for part in (query, urlencode(extra)) if part)


def _facets(result: SearchResult, params: SearchRequest) -> list[dict]:
    facets = []
    for name, title, label in FACETS:
        selected = params.filters.selected(name)
        counts = result.facets.get(name, {})
        values = sorted(counts, key=lambda v: (-counts[v], v))[:FACET_VALUES_SHOWN]
        # A ticked value stays on screen even when nothing matches it any more.
        values += [v for v in selected if v not in values]
        entries = [FacetEntry(v, label(v), counts.get(v, 0), v in selected) for v in values]
        if entries:
            facets.append({"name": name, "title": title, "entries": entries})
    return facets


def _pages(result: SearchResult, params: SearchRequest) -> dict:
    last = min(-(-result.total // params.size), current_app.config["LIMITS"].max_page)
    around = range(max(1, params.page - PAGE_LINKS_AROUND), min(last, params.page + PAGE_LINKS_AROUND) + 1)
    return {
        "current": params.page,
        "numbers": [(n, search_url(params, page=n)) for n in around],
        "previous": search_url(params, page=params.page - 1) if params.page > 1 else None,
        "next": search_url(params, page=params.page + 1) if params.page < last else None,
    }


@bp.get("/")
def index():
    raw_q = " ".join(clean_text(request.args.get("q", "")).split())
    context = {"q": raw_q[: current_app.config["LIMITS"].max_query_chars], "params": None, "result": None, "error": None}
    status = 200
    try:
        params = parse_search_args(request.args, current_app.config["LIMITS"], default_size=PAGE_SIZE, form=True)
        context["params"] = params
        if params.q or params.filters:  # an empty query with filters browses them
            service = current_app.extensions["fahras"]
            result = service.search(params)
            context.update(
                result=result,
                titles=service.marked_titles(result),
                facets=_facets(result, params),
                pages=_pages(result, params),
                first=(params.page - 1) * params.size + 1,
                first_page_url=search_url(params, page=1),
                # An article opened from here links back to this very page: query, filters, sort and page.
                search_state=search_url(params, page=params.page).split("?", 1)[1],
                suggestion_url=search_url(params, q=result.suggestion) if result.suggestion else None,
                chart=timeline_chart(result.timeline, params, search_url),
                export_urls={f: url_for("api.export") + "?" + _query_string(params, format=f) for f in FORMATS},
                feed_url=url_for("feed.feed") + "?" + _query_string(params),
            )
        else:
            try:
                context["overview"] = current_app.extensions["fahras"].overview()
            except IndexUnavailable:
                context["no_index"] = True  # the home page still explains, and says how to build one
    except InvalidRequest as exc:
        context.update(error=exc.arabic, kept=_kept(request.args))
        status = 400
    except IndexUnavailable:
        context.update(error=INDEX_UNAVAILABLE_AR, kept=_kept(request.args))
        status = 503
    except SearchTimeout as exc:
        context.update(error=timeout_arabic(exc.seconds), kept=_kept(request.args))
        status = 503
    return render_template("search.html", **context), status


def _kept(args) -> dict:
    """The filters of a search that could not run, as given (Jinja escapes them)."""
    limits = current_app.config["LIMITS"]

    def values(name: str) -> list[str]:
        kept = [clean_text(v)[: limits.max_filter_chars] for v in args.getlist(name) if v.strip()]
        return kept[: limits.max_filter_values]

    return {
        "sort": args.get("sort", ""), "date_from": clean_text(args.get("from", ""))[:10], "date_to": clean_text(args.get("to", ""))[:10],
        "facets": [(name, title, values(name)) for name, title, _ in FACETS],
    }


@bp.get("/doc/<path:doc_id>")
def document(doc_id: str):
    limit = current_app.config["LIMITS"].max_query_chars
    q = " ".join(clean_text(request.args.get("q", ""))[:limit].split())
    service = current_app.extensions["fahras"]
    doc = service.document(doc_id) if len(doc_id) <= MAX_ID_CHARS else None
    if doc is None:
        return render_template(
            "error.html", heading="الخبر غير موجود", message="لم يُعثر على هذا الخبر؛ ربما حُذف من الفهرس.", status=404, q=q
        ), 404
    title_html, paragraphs = service.highlighted(doc, q)
    # Back to the results the article was opened from: the search's own parameters, nothing else.
    state = [(name, value) for name, value in request.args.items(multi=True) if name in SEARCH_STATE and value]
    back = url_for("pages.index") + ("?" + urlencode(state) if state else "")
    try:
        related = service.related(doc_id) or []
    except (IndexUnavailable, SearchTimeout):  # the article is there; only its related list is missing
        related = []
    return render_template(
        "document.html", doc=doc, title_html=title_html, paragraphs=paragraphs, q=q, back_url=back, related=related,
        standfirst=_standfirst(doc),
    )


def _standfirst(doc: dict) -> str | None:
    """The abstract, shown above the body unless it is the body's own opening (most outlets print that)."""
    abstract = " ".join((doc.get("abstract") or "").split())
    return abstract if abstract and abstract not in " ".join((doc.get("body") or "").split()) else None
