"""The analysis chain, the one source of truth for documents, queries, highlights and backends.

    text → tokenize (offsets into the original) → normalize → drop stopwords → light stem

Every word yields a `Term` with two forms: ``stem`` (what the stemmed fields
index, so كتاب finds والكتاب) and ``exact`` (the normalised surface, indexed in
a second field so that the form as written outranks other forms of the stem).
Backends index these strings as they are (whitespace-separated, positions in
order); none of them analyses text on its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, compress, repeat
from operator import is_, itemgetter
from typing import Iterator, NamedTuple

from .arabic import native
from .arabic.compounds import separate_joined, split_compound
from .arabic.normalize import normalize
from .arabic.stem import DEFAULT_STEMMER, STEMMERS
from .arabic.stopwords import QUESTION_WORDS, STOPWORDS
from .arabic.tokenize import WORD_RE, tokenize
from .documents import AnalyzedDocument, Document

# Bump when a rule changes what terms a text produces: an index built by
# another version is refused (search.index_dir) and must be rebuilt.
CHAIN_VERSION = 10
# Longer "words" are URLs, base64 or keyboard noise; a bound keeps every term
# small enough for every backend (Lucene refuses terms over 32 KB).
MAX_TERM_LENGTH = 40
# Put between the title's and the body's exact forms so that a quoted phrase
# never matches across the join; it is not a word, so no query contains it.
FIELD_GAP = "¶"
# The lead of a news article (its first sentences) names what the article is
# about; its stems are indexed again as a field of their own.
LEAD_TERMS = 30
# An abstract with this share of its words in the body is the body's opening
# again (truncated, or a word changed): indexing it twice would count it twice.
ABSTRACT_WITHIN = 0.9
# Distinct written words whose forms the indexing fast path keeps (per process).
MAX_CACHED_WORDS = 2_000_000


class Term(NamedTuple):
    stem: str
    exact: str
    position: int
    start: int  # offsets of the whole written word in the original text
    end: int


@dataclass(frozen=True)
class AnalysisConfig:
    stemmer: str = DEFAULT_STEMMER
    fold_hamza_carriers: bool = False
    stopwords: bool = True
    drop_question_words: bool = True
    # Off only to measure what normalisation is worth: words are then indexed
    # as written (marks, hamza and all), Latin still casefolded.
    normalize: bool = True

    @property
    def version(self) -> str:
        hamza = "hamza-folded" if self.fold_hamza_carriers else "hamza-kept"
        stop = "stop" if self.stopwords else "nostop"
        raw = "" if self.normalize else ":raw"
        return f"{CHAIN_VERSION}:{self.stemmer}:{hamza}:{stop}{raw}"


@dataclass
class Analyzer:
    config: AnalysisConfig = field(default_factory=AnalysisConfig)

    def __post_init__(self) -> None:
        stem = STEMMERS[self.config.stemmer]
        fold = self.config.fold_hamza_carriers
        normal = normalize if self.config.normalize else lambda word, _: word.casefold()
        stopwords = STOPWORDS if self.config.stopwords else frozenset()

        # Per distinct written word: its (stem, exact) pairs. Normalisation can
        # split one written word (the ligature ﷺ expands to four words) or
        # empty it (a run of marks), hence a tuple. lru_cache is thread-safe.
        @lru_cache(maxsize=1_000_000)
        def word_terms(word: str) -> tuple[tuple[str, str], ...]:
            out = []
            for written in normal(separate_joined(word), fold).split():
                for exact in split_compound(written[:MAX_TERM_LENGTH]):
                    if exact not in stopwords:
                        out.append((stem(exact), exact))
            return tuple(out)

        def words_forms(words: list[str]) -> list[tuple[str, str] | tuple[()]]:
            # word_terms for many words at once, space-joined as in forms_of:
            # one normalisation call for all of them ("\n" never occurs in a
            # word and composes with nothing), and no join for one-term words.
            out: list[tuple[str, str] | tuple[()]] = []
            for normalised in normal("\n".join(map(separate_joined, words)), fold).split("\n"):
                pairs = [
                    (stem(exact), exact)
                    for written in normalised.split()
                    for exact in split_compound(written[:MAX_TERM_LENGTH])
                    if exact not in stopwords
                ]
                if len(pairs) == 1:
                    out.append(pairs[0])
                else:
                    out.append((" ".join([s for s, _ in pairs]), " ".join([e for _, e in pairs])) if pairs else ())
            return out

        def pieces_forms(pieces: list[str], known: dict) -> dict[str, tuple[str, str] | tuple[()]]:
            # The forms of pieces of text without whitespace (one word, or
            # words glued by punctuation: «المدرسة», بـ4), and of their words;
            # words already in `known` are not analysed again.
            words_of = list(map(WORD_RE.findall, pieces))
            found = {}
            new = []
            for word in set(chain.from_iterable(words_of)):
                form = known.get(word)
                if form is None:
                    new.append(word)
                else:
                    found[word] = form
            found.update(zip(new, words_forms(new)))
            for piece, its_words in zip(pieces, words_of):
                if len(its_words) == 1:
                    found[piece] = found[its_words[0]]
                    continue
                parts = [f for f in map(found.__getitem__, its_words) if f]
                if len(parts) < 2:
                    found[piece] = parts[0] if parts else ()
                else:
                    found[piece] = (" ".join([s for s, _ in parts]), " ".join([e for _, e in parts]))
            return found

        self._word_terms = word_terms
        self._pieces_forms = pieces_forms
        # The native core (search/arabic/native.py) does the same for the
        # default chain; it hands back the pieces it cannot analyse exactly.
        self._native = native.core(fold, self.config.stopwords, MAX_TERM_LENGTH, MAX_CACHED_WORDS) if (
            self.config.stemmer == "fahras" and self.config.normalize) else None
        self._normal = lambda text: normal(text, fold)
        # The indexing fast path: written word -> its (stems, exacts), each
        # space-joined, or () when the word yields no term. A plain dict is
        # read by map() at C speed, where every lru_cache call costs a Python
        # call; it is emptied when full rather than evicted in order.
        self._forms: dict[str, tuple[str, str] | tuple[()]] = {}
        # Indexing wants every distinct word of a corpus; a web worker sets a
        # smaller bound (its words come from queries and snippets, for days).
        self.max_cached_words = MAX_CACHED_WORDS

    @property
    def max_cached_words(self) -> int:
        return self._max_cached_words

    @max_cached_words.setter
    def max_cached_words(self, value: int) -> None:
        self._max_cached_words = value
        if self._native is not None:
            self._native.max_cached_words = value

    @property
    def native(self) -> bool:
        """True when the native core serves this analyzer."""
        return self._native is not None

    def _natively(self, method: str, *args):
        return self.natively(method, self._pieces_forms, *args)

    def natively(self, method: str, analyse, *args):
        """The native core's `method(*args)`, the pieces it hands back answered by `analyse(pieces, {})`
        (a dict by piece); None without a native core, or when the Python code must answer instead."""
        return native.call(self._native, analyse, method, *args)

    @property
    def version(self) -> str:
        return self.config.version

    def terms(self, text: str) -> list[Term]:
        """All terms of `text` with positions and offsets into `text`."""
        raw = self._natively("terms", text)
        if raw is not None:
            return list(map(Term._make, raw))
        out: list[Term] = []
        for token in tokenize(text):
            for stem, exact in self._word_terms(token.text):
                out.append(Term(stem, exact, len(out), token.start, token.end))
        return out

    def word_forms(self, text: str) -> list[tuple[str, str]]:
        """Per whitespace-delimited piece of `text` that yields terms: its (stems, exacts), each space-joined.

        Joining these with spaces gives the same strings as joining the terms
        of `terms(text)`: the indexing fast path (no offsets, no Term objects).
        No word holds whitespace, so a piece holds whole words; splitting on
        whitespace is much cheaper than the word pattern, which then runs
        only on pieces not seen before.
        """
        out = self._natively("word_forms", text)
        if out is not None:
            return out
        return list(filter(None, self.forms_of(text.split())))

    def forms_of(self, words: list[str]) -> list[tuple[str, str] | tuple[()]]:
        """Per written word (or piece without whitespace): its (stems, exacts), each space-joined, or () when it yields no term."""
        out = self._natively("forms_of", words)
        if out is not None:
            return out
        forms = self._forms
        found = list(map(forms.get, words))
        if None in found:
            if len(forms) > self.max_cached_words:
                forms.clear()
            missing = list(set(compress(words, map(is_, found, repeat(None)))))
            computed = self._pieces_forms(missing, forms)
            forms.update(computed)
            # From `computed`, not the cache, which another thread may empty meanwhile.
            found = list(map(computed.get, words, found))
        return found

    def index_forms(self, text: str) -> tuple[list[str], list[str]]:
        """The stems and exact forms of `text`, in order: the indexing fast path (no offsets)."""
        forms = self.word_forms(text)
        if not forms:
            return [], []
        return " ".join([s for s, _ in forms]).split(" "), " ".join([e for _, e in forms]).split(" ")

    def query_terms(self, text: str) -> list[Term]:
        """Terms of a query: as for documents, minus question words when they are not all there is."""
        terms = self.terms(text)
        if self.config.drop_question_words:
            content = [t for t in terms if t.exact not in QUESTION_WORDS]
            if content:
                terms = [t._replace(position=i) for i, t in enumerate(content)]
        return terms

    def normal_form(self, text: str) -> str:
        """`text` normalised as terms are (no stopwords dropped, no compounds split): a typed prefix."""
        return self._normal(text)

    def stem_of(self, word: str) -> list[str]:
        return [stem for stem, _ in self._word_terms(word)]


DEFAULT_CONFIG = AnalysisConfig()
_analyzers: dict[AnalysisConfig, Analyzer] = {}


def get_analyzer(config: AnalysisConfig = DEFAULT_CONFIG) -> Analyzer:
    """The shared analyzer for a configuration (one word cache per configuration)."""
    analyzer = _analyzers.get(config)
    if analyzer is None:
        analyzer = _analyzers.setdefault(config, Analyzer(config))
    return analyzer


def parse_version(version: str) -> AnalysisConfig:
    """The configuration an index was built with, from its manifest's analysis version."""
    chain, stemmer, hamza, stop, *raw = version.split(":")
    if int(chain) != CHAIN_VERSION or stemmer not in STEMMERS or raw not in ([], ["raw"]):
        raise ValueError(version)
    return AnalysisConfig(
        stemmer=stemmer, fold_hamza_carriers=hamza == "hamza-folded", stopwords=stop == "stop", normalize=not raw
    )


