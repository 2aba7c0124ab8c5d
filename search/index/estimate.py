"""How many documents an OR of terms matches, estimated from the terms' document frequencies.

Counting the union exactly means visiting every posting of every term, which
is what a pruned top-k search avoids. Assuming the terms occur independently,
a document misses all of them with probability prod(1 - df_i / N). The truth
lies between the largest frequency (every other term inside it) and their
sum (no overlap), so the estimate is kept inside those bounds.

Facets of a large result are counted over a few slices of the documents
(each document falls in one slice by a hash of its id) and scaled up, as
Elasticsearch's random_sampler aggregation does.
"""
from __future__ import annotations

import math


def union_size(frequencies: list[int], documents: int) -> int:
    """Estimated documents holding at least one of terms with these document frequencies, of `documents`."""
    if not frequencies or documents <= 0:
        return 0
    low, high = max(frequencies), min(sum(frequencies), documents)
    missed = math.prod(1.0 - min(df, documents) / documents for df in frequencies)
    return min(high, max(low, round(documents * (1.0 - missed))))


def slices_to_count(bound: int, estimate: int, slices: int) -> int:
    """How many of `slices` equal slices of the documents hold about `bound` of `estimate` matches (all when fewer match)."""
    if estimate <= bound or bound <= 0:
        return slices
    return max(1, min(slices, math.ceil(slices * bound / estimate)))
