"""Document writes over the JSON API: POST /api/documents, PUT and DELETE /api/documents/<id>.

Enabled only when FAHRAS_API_TOKEN is set (otherwise every write is 403
writes_disabled), and then only with `Authorization: Bearer <token>` (401
otherwise), compared in constant time. A write answers once it is durable
(indexer/live.py: the single writer lock, a commit, fsync), and is searchable
within FAHRAS_REFRESH_SECONDS. Records are validated as `fahras reindex`
validates them; bad ones are skipped with their position and reason.
"""
from __future__ import annotations

import hmac
import json

from flask import Blueprint, current_app, jsonify, request

from indexer.live import LiveWritesUnsupported, write
from indexer.sources import load_line, to_document
from search.index import ReindexBusy, WriterBusy

from .errors import json_error

bp = Blueprint("writes", __name__, url_prefix="/api")
NDJSON = ("application/x-ndjson", "application/jsonl", "application/json-lines")


class Refused(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.headers = status, code, headers or {}


@bp.errorhandler(Refused)
def refused(exc: Refused):
    return json_error(exc.status, exc.code, str(exc), exc.headers)


@bp.before_request
def authorize() -> None:
    if request.method == "OPTIONS":  # what the URL allows is no secret
        return
    token = current_app.config.get("API_TOKEN") or ""
    if not token:
        raise Refused(403, "writes_disabled", "writes are disabled: the server has no FAHRAS_API_TOKEN")
    scheme, _, given = (request.headers.get("Authorization") or "").partition(" ")
    # As bytes: compare_digest refuses non-ASCII str, and WSGI carries header bytes as latin-1 text.
    sent = given.strip().encode("latin-1", "replace")
    if scheme.lower() != "bearer" or not hmac.compare_digest(sent, token.encode("utf-8")):
        raise Refused(401, "unauthorized", "a write needs the header Authorization: Bearer <token>",
                      {"WWW-Authenticate": 'Bearer realm="fahras"'})


def _records() -> list[tuple[object, object, str | None]]:
    """(parsed value, document or None, skip reason or None) for each record of the body, in order."""
    body = request.get_data(cache=False)
    if request.mimetype in NDJSON:
        out = []
        for raw in body.split(b"\n"):
            if raw.strip():
                value, reason = load_line(raw)
                out.append((value, None, reason) if reason else (value, *to_document(value)[:2]))
        return out
    try:
        values = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise Refused(400, "bad_request", f"the body is not JSON: {exc.__class__.__name__}") from None
    if not isinstance(values, list):
        raise Refused(400, "bad_request", "expected a JSON array of documents (or JSON Lines as application/x-ndjson)")
    return [(value, *to_document(value)[:2]) for value in values]


def _id_of(value) -> str | None:
    raw = value.get("id") if isinstance(value, dict) else None
    return raw if isinstance(raw, str) else None


def _write(**batch):
    try:
        return write(current_app.config["INDEX_DIR"], wait=current_app.config["WRITE_WAIT"], **batch)
    except (WriterBusy, ReindexBusy) as exc:
        raise Refused(503, "writer_busy", str(exc), {"Retry-After": "1"}) from None
    except LiveWritesUnsupported as exc:
        raise Refused(501, "writes_unsupported", str(exc)) from None


@bp.post("/documents")
def add_documents():
    docs, skipped = [], []
    for i, (value, doc, reason) in enumerate(_records()):
        if doc is None:
            skipped.append({"index": i, "id": _id_of(value), "reason": reason})
        else:
            docs.append(doc)
    if docs:
        _write(adds=docs)
    return jsonify({"indexed": len(docs), "skipped": skipped})


@bp.put("/documents/<document_id:doc_id>")
def put_document(doc_id: str):
    try:
        value = json.loads(request.get_data(cache=False).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise Refused(400, "bad_request", f"the body is not JSON: {exc.__class__.__name__}") from None
    if not isinstance(value, dict):
        raise Refused(400, "bad_request", "expected a JSON object")
    if "id" in value and value["id"] != doc_id:
        raise Refused(400, "id_mismatch", "the id in the body differs from the id in the path")
    doc, reason, _ = to_document({**value, "id": doc_id})
    if doc is None:
        raise Refused(400, "invalid_document", reason)
    _write(adds=[doc])
    return jsonify({"indexed": 1, "skipped": []})


@bp.delete("/documents/<document_id:doc_id>")
def delete_document(doc_id: str):
    if not _write(deletes=[doc_id]).deleted:
        raise Refused(404, "not_found", "no document with this id")
    return jsonify({"deleted": doc_id})
