"""The native fingerprint (native/src/fingerprint.rs) gives datasketch's signatures and keys, byte for byte."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search import grouping
from search.analysis import analyze_document, get_analyzer
from search.arabic import native
from search.documents import Document
from search.grouping import DEFAULT_GROUPING, GroupingConfig, band_keys, fingerprint, keys, minhash_of

built = pytest.mark.skipif(native._native is None, reason="the native core is not built (no Rust compiler)")

CONFIGS = [
    DEFAULT_GROUPING,
    GroupingConfig(shingle_words=1),
    GroupingConfig(shingle_words=2, min_shingles=1),
    GroupingConfig(shingle_words=5, min_shingles=20),
    GroupingConfig(min_shingles=0),
    GroupingConfig(num_perm=16, threshold=0.3),
    GroupingConfig(num_perm=256, threshold=0.8),
]

WORDS = "السلام عليكم الرياض وزارة الصحة أعلنت اليوم ١٢ 2024 news Reuters كوفيد-19 e\u0301 \u200bوزير 🙂 ﷲ".split()
# Python's whitespace, the rare ones included: str.split() splits on all of them.
SPACES = [" ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u2028", "\u3000", "\x1c", "\x85", "\u2009", "\x0b"]


def python_and_native(body: str, config: GroupingConfig) -> tuple[tuple, tuple]:
    """(signature, band keys) by datasketch and by the native core."""
    sketch = grouping._sketch(config, True)
    spec = minhash_of(body, config)
    fast = sketch.signature(body)
    return ((spec, spec and band_keys(spec, config)), (fast, fast and sketch.band_keys(fast)))


bodies = st.one_of(
    st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SPACES)), max_size=60).map(
        lambda pairs: "".join(w + s for w, s in pairs)),
    st.lists(st.sampled_from(WORDS[:3]), max_size=40).map(" ".join),  # few distinct shingles
    st.text(max_size=300),
    st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF) | st.sampled_from([" ", "\n", "\u00a0"]), max_size=300),
)


@built
@settings(max_examples=300, deadline=None)
@given(body=bodies, config=st.sampled_from(CONFIGS))
def test_native_signature_and_keys_are_datasketchs(body, config):
    spec, fast = python_and_native(body, config)
    assert fast == spec


@built
@pytest.mark.parametrize("body, signed", [
    ("", False),
    ("واحدة", False),
    ("ثلاث كلمات فقط", False),
    ("one two three four five six seven eight nine", False),  # 7 shingles
    ("one two three four five six seven eight nine ten", True),  # 8 shingles
    ("a b c " * 50, False),  # 150 shingles, 3 distinct
    ("a b c d e f g h " * 20, True),  # 8 distinct, repeated
    ("أعلنت وزارة الصحة\u00a0اليوم\tعن تسجيل\n١٢ إصابة جديدة بفيروس كورونا في الرياض وجدة", True),
    ("\u2028".join(WORDS), True),
    ("🙂 " * 3 + " ".join(WORDS), True),
])
def test_fingerprint_and_keys_are_the_same_on_both_paths(body, signed, monkeypatch):
    doc = analyze_document(Document("d1", "عنوان الخبر", body, "2024-03-01"), get_analyzer())
    found = {}
    for flag in ("0", "1"):
        monkeypatch.setenv("FAHRAS_NATIVE", flag)
        assert (grouping._sketch(DEFAULT_GROUPING, native.enabled()) is not None) == (flag == "1")
        fp = fingerprint(doc)
        found[flag] = (fp, keys(fp))
    assert found["1"] == found["0"]
    fp, own = found["1"]
    assert (fp.minhash is not None) == signed
    assert len(own) == 1 + signed * len(grouping._bands(DEFAULT_GROUPING.threshold, DEFAULT_GROUPING.num_perm))


@built
@pytest.mark.parametrize("body", ["\ud800 " * 10, "one two three four five six seven eight nine \udfff"])
def test_a_lone_surrogate_fails_alike_on_both_paths(body):
    with pytest.raises(UnicodeEncodeError):
        minhash_of(body)
    with pytest.raises(UnicodeEncodeError):
        grouping._sketch(DEFAULT_GROUPING, True).signature(body)


@built
@pytest.mark.parametrize("signature", [b"", b"\x01\x02\x03\x04" * 5, bytes(range(256)) * 2, bytes(range(256)) * 4])
def test_band_keys_of_any_whole_signature_are_datasketchs(signature):
    # Shorter or longer signatures than num_perm: numpy cuts the bands short, and so does the core.
    assert grouping._sketch(DEFAULT_GROUPING, True).band_keys(signature) == band_keys(signature)


@built
def test_a_signature_of_a_partial_uint32_is_refused():
    with pytest.raises(ValueError):
        grouping._sketch(DEFAULT_GROUPING, True).band_keys(b"\x01\x02\x03")
    with pytest.raises(ValueError):
        band_keys(b"\x01\x02\x03")
