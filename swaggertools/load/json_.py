"""Strict JSON: duplicate keys, NaN/Infinity, overflowing numbers and deep nesting refused."""

from __future__ import annotations

import json
import math
import re
import sys
from typing import Any

from swaggertools.errors import LoadError

from .base import MAX_DEPTH, RootMembers, line_col
from .locate import JsonScanner, json_whitespace_end, scanstring


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


class _BadNumber(ValueError):
    def __init__(self, literal: str, message: str) -> None:
        super().__init__(message)
        self.literal = literal


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _finite_float(literal: str) -> float:
    value = float(literal)
    if math.isinf(value):
        # `1e999` parses as infinity, which JSON cannot represent on output
        raise _BadNumber(literal, f"number {literal[:40]} is too large for a 64-bit float")
    return value


def parse_json(text: str, name: str) -> Any:
    r"""Parse strict JSON; errors name the file, line and column.

    Refused: duplicate keys, NaN/Infinity, numbers that overflow to infinity, integers
    beyond the interpreter's digit limit, nesting deeper than `MAX_DEPTH`, and strings
    holding lone UTF-16 surrogates (`"\ud800"`), which no UTF-8 output can carry.

    The C decoder builds the objects itself; a Python hook per object (which duplicate keys
    need) would double the parse. Duplicates are ruled out by counting instead (see
    `_written_once`); only when the count cannot rule them out is the file parsed again
    with the hook, which finds them. Any parse error is reported by that second parse too.
    """
    return parse_json_located(text, name)[0]


def parse_json_located(text: str, name: str) -> tuple[Any, RootMembers | None]:
    """`parse_json`, and where the members of the top-level object are (for `Locator`)."""
    if not text.lstrip():
        raise LoadError("file is empty", file=name)
    root: RootMembers | None
    try:
        doc, root = _decode_top_level(text)
        height, members = _shape(doc)
        unique = _written_once(text, members)
    except (ValueError, RecursionError, StopIteration):
        doc, root, unique = None, None, False
    if not unique:
        doc = root = None  # not alive next to the second parse's document
        doc = _parse_json_strictly(text, name)
        height = _shape(doc)[0]
    if height > MAX_DEPTH:
        line, col = _too_deep_position(text)
        raise LoadError(f"nesting deeper than {MAX_DEPTH} levels", file=name, line=line, column=col)
    return doc, root


_SCAN_VALUE = json.JSONDecoder(  # the C scanner `json.loads` runs, one value at a time
    parse_constant=_refuse_constant, parse_float=_finite_float
).scan_once  # type: ignore[attr-defined]


def _decode_top_level(text: str) -> tuple[Any, RootMembers | None]:
    """`json.loads`, noting where each member of a top-level object is written.

    A finding near the end of a file (an unused definition) is otherwise located by
    skipping every member before it, `paths` included: a second parse of most of the file.
    The members are decoded one by one by the C scanner, as `json.loads` would; anything
    unexpected raises ValueError or StopIteration (the strict parse then names it).
    """
    ws = json_whitespace_end
    start = ws(text, 0)
    if text[start : start + 1] != "{":
        return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float), None
    doc: dict[str, Any] = {}
    root: RootMembers = {}
    pos = ws(text, start + 1)
    if text[pos : pos + 1] == "}":
        pos += 1
    else:
        while True:
            if text[pos : pos + 1] != '"':
                raise ValueError("expecting a key")
            key, after = scanstring(text, pos + 1, True)
            colon = ws(text, after)
            if text[colon : colon + 1] != ":":
                raise ValueError("expecting ':'")
            value_at = ws(text, colon + 1)
            doc[key], end = _SCAN_VALUE(text, value_at)
            root.setdefault(key, (pos, value_at))
            pos = ws(text, end)
            if text[pos : pos + 1] == ",":
                pos = ws(text, pos + 1)
                continue
            if text[pos : pos + 1] != "}":
                raise ValueError("expecting ',' or '}'")
            pos += 1
            break
    if ws(text, pos) != len(text):
        raise ValueError("extra data")
    return doc, root


