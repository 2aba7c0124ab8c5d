"""One error shape for machines, one friendly page for people; never a traceback.

Under /api (and /healthz) every error is `{"error": {"code", "message"}}` with
its HTTP status; elsewhere an Arabic page. Unexpected exceptions are logged
with their traceback on the server and answered with a bare 500.
"""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from search.index import IndexUnavailable
from search.request import InvalidRequest

from .service import SearchTimeout

log = logging.getLogger(__name__)

# HTTP status -> (API code, Arabic message for the page).
HTTP_ERRORS = {
    400: ("bad_request", "الطلب غير صالح."),
    404: ("not_found", "الصفحة المطلوبة غير موجودة."),
    405: ("method_not_allowed", "هذه الطريقة غير مسموح بها لهذا العنوان."),
    413: ("payload_too_large", "حجم الطلب أكبر من المسموح."),
    414: ("uri_too_long", "عنوان الطلب أطول من المسموح."),
    431: ("headers_too_large", "ترويسات الطلب أكبر من المسموح."),
}
INDEX_UNAVAILABLE_AR = "البحث غير متاح مؤقتًا: الفهرس لم يُبنَ بعد أو يتعذّر قراءته. حاول مرة أخرى بعد قليل."
INTERNAL_AR = "حدث خطأ غير متوقع. حاول مرة أخرى بعد قليل."


def timeout_arabic(seconds: float) -> str:
    return f"استغرق البحث أكثر من {seconds:g} ثانية. جرّب كلمات أقل أو أضف مرشحات."


def wants_json() -> bool:
    path = request.path
    return path == "/api" or path.startswith("/api/") or path == "/healthz"


def json_error(status: int, code: str, message: str, headers: dict | None = None):
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def _page(status: int, message: str):
    return render_template("error.html", message=message, status=status), status


def register(app: Flask) -> None:
    @app.errorhandler(InvalidRequest)
    def invalid_parameter(exc: InvalidRequest):
        if wants_json():
            return json_error(400, "invalid_parameter", f"{exc.param}: {exc.message}")
        return _page(400, exc.arabic)

    @app.errorhandler(IndexUnavailable)
    def index_unavailable(exc: IndexUnavailable):
        log.warning("index unavailable: %s", exc)
        if wants_json():
            return json_error(503, "index_unavailable", f"the index is unavailable: {exc}")
        return _page(503, INDEX_UNAVAILABLE_AR)

    @app.errorhandler(SearchTimeout)
    def search_timeout(exc: SearchTimeout):
        log.warning("%s: %s", request.path, exc)
        if wants_json():
            return json_error(503, "search_timeout", str(exc), {"Retry-After": "1"})
        return _page(503, timeout_arabic(exc.seconds))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        code, arabic = HTTP_ERRORS.get(status, ("http_error", INTERNAL_AR))
        headers = {}
        if status == 405 and getattr(exc, "valid_methods", None):
            headers["Allow"] = ", ".join(exc.valid_methods)
        if wants_json():
            message = exc.description or exc.name
            if status == 413:
                message = f"request body is larger than {request.max_content_length} bytes"
            return json_error(status, code, message, headers)
        body, status = _page(status, arabic)
        return body, status, headers

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error on %s", request.path)
        if wants_json():
            return json_error(500, "internal_error", "internal error; it has been logged")
        return _page(500, INTERNAL_AR)


def refusal(app: Flask, status: int, path: str) -> tuple[bytes, str]:
    """The body and content type of a refusal made before the app saw the request (gunicorn's size limits)."""
    code, arabic = HTTP_ERRORS[status]
    with app.test_request_context(path if path.startswith("/") else "/"):
        if wants_json():
            message = {414: "the request URL is longer than the server accepts", 431: "request headers are too large"}[status]
            return json_error(status, code, message).get_data(), "application/json"
        body, _ = _page(status, arabic)
        return body.encode("utf-8"), "text/html; charset=utf-8"
