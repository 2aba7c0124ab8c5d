"""Per-day counts -> the timeline: the interval chosen from the span, every bucket between the first and the last."""
from __future__ import annotations

import pytest

from search.timeline import timeline

# Days with matches -> (interval, [(bucket start, count), ...]).
TIMELINES = [
    ({}, ("day", [])),
    ({"2024-03-05": 2}, ("day", [("2024-03-05", 2)])),
    ({"2024-03-05": 2, "2024-03-07": 1}, ("day", [("2024-03-05", 2), ("2024-03-06", 0), ("2024-03-07", 1)])),
    # 63 days apart: weeks, starting on Monday.
    ({"2024-01-03": 1, "2024-03-06": 4}, ("week", [("2024-01-01", 1)] + [(f"2024-{m}", 0) for m in
      ["01-08", "01-15", "01-22", "01-29", "02-05", "02-12", "02-19", "02-26"]] + [("2024-03-04", 4)])),
    ({"2023-11-30": 1, "2024-12-01": 2, "2024-12-31": 3}, ("month", [("2023-11-01", 1)] + [
        (f"{y}-{m:02d}-01", 0) for y, m in [(2023, 12)] + [(2024, m) for m in range(1, 12)]] + [("2024-12-01", 5)])),
    ({"2001-06-01": 1, "2015-01-01": 1}, ("year", [("2001-01-01", 1)] + [(f"{y}-01-01", 0) for y in range(2002, 2015)] + [("2015-01-01", 1)])),
]


@pytest.mark.parametrize("days, expected", TIMELINES)
def test_the_interval_follows_the_span_and_every_bucket_is_listed(days, expected):
    interval, buckets = expected
    assert timeline(days) == {"interval": interval, "buckets": [{"start": s, "count": n} for s, n in buckets]}
