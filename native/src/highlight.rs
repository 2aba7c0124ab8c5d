//! Snippets and highlights (search/highlight.py), natively: the window
//! around the densest cluster of matched words, cut at spaces, escaped, with
//! the matched words marked. Positions are counted in characters, as Python
//! counts them, and carried with their byte offsets; every string and bound
//! comes from the Python module at construction.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::get;

/// A position in a text: its character index (what Python counts) and its byte offset.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct At {
    pub char: usize,
    pub byte: usize,
}

pub const ORIGIN: At = At { char: 0, byte: 0 };

impl At {
    /// This position in a text of which `self` is a part starting at `base`.
    pub fn within(self, base: At) -> At {
        At { char: base.char + self.char, byte: base.byte + self.byte }
    }

    /// The position just after the character `c` found here.
    pub fn after(self, c: char) -> At {
        At { char: self.char + 1, byte: self.byte + c.len_utf8() }
    }
}

/// The characters of `text` from `at` on, each with its position.
pub fn forward(text: &str, at: At) -> impl Iterator<Item = (At, char)> + '_ {
    text[at.byte..]
        .char_indices()
        .enumerate()
        .map(move |(i, (b, c))| (At { char: at.char + i, byte: at.byte + b }, c))
}

/// The characters of `text` before `at`, the nearest first, each with its position.
fn backward(text: &str, at: At) -> impl Iterator<Item = (At, char)> + '_ {
    text[..at.byte]
        .char_indices()
        .rev()
        .enumerate()
        .map(move |(i, (b, c))| (At { char: at.char - 1 - i, byte: b }, c))
}

/// The position of character `to` of `text`, reached from `from` (or the end of `text`, if nearer).
pub fn walk(text: &str, from: At, to: usize) -> At {
    if to >= from.char {
        forward(text, from).take(to - from.char).last().map_or(from, |(at, c)| at.after(c))
    } else {
        backward(text, from).take(from.char - to).last().map_or(from, |(at, _)| at)
    }
}

/// Python's str.find(ch, from.char, end): the first `ch` at or after `from` and before character `end`.
fn find(text: &str, from: At, end: usize, ch: char) -> Option<At> {
    forward(text, from).take_while(|(at, _)| at.char < end).find(|&(_, c)| c == ch).map(|(at, _)| at)
}

/// Python's str.rfind(ch, start, to.char): the last `ch` before `to` and at or after character `start`.
fn rfind(text: &str, to: At, start: usize, ch: char) -> Option<At> {
    backward(text, to).take_while(|(at, _)| at.char >= start).find(|&(_, c)| c == ch).map(|(at, _)| at)
}

/// A slice index as Python reads it for a text of `length` characters (negative counts from the end).
fn py_index(index: isize, length: usize) -> usize {
    if index < 0 {
        (length as isize + index).max(0) as usize
    } else {
        (index as usize).min(length)
    }
}

/// `text` from `a` to `b`, empty when `b` is not after `a` (Python's text[a:b]).
fn slice(text: &str, a: At, b: At) -> &str {
    if a.byte < b.byte {
        &text[a.byte..b.byte]
    } else {
        ""
    }
}

/// A matched written word: [start, end).
#[derive(Clone, Copy, Debug)]
pub struct Span {
    pub start: At,
    pub end: At,
}

/// The query's forms: a word is marked when one of its terms has its stem or its exact form among them.
/// A query has few: a scan of each list is cheaper than hashing every term of the text.
pub struct Wanted {
    stems: Vec<String>,
    exacts: Vec<String>,
}

impl Wanted {
    pub fn new(stems: Vec<String>, exacts: Vec<String>) -> Self {
        Wanted { stems, exacts }
    }

    pub fn any(&self, pairs: &[(String, String)]) -> bool {
        pairs.iter().any(|(stem, exact)| self.stems.contains(stem) || self.exacts.contains(exact))
    }
}

/// What search/highlight.py writes around and between the words: the marks, the ellipses, the escapes.
#[pyclass(module = "search.arabic._native", frozen)]
pub struct Marking {
    open: String,
    close: String,
    before: String,
    after: String,
    boundary: char,
    reach: usize,
    pub scan: usize,
    /// Per ASCII byte, what html.escape writes for it (it changes no other character).
    escapes: Vec<Option<String>>,
}

