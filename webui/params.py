"""Query-string arguments -> the library's SearchRequest (search/request.py does the checking)."""
from __future__ import annotations

from werkzeug.datastructures import MultiDict

from search.request import Limits, SearchRequest, parse_request


# The page's form always sends its date fields, empty when unset: there an empty value means "no bound".
FORM_OPTIONAL = ("from", "to", "page", "size", "sort")


def parse_search_args(args: MultiDict, limits: Limits, default_size: int = 10, form: bool = False) -> SearchRequest:
    """SearchRequest from request arguments, or InvalidRequest naming the first bad one."""
    params = args.to_dict(flat=False)
    if form:
        params = {name: values for name, values in params.items() if name not in FORM_OPTIONAL or any(v.strip() for v in values)}
    return parse_request(params, limits, default_size)
