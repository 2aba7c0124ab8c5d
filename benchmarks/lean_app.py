"""The web app with snippets switched off: the benchmark's floor for a page of results.

Served by the same gunicorn configuration as `fahras serve`; every request
still parses the query, searches, counts facets, fetches the ten stored
documents and checks did-you-mean. Only the benchmark uses it.
"""
import search.engine
from webui import create_app

_search = search.engine.SearchEngine.search


def _search_without_snippets(self, query, **options):
    return _search(self, query, **{**options, "snippets": False})


search.engine.SearchEngine.search = _search_without_snippets
app = create_app()
