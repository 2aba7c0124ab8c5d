"""Suggestions: did-you-mean over the index's own vocabulary."""
from __future__ import annotations

from .spelling import correct, distance, suggest_query, suggest_words, written_forms
from .vocabulary import Vocabulary

__all__ = ["Vocabulary", "correct", "distance", "suggest_query", "suggest_words", "written_forms"]
