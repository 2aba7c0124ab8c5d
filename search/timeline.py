"""Matching documents per day -> the timeline of a result: buckets of one interval, chosen from the span.

The interval keeps a chart readable (a few dozen bars at most): days over two
months, weeks over a year, months over eight years, years beyond. Every bucket
from the first matching day to the last is listed, empty ones included, so
the bars stand on a regular time axis.
"""
from __future__ import annotations

from datetime import date, timedelta

INTERVALS = ("day", "week", "month", "year")
_SPANS = ((62, "day"), (366, "week"), (8 * 366, "month"))


def interval_for(first: date, last: date) -> str:
    span = (last - first).days
    return next((name for days, name in _SPANS if span <= days), "year")


def bucket_start(day: date, interval: str) -> date:
    if interval == "week":
        return day - timedelta(days=day.weekday())  # weeks start on Monday (ISO 8601)
    if interval == "month":
        return day.replace(day=1)
    if interval == "year":
        return day.replace(month=1, day=1)
    return day


def bucket_end(start: date, interval: str) -> date:
    """The last day of the bucket that begins on `start`."""
    return _next(start, interval) - timedelta(days=1)


def _next(start: date, interval: str) -> date:
    if interval == "day":
        return start + timedelta(days=1)
    if interval == "week":
        return start + timedelta(days=7)
    if interval == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)


def timeline(days: dict[str, int]) -> dict:
    """{"interval", "buckets": [{"start": YYYY-MM-DD, "count"}]} of per-day counts (undated documents are not counted)."""
    counts = {day: n for day, n in days.items() if n}
    if not counts:
        return {"interval": "day", "buckets": []}
    # ISO days sort as dates; months and years are their prefixes, so the
    # hundreds of days of a long result are not each parsed as a date.
    first, last = date.fromisoformat(min(counts)), date.fromisoformat(max(counts))
    interval = interval_for(first, last)
    totals: dict[str, int] = {}
    prefix = _PREFIX.get(interval)
    for day, n in counts.items():
        start = day[:prefix] if prefix else bucket_start(date.fromisoformat(day), interval).isoformat()
        totals[start] = totals.get(start, 0) + n
    buckets = []
    start = bucket_start(first, interval)
    while start <= last:
        iso = start.isoformat()
        buckets.append({"start": iso, "count": totals.get(iso[:prefix] if prefix else iso, 0)})
        start = _next(start, interval)
    return {"interval": interval, "buckets": buckets}


# The length of the ISO prefix that names a month or a year.
_PREFIX = {"month": 7, "year": 4}
