"""The parts of the OpenAPI document that describe whole result sets: the timeline schema and the export operation."""
from __future__ import annotations

from search.export import COLUMNS, EXPORT_CAP, FORMATS, MEDIA_TYPES

TIMELINE = {
    "type": "object",
    "required": ["interval", "buckets"],
    "additionalProperties": False,
    "properties": {
        "interval": {"enum": ["day", "week", "month", "year"], "description": "Chosen from the span of the matches."},
        "buckets": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["start", "count"],
                "additionalProperties": False,
                "properties": {"start": {"type": "string", "format": "date"}, "count": {"type": "integer", "minimum": 0}},
            },
        },
    },
}


def export_operation(search_parameters: list[dict], refusals: dict) -> dict:
    """GET /api/export: the search parameters and `format`; `refusals` are the error responses it shares with search."""
    return {
        "get": {
            "operationId": "export",
            "summary": f"The whole result set (up to {EXPORT_CAP:,} hits), streamed",
            "parameters": [
                *search_parameters,
                {"name": "format", "in": "query", "required": False, "description": "csv (RFC 4180, with a BOM) or jsonl.",
                 "schema": {"type": "string", "enum": list(FORMATS), "default": "csv"}},
            ],
            "responses": {
                "200": {
                    "description": f"Columns {', '.join(COLUMNS)}; page and size are ignored.",
                    "content": {MEDIA_TYPES[f].split(";")[0]: {"schema": {"type": "string"}} for f in FORMATS},
                },
                **refusals,
            },
        }
    }
