//! The hot path of the analysis chain (search/analysis.py), natively.
//!
//! Every table comes from the Python modules at construction
//! (search/arabic/native.py builds them); only the small algorithms are
//! ported here. Text is handled only when all its characters are in the safe
//! set the Python side computed (characters whose NFKC, casefolding and
//! classes are exactly known from those tables); any other piece of text is
//! reported back so that the Python chain analyses it.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PySet, PyString, PyTuple};
use rustc_hash::{FxHashMap, FxHashSet};

mod fingerprint;
mod highlight;
use highlight::{At, Marking, Span, Wanted, ORIGIN};

const SAFE: u8 = 1;
const LETTER: u8 = 2; // re: [^\W\d_]
const DIGIT: u8 = 4; // re: \d
const INWORD: u8 = 8; // codepoints.IN_WORD
const ALPHA: u8 = 16; // str.isalpha
const SPACE: u8 = 32; // str.isspace
const MAPPED: u8 = 64; // normalisation changes it

type Forms = Option<(String, String)>;

fn clen(s: &str) -> usize {
    s.chars().count()
}

/// `s` without its last `n` characters.
fn drop_last(s: &str, n: usize) -> &str {
    if n == 0 {
        return s;
    }
    match s.char_indices().rev().nth(n - 1) {
        Some((i, _)) => &s[..i],
        None => "",
    }
}

/// `s` without its first `n` characters.
fn drop_first(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[i..],
        None => "",
    }
}

fn take_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

pub(crate) fn get<'py, T: FromPyObject<'py>>(rules: &Bound<'py, PyDict>, key: &str) -> PyResult<T> {
    match rules.get_item(key)? {
        Some(value) => value.extract(),
        None => Err(PyValueError::new_err(format!("missing rule {key}"))),
    }
}

fn set_of(items: Vec<String>) -> FxHashSet<String> {
    items.into_iter().collect()
}

fn one_char(s: &str, key: &str) -> PyResult<char> {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(PyValueError::new_err(format!("rule {key} must be one character"))),
    }
}

struct Rules {
    flags: Vec<u8>,
    normal: FxHashMap<char, String>,
    stopwords: FxHashSet<String>,
    max_term_length: usize,
    // compounds
    abd_article: String,
    abd: String,
    compound_min_length: usize,
    zwnj: char,
    min_letters_apart: usize,
    // stem
    protected: FxHashSet<String>,
    article_prefixes: Vec<String>,
    conjunction: String,
    min_word_for_conjunction: usize,
    suffixes: Vec<String>,
    min_stem: usize,
    final_seat_min_stem: usize,
    tanween_alef: String,
    keeps_final_alef_after: FxHashSet<char>,
    keeps_final_alef: FxHashSet<String>,
    // affixes
    proclitic_forms: FxHashSet<String>,
    pronoun_forms: FxHashSet<String>,
    pronoun_taa_forms: FxHashSet<String>,
    pronouns: FxHashSet<String>,
    all_pronouns: Vec<String>,
    taa: String,
    taa_marbuta: String,
    min_remainder: usize,
    // hamza
    spellings: FxHashMap<String, String>,
    waw_seat: char,
    yeh_seat: char,
    line: char,
    min_plural_stem: usize,
}

