"""The vocabulary of an embedded index, built in a child process: its peak memory never reaches a web worker."""
from __future__ import annotations

import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

from ..index import open_reader
from .vocabulary import Vocabulary

# A build takes seconds (2.7 s of CPU on the news corpora); this only stops a wedged one.
BUILD_TIMEOUT = 600


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
        with open(out, "rb") as f:  # written just now by our own child
            state = pickle.load(f)
    vocabulary = Vocabulary.__new__(Vocabulary)
    vocabulary.__dict__.update(state)
    return vocabulary


def _build_main(argv: list[str]) -> int:
    """python -m search.suggest.build BACKEND GENERATION OUT: pickle the vocabulary of an embedded index to OUT."""
    backend, generation, out = argv
    reader = open_reader(backend, Path(generation))
    try:
        vocabulary = Vocabulary.build(reader.vocabulary("exact"))
    finally:
        reader.close()
    # Its fields only (arrays, a string, numbers): this module runs as __main__
    # here, so the class itself would not unpickle under its own name.
    with open(out, "wb") as f:
        pickle.dump(vocabulary.__dict__, f, protocol=pickle.HIGHEST_PROTOCOL)
    return 0


if __name__ == "__main__":
    sys.exit(_build_main(sys.argv[1:]))
