"""The results page's timeline: bars of a server-drawn SVG, each a link to its period, and the same as a table.

Drawn on the server so it reads without JavaScript; the table beside it is
what screen readers read (the SVG is hidden from them). Time runs from right
to left, as the page's text does. Under the bars, a time axis: a tick where
each coarser period begins (a year among months, a month among weeks, a
week among days), at most MAX_TICKS of them; the labels are SVG text placed
in percent of the width, so they keep their size on any screen (the bars'
SVG is stretched), and on a phone every other one is hidden (style.css).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from search.request import SearchRequest
from search.timeline import bucket_end

from .display import MONTHS, arabic_date, arabic_number

WIDTH, HEIGHT = 600, 120
GAP = 0.15  # of a bar's slot, between bars
# A bucket of a few articles stays visible beside a peak of thousands (in HEIGHT units, about 2 pixels).
MIN_HEIGHT = 2.0
MAX_TICKS = 8
# A label runs from its tick towards later time: no tick so near the end that its label would be cut.
LAST_TICK = 1 - 1 / MAX_TICKS
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


@dataclass(frozen=True)
class Tick:
    x: float  # percent of the width from the left (the later end)
    label: str
    minor: bool  # every other tick: hidden on a phone


def _month_year(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {arabic_number(str(day.year))}"


def _begins(start: date, previous: date, interval: str) -> str | None:
    """The label of the coarser period that the bucket at `start` begins (after the one at `previous`), or None."""
    if interval == "year":
        return arabic_number(str(start.year))
    if interval == "month":
        return arabic_number(str(start.year)) if start.month == 1 else None
    if interval == "week":
        if previous.month == start.month:
            return None
        return _month_year(start) if start.month == 1 else MONTHS[start.month - 1]
    return f"{arabic_number(str(start.day))} {MONTHS[start.month - 1]}" if start.weekday() == 0 else None


def _in_full(start: date, interval: str) -> str:
    """The label of the axis's first tick: with its year, so that the axis is placed in time."""
    if interval == "year" or (interval == "month" and start.month == 1):
        return arabic_number(str(start.year))
    return arabic_date(start.isoformat()) if interval == "day" else _month_year(start)


def axis_ticks(starts: list[date], interval: str) -> list[Tick]:
    """Ticks where a coarser period begins, every k-th so that at most MAX_TICKS remain, the first in full.

    The first bucket gets a tick of its own when no period begins near it.
    """
    n = len(starts)
    begun = [i for i in range(1, n) if i / n <= LAST_TICK and _begins(starts[i], starts[i - 1], interval)]
    kept = begun[:: -(-len(begun) // MAX_TICKS) or 1]
    if not kept or kept[0] / n >= 1 / MAX_TICKS:
        kept.insert(0, 0)
    return [
        Tick(x=round(100 * (1 - i / n), 2), minor=rank % 2 == 1,
             label=_begins(starts[i], starts[i - 1], interval) if rank else _in_full(starts[i], interval))
        for rank, i in enumerate(kept)
    ]


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
        height = max(HEIGHT * bucket["count"] / peak, MIN_HEIGHT) if bucket["count"] else 0.0
        period = replace(params.filters, date_from=start.isoformat(), date_to=end.isoformat())
        bars.append(Bar(
            x=round(WIDTH - (i + 1) * slot + slot * GAP / 2, 2), y=round(HEIGHT - height, 2),
            width=round(slot * (1 - GAP), 2), height=round(height, 2), count=bucket["count"],
            label=period_label(start, interval), start=start.isoformat(), end=end.isoformat(),
            url=url_for_request(replace(params, filters=period, page=1)),
        ))
    ticks = axis_ticks([date.fromisoformat(b["start"]) for b in buckets], interval)
    return {"interval": INTERVAL_NAMES[interval], "bars": bars, "ticks": ticks, "width": WIDTH, "height": HEIGHT}
