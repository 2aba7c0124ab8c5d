"""The query language: user text -> a boolean tree of words, phrases and prefixes, before analysis.

    -word  -"phrase"      exclude            +word            require
    a AND b, a OR b, NOT a (capitals), ( )   group
    title: body: author: source: category:   restrict a word, phrase or group to a field
    "words in order"~N                       the words within N positions
    prefix*                                  complete a prefix (at least 2 letters)

A text without any of these is plain (`parse_syntax` returns None) and is
searched exactly as before the language existed. Malformed syntax (an
unbalanced bracket or quote, a dangling operator) raises Malformed, and the
caller falls back to plain words; a text past the bounds on nesting or
clauses raises TooComplex, a refusal the faces answer with a 400.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Straight, curly and Arabic guillemet quotes all delimit a phrase (as in plan.py).
QUOTES = '"“”«»'
FIELDS = ("title", "body", "author", "source", "category")
KEYWORDS = ("AND", "OR", "NOT")
MAX_DEPTH = 4  # brackets inside brackets
MAX_CLAUSES = 32  # words, phrases and prefixes: the plain query's cap on words
MAX_SLOP = 50
MIN_PREFIX_LETTERS = 2

_FIELD_RE = re.compile(rf"({'|'.join(FIELDS)}):(.*)", re.S)
_SLOP_RE = re.compile(r"~(\d{1,4})")
_LETTER_RE = re.compile(r"[^\W_]")
_STOP = set(QUOTES) | set("()")

SHOULD, MUST, MUST_NOT = "should", "must", "must_not"


class Malformed(ValueError):
    """The text is not well-formed syntax: it is read as plain words."""


class TooComplex(ValueError):
    """The text asks for more than a query may cost."""

    def __init__(self, message: str, arabic: str) -> None:
        super().__init__(message)
        self.arabic = arabic


@dataclass(frozen=True)
class Word:
    text: str
    field: str | None = None


@dataclass(frozen=True)
class Phrase:
    text: str
    field: str | None = None
    slop: int | None = None  # None: written without ~N


@dataclass(frozen=True)
class Prefix:
    text: str  # the letters before the star
    field: str | None = None


@dataclass(frozen=True)
class Group:
    """Lucene's boolean clause list: every `must` item, no `must_not` one, and a `should` one when no `must`."""

    items: tuple[tuple[str, "Node"], ...]


Node = Word | Phrase | Prefix | Group


def _tokens(text: str) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            out.append((ch, None))
            i += 1
        elif ch in QUOTES:
            end = next((j for j in range(i + 1, n) if text[j] in QUOTES), -1)
            if end < 0:
                raise Malformed("unbalanced quote")
            slop = _SLOP_RE.match(text, end + 1)
            out.append(("phrase", (text[i + 1 : end], int(slop.group(1)) if slop else None)))
            i = slop.end() if slop else end + 1
        elif ch in "+-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in "+-)":
            # Only at the start of a word: a hyphen inside one (covid-19) or a
            # dash standing alone (عاجل - ترامب) is text.
            out.append(("mod", ch))
            i += 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in _STOP:
                j += 1
            out.extend(_bare(text[i:j]))
            i = j
    return out


def _bare(run: str) -> list[tuple[str, object]]:
    if run in KEYWORDS:
        return [(run, None)]
    field = _FIELD_RE.fullmatch(run)
    if field:
        rest = field.group(2)
        return [("field", field.group(1)), *(_bare_word(rest) if rest else [])]
    return _bare_word(run)


def _bare_word(run: str) -> list[tuple[str, object]]:
    stem = run.rstrip("*")
    if stem != run and "*" not in stem and len(_LETTER_RE.findall(stem)) >= MIN_PREFIX_LETTERS:
        return [("prefix", stem)]
    return [("word", run)]