impl Rules {
    fn new(rules: &Bound<'_, PyDict>) -> PyResult<Self> {
        let mut flags = vec![0u8; 0x10000];
        for (key, flag) in [
            ("safe", SAFE),
            ("letters", LETTER),
            ("digits", DIGIT),
            ("inword", INWORD),
            ("alpha", ALPHA),
            ("spaces", SPACE),
        ] {
            let chars: String = get(rules, key)?;
            for c in chars.chars() {
                let code = c as usize;
                if code >= flags.len() {
                    return Err(PyValueError::new_err(format!("{key}: outside the BMP")));
                }
                flags[code] |= flag;
            }
        }
        let normal_table: std::collections::HashMap<String, String> = get(rules, "normal")?;
        let mut normal = FxHashMap::default();
        for (k, v) in normal_table {
            let c = one_char(&k, "normal")?;
            flags[c as usize] |= MAPPED;
            normal.insert(c, v);
        }
        let keeps_after: String = get(rules, "keeps_final_alef_after")?;
        let abd: String = get(rules, "abd")?;
        let article: String = get(rules, "article")?;
        Ok(Rules {
            flags,
            normal,
            stopwords: set_of(get(rules, "stopwords")?),
            max_term_length: get(rules, "max_term_length")?,
            abd_article: format!("{abd}{article}"),
            abd,
            compound_min_length: get(rules, "compound_min_length")?,
            zwnj: one_char(&get::<String>(rules, "zwnj")?, "zwnj")?,
            min_letters_apart: get(rules, "min_letters_apart")?,
            protected: set_of(get(rules, "protected")?),
            article_prefixes: get(rules, "article_prefixes")?,
            conjunction: get(rules, "conjunction")?,
            min_word_for_conjunction: get(rules, "min_word_for_conjunction")?,
            suffixes: get(rules, "suffixes")?,
            min_stem: get(rules, "min_stem")?,
            final_seat_min_stem: get(rules, "final_seat_min_stem")?,
            tanween_alef: get(rules, "tanween_alef")?,
            keeps_final_alef_after: keeps_after.chars().collect(),
            keeps_final_alef: set_of(get(rules, "keeps_final_alef")?),
            proclitic_forms: set_of(get(rules, "proclitic_forms")?),
            pronoun_forms: set_of(get(rules, "pronoun_forms")?),
            pronoun_taa_forms: set_of(get(rules, "pronoun_taa_forms")?),
            pronouns: set_of(get(rules, "pronouns")?),
            all_pronouns: get(rules, "all_pronouns")?,
            taa: get(rules, "taa")?,
            taa_marbuta: get(rules, "taa_marbuta")?,
            min_remainder: get(rules, "min_remainder")?,
            spellings: get::<std::collections::HashMap<String, String>>(rules, "spellings")?
                .into_iter()
                .collect(),
            waw_seat: one_char(&get::<String>(rules, "waw_seat")?, "waw_seat")?,
            yeh_seat: one_char(&get::<String>(rules, "yeh_seat")?, "yeh_seat")?,
            line: one_char(&get::<String>(rules, "line")?, "line")?,
            min_plural_stem: get(rules, "min_plural_stem")?,
        })
    }

    #[inline]
    fn flag(&self, c: char) -> u8 {
        let code = c as usize;
        if code < self.flags.len() {
            self.flags[code]
        } else {
            0
        }
    }

    fn is_alpha(&self, word: &str) -> bool {
        !word.is_empty() && word.chars().all(|c| self.flag(c) & ALPHA != 0)
    }

    fn letters(&self, text: &str) -> usize {
        text.chars().filter(|&c| self.flag(c) & ALPHA != 0).count()
    }

    /// compounds.separate_joined
    fn separate_joined(&self, word: &str) -> String {
        if !word.contains(self.zwnj) {
            return word.to_string();
        }
        let mut parts: Vec<&str> = word.split(self.zwnj).filter(|p| !p.is_empty()).collect();
        if parts.is_empty() {
            parts.push("");
        }
        let mut out = String::from(parts[0]);
        let mut last = parts[0];
        for part in &parts[1..] {
            let apart = self.letters(last) >= self.min_letters_apart && self.letters(part) >= self.min_letters_apart;
            if apart {
                out.push(' ');
            }
            out.push_str(part);
            last = part;
        }
        out
    }

