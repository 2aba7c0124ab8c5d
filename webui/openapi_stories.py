"""The OpenAPI parts of copies, related coverage and search as you type (webui/openapi.py includes them)."""
from __future__ import annotations

NULLABLE_STRING = {"type": ["string", "null"]}

# Properties of a hit and of a result, in the order of search/results.py.
HIT_STORY_PROPERTIES = {
    "group": {"type": "string", "description": "The story this article is a copy of (its first copy's id)."},
    "copies": {
        "type": "array",
        "description": "The story's other copies, oldest first; empty with group=off.",
        "items": {"$ref": "#/components/schemas/Copy"},
    },
}
RESULT_STORY_PROPERTIES = {
    "grouped": {"type": "boolean", "description": "Each story shown once, at its best-ranked copy (group=on, the default)."},
    "articles": {"type": "integer", "minimum": 0, "description": "Matching articles, every copy counted."},
    "estimated": {
        "type": "boolean",
        "description": "total and articles are estimates: more articles matched than are counted exactly "
                       "(FAHRAS_EXACT_TOTAL, 10,000 by default), so the ranking could skip the rest.",
    },
    "story_facets": {
        "type": "object",
        "description": "When grouped: per facet value, its stories (facets count its articles). "
                       "Story counts may be estimates on large results.",
        "additionalProperties": {"$ref": "#/components/schemas/Facet"},
    },
}

GROUP_PARAMETER = {
    "name": "group", "in": "query", "required": False, "schema": {"type": "string", "enum": ["on", "off"], "default": "on"},
    "description": "on: each story once, at its best-ranked copy, with its other copies listed; off: every copy.",
}
DOCUMENT_GROUP = {
    "type": "string", "description": "The story this article is a copy of: its first copy's id (its own id when it has no copies).",
}
TOTAL = "Matching stories when grouped (what pages count), else matching articles."

STORY_SCHEMAS = {
    "Copy": {
        "type": "object",
        "required": ["id", "source", "date"],
        "additionalProperties": False,
        "properties": {"id": {"type": "string"}, "source": NULLABLE_STRING, "date": NULLABLE_STRING},
    },
    "Related": {
        "type": "object",
        "required": ["hits"],
        "additionalProperties": False,
        "properties": {"hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}, "maxItems": 10}},
    },
    "Suggestions": {
        "type": "object",
        "required": ["suggestions"],
        "additionalProperties": False,
        "properties": {"suggestions": {"type": "array", "items": {"type": "string"}, "maxItems": 8}},
    },
}


def with_stories(schemas: dict) -> dict:
    """`schemas` with the story fields of hits, results and documents, and the schemas of copies, related and suggest."""
    for name, extra in (("Hit", HIT_STORY_PROPERTIES), ("SearchResult", RESULT_STORY_PROPERTIES)):
        schemas[name]["properties"].update(extra)
        schemas[name]["required"] = [*schemas[name]["required"], *extra]
    schemas["SearchResult"]["properties"]["total"]["description"] = TOTAL
    schemas["Document"]["properties"]["group"] = DOCUMENT_GROUP
    return {**schemas, **STORY_SCHEMAS}


def story_paths(unavailable: dict, other: dict) -> dict:
    def error(description: str) -> dict:
        return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}

    return {
            "/api/suggest": {
                "get": {
                    "operationId": "suggest",
                    "summary": "Search as you type: the query with its last word completed",
                    "parameters": [{"name": "q", "in": "query", "required": False, "schema": {"type": "string", "pattern": "^[^\u0000]*$"},
                                    "description": "What has been typed so far; its last word is completed through "
                                                   "Arabic normalisation (اردو completes to أردوغان)."}],
                    "responses": {
                        "200": {"description": "Up to 8 completions, most frequent first, each in the written form "
                                               "most common in the archive; empty while the vocabulary is being built.",
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Suggestions"}}}},
                        "503": unavailable,
                        "default": other,
                    },
                }
            },
            "/api/documents/{id}/related": {
                "get": {
                    "operationId": "relatedCoverage",
                    "summary": "Up to 10 other stories on the same subject (more-like-this), without the story's own copies",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": {"description": "Related stories, best first; snippets are empty.",
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Related"}}}},
                        "404": error("No document has this id."),
                        "503": unavailable,
                        "default": other,
                    },
                }
            },
    }
