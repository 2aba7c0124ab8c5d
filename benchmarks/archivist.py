"""What an archivist's search gives on the whole news archive: the query language, large result sets, the page.

    python -m benchmarks.archivist [--index var/news] [--only language,export,screens] [--rounds 3]

The index is built first when DIR holds none this version reads (`fahras
reindex ../shared/data/news --index DIR`: the 72,716 news articles).

- language: every operator of the query language on an example, with its
  stories and articles, through `Searcher` (what the page, the API and the
  CLI call), printed as a Markdown table; then the relations between rows
  that show each operator doing its job (an exclusion finds fewer, an
  excluded word takes its other forms with it ...), each checked.
- export: a query matching tens of thousands of articles, and browsing the
  whole archive (an empty query with a date range spanning it), served by
  `fahras serve` (one worker) on 127.0.0.1: the time of the search with its
  timeline and facets (library and /api/search, medians of `--rounds`), and
  for each export format the time to stream the whole set from /api/export,
  its size, and the worker's resident memory (/proc/PID/status VmRSS, sampled
  every 10 ms) before and at its peak during the download.
- screens: the results page of that query, with its timeline and facets, at
  1366x900 and 390x844 (a phone), in Debian's Chromium through Playwright
  (scripts/install-browser.sh), saved under var/screens/ (they show article
  text from the shared data: not for the repository).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from search.index import IndexUnavailable
from search.index.description import Filters
from search.request import SearchRequest
from search.searcher import Searcher

from .archivist_serve import export_figures, screenshots

REPO = Path(__file__).resolve().parent.parent
NEWS = REPO.parent / "shared" / "data" / "news"
PARTS = ("language", "export", "screens")


@dataclass(frozen=True)
class Example:
    name: str  # a key for the relations below
    operator: str
    q: str
    filters: Filters = Filters()


# Sources and categories are written as the corpora store them.
EXAMPLES = (
    Example("plain", "plain words (any of them, ranked)", "ترامب"),
    Example("plain2", "plain words", "ترامب روسيا"),
    Example("exclude", "`-word`", "ترامب -روسيا"),
    Example("exclude_phrase", '`-"phrase"`', 'ترامب -"البيت الأبيض"'),
    Example("exclude_words", "`-word -word`", "ترامب -البيت -الأبيض"),
    Example("forms", "a form of the excluded word", "+ترامب +لروسيا"),
    Example("forms_excluded", "`-word` excludes its forms", "+ترامب +لروسيا -روسيا"),
    Example("forms2", "a form of the excluded word", "+ترامب +الروسية"),
    Example("forms2_excluded", "`-word` excludes its forms", "+ترامب +الروسية -روسيا"),
    Example("required", "`+word` alone (as written: no other spellings)", "+ترامب"),
    Example("require", "`+word` with a word that only ranks", "+ترامب روسيا"),
    Example("and", "`AND`", "ترامب AND روسيا"),
    Example("or", "`OR`", "ترامب OR بوتين"),
    Example("putin", "plain word", "بوتين"),
    Example("not", "`NOT`", "ترامب AND NOT روسيا"),
    Example("not_alone", "`NOT` alone (newest first)", "NOT روسيا"),
    Example("brackets", "`( )`", "(ترامب OR بوتين) AND قمة"),
    Example("title", "`title:`", "title:ترامب"),
    Example("body_phrase", '`body:"phrase"`', 'body:"البيت الأبيض"'),
    Example("phrase", '`"phrase"`', '"وزير الخارجية"'),
    Example("slop", '`"phrase"~N`', '"وزير الخارجية"~3'),
    Example("source", "`source:` (with `+`)", '+ترامب +source:"BBC Arabic"'),
    Example("category", "`category:` (with `+`)", "+ترامب +category:middleEast"),
    Example("author", "`author:`", "author:حنوش"),
    Example("prefix", "`prefix*`", "اقتص*"),
    Example("economy", "plain word", "اقتصاد"),
    Example("browse_source", "empty query, a source ticked (browse, newest first)", "", Filters(sources=("BBC Arabic",))),
    Example("browse_dates", "empty query, a date range (browse)", "", Filters(date_from="2018-06-01", date_to="2018-06-30")),
)

# (left, relation, right): what the rows must show, in articles; a tuple on the right is a sum.
RELATIONS = (
    ("required", "<", "plain"),  # the plain query also finds the name's other spelling (ترمب)
    ("exclude", "<", "required"),
    (("exclude", "and"), "==", "required"),  # with روسيا or without it: every article of ترامب once
    ("exclude_phrase", "<", "required"),
    ("exclude_words", "<", "exclude_phrase"),
    ("forms", ">", "forms_excluded"),
    ("forms_excluded", "==", 0),
    ("forms2", ">", "forms2_excluded"),
    ("forms2_excluded", "==", 0),
    ("require", "==", "required"),
    ("plain2", ">", "plain"),
    ("and", "<", "required"),
    ("not", "==", "exclude"),
    ("or", ">", "required"),
    ("or", ">", "putin"),
    ("brackets", "<", "or"),
    ("title", "<", "required"),
    ("slop", ">", "phrase"),
    ("source", "<", "required"),
    ("category", "<", "required"),
    ("author", ">", 0),
    ("prefix", ">", "economy"),
    ("browse_source", ">", 0),
    ("browse_dates", ">", 0),
)
_COMPARE = {"<": lambda a, b: a < b, ">": lambda a, b: a > b, "==": lambda a, b: a == b, ">=": lambda a, b: a >= b}


def open_index(index_dir: Path) -> Searcher:
    """A searcher on `index_dir`, built from the news corpora first when it holds no index this version reads."""
    try:
        with Searcher(index_dir, suggest="off").served.using():
            pass
    except IndexUnavailable as exc:  # none yet, or built by another version
        print(f"{exc}\nbuilding {index_dir} from {NEWS}", flush=True)
        fahras = str(Path(sys.executable).with_name("fahras"))
        subprocess.run([fahras, "reindex", str(NEWS), "--index", str(index_dir)], check=True)
    return Searcher(index_dir, suggest="off")


def counts(searcher: Searcher, example: Example) -> tuple[int, int, str]:
    """(stories, articles, how the query was read) of `example`."""
    result = searcher.search(SearchRequest(example.q, filters=example.filters), snippets=False, suggest=False)
    return result.total, result.articles, result.interpreted


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _filters(filters: Filters) -> str:
    parts = [f"source={v}" for v in filters.sources] + [f"category={v}" for v in filters.categories]
    parts += [f"from={filters.date_from}"] if filters.date_from else []
    parts += [f"to={filters.date_to}"] if filters.date_to else []
    return ", ".join(parts)


def _articles(found: dict, side) -> int:
    """A side of a relation: a number, a row's articles, or the sum of several rows'."""
    if isinstance(side, int):
        return side
    return sum(found[name][1] for name in ((side,) if isinstance(side, str) else side))


def _named(side) -> str:
    return " + ".join(side) if isinstance(side, tuple) else str(side)


def language(searcher: Searcher) -> bool:
    """Print the table of examples and the checked relations; True when every relation holds."""
    found = {e.name: counts(searcher, e) for e in EXAMPLES}
    print(f"\nQuery language on {searcher.doc_count():,} articles (stories, then every matching article):\n")
    print("| operator | query | filter | stories | articles |")
    print("|---|---|---|---:|---:|")
    for e in EXAMPLES:
        stories, articles, _ = found[e.name]
        query = f"`{_cell(e.q)}`" if e.q else "(empty)"
        print(f"| {e.operator} | {query} | {_cell(_filters(e.filters))} | {stories:,} | {articles:,} |")
    print("\nRelations (articles):")
    holds = True
    for left, relation, right in RELATIONS:
        a, b = _articles(found, left), _articles(found, right)
        ok = _COMPARE[relation](a, b)
        holds &= ok
        print(f"  {'ok  ' if ok else 'FAIL'} {_named(left)} ({a:,}) {relation} {_named(right)} ({b:,})")
    print("\nRead as:")
    for e in EXAMPLES:
        print(f"  {e.q or '(empty)'!s:32} -> {found[e.name][2]}")
    return holds


def median_ms(run, rounds: int) -> float:
    run()  # warm: the first search loads the index's columns
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def large_sets(searcher: Searcher, query: str) -> list[tuple[str, SearchRequest]]:
    """The large result sets measured: `query`, and an empty query over the archive's whole span of dates."""
    overview = searcher.overview()
    everything = Filters(date_from=overview.first_date, date_to=overview.last_date)
    return [(f"q={query}", SearchRequest(query)), (f"browse {overview.first_date}..{overview.last_date}", SearchRequest("", filters=everything))]


