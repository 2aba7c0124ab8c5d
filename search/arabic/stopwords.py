"""Function words that carry no topic: dropped from documents and queries.

Written in their normalised form (ا for أ/إ/آ, ي for ى, ه for ة) and looked up
after normalisation, so every spelling variant of a stopword is covered by one
entry. Kept short on purpose: words such as قبل، بعد، فوق are dropped by Lucene
but are asked for in news queries ("بعد الحرب"), and BM25's idf already makes
frequent words cheap.
"""
from __future__ import annotations

from .normalize import normalize

_WORDS = """
في من الي علي عن مع ان او ام ثم بل لكن لا لم لن ما قد كل بين حتي اذ اذا
و ف ب ك ل هو هي هم هن هما انا نحن انت انتم انتن انتما اياه اياها
هذا هذه هذان هاتان هؤلاء ذلك ذلكم تلك اولئك هناك هنا
الذي التي الذين اللذان اللتان اللواتي اللاتي اللائي
كان كانت كانوا يكون تكون ليس ليست
عند عندما لدي لدى منذ حيث حين اي ايا اما الا غير سوي
له لها لهم لهن به بها بهم فيه فيها فيهم منه منها منهم عليه عليها عليهم
اليه اليها اليهم عنه عنها عنهم معه معها
كما لما لو لولا ذا ذات يا ايها ايتها
وفي ومن والي وعلي وعن ومع وان او ولا ولم ولن وما وقد وهو وهي وهذا وهذه
وذلك وتلك والذي والتي والذين وكان وكانت
""".split()

STOPWORDS: frozenset[str] = frozenset(normalize(w) for w in _WORDS)

# Question words carry the asker's intent, not the topic: "متى ولد المتنبي"
# is about المتنبي. They are dropped from queries only, never from documents.
_QUESTION = """
ما ماذا من متي كم كيف اين لماذا لم هل اي ايه هو هي ماهو ماهي منهو
""".split()
QUESTION_WORDS: frozenset[str] = frozenset(normalize(w) for w in _QUESTION)


def is_stopword(term: str) -> bool:
    """True for a normalised word that is a stopword."""
    return term in STOPWORDS
