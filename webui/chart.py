"""The results page's timeline: bars of a server-drawn SVG, each a link to its period, and the same as a table.

Drawn on the server so it reads without JavaScript; the table beside it is
what screen readers read (the SVG is hidden from them). Time runs from right
to left, as the page's text does.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from search.request import SearchRequest
from search.timeline import bucket_end

from .display import MONTHS, arabic_date, arabic_number

WIDTH, HEIGHT = 600, 120
GAP = 0.15  # of a bar's slot, between bars
INTERVAL_NAMES = {"day": "يوم", "week": "أسبوع", "month": "شهر", "year": "سنة"}


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    count: int
    label: str
    start: str
    end: str
    url: str


def period_label(start: date, interval: str) -> str:
    if interval == "year":
        return arabic_number(str(start.year))
    if interval == "month":
        return f"{MONTHS[start.month - 1]} {arabic_number(str(start.year))}"
    prefix = "أسبوع " if interval == "week" else ""
    return prefix + arabic_date(start.isoformat())


def timeline_chart(timeline: dict | None, params: SearchRequest, url_for_request) -> dict | None:
    """What search.html draws, or None without dated matches; `url_for_request(request)` links a bar to its period."""
    if not timeline or not timeline["buckets"]:
        return None
    interval, buckets = timeline["interval"], timeline["buckets"]
    peak = max(b["count"] for b in buckets) or 1
    slot = WIDTH / len(buckets)
    bars = []
    for i, bucket in enumerate(buckets):
        start = date.fromisoformat(bucket["start"])
        end = bucket_end(start, interval)
        height = HEIGHT * bucket["count"] / peak
        period = replace(params.filters, date_from=start.isoformat(), date_to=end.isoformat())
        bars.append(Bar(
            x=round(WIDTH - (i + 1) * slot + slot * GAP / 2, 2), y=round(HEIGHT - height, 2),
            width=round(slot * (1 - GAP), 2), height=round(height, 2), count=bucket["count"],
            label=period_label(start, interval), start=start.isoformat(), end=end.isoformat(),
            url=url_for_request(replace(params, filters=period, page=1)),
        ))
    return {"interval": INTERVAL_NAMES[interval], "bars": bars, "width": WIDTH, "height": HEIGHT}