    /// normalize.normalize on safe text: one table entry per character.
    fn normalize(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            if self.flag(c) & MAPPED != 0 {
                out.push_str(&self.normal[&c]);
            } else {
                out.push(c);
            }
        }
        out
    }

    /// compounds.split_compound
    fn split_compound<'a>(&self, word: &'a str) -> (&'a str, Option<&'a str>) {
        if clen(word) >= self.compound_min_length && word.starts_with(&self.abd_article) {
            let (head, tail) = word.split_at(self.abd.len());
            return (head, Some(tail));
        }
        (word, None)
    }

    /// hamza.final_seat
    fn final_seat(&self, stem: &str, min_length: usize) -> String {
        let mut chars = stem.chars().rev();
        let (last, before) = (chars.next(), chars.next());
        if before == Some('ا') && last == Some(self.waw_seat) && clen(stem) >= 4 {
            return format!("{}{}", drop_last(stem, 1), self.line);
        }
        if before == Some('ا') && last == Some(self.yeh_seat) && clen(stem) >= min_length {
            return format!("{}{}", drop_last(stem, 1), self.line);
        }
        stem.to_string()
    }

    /// hamza.seat
    fn seat(&self, stem: &str) -> String {
        let mut stem: Vec<char> = self.spellings.get(stem).map(|s| s.as_str()).unwrap_or(stem).chars().collect();
        let n = stem.len();
        if n >= 2 && stem[n - 2] == 'ي' && stem[n - 1] == self.line {
            stem[n - 1] = self.yeh_seat;
        }
        let found = stem.windows(2).position(|w| w[0] == self.yeh_seat && w[1] == 'و');
        if let Some(i) = found {
            if i > 0 {
                let tail: String = stem[i + 2..].iter().collect();
                if !(tail.is_empty() || tail == "ن" || tail == "ا") || i + 1 < self.min_plural_stem {
                    stem[i] = self.waw_seat;
                }
            }
        }
        stem.into_iter().collect()
    }

    /// affixes.pronoun_split
    fn pronoun_split(&self, form: &str) -> Option<(String, Option<String>)> {
        let n = clen(form);
        for pronoun in &self.all_pronouns {
            let p = clen(pronoun);
            if form.ends_with(pronoun.as_str()) && n >= p + self.min_remainder {
                let mut bare = form[..form.len() - pronoun.len()].to_string();
                if self.pronouns.contains(pronoun) {
                    bare = self.final_seat(&bare, self.min_remainder);
                }
                let restored = if bare.ends_with(self.taa.as_str()) && clen(&bare) > self.min_remainder {
                    Some(format!("{}{}", drop_last(&bare, 1), self.taa_marbuta))
                } else {
                    None
                };
                return Some((bare, restored));
            }
        }
        None
    }

    /// affixes.strip_pronoun
    fn strip_pronoun(&self, word: &str) -> String {
        if self.pronoun_taa_forms.contains(word) {
            return match self.pronoun_split(word) {
                Some((_, Some(restored))) => restored,
                _ => word.to_string(),
            };
        }
        if self.pronoun_forms.contains(word) {
            return match self.pronoun_split(word) {
                Some((bare, _)) => bare,
                None => word.to_string(),
            };
        }
        word.to_string()
    }

    /// stem.strip_prefix
    fn strip_prefix<'a>(&self, word: &'a str) -> &'a str {
        let n = clen(word);
        for prefix in &self.article_prefixes {
            if word.starts_with(prefix.as_str()) && n >= clen(prefix) + 2 {
                return &word[prefix.len()..];
            }
        }
        if word.starts_with(self.conjunction.as_str()) && n >= self.min_word_for_conjunction {
            return drop_first(word, 1);
        }
        word
    }

    /// stem._strip_tanween_alef
    fn strip_tanween_alef(&self, stem: String) -> String {
        let n = clen(&stem);
        if stem.ends_with(self.tanween_alef.as_str()) && n >= 1 + self.min_stem {
            let before = stem.chars().rev().nth(1);
            if !before.map_or(false, |c| self.keeps_final_alef_after.contains(&c)) && !self.keeps_final_alef.contains(&stem) {
                return drop_last(&stem, 1).to_string();
            }
        }
        stem
    }

    /// stem.fahras_stem
    fn stem(&self, word: &str) -> String {
        if self.protected.contains(word) || !self.is_alpha(word) {
            return word.to_string();
        }
        let mut stem: &str = self.strip_prefix(word);
        if self.protected.contains(stem) {
            return stem.to_string();
        }
        if clen(stem) + 1 >= clen(word) && self.proclitic_forms.contains(stem) {
            // No article was removed: a single proclitic may still be one.
            stem = drop_first(stem, 1);
        }
        let stem = self.seat(&self.strip_pronoun(stem));
        if self.protected.contains(&stem) {
            return stem;
        }
        let mut stem = self.strip_tanween_alef(stem);
        if self.protected.contains(&stem) {
            return stem;
        }
        for suffix in &self.suffixes {
            if stem.ends_with(suffix.as_str()) && clen(&stem) >= clen(suffix) + self.min_stem {
                stem.truncate(stem.len() - suffix.len());
                if self.protected.contains(&stem) {
                    return stem;
                }
            }
        }
        self.final_seat(&stem, self.final_seat_min_stem)
    }

    /// Analysis.word_terms: a written word's (stem, exact) pairs.
    fn word_pairs(&self, word: &str) -> Vec<(String, String)> {
        let normalised = self.normalize(&self.separate_joined(word));
        let mut out = Vec::new();
        for written in normalised.split(|c: char| self.flag(c) & SPACE != 0).filter(|w| !w.is_empty()) {
            let written = take_chars(written, self.max_term_length);
            let (head, tail) = self.split_compound(written);
            for exact in std::iter::once(head).chain(tail) {
                if !self.stopwords.contains(exact) {
                    out.push((self.stem(exact), exact.to_string()));
                }
            }
        }
        out
    }

    /// The words of `text` (tokenize.WORD_RE): each one's first and end characters, first byte, and text.
    fn words<'t>(&self, text: &'t str, mut visit: impl FnMut(usize, usize, usize, &'t str)) {
        let mut iter = text.char_indices().peekable();
        let mut pos = 0usize;
        while let Some((byte, c)) = iter.next() {
            let f = self.flag(c);
            let follow = if f & LETTER != 0 {
                LETTER | INWORD
            } else if f & DIGIT != 0 {
                DIGIT | INWORD
            } else {
                pos += 1;
                continue;
            };
            let start = pos;
            let mut end_byte = byte + c.len_utf8();
            pos += 1;
            while let Some(&(b, next)) = iter.peek() {
                if self.flag(next) & follow == 0 {
                    break;
                }
                end_byte = b + next.len_utf8();
                pos += 1;
                iter.next();
            }
            visit(start, pos, byte, &text[byte..end_byte]);
        }
    }

    fn is_safe(&self, text: &str) -> bool {
        text.chars().all(|c| self.flag(c) & SAFE != 0)
    }

    /// The whitespace-delimited pieces of the first `limit` characters of `text`, in order.
    fn pieces_of<'t>(&self, text: &'t str, limit: usize, mut visit: impl FnMut(Piece<'t>)) {
        let mut open: Option<(At, bool)> = None;
        let mut end = ORIGIN;
        let mut close = |open: &mut Option<(At, bool)>, end: At| {
            if let Some((start, safe)) = open.take() {
                visit(Piece { text: &text[start.byte..end.byte], start, safe });
            }
        };
        for (at, c) in highlight::forward(text, ORIGIN).take(limit) {
            let f = self.flag(c);
            if f & SPACE != 0 {
                close(&mut open, at);
            } else {
                let (_, safe) = open.get_or_insert((at, true));
                *safe &= f & SAFE != 0;
            }
            end = at.after(c);
        }
        close(&mut open, end);
    }
}

