"""The JSON API: parse the query string, call the search service, return the result schema (search/results.py)."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request, stream_with_context

from search.documents import MAX_ID_CHARS
from search.export import FORMATS, MEDIA_TYPES, export_lines
from search.index import IndexUnavailable
from search.request import InvalidRequest
from search.query import clean_text

from .errors import json_error
from .openapi import openapi_document
from .params import parse_search_args

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search():
    params = parse_search_args(request.args, current_app.config["LIMITS"])
    result = current_app.extensions["fahras"].search(params)
    return jsonify(result.to_dict())


@bp.get("/export")
def export():
    """The whole result set of the /api/search parameters, streamed as CSV or JSON Lines."""
    fmt = request.args.get("format", "csv")
    if fmt not in FORMATS:
        raise InvalidRequest("format", f"format must be one of: {', '.join(FORMATS)}", "صيغة التصدير إما csv أو jsonl.")
    params = parse_search_args(request.args, current_app.config["LIMITS"])
    hits = current_app.extensions["fahras"].export(params)
    return Response(
        stream_with_context(export_lines(hits, fmt)),
        content_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="fahras.{fmt}"'},
    )
@bp.get("/suggest")
def suggest():
    # Completions are a convenience: a query over the length limit is cut, not refused.
    limit = current_app.config["LIMITS"].max_query_chars
    q = clean_text(request.args.get("q", "")[:limit]).lstrip()
    return jsonify({"suggestions": current_app.extensions["fahras"].complete(q) if q else []})


@bp.get("/documents/<path:doc_id>/related")
def related(doc_id: str):
    hits = current_app.extensions["fahras"].related(doc_id) if len(doc_id) <= MAX_ID_CHARS else None
    if hits is None:
        return json_error(404, "not_found", "no document with this id")
    return jsonify({"hits": [{name: getattr(h, name) for name in h.__dataclass_fields__} for h in hits]})




@bp.get("/documents/<document_id:doc_id>")
def document(doc_id: str):
    doc = current_app.extensions["fahras"].document(doc_id) if len(doc_id) <= MAX_ID_CHARS else None
    if doc is None:
        return json_error(404, "not_found", "no document with this id")
    return jsonify(doc)


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document(current_app.config["LIMITS"], current_app.config["MAX_WRITE_LENGTH"]))


health = Blueprint("health", __name__)


@health.get("/healthz")
def healthz():
    try:
        return jsonify(current_app.extensions["fahras"].health())
    except IndexUnavailable as exc:
        # Load balancers read the status; people read the message.
        response = jsonify({"status": "unavailable", "error": {"code": "index_unavailable", "message": str(exc)}})
        response.status_code = 503
        return response
