"""Search parameters from a query string: validated once, for the page and the API alike.

Every limit is named in the error so a caller knows what to change; the
Arabic text is what the page shows, the English one what the API returns.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from werkzeug.datastructures import MultiDict

from search.backends.base import Filters
from search.engine import SORTS
from search.query import MAX_QUERY_CHARS, clean_text

# Facet filters are exact values from the index; more or longer ones are not a person clicking.
MAX_FILTER_VALUES = 20
MAX_FILTER_CHARS = 200
_WHOLE_NUMBER = re.compile(r"\d{1,9}")  # bounded: int() of 5,000 digits is itself an error
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class InvalidParameter(ValueError):
    def __init__(self, param: str, message: str, arabic: str) -> None:
        super().__init__(message)
        self.param = param
        self.message = message
        self.arabic = arabic


@dataclass(frozen=True)
class Limits:
    max_page_size: int = 100
    max_result_window: int = 1000
    max_query_chars: int = MAX_QUERY_CHARS


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    page: int = 1
    size: int = 10
    sort: str = "relevance"
    filters: Filters = Filters()


def _whole_number(args: MultiDict, name: str, default: int, arabic: str) -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    if not _WHOLE_NUMBER.fullmatch(raw) or int(raw) < 1:
        raise InvalidParameter(name, f"{name} must be a whole number from 1", f"{arabic} يجب أن يكون عددًا صحيحًا من ١ فما فوق.")
    return int(raw)


def _iso_date(args: MultiDict, name: str, arabic: str) -> str | None:
    raw = args.get(name, "").strip()
    if not raw:
        return None
    try:
        if not _ISO_DATE.fullmatch(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        raise InvalidParameter(name, f"{name} must be a date written YYYY-MM-DD", f"{arabic} يجب أن يكون تاريخًا صحيحًا بالصيغة YYYY-MM-DD.") from None


def _values(args: MultiDict, name: str, arabic: str) -> tuple[str, ...]:
    values = [clean_text(v).strip() for v in args.getlist(name)]
    values = list(dict.fromkeys(v for v in values if v))
    if len(values) > MAX_FILTER_VALUES:
        raise InvalidParameter(name, f"at most {MAX_FILTER_VALUES} {name} values", f"يمكن اختيار {MAX_FILTER_VALUES} قيمة على الأكثر في {arabic}.")
    if any(len(v) > MAX_FILTER_CHARS for v in values):
        raise InvalidParameter(name, f"a {name} value is longer than {MAX_FILTER_CHARS} characters", f"قيمة {arabic} أطول من {MAX_FILTER_CHARS} حرف.")
    return tuple(values)


def parse_search_args(args: MultiDict, limits: Limits = Limits(), default_size: int = 10) -> SearchParams:
    """SearchParams from request arguments, or InvalidParameter naming the first bad one."""
    q = args.get("q", "")
    if len(q) > limits.max_query_chars:
        raise InvalidParameter(
            "q",
            f"query is longer than {limits.max_query_chars} characters",
            f"الاستعلام أطول من {limits.max_query_chars} حرف؛ اختصره وأعد المحاولة.",
        )
    q = " ".join(clean_text(q).split())
    page = _whole_number(args, "page", 1, "رقم الصفحة")
    size = _whole_number(args, "size", default_size, "عدد النتائج في الصفحة")
    if size > limits.max_page_size:
        raise InvalidParameter("size", f"size may not exceed {limits.max_page_size}", f"لا يمكن عرض أكثر من {limits.max_page_size} نتيجة في الصفحة.")
    if page * size > limits.max_result_window:
        raise InvalidParameter(
            "page",
            f"page × size may not exceed {limits.max_result_window} (the deepest result reachable)",
            f"لا يمكن تصفح ما بعد النتيجة رقم {limits.max_result_window}؛ أضف كلمات أو مرشحات لتضييق البحث.",
        )
    sort = args.get("sort", "").strip() or "relevance"
    if sort not in SORTS:
        raise InvalidParameter("sort", f"sort must be one of: {', '.join(SORTS)}", "الترتيب يكون حسب الصلة أو حسب التاريخ.")
    date_from = _iso_date(args, "from", "تاريخ البداية")
    date_to = _iso_date(args, "to", "تاريخ النهاية")
    if date_from and date_to and date_from > date_to:
        raise InvalidParameter("from", "from is later than to", "تاريخ البداية بعد تاريخ النهاية.")
    filters = Filters(
        sources=_values(args, "source", "المصادر"),
        categories=_values(args, "category", "الأقسام"),
        date_from=date_from,
        date_to=date_to,
    )
    return SearchParams(q=q, page=page, size=size, sort=sort, filters=filters)