/// A piece of text without whitespace, where it starts, and whether the native core may analyse it.
struct Piece<'t> {
    text: &'t str,
    start: At,
    safe: bool,
}

/// `read` of a written word's (stem, exact) pairs, from `cache` (one lookup), or computed and kept when new.
fn with_pairs<R>(
    rules: &Rules,
    cache: &mut FxHashMap<String, Vec<(String, String)>>,
    max_cached_words: usize,
    word: &str,
    read: impl FnOnce(&[(String, String)]) -> R,
) -> R {
    if let Some(pairs) = cache.get(word) {
        return read(pairs);
    }
    if cache.len() > max_cached_words {
        cache.clear();
    }
    let pairs = rules.word_pairs(word);
    let out = read(&pairs);
    cache.insert(word.to_string(), pairs);
    out
}

#[pyclass(module = "search.arabic._native")]
struct Core {
    rules: Rules,
    /// Piece of text without whitespace -> its (stems, exacts), space-joined.
    forms: FxHashMap<String, Forms>,
    /// Written word -> its (stem, exact) pairs, for offsets.
    words: FxHashMap<String, Vec<(String, String)>>,
    #[pyo3(get, set)]
    max_cached_words: usize,
}

enum Lookup {
    Found,
    Missing,
}

impl Core {
    fn word_pairs(&mut self, word: &str) -> Vec<(String, String)> {
        with_pairs(&self.rules, &mut self.words, self.max_cached_words, word, |pairs| pairs.to_vec())
    }

