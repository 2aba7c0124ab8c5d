"""The vocabulary of an embedded index, built in a child process: its peak memory never reaches a web worker."""
from __future__ import annotations

import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

from ..analysis import Analyzer, get_analyzer
from ..index import open_reader
from ..index.description import IndexQuery, Term
from . import names
from .vocabulary import Vocabulary

# A build takes seconds (2.7 s of CPU on the news corpora); this only stops a wedged one.
BUILD_TIMEOUT = 600
# Written into an embedded generation by reindex, before it is published: every
# reader (web workers, each `fahras search`) loads it instead of building it.
SAVED = "vocabulary.pickle"


def _dump(vocabulary: Vocabulary, out: Path) -> None:
    # Its fields only (arrays, a string, numbers): the class itself would not
    # unpickle under its own name where this module runs as __main__.
    with open(out, "wb") as f:
        pickle.dump(vocabulary.__dict__, f, protocol=pickle.HIGHEST_PROTOCOL)


def _undump(path: Path) -> Vocabulary:
    with open(path, "rb") as f:  # written by our own indexer or child process
        state = pickle.load(f)
    vocabulary = Vocabulary.__new__(Vocabulary)
    vocabulary.__dict__.update(state)
    return vocabulary


def save_in(backend: str, generation: Path, analyzer: Analyzer | None = None) -> None:
    """Build the vocabulary of the embedded index in `generation` and save it there, with the names it holds."""
    reader = open_reader(backend, generation)
    try:
        vocabulary = Vocabulary.build(reader.vocabulary("exact"))
        _dump(vocabulary, generation / SAVED)
        frequency = vocabulary.frequencies()
        analyzer = analyzer or get_analyzer()
        names.save(generation, frequency, learn_names(reader, frequency, analyzer))
    finally:
        reader.close()


# Articles read per spelling for its contexts.
CONTEXT_DOCUMENTS = 30


def learn_names(reader, frequency: dict[str, int], analyzer: Analyzer) -> dict[str, tuple[str, ...]]:
    """names.learn over an open reader: contexts from the articles of each spelling, shared articles counted."""
    def contexts(term: str):
        found = reader.search(IndexQuery(should=(Term("exact", term),), limit=CONTEXT_DOCUMENTS))
        texts = (f"{h.fields.get('title') or ''}\n{h.fields.get('body') or ''}" for h in found.hits)
        return names.neighbours(term, map(analyzer.index_forms, texts))

    def shared(a: str, b: str) -> int:
        # limit 1, not 0: Whoosh refuses a search for no hits; the total is what counts.
        return reader.search(IndexQuery(required=(Term("exact", a), Term("exact", b)), limit=1)).total

    return names.learn(frequency, contexts, shared, lambda term: _bare(analyzer, term))


def _bare(analyzer: Analyzer, term: str) -> bool:
    """Whether `term` is its own stem: a name, not a form with clitics or endings (وترامب is the stemmer's)."""
    return analyzer.stem_of(term) == [term]


def load(backend: str, generation) -> Vocabulary:
    """The generation's saved vocabulary, else one built apart (an index from before it was saved)."""
    saved = Path(generation) / SAVED if isinstance(generation, Path) else None
    if saved is not None and saved.is_file():
        return _undump(saved)
    return build_apart(backend, generation)


def build_apart(backend: str, generation: Path, timeout: float = BUILD_TIMEOUT) -> Vocabulary:
    """The vocabulary of the embedded index in `generation`, built in a child process and loaded here.

    Building holds every term of the index at once as Python objects: on the
    news corpora (350,000 terms) the process grows by about 80 MB beyond the
    finished arrays, which hold about 45 MB. In a child process that peak
    never reaches the long-lived web worker; only the arrays come back
    (arrays pickle as their bytes).
    """
    with tempfile.TemporaryDirectory(prefix="fahras-vocabulary-") as tmp:
        out = Path(tmp) / "vocabulary.pickle"
        done = subprocess.run(
            [sys.executable, "-m", __name__, backend, str(generation), str(out)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(f"the vocabulary build exited with {done.returncode}: "
                               + done.stderr.decode("utf-8", "replace")[-2000:])
        return _undump(out)


def _build_main(argv: list[str]) -> int:
    """python -m search.suggest.build BACKEND GENERATION OUT: pickle the vocabulary of an embedded index to OUT."""
    backend, generation, out = argv
    reader = open_reader(backend, Path(generation))
    try:
        _dump(Vocabulary.build(reader.vocabulary("exact")), Path(out))
    finally:
        reader.close()
    return 0


if __name__ == "__main__":
    sys.exit(_build_main(sys.argv[1:]))
