//! The near-duplicate fingerprint of search/grouping, natively: the word
//! shingles of a body's exact forms, the CRC-32 of each, datasketch's
//! "affine32" MinHash over the permutations datasketch drew (handed over from
//! Python once), and the LSH band keys of a signature. The datasketch code in
//! search/grouping is the specification; the tests compare the two.

use blake2::digest::{Update, VariableOutput};
use blake2::Blake2bVar;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

/// Bytes of a band key's hash (blake2b with digest_size=8).
const BAND_KEY_BYTES: usize = 8;
const HEX: &[u8; 16] = b"0123456789abcdef";
const NOT_SPACE: u8 = 0;
const SPACE: u8 = 1;
const MAYBE: u8 = 2;

#[pyclass(module = "search.arabic._native", frozen)]
pub struct Sketch {
    a: Vec<u32>,
    b: Vec<u32>,
    shingle_words: usize,
    min_shingles: usize,
    bands: Vec<(usize, usize)>,
    // Python's whitespace (str.split), indexed by code point: all of it is in the BMP.
    spaces: Vec<bool>,
    // Per byte: NOT_SPACE (most of a text), SPACE (ASCII whitespace), or MAYBE (the lead byte of a
    // whitespace character, and of others): only those are decoded.
    bytes: [u8; 256],
    avx2: bool,
}

/// Lowers each permutation's minimum to the permuted hashes: datasketch's `a * h + b` in uint32,
/// whose wrapping is the modulo 2^32.
#[inline(always)]
fn lower(mins: &mut [u32], a: &[u32], b: &[u32], hashes: &[u32]) {
    for &h in hashes {
        for ((m, &a), &b) in mins.iter_mut().zip(a).zip(b) {
            *m = (*m).min(a.wrapping_mul(h).wrapping_add(b));
        }
    }
}

/// `lower` compiled for AVX2, whose 32-bit multiply and unsigned minimum do eight lanes in one
/// instruction each (the x86-64 baseline has neither): a quarter less time per signature.
///
/// # Safety
/// Only where the CPU has AVX2 (Sketch checks at construction).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn lower_avx2(mins: &mut [u32], a: &[u32], b: &[u32], hashes: &[u32]) {
    lower(mins, a, b, hashes)
}

/// MurmurHash3's 32-bit finalizer: the affine32 scheme mixes each input hash with it first.
fn fmix32(mut h: u32) -> u32 {
    h ^= h >> 16;
    h = h.wrapping_mul(0x85EB_CA6B);
    h ^= h >> 13;
    h = h.wrapping_mul(0xC2B2_AE35);
    h ^ (h >> 16)
}

impl Sketch {
    /// The length of the whitespace character at byte `i` of `text`, 0 when there is none.
    fn space_at(&self, text: &str, i: usize) -> usize {
        match self.bytes[usize::from(text.as_bytes()[i])] {
            NOT_SPACE => 0,
            SPACE => 1,
            _ => match text[i..].chars().next() {
                Some(c) if self.spaces.get(c as usize).copied().unwrap_or(false) => c.len_utf8(),
                _ => 0,
            },
        }
    }