def library_search(searcher: Searcher, sets, rounds: int) -> None:
    print(f"\nSearch with timeline and facets through Searcher, median of {rounds}:")
    for name, request in sets:
        result = searcher.search(request, suggest=False)
        ms = median_ms(lambda: searcher.search(request, suggest=False), rounds)
        timeline = result.timeline or {"interval": "-", "buckets": []}
        print(f"  {name}: {result.total:,} stories, {result.articles:,} articles, "
              f"timeline {len(timeline['buckets'])} {timeline['interval']} buckets, {ms:,.0f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=REPO / "var" / "news")
    parser.add_argument("--only", default=",".join(PARTS), help="comma-separated: " + ", ".join(PARTS))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--query", default="العام", help="the large result set's query")
    parser.add_argument("--screens", type=Path, default=REPO / "var" / "screens")
    args = parser.parse_args(argv)
    parts = set(args.only.split(","))
    if parts - set(PARTS):
        parser.error(f"--only takes {', '.join(PARTS)}")
    searcher = open_index(args.index)
    holds = True
    if "language" in parts:
        holds = language(searcher)
    sets = large_sets(searcher, args.query)
    if "export" in parts:
        library_search(searcher, sets, args.rounds)
        export_figures(args.index, sets, args.rounds)
    if "screens" in parts:
        for path in screenshots(args.index, args.query, args.screens):
            print(f"  {path}")
    return 0 if holds else 1


if __name__ == "__main__":
    sys.exit(main())
