"""Fahras on the web: a search page for people and a JSON API, both thin layers over search.searcher.

    gunicorn -c webui/gunicorn.conf.py 'webui:create_app()'     (or: fahras serve)

Configuration comes from `create_app(config)` or the settings table
(search/settings.py); nothing opens the index until a worker's first request.
"""
from __future__ import annotations

from typing import Any

import re
from urllib.parse import unquote_plus

from flask import Flask, Request, current_app, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.routing import PathConverter
from werkzeug.utils import cached_property
from werkzeug.exceptions import RequestEntityTooLarge

from search import settings
from search.index.store import index_dir
from search.query import clean_text
from search.request import InvalidRequest, Limits

from . import api, errors, feed, metrics, pages, writes
from .display import FILTERS, without_bidi_controls
from .service import SearchService

# No inline script or style anywhere: the page's scripts and stylesheet are static files; the
# search box's completions are fetched from this server's /api/suggest (connect-src).
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


class ArabicJSON(DefaultJSONProvider):
    """UTF-8 JSON (Arabic stays readable and half the size of \\u escapes) that can always be encoded."""

    ensure_ascii = False
    sort_keys = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        text = super().dumps(obj, **kwargs)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            # A lone surrogate cannot be encoded and would turn the response into a 500.
            text = clean_text(text)
        return text


class StrictArgsRequest(Request):
    """A request whose query string must be well-formed: UTF-8, valid percent-escapes, no NUL.

    Werkzeug would keep an invalid `%FF` or `%ED%A0%80` as literal text (searched
    as "%ED%A0%80") and pass a NUL on, which glues two words into one; here any
    of them is a 400 invalid_parameter naming the parameter.
    """

    @cached_property
    def args(self):
        raw = self.query_string
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _malformed(_name_at(raw, raw.decode("utf-8", "replace").find("\ufffd"))) from None
        pairs = []
        for piece in filter(None, text.split("&")):
            name, _, value = piece.partition("=")
            if _BAD_ESCAPE.search(piece):
                raise _malformed(unquote_plus(name, errors="replace") or "query string")
            try:
                name, value = unquote_plus(name, errors="strict"), unquote_plus(value, errors="strict")
            except UnicodeDecodeError:
                raise _malformed(unquote_plus(name, errors="replace") or "query string") from None
            if "\x00" in name or "\x00" in value:
                raise _malformed(name.replace("\x00", "") or "query string")
            pairs.append((name, value))
        return self.parameter_storage_class(pairs)


_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _name_at(raw: bytes, position: int) -> str:
    """The parameter whose text holds `position` of the query string."""
    start = raw.rfind(b"&", 0, max(position, 0)) + 1
    name = raw[start:].split(b"&", 1)[0].partition(b"=")[0]
    return name.decode("utf-8", "replace") or "query string"


def _malformed(name: str) -> InvalidRequest:
    return InvalidRequest(
        name[:50], "invalid percent-encoding, bytes that are not UTF-8, or a NUL byte",
        "الطلب يحوي ترميزًا غير صالح أو حرفًا فارغًا؛ أعد كتابة البحث.",
    )


def default_config() -> dict:
    return {
        "INDEX_DIR": str(index_dir()),
        "BACKEND": None,  # where the served index lives: None follows FAHRAS_BACKEND (search.index.open_store)
        "SEARCH_TIMEOUT": float(settings.get("FAHRAS_SEARCH_TIMEOUT")),
        "SEARCH_THREADS": int(settings.get("FAHRAS_WEB_THREADS")),
        "LIMITS": Limits(),  # FAHRAS_MAX_PAGE_SIZE, FAHRAS_MAX_RESULT_WINDOW
        # The API takes no request body; anything larger than a form is refused with a 413.
        "MAX_CONTENT_LENGTH": 16 * 1024,
        "SUGGEST": "background",  # did-you-mean vocabulary: background, sync (tests) or off
        # Document writes (webui/writes.py): off without a token; bodies up to MAX_WRITE_LENGTH.
        "API_TOKEN": settings.get("FAHRAS_API_TOKEN"),
        "MAX_WRITE_LENGTH": 8 * 1024 * 1024,
        "WRITE_WAIT": 5.0,  # seconds for the single writer lock before a 503 writer_busy
    }


class DocumentId(PathConverter):
    """An id in /api/documents/<id>: any path but one ending in /related, which
    is the read-only related list, so that a PUT or DELETE there is a 405 and
    not a write of the document "<id>/related"."""

    regex = r"[^/].*?(?<!/related)"


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.url_map.converters["document_id"] = DocumentId
    app.request_class = StrictArgsRequest
    app.config.update(default_config())
    app.config.update(config or {})
    app.json = ArabicJSON(app)
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.finalize = without_bidi_controls
    app.extensions["fahras"] = SearchService(
        app.config["INDEX_DIR"],
        timeout=app.config["SEARCH_TIMEOUT"],
        threads=app.config["SEARCH_THREADS"],
        limits=app.config["LIMITS"],
        suggest=app.config["SUGGEST"],
        backend=app.config["BACKEND"],
    )
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(api.health)
    app.register_blueprint(writes.bp)
    app.register_blueprint(feed.bp)
    errors.register(app)
    metrics.register(app)
    app.before_request(_refuse_large_bodies)
    app.after_request(_options_in_json)
    app.after_request(_secure)
    return app


def _refuse_large_bodies() -> None:
    # Werkzeug enforces MAX_CONTENT_LENGTH only when a view reads the body; only the
    # write views do, so refuse up front rather than let a large upload pass silently.
    if request.blueprint == "writes":
        request.max_content_length = current_app.config["MAX_WRITE_LENGTH"]
    length = request.content_length
    if length is not None and length > request.max_content_length:
        raise RequestEntityTooLarge()


def _options_in_json(response):
    # Flask answers OPTIONS itself with an empty body; the API answers in JSON, like every other API response.
    if request.method == "OPTIONS" and errors.wants_json() and response.status_code == 200:
        allow = sorted(m.strip() for m in response.headers.get("Allow", "").split(",") if m.strip())
        response = current_app.json.response({"allow": allow})
        response.headers["Allow"] = ", ".join(allow)
    return response


def _secure(response):
    response.headers["X-Content-Type-Options"] = "nosniff"
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
    # No NUL byte in any response, whatever a stored document holds.
    if not response.direct_passthrough and not response.is_streamed:
        data = response.get_data()
        if b"\x00" in data:
            response.set_data(data.replace(b"\x00", "\ufffd".encode()))
    return response
