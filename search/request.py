"""A search request and its limits: validated once, here, for the page, the API and the CLI alike.

Every limit is named in the error so a caller knows what to change; the
Arabic text is what the page shows, the English one what the API and the
CLI print. Faces hand over their parameters as strings (`parse_request`);
library callers build a `SearchRequest` and the searcher checks it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from . import settings
from .documents import parse_day
from .index.description import SORTS, Filters
from .query import MAX_QUERY_CHARS, MAX_QUERY_TERMS, clean_text

# Facet filters are exact values from the index; more or longer ones are not a person clicking.
MAX_FILTER_VALUES = 20
MAX_FILTER_CHARS = 200
DEFAULT_PAGE_SIZE = 10
_WHOLE_NUMBER = re.compile(r"\d{1,9}")  # bounded: int() of 5,000 digits is itself an error
_SORT_ARABIC = "الترتيب يكون حسب الصلة أو حسب التاريخ."


class InvalidRequest(ValueError):
    def __init__(self, param: str, message: str, arabic: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message
        self.arabic = arabic


def _from_settings(name: str) -> int:
    return int(settings.get(name))


@dataclass(frozen=True)
class Limits:
    max_page_size: int = field(default_factory=lambda: _from_settings("FAHRAS_MAX_PAGE_SIZE"))
    max_result_window: int = field(default_factory=lambda: _from_settings("FAHRAS_MAX_RESULT_WINDOW"))
    # Matches counted exactly before the total is estimated (Elasticsearch's track_total_hits).
    exact_total: int = field(default_factory=lambda: _from_settings("FAHRAS_EXACT_TOTAL"))
    max_query_chars: int = MAX_QUERY_CHARS
    # Past this many distinct words a query is a pasted paragraph: the first
    # ones are searched and the result says so (SearchResult.truncated).
    max_query_terms: int = MAX_QUERY_TERMS
    max_filter_values: int = MAX_FILTER_VALUES
    max_filter_chars: int = MAX_FILTER_CHARS

    @property
    def max_page(self) -> int:
        """The last page number: with pages of every allowed size, results stay within the window.

        A bound on the page alone, not on page × size, so that the OpenAPI
        document can state every limit as a parameter's own maximum.
        """
        return max(1, self.max_result_window // self.max_page_size)

    def check(self, request: "SearchRequest") -> "SearchRequest":
        """`request`, or InvalidRequest naming the first parameter over a limit."""
        if len(request.q) > self.max_query_chars:
            raise InvalidRequest(
                "q", f"query is longer than {self.max_query_chars} characters",
                f"الاستعلام أطول من {self.max_query_chars} حرف؛ اختصره وأعد المحاولة.",
            )
        for name, value, arabic in (("page", request.page, "رقم الصفحة"), ("size", request.size, "عدد النتائج في الصفحة")):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise InvalidRequest(name, f"{name} must be a whole number from 1", f"{arabic} يجب أن يكون عددًا صحيحًا من ١ فما فوق.")
        if request.size > self.max_page_size:
            raise InvalidRequest("size", f"size may not exceed {self.max_page_size}", f"لا يمكن عرض أكثر من {self.max_page_size} نتيجة في الصفحة.")
        if request.page > self.max_page:
            raise InvalidRequest(
                "page",
                f"page may not exceed {self.max_page} (results are reachable up to rank {self.max_result_window})",
                f"لا يمكن تصفح ما بعد الصفحة {self.max_page}؛ أضف كلمات أو مرشحات لتضييق البحث.",
            )
        if request.sort not in SORTS:
            raise InvalidRequest("sort", f"sort must be one of: {', '.join(SORTS)}", _SORT_ARABIC)
        f = request.filters
        for name, values, arabic in (("source", f.sources, "المصادر"), ("category", f.categories, "الأقسام"), ("author", f.authors, "الكتّاب")):
            if len(values) > self.max_filter_values:
                raise InvalidRequest(name, f"at most {self.max_filter_values} {name} values", f"يمكن اختيار {self.max_filter_values} قيمة على الأكثر في {arabic}.")
            if any(len(v) > self.max_filter_chars for v in values):
                raise InvalidRequest(name, f"a {name} value is longer than {self.max_filter_chars} characters", f"قيمة {arabic} أطول من {self.max_filter_chars} حرف.")
        return request


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE
    sort: str = "relevance"
    filters: Filters = Filters()
    # Each story once, at its best copy (search/collapse.py); False lists every copy.
    group: bool = True


def _one(params: Mapping[str, Sequence[str]], name: str) -> str | None:
    """The parameter's value, stripped; None when it is absent (an empty value is given, and refused where typed)."""
    values = params.get(name) or ()
    return values[0].strip() if values else None