class _Parser:
    def __init__(self, tokens: list[tuple[str, object]]) -> None:
        self.tokens = tokens
        self.i = 0
        self.clauses = 0

    def peek(self) -> str | None:
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, object]:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def sequence(self, depth: int, field: str | None) -> Group:
        items = []
        while self.peek() not in (None, ")"):
            if self.peek() == "OR":
                self.take()
                if not items or self.peek() in (None, ")", "OR", "AND"):
                    raise Malformed("OR without two sides")
                continue
            items.append(self.conjunction(depth, field))
        return Group(tuple(items))

    def conjunction(self, depth: int, field: str | None) -> tuple[str, Node]:
        chain = [self.unary(depth, field)]
        while self.peek() == "AND":
            self.take()
            if self.peek() in (None, ")", "OR", "AND"):
                raise Malformed("AND without two sides")
            chain.append(self.unary(depth, field))
        if len(chain) == 1:
            return chain[0]
        return SHOULD, Group(tuple((MUST_NOT if occur == MUST_NOT else MUST, node) for occur, node in chain))

    def unary(self, depth: int, field: str | None) -> tuple[str, Node]:
        kind = self.peek()
        if kind == "NOT":
            self.take()
            if self.peek() in (None, ")", "OR", "AND"):
                raise Malformed("NOT without a clause")
            return MUST_NOT, self.unary(depth, field)[1]
        if kind == "mod":
            sign = self.take()[1]
            return (MUST if sign == "+" else MUST_NOT), self.primary(depth, field)
        return SHOULD, self.primary(depth, field)

    def primary(self, depth: int, field: str | None) -> Node:
        kind = self.peek()
        if kind == "field":
            name = self.take()[1]
            if self.peek() not in ("word", "prefix", "phrase", "("):
                raise Malformed("a field without a word")
            return self.primary(depth, field or name)  # the outer field wins
        if kind == "(":
            self.take()
            if depth + 1 > MAX_DEPTH:
                raise TooComplex(
                    f"brackets nest deeper than {MAX_DEPTH} levels",
                    f"لا يمكن أن تتداخل الأقواس أكثر من {MAX_DEPTH} مستويات.",
                )
            group = self.sequence(depth + 1, field)
            if self.peek() != ")":
                raise Malformed("unbalanced bracket")
            self.take()
            return group
        if kind not in ("word", "prefix", "phrase"):
            raise Malformed(f"unexpected {kind or 'end'}")
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            raise TooComplex(
                f"more than {MAX_CLAUSES} words, phrases and prefixes in a query with operators",
                f"لا يمكن أن يحوي الاستعلام ذو العوامل أكثر من {MAX_CLAUSES} كلمة أو عبارة.",
            )
        _, value = self.take()
        if kind == "phrase":
            text, slop = value
            if slop is not None and slop > MAX_SLOP:
                raise TooComplex(f"~{slop}: a phrase's distance is at most {MAX_SLOP}", f"المسافة بين كلمات العبارة {MAX_SLOP} على الأكثر.")
            return Phrase(text, field, slop)
        return Prefix(value, field) if kind == "prefix" else Word(value, field)


def parse_syntax(text: str) -> Group | None:
    """The tree of `text`, or None when it has no operator (a plain query).

    Raises Malformed (read it as plain words) or TooComplex (refuse it).
    """
    tokens = _tokens(text)
    if not any(kind not in ("word", "phrase", "(", ")") or (kind == "phrase" and value[1] is not None) for kind, value in tokens):
        # Brackets around plain words change nothing: plain, as it always was.
        return None
    parser = _Parser(tokens)
    tree = parser.sequence(0, None)
    if parser.peek() is not None:
        raise Malformed("unbalanced bracket")
    return tree


def plain_words(text: str) -> str:
    """`text` without its operators, for reading malformed syntax as plain words."""
    tokens = re.sub(rf"\b(?:{'|'.join(KEYWORDS)})\b|\b(?:{'|'.join(FIELDS)}):|~\d+", " ", text)
    return " ".join(re.sub(r"(?:^|(?<=\s))[+-](?=\S)", "", tokens).split())