    /// highlight._matches: the words of the first `limit` characters of `text` with a term in
    /// `wanted`, in order. Pieces with a character outside the safe set take their matches
    /// (character offsets into the piece) from `extra`, the Python chain's, or go to `missing`.
    fn matches<'t>(
        &mut self,
        text: &'t str,
        limit: usize,
        wanted: &Wanted,
        extra: Option<&Bound<'_, PyDict>>,
        missing: &mut Vec<&'t str>,
    ) -> PyResult<Vec<Span>> {
        let mut pieces = Vec::new();
        self.rules.pieces_of(text, limit, |piece| pieces.push(piece));
        let mut spans = Vec::new();
        let (rules, cache, max) = (&self.rules, &mut self.words, self.max_cached_words);
        for piece in pieces {
            if piece.safe {
                rules.words(piece.text, |start, end, byte, word| {
                    if with_pairs(rules, cache, max, word, |pairs| wanted.any(pairs)) {
                        let first = At { char: start, byte }.within(piece.start);
                        let last = At { char: end, byte: byte + word.len() }.within(piece.start);
                        spans.push(Span { start: first, end: last });
                    }
                });
                continue;
            }
            let Some(found) = extra.map(|e| e.get_item(piece.text)).transpose()?.flatten() else {
                missing.push(piece.text);
                continue;
            };
            for (start, end) in found.extract::<Vec<(usize, usize)>>()? {
                let first = highlight::walk(piece.text, ORIGIN, start);
                let last = highlight::walk(piece.text, first, end);
                spans.push(Span { start: first.within(piece.start), end: last.within(piece.start) });
            }
        }
        Ok(spans)
    }

    /// The spans of `matches`, made into a string by `make`; or the set of pieces to analyse in Python.
    fn marked<'py>(
        &mut self,
        py: Python<'py>,
        text: &str,
        limit: usize,
        wanted: Wanted,
        extra: Option<&Bound<'py, PyDict>>,
        make: impl FnOnce(&[Span]) -> String,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut missing = Vec::new();
        let spans = self.matches(text, limit, &wanted, extra, &mut missing)?;
        if !missing.is_empty() {
            return missing_list(py, missing);
        }
        Ok(PyString::new(py, &make(&spans)).into_any())
    }

    fn compute_piece(&mut self, piece: &str) -> Forms {
        let mut words = Vec::new();
        self.rules.words(piece, |_, _, _, w| words.push(w));
        let (mut stems, mut exacts) = (String::new(), String::new());
        for word in words {
            for (stem, exact) in self.word_pairs(word) {
                if !stems.is_empty() {
                    stems.push(' ');
                    exacts.push(' ');
                }
                stems.push_str(&stem);
                exacts.push_str(&exact);
            }
        }
        if stems.is_empty() && exacts.is_empty() {
            None
        } else {
            Some((stems, exacts))
        }
    }

    /// Make sure every piece of `pieces` is in the cache: computed when safe,
    /// else taken from `extra` (what the Python chain computed), else missing.
    fn ensure<'a>(
        &mut self,
        pieces: impl Iterator<Item = &'a str>,
        extra: Option<&Bound<'_, PyDict>>,
        missing: &mut Vec<&'a str>,
    ) -> PyResult<()> {
        for piece in pieces {
            if self.forms.contains_key(piece) {
                continue;
            }
            let forms = if self.rules.is_safe(piece) {
                self.compute_piece(piece)
            } else {
                match self.from_extra(piece, extra)? {
                    (Lookup::Found, forms) => forms,
                    (Lookup::Missing, _) => {
                        missing.push(piece);
                        continue;
                    }
                }
            };
            if self.forms.len() > self.max_cached_words {
                self.forms.clear();
            }
            self.forms.insert(piece.to_string(), forms);
        }
        Ok(())
    }

    fn from_extra(&self, piece: &str, extra: Option<&Bound<'_, PyDict>>) -> PyResult<(Lookup, Forms)> {
        let Some(extra) = extra else { return Ok((Lookup::Missing, None)) };
        match extra.get_item(piece)? {
            None => Ok((Lookup::Missing, None)),
            Some(value) => {
                let tuple = value.downcast::<PyTuple>()?;
                if tuple.is_empty() {
                    Ok((Lookup::Found, None))
                } else {
                    Ok((Lookup::Found, Some(tuple.extract()?)))
                }
            }
        }
    }

    fn pieces<'a>(&self, text: &'a str) -> Vec<&'a str> {
        let mut pieces = Vec::new();
        self.rules.pieces_of(text, usize::MAX, |piece| pieces.push(piece.text));
        pieces
    }

    /// Either the pieces' forms (None where a piece gives no term), or the unsafe pieces the caller must analyse.
    fn resolve<'a>(
        &mut self,
        pieces: &[&'a str],
        extra: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Result<Vec<&Forms>, Vec<&'a str>>> {
        let mut missing = Vec::new();
        self.ensure(pieces.iter().copied(), extra, &mut missing)?;
        if !missing.is_empty() {
            missing.sort_unstable();
            missing.dedup();
            return Ok(Err(missing));
        }
        // A cache emptied while filling it may have lost earlier pieces: compute those again.
        if pieces.iter().any(|p| !self.forms.contains_key(*p)) {
            let mut kept: FxHashMap<String, Forms> = FxHashMap::default();
            for piece in pieces {
                if let Some(f) = self.forms.get(*piece) {
                    kept.insert(piece.to_string(), f.clone());
                    continue;
                }
                let forms = if self.rules.is_safe(piece) {
                    self.compute_piece(piece)
                } else {
                    match self.from_extra(piece, extra)? {
                        (Lookup::Found, forms) => forms,
                        (Lookup::Missing, _) => return Ok(Err(vec![piece])),
                    }
                };
                kept.insert(piece.to_string(), forms);
            }
            self.forms = kept;
        }
        Ok(Ok(pieces.iter().map(|p| &self.forms[*p]).collect()))
    }
}