    /// str.split(): the words of `text` between runs of whitespace.
    fn words<'t>(&self, text: &'t str) -> Vec<&'t [u8]> {
        let bytes = text.as_bytes();
        let (mut out, mut start, mut i) = (Vec::new(), None, 0);
        while i < bytes.len() {
            match (self.space_at(text, i), start) {
                (0, None) => start = Some(i),
                (0, Some(_)) => {}
                (n, s) => {
                    if let Some(s) = s {
                        out.push(&bytes[s..i]);
                    }
                    start = None;
                    i += n;
                    continue;
                }
            }
            i += 1;
        }
        if let Some(s) = start {
            out.push(&bytes[s..]);
        }
        out
    }

    /// Whether the shingles (word windows starting at `starts`, `width` words each) hold at least
    /// min_shingles distinct ones: only that many are compared, not the whole set.
    fn enough_distinct(&self, words: &[&[u8]], starts: usize, width: usize) -> bool {
        let mut distinct: Vec<usize> = Vec::with_capacity(self.min_shingles);
        for i in 0..starts {
            if distinct.len() >= self.min_shingles {
                break;
            }
            if !distinct.iter().any(|&j| words[i..i + width] == words[j..j + width]) {
                distinct.push(i);
            }
        }
        distinct.len() >= self.min_shingles
    }

    /// The signature (one minimum per permutation), or None below min_shingles distinct shingles.
    fn signature_of(&self, text: &str) -> Option<Vec<u32>> {
        let words = self.words(text);
        let size = self.shingle_words;
        // grouping.shingles: the whole text when it has at most `size` words, none of no words.
        let (starts, width) = match words.len() {
            0 => (0, 0),
            n if n <= size => (1, n),
            _ if size == 0 => (0, 0),
            n => (n - size + 1, size),
        };
        if !self.enough_distinct(&words, starts, width) {
            return None;
        }
        let mut hashes = Vec::with_capacity(starts);
        let mut shingle = Vec::new();
        for i in 0..starts {
            shingle.clear();
            for (k, word) in words[i..i + width].iter().enumerate() {
                if k > 0 {
                    shingle.push(b' ');
                }
                shingle.extend_from_slice(word);
            }
            // A repeated shingle gives the same hash and so the same minima: no set is needed.
            hashes.push(fmix32(crc32fast::hash(&shingle)));
        }
        let mut mins = vec![u32::MAX; self.a.len()];
        #[cfg(target_arch = "x86_64")]
        if self.avx2 {
            // SAFETY: the CPU has AVX2 (checked in `new`).
            unsafe { lower_avx2(&mut mins, &self.a, &self.b, &hashes) };
            return Some(mins);
        }
        lower(&mut mins, &self.a, &self.b, &hashes);
        Some(mins)
    }
}

#[pymethods]
impl Sketch {
    #[new]
    fn new(
        a: Vec<u32>,
        b: Vec<u32>,
        shingle_words: usize,
        min_shingles: usize,
        bands: Vec<(usize, usize)>,
        spaces: &str,
    ) -> PyResult<Self> {
        if a.len() != b.len() || a.iter().any(|x| x % 2 == 0) {
            return Err(PyValueError::new_err("permutations: as many a as b, every a odd"));
        }
        let (mut table, mut bytes) = (vec![false; 0x10000], [NOT_SPACE; 256]);
        for c in spaces.chars() {
            match table.get_mut(c as usize) {
                Some(slot) => *slot = true,
                None => return Err(PyValueError::new_err("spaces must be in the BMP")),
            }
            let mut utf8 = [0u8; 4];
            let lead = c.encode_utf8(&mut utf8).as_bytes()[0];
            bytes[usize::from(lead)] = if c.is_ascii() { SPACE } else { MAYBE };
        }
        #[cfg(target_arch = "x86_64")]
        let avx2 = is_x86_feature_detected!("avx2");
        #[cfg(not(target_arch = "x86_64"))]
        let avx2 = false;
        Ok(Sketch { a, b, shingle_words, min_shingles, bands, spaces: table, bytes, avx2 })
    }

    /// grouping's MinHash signature of `body` (uint32s in native byte order), or None for a short body.
    fn signature<'py>(&self, py: Python<'py>, body: &str) -> Option<Bound<'py, PyBytes>> {
        let mins = self.signature_of(body)?;
        let bytes: Vec<u8> = mins.iter().flat_map(|m| m.to_ne_bytes()).collect();
        Some(PyBytes::new(py, &bytes))
    }

    /// grouping's band keys of a signature: per band "number:hex of blake2b-64 of its values".
    fn band_keys(&self, signature: &[u8]) -> PyResult<Vec<String>> {
        if signature.len() % 4 != 0 {
            return Err(PyValueError::new_err("a signature is a whole number of uint32s"));
        }
        let mut out = Vec::with_capacity(self.bands.len());
        for (band, &(start, end)) in self.bands.iter().enumerate() {
            // numpy slices past the end are cut short, as here.
            let (from, to) = ((4 * start).min(signature.len()), (4 * end).min(signature.len()));
            let mut hasher = Blake2bVar::new(BAND_KEY_BYTES).expect("8 is a valid blake2b size");
            hasher.update(&signature[from..to.max(from)]);
            let mut digest = [0u8; BAND_KEY_BYTES];
            hasher.finalize_variable(&mut digest).expect("the buffer has the digest's size");
            let mut key = format!("{band}:");
            for byte in digest {
                key.push(HEX[usize::from(byte >> 4)] as char);
                key.push(HEX[usize::from(byte & 15)] as char);
            }
            out.push(key);
        }
        Ok(out)
    }
}
