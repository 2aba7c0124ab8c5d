"""The OpenAPI parts of document writes (webui/writes.py): their schemas and operations (webui/openapi.py includes them)."""
from __future__ import annotations

from search.documents import MAX_ID_CHARS

NULLABLE_STRING = {"type": ["string", "null"]}


def error(description: str) -> dict:
    """A response in the shape of every error."""
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


# A character that survives cleaning (not a space, not a control character): a title or body needs one.
VISIBLE = "[^\\s\\x00-\\x1f\\x7f]"
WRITE_SCHEMAS = {
    "NewDocument": {
        "type": "object",
        "required": ["id"],
        "description": "As in a JSON Lines source: id, and a non-empty title or body; other fields strings or null.",
        "properties": {
            "id": {"type": ["string", "integer"]},
            **{name: NULLABLE_STRING for name in ("title", "body", "date", "source", "category", "url", "author", "abstract")},
        },
    },
    # PUT takes its id from the path (an id in the body must match it, so none is simpler).
    "PutDocument": {
        "type": "object",
        "description": "title and body strings or null, at least one with a visible character; "
                       "date (ISO-8601), source, category, url, author, abstract strings or null.",
        "properties": {
            "id": False,
            **{name: NULLABLE_STRING for name in ("title", "body", "date", "source", "category", "url", "author", "abstract")},
        },
        "anyOf": [{"required": [name], "properties": {name: {"type": "string", "pattern": VISIBLE}}} for name in ("title", "body")],
    },
    "WriteResult": {
        "type": "object",
        "required": ["indexed", "skipped"],
        "additionalProperties": False,
        "properties": {
            "indexed": {"type": "integer", "minimum": 0, "description": "Records written (a record whose id exists replaced it)."},
            "skipped": {"type": "array", "items": {
                "type": "object", "required": ["index", "id", "reason"], "additionalProperties": False,
                "properties": {"index": {"type": "integer", "minimum": 0}, "id": NULLABLE_STRING, "reason": {"type": "string"}},
            }},
        },
    },
    "Deleted": {"type": "object", "required": ["deleted"], "additionalProperties": False, "properties": {"deleted": {"type": "string"}}},
}


def write_operations(max_bytes: int, server_refusals: dict) -> dict:
    def answer(schema: str, description: str) -> dict:
        return {"description": description, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}

    refusals = {
        "400": error("The body is not what the operation takes; the message says why."),
        "401": error("Authorization: Bearer <token> is missing or wrong."),
        "403": error("Writes are disabled: the server has no FAHRAS_API_TOKEN (code writes_disabled)."),
        "413": error(f"The body is over {max_bytes} bytes."),
        "503": error("The single writer stayed busy (code writer_busy; retry) or the index is unavailable."),
        **server_refusals,
        "default": error("Any other error, in the same shape."),
    }
    path_id = [{"name": "id", "in": "path", "required": True,
                "schema": {"type": "string", "maxLength": MAX_ID_CHARS, "pattern": VISIBLE}}]
    one = {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PutDocument"}}}}
    many = {"required": True, "content": {
        "application/json": {"schema": {"type": "array", "items": {}}},
        "application/x-ndjson": {"schema": {"type": "string"}},
    }}
    secured = {"security": [{"bearer": []}]}
    return {
        "post": {"operationId": "addDocuments", **secured, "requestBody": many,
                 "summary": f"Add documents (a JSON array, or JSON Lines), up to {max_bytes} bytes; answered once durable",
                 "responses": {"200": answer("WriteResult", "Written; bad records skipped with their position and reason."), **refusals}},
        "put": {"operationId": "putDocument", **secured, "parameters": path_id, "requestBody": one,
                "summary": "Replace (or add) one document; an id in the body must match the path",
                "responses": {"200": answer("WriteResult", "Written."), **refusals}},
        "delete": {"operationId": "deleteDocument", **secured, "parameters": path_id, "summary": "Delete one document",
                   "responses": {"200": answer("Deleted", "Deleted."), "404": error("No document has this id."), **refusals}},
    }