def analyze_document(doc: Document, analyzer: Analyzer) -> AnalyzedDocument:
    """A document's fields as the space-joined terms every backend indexes.

    An abstract that is not the body's opening again adds its words to the
    body and becomes the lead (the outlet's own summary names the subject);
    the lead stays part of the body, as search/query/scoring.py counts on.
    """
    title_stems, title_exact, _ = _joined_forms(doc.title, analyzer)
    body_stems, body_exact, lead_stems = _joined_forms(doc.body, analyzer)
    abstract_gap: tuple[str, ...] = ()  # with a gap of its own: no phrase runs from it into the body
    if doc.abstract:
        stems, exacts, lead = _joined_forms(doc.abstract, analyzer)
        words, known = exacts.split(), set(body_exact.split())
        if words and sum(w in known for w in words) < ABSTRACT_WITHIN * len(words):
            body_stems, lead_stems, abstract_gap = f"{stems} {body_stems}".strip(), lead, (exacts, FIELD_GAP)
    exact = " ".join(part for part in (title_exact, FIELD_GAP, *abstract_gap, body_exact) if part)
    return AnalyzedDocument(doc, title_stems, body_stems, lead_stems, exact, byline=_joined_forms(doc.author or "", analyzer)[0])


def _joined_forms(text: str, analyzer: Analyzer) -> tuple[str, str, str]:
    """(stems, exacts, the first LEAD_TERMS stems), each space-joined; terms never hold a space."""
    joined = analyzer._natively("joined", text, LEAD_TERMS)
    if joined is not None:
        return joined
    forms = analyzer.word_forms(text)
    stems = " ".join(map(itemgetter(0), forms))
    exacts = " ".join(map(itemgetter(1), forms))
    if len(forms) <= LEAD_TERMS and stems.count(" ") < LEAD_TERMS:
        return stems, exacts, stems
    # Each word gives at least one term, so the first LEAD_TERMS words hold the lead.
    lead = " ".join(map(itemgetter(0), forms[:LEAD_TERMS])).split(" ")[:LEAD_TERMS]
    return stems, exacts, " ".join(lead)