def _whole_number(params, name: str, default: int, arabic: str) -> int:
    raw = _one(params, name)
    if raw is None:
        return default
    if not _WHOLE_NUMBER.fullmatch(raw) or int(raw) < 1:
        raise InvalidRequest(name, f"{name} must be a whole number from 1", f"{arabic} يجب أن يكون عددًا صحيحًا من ١ فما فوق.")
    return int(raw)


def _day(params, name: str, arabic: str) -> str | None:
    raw = _one(params, name)
    if raw is None:
        return None
    try:
        return parse_day(raw)
    except ValueError:
        raise InvalidRequest(
            name, f"{name} must be a date written YYYY-MM-DD", f"{arabic} يجب أن يكون تاريخًا صحيحًا بالصيغة سنة-شهر-يوم، مثل ٢٠١٨-٠٢-١٨."
        ) from None


def _values(params, name: str, limit: int) -> tuple[str, ...]:
    given = params.get(name) or ()
    # Counted as sent, empty and repeated values included: what the schema's maxItems counts.
    if len(given) > limit:
        arabic = {"source": "المصادر", "category": "الأقسام", "author": "الكتّاب"}[name]
        raise InvalidRequest(name, f"at most {limit} {name} values", f"يمكن اختيار {limit} قيمة على الأكثر في {arabic}.")
    values = (clean_text(v).strip() for v in given)
    return tuple(dict.fromkeys(v for v in values if v))


def _group(params) -> bool:
    raw = _one(params, "group")
    if raw is None:
        return True
    if raw not in ("on", "off"):
        raise InvalidRequest("group", "group must be on or off", "تجميع النسخ يكون on أو off.")
    return raw == "on"


def parse_request(
    params: Mapping[str, Sequence[str]], limits: Limits | None = None, default_size: int = DEFAULT_PAGE_SIZE
) -> SearchRequest:
    """A checked SearchRequest from string parameters (each name -> its values, as in a query string).

    Names: q, page, size, sort, source, category, author, from, to, group (on/off). A name given with an empty value is
    refused where a value is typed (page, size, sort, from, to); leave it out for the default.
    Or InvalidRequest naming the first bad one.
    """
    limits = limits or Limits()
    raw_q = (params.get("q") or [""])[0][: limits.max_query_chars + 1]
    q = " ".join(clean_text(raw_q).split())
    if len(raw_q) > limits.max_query_chars:
        q = raw_q  # refused by the check below, with the limit named
    request = SearchRequest(
        q=q,
        page=_whole_number(params, "page", 1, "رقم الصفحة"),
        size=_whole_number(params, "size", default_size, "عدد النتائج في الصفحة"),
        sort=_one(params, "sort") if "sort" in params and params["sort"] else "relevance",
        filters=Filters(
            sources=_values(params, "source", limits.max_filter_values),
            categories=_values(params, "category", limits.max_filter_values),
            authors=_values(params, "author", limits.max_filter_values),
            date_from=_day(params, "from", "تاريخ البداية"),
            date_to=_day(params, "to", "تاريخ النهاية"),
        ),
        group=_group(params),
    )
    return limits.check(request)
