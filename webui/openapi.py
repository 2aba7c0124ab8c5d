"""The API's OpenAPI 3.1 description, written by hand; tests validate real responses against it.

Field names follow search/results.py (the result schema's one source of
truth); a test fails when the two drift apart.
"""
from __future__ import annotations

from search.index.description import SORTS
from search.request import Limits

from .openapi_stories import GROUP_PARAMETER, story_paths, with_stories

from .openapi_results import TIMELINE, export_operation
from .openapi_writes import WRITE_SCHEMAS, error as _error, write_operations

NULLABLE_STRING = {"type": ["string", "null"]}


def _schemas(limits: Limits) -> dict:
    return with_stories({
        "Hit": {
            "type": "object",
            "required": ["id", "title", "snippet", "date", "source", "category", "author", "url", "score"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string"},
                "title": {"type": "string", "description": "Plain text: escape it before display."},
                "snippet": {"type": "string", "description": "HTML: escaped text with <mark> around matched words."},
                "date": {**NULLABLE_STRING, "description": "ISO-8601 date and time."},
                "source": NULLABLE_STRING,
                "category": NULLABLE_STRING,
                "author": {**NULLABLE_STRING, "description": "The byline as published."},
                "url": {**NULLABLE_STRING, "description": "As published; may be any string, check the scheme before linking."},
                "score": {"type": "number"},
            },
        },
        "Facet": {
            "type": "object",
            "additionalProperties": {"type": "integer", "minimum": 0},
            "description": "Value -> matching articles, counted over every filter but this facet's own "
                           "(selecting a value keeps the others' counts).",
        },
        "SearchResult": {
            "type": "object",
            "required": ["query", "total", "page", "size", "took_ms", "hits", "facets", "suggestion", "truncated", "interpreted", "spellings", "timeline"],
            "additionalProperties": False,
            "properties": {
                "query": {"type": "string", "description": "The query as searched (control characters removed)."},
                "total": {"type": "integer", "minimum": 0},
                "page": {"type": "integer", "minimum": 1},
                "size": {"type": "integer", "minimum": 1, "maximum": limits.max_page_size},
                "took_ms": {"type": "number", "minimum": 0},
                "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}, "maxItems": limits.max_page_size},
                "facets": {
                    "type": "object",
                    "required": ["source", "category", "author"],
                    "additionalProperties": False,
                    "properties": {
                        "source": {"$ref": "#/components/schemas/Facet"},
                        "category": {"$ref": "#/components/schemas/Facet"},
                        "author": {"$ref": "#/components/schemas/Facet"},
                    },
                },
                "suggestion": {**NULLABLE_STRING, "description": "A did-you-mean query, or null."},
                "truncated": {"type": "boolean", "description": "The query had more distinct words than are searched; the first ones were."},
                "interpreted": {"type": "string", "description": "How the query was read: its operators and analysed words."},
                "spellings": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}},
                              "description": "Other spellings searched with a query word, at a lower weight (trump: [ترامب])."},
                "timeline": {
                    "oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Timeline"}],
                    "description": "Matches over time, over the whole result set.",
                },
            },
        },
        "Timeline": TIMELINE,
        "Document": {
            "type": "object",
            "required": ["id", "title", "body", "date", "source", "category", "url", "author", "abstract"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string"},
                "title": {"type": "string"},
                "body": {"type": "string"},
                "date": NULLABLE_STRING,
                "source": NULLABLE_STRING,
                "category": NULLABLE_STRING,
                "url": NULLABLE_STRING,
                "author": NULLABLE_STRING,
                "abstract": {**NULLABLE_STRING, "description": "The outlet's summary, when it published one."},
            },
        },
        "Health": {
            "type": "object",
            "required": ["status", "documents", "analysis_version", "backend"],
            "properties": {
                "status": {"const": "ok"},
                "documents": {"type": "integer", "minimum": 0},
                "analysis_version": {"type": "string"},
                "backend": {"type": "string"},
            },
        },
        "Unhealthy": {
            "type": "object",
            "required": ["status", "error"],
            "properties": {"status": {"const": "unavailable"}, "error": {"$ref": "#/components/schemas/Error/properties/error"}},
        },
        "Error": {
            "type": "object",
            "required": ["error"],
            "additionalProperties": False,
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "additionalProperties": False,
                    "properties": {
                        "code": {"type": "string", "description": "Stable, machine-readable: invalid_parameter, not_found, ..."},
                        "message": {"type": "string", "description": "What went wrong, naming the limit if one was exceeded."},
                    },
                }
            },
        },
    })


