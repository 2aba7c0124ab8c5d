"""The Arabic rules: tokenizing with offsets, normalisation, stopwords, light stemming.

Each rule is data (named code points, affix tables, word lists) plus a small pure
function; `search.analysis` composes them into the one chain used everywhere.
"""
from .normalize import normalize
from .stem import light_stem
from .stopwords import STOPWORDS, is_stopword
from .tokenize import Token, tokenize

__all__ = ["Token", "tokenize", "normalize", "light_stem", "STOPWORDS", "is_stopword"]