/// The pieces the caller must analyse, as a set (every other answer is a list or a tuple).
fn missing_list<'py>(py: Python<'py>, missing: Vec<&str>) -> PyResult<Bound<'py, PyAny>> {
    Ok(PySet::new(py, missing)?.into_any())
}

#[pymethods]
impl Core {
    #[new]
    fn new(rules: &Bound<'_, PyDict>, max_cached_words: usize) -> PyResult<Self> {
        Ok(Core {
            rules: Rules::new(rules)?,
            forms: FxHashMap::default(),
            words: FxHashMap::default(),
            max_cached_words,
        })
    }

    /// (stems, exacts, the first `lead` stems) of `text`, each space-joined; or the set of pieces to analyse in Python.
    #[pyo3(signature = (text, lead, extra=None))]
    fn joined<'py>(
        &mut self,
        py: Python<'py>,
        text: &str,
        lead: usize,
        extra: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let pieces = self.pieces(text);
        let forms = match self.resolve(&pieces, extra)? {
            Ok(forms) => forms,
            Err(missing) => return missing_list(py, missing),
        };
        let (mut stems, mut exacts) = (String::with_capacity(text.len()), String::with_capacity(text.len()));
        let mut lead_end = None;
        for (s, e) in forms.into_iter().flatten() {
            if !stems.is_empty() {
                stems.push(' ');
                exacts.push(' ');
            }
            stems.push_str(s);
            exacts.push_str(e);
        }
        if lead > 0 {
            lead_end = stems.match_indices(' ').nth(lead - 1).map(|(i, _)| i);
        }
        let lead_stems = match lead_end {
            Some(i) => &stems[..i],
            None if lead > 0 => &stems[..],
            None => "",
        };
        Ok(PyTuple::new(
            py,
            [PyString::new(py, &stems), PyString::new(py, &exacts), PyString::new(py, lead_stems)],
        )?
        .into_any())
    }

    /// Analyzer.forms_of: per piece its (stems, exacts) or (); or the set of pieces to analyse in Python.
    #[pyo3(signature = (words, extra=None))]
    fn forms_of<'py>(
        &mut self,
        py: Python<'py>,
        words: Vec<String>,
        extra: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let pieces: Vec<&str> = words.iter().map(|w| w.as_str()).collect();
        let forms = match self.resolve(&pieces, extra)? {
            Ok(forms) => forms,
            Err(missing) => return missing_list(py, missing),
        };
        let empty = PyTuple::empty(py);
        let mut out = Vec::with_capacity(forms.len());
        for f in forms {
            out.push(match f {
                Some((s, e)) => PyTuple::new(py, [PyString::new(py, s), PyString::new(py, e)])?,
                None => empty.clone(),
            });
        }
        Ok(PyList::new(py, out)?.into_any())
    }

    /// Analyzer.word_forms: the (stems, exacts) of each piece of `text` that gives terms.
    #[pyo3(signature = (text, extra=None))]
    fn word_forms<'py>(
        &mut self,
        py: Python<'py>,
        text: &str,
        extra: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let pieces = self.pieces(text);
        let forms = match self.resolve(&pieces, extra)? {
            Ok(forms) => forms,
            Err(missing) => return missing_list(py, missing),
        };
        let mut out = Vec::with_capacity(forms.len());
        for (s, e) in forms.into_iter().flatten() {
            out.push(PyTuple::new(py, [PyString::new(py, s), PyString::new(py, e)])?);
        }
        Ok(PyList::new(py, out)?.into_any())
    }

    /// Analyzer.terms as (stem, exact, position, start, end) tuples, or None when `text` holds a character outside the safe set.
    fn terms<'py>(&mut self, py: Python<'py>, text: &str) -> PyResult<Option<Bound<'py, PyList>>> {
        if !text.chars().all(|c| self.rules.flag(c) & (SAFE | SPACE) != 0) {
            return Ok(None);
        }
        let mut spans = Vec::new();
        self.rules.words(text, |start, end, _, w| spans.push((start, end, w)));
        let out = PyList::empty(py);
        let mut position = 0usize;
        for (start, end, word) in spans {
            for (stem, exact) in self.word_pairs(word) {
                out.append((stem, exact, position, start, end))?;
                position += 1;
            }
        }
        Ok(Some(out))
    }

    /// highlight.snippet of `text`, the head of a text of `length` characters; or the set of pieces to analyse in Python.
    #[pyo3(signature = (text, stems, exacts, marking, length, size, extra=None))]
    #[allow(clippy::too_many_arguments)]
    fn snippet<'py>(
        &mut self,
        py: Python<'py>,
        text: &str,
        stems: Vec<String>,
        exacts: Vec<String>,
        marking: PyRef<'py, Marking>,
        length: usize,
        size: usize,
        extra: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let wanted = Wanted::new(stems, exacts);
        self.marked(py, text, marking.scan, wanted, extra, |spans| marking.snippet(text, length, spans, size))
    }

    /// highlight.highlight of `text`; or the set of pieces to analyse in Python.
    #[pyo3(signature = (text, stems, exacts, marking, extra=None))]
    fn highlight<'py>(
        &mut self,
        py: Python<'py>,
        text: &str,
        stems: Vec<String>,
        exacts: Vec<String>,
        marking: PyRef<'py, Marking>,
        extra: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let wanted = Wanted::new(stems, exacts);
        self.marked(py, text, usize::MAX, wanted, extra, |spans| marking.highlight(text, spans))
    }

    /// fahras_stem of a normalised word (for tests).
    fn stem(&self, word: &str) -> String {
        self.rules.stem(word)
    }

    fn normalize(&self, text: &str) -> Option<String> {
        if self.rules.is_safe(text) {
            Some(self.rules.normalize(text))
        } else {
            None
        }
    }

    fn clear(&mut self) {
        self.forms.clear();
        self.words.clear();
    }
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Core>()?;
    m.add_class::<Marking>()?;
    m.add_class::<fingerprint::Sketch>()?;
    Ok(())
}