def _search_parameters(limits: Limits) -> list[dict]:
    def param(name, schema, description, **extra):
        return {"name": name, "in": "query", "required": False, "schema": schema, "description": description, **extra}

    # A NUL byte would glue two words into one: refused (400) in every parameter.
    no_nul = "^[^\u0000]*$"
    filter_values = {"type": "array", "items": {"type": "string", "maxLength": limits.max_filter_chars, "pattern": no_nul},
                     "maxItems": limits.max_filter_values}
    return [
        param("q", {"type": "string", "maxLength": limits.max_query_chars, "pattern": no_nul},
              f'Words and "quoted phrases", with optional operators: -word, -"phrase", +word, AND, OR, NOT, '
              '( ), title:, body:, author:, source:, category:, "phrase"~N, prefix*. Malformed syntax is read as plain words; '
              f"a query past the operators' bounds is refused (400). At most {limits.max_query_chars} characters; "
              f"past {limits.max_query_terms} distinct words of a plain query the first ones are searched and the result says `truncated`. "
              "Empty with a filter: every matching article, newest first."),
        param("page", {"type": "integer", "minimum": 1, "maximum": limits.max_page, "default": 1},
              f"Page number; results are reachable up to rank {limits.max_result_window}."),
        param("size", {"type": "integer", "minimum": 1, "maximum": limits.max_page_size, "default": 10}, "Hits per page."),
        param("sort", {"type": "string", "enum": list(SORTS), "default": "relevance"}, "Order: by relevance, newest first (date) or oldest first."),
        param("source", filter_values, "Only these sources (repeat the parameter for several).", style="form", explode=True),
        param("category", filter_values, "Only these categories (repeatable).", style="form", explode=True),
        param("author", filter_values, "Only these authors, bylines as published (repeatable).", style="form", explode=True),
        param("from", {"type": "string", "format": "date"},
              "Earliest publication day, YYYY-MM-DD (Arabic-Indic digits accepted: ٢٠١٨-٠٢-١٨), inclusive."),
        param("to", {"type": "string", "format": "date"}, "Latest publication day, YYYY-MM-DD (or in Arabic-Indic digits), inclusive."),
        GROUP_PARAMETER,
    ]


def openapi_document(limits: Limits | None = None, max_write_bytes: int = 8 * 1024 * 1024) -> dict:
    limits = limits or Limits()
    unavailable = _error("The index is missing or unreadable, or the search exceeded its time budget.")
    other = _error("Any other error (404, 405, 413, 500), in the same shape.")
    too_long = _error("The request URL is longer than the server accepts (8,190 bytes), in the same shape.")
    too_large = _error("The request headers are larger than the server accepts, in the same shape.")
    document = {
        "openapi": "3.1.0",
        "info": {
            "title": "Fahras search API",
            "version": "1",
            "description": "Full-text search over Arabic news. Every error has the shape {\"error\": {\"code\", \"message\"}}.",
        },
        "paths": {
            "/api/search": {
                "get": {
                    "operationId": "search",
                    "summary": "Ranked search with facets, filters and a did-you-mean suggestion",
                    "parameters": _search_parameters(limits),
                    "responses": {
                        "200": {"description": "One page of results.",
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResult"}}}},
                        "400": _error("A parameter is malformed or over its limit; the message names it."),
                        "414": too_long,
                        "431": too_large,
                        "503": unavailable,
                        "default": other,
                    },
                }
            },
            "/api/export": export_operation(_search_parameters(limits), {
                "400": _error("A parameter is malformed or over its limit; the message names it."),
                "414": too_long, "431": too_large, "503": unavailable, "default": other,
            }),
            **story_paths(unavailable, other),
            "/api/documents/{id}": {
                "get": {
                    "operationId": "getDocument",
                    "summary": "One whole document",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": {"description": "The document.",
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Document"}}}},
                        "404": _error("No document has this id."),
                        "414": too_long,
                        "431": too_large,
                        "503": unavailable,
                        "default": other,
                    },
                }
            },
            "/api/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}},
                }
            },
            "/healthz": {
                "get": {
                    "operationId": "health",
                    "summary": "Whether the served index opens and matches its manifest",
                    "responses": {
                        "200": {"description": "Healthy.",
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}},
                        "503": {"description": "No usable index.",
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Unhealthy"}}}},
                    },
                }
            },
        },
        "components": {
            "schemas": {**_schemas(limits), **WRITE_SCHEMAS},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "The server's FAHRAS_API_TOKEN."}},
        },
    }
    writes = write_operations(max_write_bytes, {"414": too_long, "431": too_large})
    document["paths"]["/api/documents"] = {"post": writes["post"]}
    document["paths"]["/api/documents/{id}"].update(put=writes["put"], delete=writes["delete"])
    return document