def _parse_json_strictly(text: str, name: str) -> Any:
    """`json.loads` with a hook that refuses duplicate keys; every error as a LoadError."""
    try:
        return json.loads(
            text,
            object_pairs_hook=_pairs,
            parse_constant=_refuse_constant,
            parse_float=_finite_float,
        )
    except json.JSONDecodeError as exc:
        raise LoadError(
            f"invalid JSON: {exc.msg}", file=name, line=exc.lineno, column=exc.colno
        ) from None
    except _DuplicateKey as exc:
        where = JsonScanner(text).find_duplicate(exc.key)
        if where is None:
            raise LoadError(f"duplicate key {exc.key!r}", file=name) from None
        (l1, _c1), (l2, c2) = where
        raise LoadError(
            f"duplicate key {exc.key!r} (first at line {l1})", file=name, line=l2, column=c2
        ) from None
    except _BadNumber as exc:
        line, col = _find_literal(text, exc.literal)
        raise LoadError(f"invalid JSON: {exc}", file=name, line=line, column=col) from None
    except ValueError as exc:  # NaN/Infinity, or an integer beyond the digit limit
        msg = str(exc)
        if "not valid JSON" in msg:
            pos = re.search(r"-?\b(?:NaN|Infinity)\b", text)
            line, col = line_col(text, pos.start()) if pos else (None, None)
            raise LoadError(
                f"invalid JSON: {msg} (NaN and Infinity are not JSON)",
                file=name,
                line=line,
                column=col,
            ) from None
        raise _digits_error(text, name) from None
    except RecursionError:
        line, col = _too_deep_position(text)
        raise LoadError(
            f"nesting deeper than {MAX_DEPTH} levels", file=name, line=line, column=col
        ) from None


_SPACED_COLON_RE = re.compile(r'"[ \t\r\n]+:')


def _written_once(text: str, members: int) -> bool:
    """True when the JSON text writes no more object members than its parsed objects hold.

    The parsed objects keep one member of each duplicate, and every member written puts a
    colon in the text (outside strings; any other colon is inside a string): so when the
    text has exactly as many colons as the objects have members, no key was written twice.
    Colons in strings (a URL, a time of day) make that count larger; then only colons right
    after a quote are counted, which still counts every member when no key has white space
    before its colon, and only adds for the others (an escaped quote, a string that starts
    with a colon). False means "maybe duplicated", not "duplicated".
    """
    if text.count(":") == members:
        return True
    if _SPACED_COLON_RE.search(text):
        return False
    return text.count('":') == members


def _digits_error(text: str, name: str) -> LoadError:
    """An integer longer than the interpreter converts (CPython's guard against slow ints)."""
    limit = getattr(sys, "get_int_max_str_digits", lambda: 0)() or 4300
    found = re.search(r"(?<![\w.\"])-?[0-9]{" + str(limit + 1) + ",}", text)
    line, col = line_col(text, found.start()) if found else (None, None)
    digits = f" with {len(found.group().lstrip('-'))} digits" if found else ""
    return LoadError(
        f"integer{digits} is too large (more than {limit} digits)",
        file=name,
        line=line,
        column=col,
    )


def _find_literal(text: str, literal: str) -> tuple[int | None, int | None]:
    found = re.search(r"(?<![\w.\"])" + re.escape(literal) + r"(?![\w.])", text)
    return line_col(text, found.start()) if found else (None, None)


def _shape(doc: Any) -> tuple[int, int]:
    """(levels of nested objects/arrays, members of all objects), level by level.

    Iterative, so depth cannot crash it; it stops below `MAX_DEPTH` (the member count is
    then partial).
    """
    height = members = 0
    level: list[Any] = [doc] if type(doc) is dict or type(doc) is list else []
    while level:
        height += 1
        if height > MAX_DEPTH:
            break
        below: list[Any] = []
        push = below.append
        for value in level:
            children: Any = value
            if type(value) is dict:
                members += len(value)
                children = value.values()
            for child in children:
                if type(child) is dict or type(child) is list:
                    push(child)
        level = below
    return height, members


_JSON_TOKEN_RE = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def _too_deep_position(text: str) -> tuple[int | None, int | None]:
    """Where JSON text first opens a level beyond MAX_DEPTH (only used on error)."""
    depth = 0
    for m in _JSON_TOKEN_RE.finditer(text):
        ch = m.group()[0]
        if ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line_col(text, m.start())
        elif ch in "]}":
            depth -= 1
    return None, None
