"""Fahras on the web: a search page for people and a JSON API, both thin layers over search.searcher.

    gunicorn -c webui/gunicorn.conf.py 'webui:create_app()'     (or: fahras serve)

Configuration comes from `create_app(config)` or the settings table
(search/settings.py); nothing opens the index until a worker's first request.
"""
from __future__ import annotations

from typing import Any

from urllib.parse import parse_qsl

from flask import Flask, Request, current_app, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.utils import cached_property
from werkzeug.exceptions import RequestEntityTooLarge

from search import settings
from search.index.store import index_dir
from search.query import clean_text
from search.request import Limits

from . import api, errors, pages
from .display import FILTERS
from .service import SearchService

# No inline script or style anywhere: the page's one script and one stylesheet are static files.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
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


class LenientRequest(Request):
    """A request whose query string may hold raw bytes that are not UTF-8.

    Werkzeug decodes the raw query string strictly (a 500 for `?q=\\x80` sent
    unencoded); here such bytes are kept percent-encoded, exactly as Werkzeug
    already keeps an invalid `%FF`, so they become harmless text.
    """

    @cached_property
    def args(self):
        text = self.query_string.decode("utf-8", "werkzeug.url_quote")
        return self.parameter_storage_class(parse_qsl(text, keep_blank_values=True, errors="werkzeug.url_quote"))


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
    }


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.request_class = LenientRequest
    app.config.update(default_config())
    app.config.update(config or {})
    app.json = ArabicJSON(app)
    app.jinja_env.filters.update(FILTERS)
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
    errors.register(app)
    app.before_request(_refuse_large_bodies)
    app.after_request(_secure)
    return app


def _refuse_large_bodies() -> None:
    # Werkzeug enforces MAX_CONTENT_LENGTH only when a view reads the body; no view
    # here does, so refuse up front rather than let a large upload pass silently.
    length = request.content_length
    if length is not None and length > current_app.config["MAX_CONTENT_LENGTH"]:
        raise RequestEntityTooLarge()


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
