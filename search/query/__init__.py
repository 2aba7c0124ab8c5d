"""User text -> a query plan (plan.py) -> the neutral index query (scoring.py)."""
from __future__ import annotations

from .plan import MAX_QUERY_CHARS, MAX_QUERY_TERMS, QueryPlan, clean_text, parse_query
from .language import TooComplex, plain_reading, read_query
from .scoring import describe

__all__ = ["MAX_QUERY_CHARS", "MAX_QUERY_TERMS", "QueryPlan", "clean_text", "TooComplex", "describe", "parse_query", "plain_reading", "read_query"]