#[pymethods]
impl Marking {
    #[new]
    fn new(rules: &Bound<'_, PyDict>) -> PyResult<Self> {
        let mut escapes = vec![None; 128];
        for (ch, escaped) in get::<std::collections::HashMap<char, String>>(rules, "escapes")? {
            let slot = escapes
                .get_mut(ch as usize)
                .ok_or_else(|| PyValueError::new_err("escapes: only ASCII characters are escaped"))?;
            *slot = Some(escaped);
        }
        Ok(Marking {
            open: get(rules, "open")?,
            close: get(rules, "close")?,
            before: get(rules, "before")?,
            after: get(rules, "after")?,
            boundary: get(rules, "boundary")?,
            reach: get(rules, "reach")?,
            scan: get(rules, "scan")?,
            escapes,
        })
    }
}

impl Marking {
    fn escape(&self, out: &mut String, text: &str) {
        let mut from = 0;
        for (i, b) in text.bytes().enumerate() {
            if let Some(Some(escaped)) = self.escapes.get(b as usize) {
                out.push_str(&text[from..i]);
                out.push_str(escaped);
                from = i + 1;
            }
        }
        out.push_str(&text[from..]);
    }

    /// highlight._render: `text` from `start` to `end`, escaped, with the words of `spans` marked.
    fn render(&self, out: &mut String, text: &str, spans: &[Span], start: At, end: At) {
        let mut pos = start;
        for span in spans {
            if span.end.char <= start.char || span.start.char >= end.char {
                continue;
            }
            let s = if span.start.char > start.char { span.start } else { start };
            let e = if span.end.char < end.char { span.end } else { end };
            self.escape(out, slice(text, pos, s));
            out.push_str(&self.open);
            self.escape(out, slice(text, s, e));
            out.push_str(&self.close);
            pos = e;
        }
        self.escape(out, slice(text, pos, end));
    }

    /// highlight.highlight: the whole text, escaped and marked.
    pub fn highlight(&self, text: &str, spans: &[Span]) -> String {
        let mut out = String::with_capacity(text.len() + 16 * spans.len());
        let end = At { char: text.chars().count(), byte: text.len() };
        self.render(&mut out, text, spans, ORIGIN, end);
        out
    }

    /// highlight.snippet on the head of a text of `length` characters (it must reach the scan's
    /// end plus `size` and the reach of a word boundary): about `size` characters around the
    /// densest cluster of `spans`.
    pub fn snippet(&self, text: &str, length: usize, spans: &[Span], size: usize) -> String {
        let (start, end) = match densest(spans, size) {
            None => (ORIGIN, walk(text, ORIGIN, length.min(size))),
            Some(best) => {
                let start = walk(text, best, best.char.saturating_sub(size / 4));
                (start, walk(text, start, length.min(start.char + size)))
            }
        };
        let (start, end) = self.word_boundaries(text, length, start, end);
        let mut out = String::with_capacity(3 * size);
        if start.char > 0 {
            out.push_str(&self.before);
        }
        self.render(&mut out, text, spans, start, end);
        if end.char < length {
            out.push_str(&self.after);
        }
        out
    }

    /// highlight._word_boundaries: the start moved forward and the end back to a space, within reach.
    fn word_boundaries(&self, text: &str, length: usize, mut start: At, mut end: At) -> (At, At) {
        if start.char > 0 {
            if let Some(space) = find(text, start, length.min(start.char + self.reach), self.boundary) {
                start = space.after(self.boundary);
            }
        }
        if end.char < length {
            let from = py_index(end.char as isize - self.reach as isize, length);
            if let Some(space) = rfind(text, end, from, self.boundary) {
                if space.char > start.char {
                    end = space;
                }
            }
        }
        (start, end)
    }
}

/// The start of the window of `size` characters that starts at a match and covers the most matches.
fn densest(spans: &[Span], size: usize) -> Option<At> {
    let first = spans.first()?;
    let (mut best, mut best_count, mut j) = (first.start, 0, 0);
    for (i, span) in spans.iter().enumerate() {
        j = j.max(i);
        while j + 1 < spans.len() && spans[j + 1].end.char.saturating_sub(span.start.char) <= size {
            j += 1;
        }
        if j - i + 1 > best_count {
            best = span.start;
            best_count = j - i + 1;
        }
    }
    Some(best)
}
