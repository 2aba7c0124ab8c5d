"""Query-string arguments -> the library's SearchRequest (search/request.py does the checking)."""
from __future__ import annotations

from werkzeug.datastructures import MultiDict

from search.request import Limits, SearchRequest, parse_request


def parse_search_args(args: MultiDict, limits: Limits, default_size: int = 10) -> SearchRequest:
    """SearchRequest from request arguments, or InvalidRequest naming the first bad one."""
    return parse_request(args.to_dict(flat=False), limits, default_size)
