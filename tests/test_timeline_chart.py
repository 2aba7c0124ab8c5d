"""The page's timeline chart (webui/chart.py): bars a reader can see, and a time axis that places them."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import given, strategies as st

from search.request import SearchRequest
from search.timeline import INTERVALS, bucket_start, timeline
from webui.chart import LAST_TICK, MAX_TICKS, MIN_HEIGHT, axis_ticks, timeline_chart

YEAR = re.compile("[٠-٩]{4}")


_STEP = {"day": 1, "week": 7, "month": 31, "year": 366}  # days from a bucket's start into the next bucket


def _starts(first: date, interval: str, n: int) -> list[date]:
    """`n` consecutive bucket starts of `interval`, from the bucket holding `first`."""
    starts = [bucket_start(first, interval)]
    while len(starts) < n:
        starts.append(bucket_start(starts[-1] + timedelta(days=_STEP[interval]), interval))
    return starts


# (first bucket, interval, buckets) -> the axis labels, from the right (the earliest) leftwards.
AXES = [
    # The three news corpora: a tick at each January, every year.
    (date(2012, 10, 1), "month", 73, ["٢٠١٣", "٢٠١٤", "٢٠١٥", "٢٠١٦", "٢٠١٧", "٢٠١٨"]),
    # No January near enough to the end for its label to fit: the last one is left out.
    (date(2015, 11, 1), "month", 29, ["٢٠١٦", "٢٠١٧"]),
    # Weeks: the first week of each month, the first with its year.
    (date(2018, 2, 5), "week", 37, ["مارس ٢٠١٨", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر"]),
    # Days: Mondays, the first with its year.
    (date(2018, 6, 1), "day", 30, ["٤ يونيو ٢٠١٨", "١١ يونيو", "١٨ يونيو", "٢٥ يونيو"]),
    # One bucket: its own label, in full.
    (date(2018, 6, 1), "day", 1, ["١ يونيو ٢٠١٨"]),
    # Twenty years: every third, so that no more than MAX_TICKS remain.
    (date(2000, 1, 1), "year", 20, ["٢٠٠١", "٢٠٠٤", "٢٠٠٧", "٢٠١٠", "٢٠١٣", "٢٠١٦"]),
]


@pytest.mark.parametrize("first, interval, n, labels", AXES)
def test_the_axis_marks_where_each_coarser_period_begins(first, interval, n, labels):
    assert [tick.label for tick in axis_ticks(_starts(first, interval, n), interval)] == labels


@given(
    first=st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)),
    interval=st.sampled_from(INTERVALS),
    n=st.integers(min_value=1, max_value=120),
)
def test_ticks_are_few_in_order_within_the_axis_and_placed_in_time(first, interval, n):
    ticks = axis_ticks(_starts(first, interval, n), interval)
    assert 1 <= len(ticks) <= MAX_TICKS + 1  # the first bucket's own, at most, beside MAX_TICKS beginnings
    positions = [tick.x for tick in ticks]
    assert positions == sorted(positions, reverse=True) and len(set(positions)) == len(positions)
    assert all(100 * (1 - LAST_TICK) - 0.01 <= x <= 100 for x in positions)  # room left for each label
    assert YEAR.search(ticks[0].label)  # the first says which year
    assert [tick.minor for tick in ticks] == [i % 2 == 1 for i in range(len(ticks))]


def test_a_bucket_of_a_few_articles_shows_beside_a_peak_of_thousands():
    chart = timeline_chart(timeline({"2015-07-01": 5000, "2015-07-03": 1}), SearchRequest("x"), lambda r: "/")
    peak, empty, few = (bar.height for bar in chart["bars"])
    assert peak > few >= MIN_HEIGHT and empty == 0
    assert all(bar.y + bar.height == pytest.approx(chart["height"]) for bar in chart["bars"])
