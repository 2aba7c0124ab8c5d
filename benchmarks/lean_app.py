"""The web app with snippets switched off: the benchmark's floor for a page of results.

Served by the same gunicorn configuration as `fahras serve`; every request
still parses the query, searches, counts facets, fetches the ten stored
documents and checks did-you-mean. Only the benchmark uses it.
"""
from search.searcher import Searcher
from webui import create_app

_search = Searcher.search


def _search_without_snippets(self, request, **options):
    return _search(self, request, **{**options, "snippets": False})


Searcher.search = _search_without_snippets
app = create_app()
