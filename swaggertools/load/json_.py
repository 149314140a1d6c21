"""Strict JSON: duplicate keys, NaN/Infinity, overflowing numbers and deep nesting refused."""

from __future__ import annotations

import json
import math
import re
import sys
from typing import Any

from swaggertools.errors import LoadError

from .base import MAX_DEPTH, line_col
from .locate import JsonScanner


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
    """
    if text.strip() == "":
        raise LoadError("file is empty", file=name)
    try:
        doc = json.loads(
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
    if _height(doc) > MAX_DEPTH:
        line, col = _too_deep_position(text)
        raise LoadError(f"nesting deeper than {MAX_DEPTH} levels", file=name, line=line, column=col)
    return doc


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


def _height(doc: Any) -> int:
    """Levels of nested objects/arrays (0 for a scalar); iterative, so depth cannot crash it."""
    best = 0
    stack: list[tuple[Any, int]] = [(doc, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        value, level = pop()
        if type(value) is dict:
            children: Any = value.values()
        elif type(value) is list:
            children = value
        else:
            continue
        if level > best:
            best = level
            if best > MAX_DEPTH:
                return best
        for child in children:
            if type(child) is dict or type(child) is list:
                push((child, level + 1))
    return best


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
