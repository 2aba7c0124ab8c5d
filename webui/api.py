"""The JSON API: parse the query string, call the search service, return the result schema (search/results.py)."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from search.documents import MAX_ID_CHARS
from search.index import IndexUnavailable

from .errors import json_error
from .openapi import openapi_document
from .params import parse_search_args

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search():
    params = parse_search_args(request.args, current_app.config["LIMITS"])
    result = current_app.extensions["fahras"].search(params)
    return jsonify(result.to_dict())


@bp.get("/documents/<path:doc_id>")
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
