"""Ranking parameters shared by every backend, so they rank alike."""
from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Ranking:
    k1: float = 1.2
    b: float = 0.75
    title_boost: float = 3.0
    body_boost: float = 1.0
    # The exact written form (normalised, unstemmed) scores on top of its stem,
    # so exact matches outrank other forms of the same stem.
    exact_boost: float = 0.25
    # A quoted phrase inside a longer query adds this weight where it occurs as written.
    phrase_boost: float = 1.0
    # A query word in the body's lead (first LEAD_TERMS terms) adds this.
    lead_boost: float = 0.5
    # Each pair of adjacent query words found side by side in a document adds this.
    pair_boost: float = 0.5
    # How many other words may stand between the two words of a pair.
    pair_slop: int = 0
    # Weight of the strongest feedback term (0 turns feedback off).
    feedback_weight: float = 0.0
    # A question (search/query/plan.py: a question mark or a question word)
    # is answered by a passage that holds its words apart and anywhere, not
    # by one that repeats them side by side in its opening as a headline's
    # article does: its lead and pair boosts are scaled by this.
    question_weight: float = 0.6

    def for_question(self) -> "Ranking":
        """The ranking of a question: the same, with the lead and the pairs weighing less."""
        w = self.question_weight
        return replace(self, lead_boost=self.lead_boost * w, pair_boost=self.pair_boost * w)

RANKING = Ranking()
