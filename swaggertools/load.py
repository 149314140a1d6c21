r"""Safe reading of specs and rule files: bytes → text → JSON-compatible document.

- Size: `MAX_INPUT_BYTES` by default (callers may pass another cap), checked before reading.
- Encodings: UTF-8 with or without BOM, UTF-16 LE/BE with BOM; anything else refused, as
  are control characters and lone UTF-16 surrogates (a JSON string `"\ud800"`).
- JSON: strict (duplicate keys, NaN/Infinity and numbers that overflow to infinity refused);
  integers kept exact up to the interpreter's digit limit; nesting at most `MAX_DEPTH`.
- YAML: built from libyaml's parse events with YAML 1.2 core-schema typing of plain
  scalars, so `on`, `yes`, `10:30` and dates stay strings (an unquoted `1.10` is the float
  1.1, as YAML 1.2 says; the written text is kept in `Loaded.plain` so that places where the
  spec needs a string can keep it); mapping keys are always strings (`200:` becomes "200");
  only JSON-compatible tags; one document; alias expansion and nesting are bounded; merge
  keys (`<<`) are expanded, each with a note.
- Line numbers are found lazily (only when a finding needs one) by `Locator`.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import json
import math
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import LoadError, UsageError
from .pointer import join
from .pointer import split as split_pointer

Format = Literal["json", "yaml"]

MAX_INPUT_BYTES = 256 * 1024 * 1024
"""Default cap on input size, checked before decoding or parsing."""
MAX_DEPTH = 200
"""Deepest nesting of objects/arrays accepted."""
MAX_YAML_NODES = 20_000_000
"""Cap on the number of values a document may expand to (used by bundling)."""
MAX_ALIAS_VALUES = 1_000_000
"""Cap on the values YAML aliases may add by expansion (stops alias bombs in well under 1 s)."""
_TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels"

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PLAIN = "tag:swaggertools:plain"
_YAML_TAG = "tag:yaml.org,2002:"

# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution)
_NULL_RE = re.compile(r"^(?:~|null|Null|NULL|)$")
_TRUE_RE = re.compile(r"^(?:true|True|TRUE)$")
_FALSE_RE = re.compile(r"^(?:false|False|FALSE)$")
_INT_RE = re.compile(r"^[-+]?[0-9]+$")
_OCT_RE = re.compile(r"^0o[0-7]+$")
_HEX_RE = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT_RE = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_SPECIAL_FLOAT_RE = re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")


_CORE_TYPED = (
    _NULL_RE,
    _TRUE_RE,
    _FALSE_RE,
    _INT_RE,
    _OCT_RE,
    _HEX_RE,
    _FLOAT_RE,
    _SPECIAL_FLOAT_RE,
)


def yaml12_typed(text: str) -> bool:
    """True when a YAML 1.2 core-schema reader types this plain scalar as non-string."""
    return any(rx.match(text) for rx in _CORE_TYPED)


@dataclass(frozen=True)
class Source:
    """The raw input: where it came from and what it looked like on disk."""

    path: str
    text: str
    format: Format
    encoding: str
    sha256: str
    size: int
    crlf: bool


class Note(str):
    """A note about how the input was read (becomes a warning): the text, and where.

    A `str`, so that code reading `Loaded.notes` as messages keeps working.
    """

    pointer: str | None

    def __new__(cls, message: str, pointer: str | None = None) -> Note:
        """A note with its message and the JSON pointer it is about (None: the version key)."""
        note = super().__new__(cls, message)
        note.pointer = pointer
        return note


@dataclass
class Loaded:
    """A parsed file: the document, its source, and a lazy pointer→line locator."""

    doc: Any
    source: Source
    locator: Locator
    notes: list[str] = field(default_factory=list)
    plain: dict[tuple[str | int, ...], str] = field(default_factory=dict)
    """YAML only: written text of plain scalars typed as non-strings, by pointer tokens."""


_SIZE_RE = re.compile(r"^([0-9]+)\s*(?:([kmg])i?)?b?$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """`256MB`, `500KB`, `10MiB`, `1GB` or a plain number of bytes → bytes (K, M, G = 1024ⁿ)."""
    m = _SIZE_RE.match(text.strip())
    if m is None or int(m.group(1)) == 0:
        raise UsageError(
            f"--max-input-size: {text!r} is not a size (e.g. 256MB, 500KB, 1GB, or bytes)"
        )
    unit = (m.group(2) or "").lower()
    return int(m.group(1)) * 1024 ** " kmg".index(unit or " ")  # type: ignore[no-any-return]


def read_file(path: str | Path, *, max_bytes: int = MAX_INPUT_BYTES) -> tuple[bytes, str]:
    """Read a regular file's bytes; returns (data, display name)."""
    p = Path(path)
    name = str(path)
    try:
        if not p.exists():
            raise LoadError("no such file", file=name)
        if p.is_dir():
            raise LoadError("is a directory, not a file", file=name)
        if not p.is_file():
            raise LoadError("not a regular file", file=name)
        size = p.stat().st_size
        if size > max_bytes:
            raise LoadError(
                f"file is {size} bytes, more than the limit of {max_bytes} bytes", file=name
            )
        data = p.read_bytes()
    except PermissionError:
        raise LoadError("permission denied", file=name) from None
    except OSError as exc:
        raise LoadError(f"cannot read: {exc.strerror or exc}", file=name) from None
    if len(data) > max_bytes:
        raise LoadError(f"file is larger than the limit of {max_bytes} bytes", file=name)
    return data, name


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode bytes by BOM (UTF-8, UTF-16 LE/BE) or as strict UTF-8; returns (text, encoding)."""
    if data.startswith(b"\xff\xfe\x00\x00") or data.startswith(b"\x00\x00\xfe\xff"):
        raise LoadError("UTF-32 is not supported; save the file as UTF-8", file=name)
    if data.startswith(b"\xef\xbb\xbf"):
        encoding, body = "utf-8-sig", data[3:]
        codec = "utf-8"
    elif data.startswith(b"\xff\xfe"):
        encoding, body, codec = "utf-16-le", data[2:], "utf-16-le"
    elif data.startswith(b"\xfe\xff"):
        encoding, body, codec = "utf-16-be", data[2:], "utf-16-be"
    else:
        encoding, body, codec = "utf-8", data, "utf-8"
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as exc:
        if codec == "utf-8":
            line = body.count(b"\n", 0, exc.start) + 1
            col = exc.start - (body.rfind(b"\n", 0, exc.start) + 1) + 1
        else:
            prefix = body[: exc.start - exc.start % 2].decode(codec, errors="replace")
            line = prefix.count("\n") + 1
            col = len(prefix) - (prefix.rfind("\n") + 1) + 1
        hint = " (UTF-16 without a byte-order mark?)" if b"\x00" in body[:64] else ""
        raise LoadError(
            f"not valid {codec.upper()}: byte {exc.object[exc.start]:#04x} at offset "
            f"{exc.start}{hint}; save the file as UTF-8",
            file=name,
            line=line,
            column=col,
        ) from None
    bad = _CONTROL_RE.search(text)
    if bad is not None:
        line, col = _line_col(text, bad.start())
        raise LoadError(
            f"control character U+{ord(bad.group()):04X} is not allowed",
            file=name,
            line=line,
            column=col,
        )
    return text, encoding


def sniff_format(text: str, name: str) -> Format:
    """JSON if the content starts with `{` or `[` (unless the name says YAML), else YAML."""
    head = text.lstrip(" \t\r\n")
    if head[:1] in ("{", "[") and not name.lower().endswith((".yaml", ".yml")):
        return "json"
    return "yaml"


def load_bytes(data: bytes, name: str) -> Loaded:
    """Decode and parse bytes into a JSON-compatible document."""
    text, encoding = decode(data, name)
    if text.strip(" \t\r\n") == "":
        raise LoadError("file is empty", file=name)
    fmt = sniff_format(text, name)
    plain: dict[tuple[str | int, ...], str] = {}
    notes: list[str] = []
    if fmt == "json":
        doc = parse_json(text, name)
    else:
        builder = _YamlBuilder(text, name)
        try:
            doc = builder.build()
        except LoadError:
            if not name.lower().endswith(".json"):
                raise
            # a `.json` file that is not YAML either: the JSON parser's message is the useful one
            parse_json(text, name)
            raise
        plain = builder.plain
        notes = builder.notes
    _check_surrogates(doc, text, fmt, name)
    source = Source(
        path=name,
        text=text,
        format=fmt,
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        crlf="\r\n" in text[:65536],
    )
    return Loaded(doc=doc, source=source, locator=Locator(text, fmt), notes=notes, plain=plain)


def load_path(path: str | Path, *, max_bytes: int = MAX_INPUT_BYTES) -> Loaded:
    """Read, decode and parse a file."""
    data, name = read_file(path, max_bytes=max_bytes)
    return load_bytes(data, name)


# ---------------------------------------------------------------- JSON


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
        where = _JsonScanner(text).find_duplicate(exc.key)
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
            line, col = _line_col(text, pos.start()) if pos else (None, None)
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
    line, col = _line_col(text, found.start()) if found else (None, None)
    digits = f" with {len(found.group().lstrip('-'))} digits" if found else ""
    return LoadError(
        f"integer{digits} is too large (more than {limit} digits)",
        file=name,
        line=line,
        column=col,
    )


def _find_literal(text: str, literal: str) -> tuple[int | None, int | None]:
    found = re.search(r"(?<![\w.\"])" + re.escape(literal) + r"(?![\w.])", text)
    return _line_col(text, found.start()) if found else (None, None)


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
                return _line_col(text, m.start())
        elif ch in "]}":
            depth -= 1
    return None, None


# JSON `\ud800` and YAML `\ud800` / `\U0000d800` escapes: the only way a lone surrogate can
# enter a document (decoding refuses encoded ones).
_SURROGATE_ESCAPE_RE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")


def _lone_surrogate(doc: Any) -> tuple[str | int, ...] | None:
    """Path of the first key or string holding a lone surrogate, else None."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(doc, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            if _SURROGATE_RE.search(value):
                return path
        elif isinstance(value, dict):
            for key, child in value.items():
                if _SURROGATE_RE.search(key):
                    return (*path, key)
                stack.append((child, (*path, key)))
        elif isinstance(value, list):
            stack.extend((child, (*path, i)) for i, child in enumerate(value))
    return None


def _check_surrogates(doc: Any, text: str, fmt: Format, name: str) -> None:
    if _SURROGATE_ESCAPE_RE.search(text) is None:
        return
    path = _lone_surrogate(doc)
    if path is None:
        return
    line, col = Locator(text, fmt).line_col(join(path))
    raise LoadError(
        "string holds a lone UTF-16 surrogate escape (such as \\ud800): not valid Unicode, "
        "it cannot be written as UTF-8",
        file=name,
        line=line,
        column=col,
    )


# ---------------------------------------------------------------- YAML

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Composer(_BaseLoader):  # type: ignore[misc]
    """A loader used only to compose nodes (for locating pointers); no typing is needed."""

    yaml_implicit_resolvers: dict[str, Any] = {}  # noqa: RUF012 - PyYAML class attribute

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode and implicit[0]:
            return _PLAIN
        return str(super().resolve(kind, value, implicit))


def compose_yaml(text: str, name: str) -> Node | None:
    """Compose a single YAML document into nodes; errors carry line and column.

    Only for text that `parse_yaml` accepted (its nesting is bounded): libyaml's composer
    recurses in C and would overflow the stack on tens of thousands of levels.
    """
    loader = _Composer(text)
    try:
        return loader.get_single_node()  # type: ignore[no-any-return]
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, name) from None
    finally:
        loader.dispose()


def _yaml_error(exc: yaml.YAMLError, name: str) -> LoadError:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        return LoadError(
            f"invalid YAML: {exc.problem or exc.context}",
            file=name,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        )
    return LoadError(f"invalid YAML: {exc}", file=name)


def parse_yaml(text: str, name: str) -> Any:
    """Parse YAML safely into JSON-compatible values."""
    return _YamlBuilder(text, name).build()


Path_ = tuple[str | int, ...]
"""A location in a document as pointer tokens (keys and list indexes)."""


class _Frame:
    """An open collection while building: its value, pending key, size and height."""

    __slots__ = ("anchor", "height", "key", "lines", "merge", "size", "value")

    def __init__(self, value: dict[str, Any] | list[Any], anchor: str | None) -> None:
        self.value = value
        self.anchor = anchor
        self.key: str | None = None
        self.lines: dict[str, int] = {}
        self.size = 1
        self.height = 1
        self.merge: tuple[int, int] | None = None
        """Line and column of the mapping's merge key `<<`, if it has one."""


_CORE_START = frozenset("~nNtTfF-+.0123456789")
_TYPE_TAGS = {
    _YAML_TAG + "int": (int,),
    _YAML_TAG + "float": (int, float),
    _YAML_TAG + "bool": (bool,),
    _YAML_TAG + "null": (type(None),),
}


class _YamlBuilder:
    """Builds JSON-compatible values straight from libyaml's parse events.

    Working on events (not composed nodes) keeps every step iterative: nesting is checked
    before any value is built, so no depth can overflow the C stack, and it is several times
    faster than composing. Aliases are expanded as copies within `MAX_ALIAS_VALUES`, and
    merge keys (`<<`) when their mapping closes (`_merge`), with a note in `notes`.
    `plain` records the written text of plain scalars typed as non-strings, so that a later,
    spec-aware step can keep `version: 1.10` as "1.10" where the spec needs a string.
    """

    def __init__(self, text: str, name: str, *, recheck: bool = True) -> None:
        self.text = text
        self.name = name
        self.recheck = recheck
        """False: parser errors propagate as they are (`_parser_error` builds a prefix)."""
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int, int, str | None]] = {}
        self.open: dict[str, int] = {}
        """Anchors of collections still being built → their line."""
        self.expanded = 0
        self.plain: dict[Path_, str] = {}
        self.notes: list[str] = []
        """How the text was read where it matters to the user (expanded merge keys)."""

    def build(self) -> Any:
        loader = _BaseLoader(self.text)
        try:
            return self._run(loader)
        finally:
            loader.dispose()

    def _error(self, event: Any, message: str) -> LoadError:
        mark = event.start_mark
        return LoadError(message, file=self.name, line=mark.line + 1, column=mark.column + 1)

    def _parser_error(self, exc: yaml.YAMLError, last: Any) -> LoadError:
        """The parser's error, unless the text before it has a problem this builder reports.

        The parser reads ahead of the events it has handed over (up to 1024 characters, to
        find simple keys), and libyaml 0.2.6 (in PyYAML 6.0.4 and later) stops at its own
        nesting limit of 1000 levels: on `[[[[…` it notices the nesting before this builder
        does, and says so in its own words, at its own place. So when enough characters lie
        between the last event (`last`) and the error for levels beyond `MAX_DEPTH` to fit,
        the text before the error (which ends before libyaml's limit) is built once more,
        and a problem found there (deep nesting, a collection as a key) is the error: the
        one, at the place, that the builder reports without libyaml's limit or with the
        pure-Python parser. Deep nesting thus reads the same whichever layer noticed it.
        """
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            after = last.end_mark.index if last is not None else 0
            # every level opened after the last event takes at least one character
            if len(self.stack) + (mark.index - after) > MAX_DEPTH:
                # the prefix builds the document again: drop this one's parts first
                for frame in self.stack:
                    frame.value.clear()
                self.anchors.clear()
                self.plain.clear()
                prefix = _YamlBuilder(self.text[: mark.index], self.name, recheck=False)
                try:
                    prefix.build()
                except yaml.YAMLError:
                    pass  # the parser's error again, or the end of the shortened text
                except LoadError as error:
                    if error.line is not None:  # not "file is empty": the text is cut short
                        return error
        return _yaml_error(exc, self.name)

    def _run(self, loader: Any) -> Any:
        check, get = loader.check_event, loader.get_event
        stack = self.stack
        root: list[Any] = []
        documents = 0
        event: Any = None
        try:
            while check():
                event = get()
                kind = type(event)
                top = stack[-1] if stack else None
                if top is not None and top.key is None and type(top.value) is dict:
                    if kind is MappingEndEvent:
                        self._close(stack.pop(), root)
                        continue
                    self._key(top, event)
                    continue
                if kind is ScalarEvent:
                    value, text = self._scalar(event)
                    if event.anchor is not None:
                        self.anchors[event.anchor] = (value, 1, 0, text)
                    if text is not None:
                        self.plain[self._path()] = text
                    self._add(value, 1, 0, root)
                elif kind is MappingStartEvent or kind is SequenceStartEvent:
                    self._open(event, kind is MappingStartEvent)
                elif kind is SequenceEndEvent:
                    self._close(stack.pop(), root)
                elif kind is AliasEvent:
                    self._alias(event, root)
                elif kind is DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        raise self._error(
                            event, "multiple YAML documents in one file are not supported"
                        )
        except yaml.YAMLError as exc:
            if not self.recheck:
                raise
            raise self._parser_error(exc, event) from None
        if not root:
            raise LoadError("file is empty (no YAML document)", file=self.name)
        return root[0]

    def _path(self) -> Path_:
        return tuple(
            f.key if type(f.value) is dict else len(f.value)  # type: ignore[misc]
            for f in self.stack
        )

    def _key(self, top: _Frame, event: Any) -> None:
        if type(event) is not ScalarEvent:
            raise self._error(event, "mapping keys must be plain strings, not collections")
        tag = event.tag
        if tag not in (None, "!", _YAML_TAG + "str", _YAML_TAG + "int"):
            raise self._error(event, f"YAML tag {tag!r} is not allowed on a key")
        key: str = event.value
        first = top.lines.get(key)
        if first is not None:
            raise self._error(event, f"duplicate key {key!r} (first at line {first})")
        mark: Any = event.start_mark
        top.lines[key] = mark.line + 1
        top.key = key
        if key == "<<" and tag is None and event.implicit[0]:
            # a plain << is YAML 1.1's merge key (a quoted '<<' is a string): its value is
            # kept under "<<" until the mapping closes, then expanded by `_merge`
            top.merge = (mark.line + 1, mark.column + 1)

    def _open(self, event: Any, mapping: bool) -> None:
        tag = event.tag
        if tag is not None and tag != "!" and tag != _YAML_TAG + ("map" if mapping else "seq"):
            raise self._error(event, f"YAML tag {tag!r} is not allowed")
        if len(self.stack) >= MAX_DEPTH:
            raise self._error(event, _TOO_DEEP)
        if event.anchor is not None:
            self.open[event.anchor] = event.start_mark.line + 1
        self.stack.append(_Frame({} if mapping else [], event.anchor))

    def _close(self, frame: _Frame, root: list[Any]) -> None:
        if frame.merge is not None:
            self._merge(frame)
        if frame.anchor is not None:
            self.open.pop(frame.anchor, None)
            self.anchors[frame.anchor] = (frame.value, frame.size, frame.height, None)
        self._add(frame.value, frame.size, frame.height, root)

    def _merge(self, frame: _Frame) -> None:
        """Expand the closed mapping's merge key `<<` (YAML 1.1), with a note at its line.

        The value is a mapping or a list of mappings (aliases, as a rule, which `_alias`
        copied within the alias budget). Keys written in the mapping win over merged ones,
        and in a list the earlier mappings win. The merged keys take the place of the `<<`
        entry, as in js-yaml (PyYAML puts them first: the same for the usual `<<` written
        first). Size and height stay as counted with `<<` as a member: on the safe side.
        """
        mapping: dict[str, Any] = frame.value  # type: ignore[assignment]
        value = mapping["<<"]
        sources = [value] if type(value) is dict else value
        line, column = frame.merge  # type: ignore[misc]
        if type(sources) is not list or any(type(s) is not dict for s in sources):
            wrong = (
                _kind_of(value)
                if type(value) is not list
                else next(
                    f"a list whose item {i} is {_kind_of(s)}"
                    for i, s in enumerate(value, 1)
                    if type(s) is not dict
                )
            )
            raise LoadError(
                f"the merge key << needs a mapping or a list of mappings, not {wrong}",
                file=self.name,
                line=line,
                column=column,
            )
        expanded: dict[str, Any] = {}
        count = 0
        for key, item in mapping.items():
            if key != "<<":
                expanded[key] = item
                continue
            for source in sources:
                for name, merged in source.items():
                    if name in expanded:
                        continue  # written before the merge, or from an earlier mapping
                    if name in mapping and name != "<<":
                        merged = mapping[name]  # written after the merge: it wins
                    else:
                        count += 1
                    expanded[name] = merged
        frame.value = expanded
        self.notes.append(
            Note(
                f"YAML merge key << expanded: {count} key{'' if count == 1 else 's'} merged "
                "into this mapping (keys written in it win)",
                join((*self._path(), "<<")),
            )
        )

    def _add(self, value: Any, size: int, height: int, root: list[Any]) -> None:
        if not self.stack:
            root.append(value)
            return
        top = self.stack[-1]
        container = top.value
        if type(container) is dict:
            container[top.key] = value  # type: ignore[index]
            top.key = None
        else:
            container.append(value)  # type: ignore[union-attr]
        top.size += size
        if height >= top.height:
            top.height = height + 1

    def _alias(self, event: Any, root: list[Any]) -> None:
        name = event.anchor
        if name in self.open:
            raise self._error(
                event,
                f"recursive alias *{name}: a value that contains itself "
                f"(anchor &{name} at line {self.open[name]})",
            )
        if name not in self.anchors:
            raise self._error(event, f"alias *{name} names no anchor")
        value, size, height, text = self.anchors[name]
        self.expanded += size
        if self.expanded > MAX_ALIAS_VALUES:
            raise self._error(
                event,
                f"aliases expand to more than {MAX_ALIAS_VALUES} values (alias bomb?)",
            )
        if len(self.stack) + height > MAX_DEPTH:
            raise self._error(event, _TOO_DEEP)
        if text is not None:
            self.plain[self._path()] = text
        self._add(_copy(value), size, height, root)

    def _scalar(self, event: Any) -> tuple[Any, str | None]:
        """The value of a scalar, and its text when it is plain and typed as a non-string."""
        tag, text = event.tag, event.value
        if tag is None:
            if not event.implicit[0]:  # quoted or block scalar
                return text, None
            if text and text[0] not in _CORE_START:
                return text, None
            value = self._core(event, text)
            return value, None if type(value) is str else text
        if tag == "!" or tag == _YAML_TAG + "str":
            return text, None
        kinds = _TYPE_TAGS.get(tag)
        if kinds is None:
            raise self._error(
                event, f"YAML tag {tag!r} is not allowed (only JSON-compatible values)"
            )
        value = self._core(event, text)
        wanted = tag.rsplit(":", 1)[1]
        if not isinstance(value, kinds) or (wanted == "int" and value is True):
            raise self._error(event, f"{text!r} is not a valid !!{wanted}")
        return (float(value) if wanted == "float" else value), None  # type: ignore[arg-type]

    def _core(self, event: Any, value: str) -> Any:
        """YAML 1.2 core-schema typing of a plain scalar."""
        if _NULL_RE.match(value):
            return None
        if _TRUE_RE.match(value):
            return True
        if _FALSE_RE.match(value):
            return False
        try:
            if _INT_RE.match(value):
                return int(value)
            if _OCT_RE.match(value):
                return int(value[2:], 8)
            if _HEX_RE.match(value):
                return int(value[2:], 16)
        except ValueError:  # beyond the interpreter's digit limit
            limit = getattr(sys, "get_int_max_str_digits", lambda: 0)() or 4300
            raise self._error(
                event, f"integer with {len(value)} digits is too large (more than {limit} digits)"
            ) from None
        if _FLOAT_RE.match(value):
            number = float(value)
            if math.isinf(number):
                raise self._error(event, f"number {value[:40]} is too large for a 64-bit float")
            return number
        if _SPECIAL_FLOAT_RE.match(value):
            raise self._error(event, f"{value!r} (infinity/NaN) cannot be represented in JSON")
        return value


def _kind_of(value: Any) -> str:
    """A value's kind in words, for messages."""
    if value is None:
        return "null"
    if type(value) is bool:
        return "a boolean"
    if type(value) is str:
        return "a string"
    if type(value) is list:
        return "a list"
    return "a mapping" if type(value) is dict else "a number"


def _copy(value: Any) -> Any:
    """A deep copy of a JSON-compatible value (aliases must not share mutable parts)."""
    if type(value) is dict:
        return {k: _copy(v) for k, v in value.items()}
    if type(value) is list:
        return [_copy(v) for v in value]
    return value


# ---------------------------------------------------------------- locating pointers


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


class Locator:
    """Finds the line and column of a JSON pointer in the source text, on demand.

    Built lazily so that clean runs pay nothing unless a finding needs a location.
    """

    def __init__(self, text: str, fmt: Format) -> None:
        self._text = text
        self._fmt = fmt
        self._root: Node | None = None
        self._composed = False
        self._json: _JsonMembers | None = None
        # offsets already converted, ascending, and the newlines before each one
        self._marks: list[int] = [0]
        self._lines: list[int] = [0]
        self._yaml_found: dict[tuple[str, ...], tuple[int, int]] = {}
        self._yaml_scanned: set[tuple[str, ...]] = set()

    def prefetch(self, pointers: Iterable[str | None]) -> None:
        """Find many pointers in one pass (YAML); later `locate` calls are lookups.

        Without it, the first YAML lookup composes the whole file, which takes seconds on
        a large one; with it, one event pass serves every finding of a run.
        """
        if self._fmt != "yaml":
            return
        wanted = set()
        for pointer in pointers:
            if pointer:
                with contextlib.suppress(ValueError):
                    wanted.add(tuple(split_pointer(pointer)))
        wanted -= self._yaml_scanned
        if not wanted:
            return
        try:
            self._yaml_found.update(_yaml_positions(self._text, wanted))
        except yaml.YAMLError:
            return
        self._yaml_scanned |= wanted

    def line_col(self, pointer: str | None) -> tuple[int | None, int | None]:
        """`locate` for error fields: (line, column), or (None, None) when unknown."""
        where = self.locate(pointer) if pointer else None
        return where if where else (None, None)

    def locate(self, pointer: str) -> tuple[int, int] | None:
        """Return (line, column), 1-based, of the deepest existing prefix of pointer."""
        try:
            tokens = split_pointer(pointer)
        except ValueError:
            return None
        if self._fmt == "json":
            if self._json is None:
                self._json = _JsonMembers(self._text)
            found = self._json.locate(tokens)
            return self._position(found) if found is not None else None
        key = tuple(tokens)
        if key in self._yaml_scanned:
            for depth in range(len(key), -1, -1):
                hit = self._yaml_found.get(key[:depth])
                if hit is not None:
                    return hit
            return None
        if not self._composed:
            self._composed = True
            try:
                self._root = compose_yaml(self._text, "")
            except LoadError:
                self._root = None
        return _locate_node(self._root, tokens)

    def _position(self, pos: int) -> tuple[int, int]:
        """(line, column) of a text offset.

        Newlines are counted from the nearest offset converted before (findings mostly
        come in file order), so a file's text is counted about once however many findings
        it has, and no table of its newlines is built.
        """
        text = self._text
        at = bisect.bisect_right(self._marks, pos) - 1
        before = self._lines[at] + text.count("\n", self._marks[at], pos)
        self._marks.insert(at + 1, pos)
        self._lines.insert(at + 1, before)
        return before + 1, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _yaml_positions(
    text: str, wanted: set[tuple[str, ...]]
) -> dict[tuple[str, ...], tuple[int, int]]:
    """(line, column) of the wanted paths and their prefixes, from one pass over events.

    Positions are those `_locate_node` gives: a mapping entry at its key, a sequence item
    at its value, the document at its root node.
    """
    prefixes = {w[:i] for w in wanted for i in range(len(w) + 1)}
    found: dict[tuple[str, ...], tuple[int, int]] = {}
    # frames: [path or None (not wanted), is_mapping, pending key path or None, index]
    stack: list[list[Any]] = []
    loader = _BaseLoader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (MappingEndEvent, SequenceEndEvent)):
                stack.pop()
                continue
            if not isinstance(
                event, (ScalarEvent, MappingStartEvent, SequenceStartEvent, AliasEvent)
            ):
                continue
            mark: Any = event.start_mark
            path: tuple[str, ...] | None
            if not stack:
                path = ()
                found.setdefault((), (mark.line + 1, mark.column + 1))
            else:
                frame = stack[-1]
                if frame[1] and frame[2] is None:  # a mapping key
                    key = event.value if isinstance(event, ScalarEvent) else None
                    key_path: tuple[str, ...] | None = (
                        (*frame[0], key) if frame[0] is not None and key else None
                    )
                    if key_path is not None and key_path in prefixes:
                        found.setdefault(key_path, (mark.line + 1, mark.column + 1))
                    frame[2] = key_path or ()
                    if isinstance(event, (ScalarEvent, AliasEvent)):
                        continue
                    path = None  # a complex key: walk through it, record nothing
                elif frame[1]:  # a mapping value
                    path = frame[2] or None
                    frame[2] = None
                else:  # a sequence item
                    path = (*frame[0], str(frame[3])) if frame[0] is not None else None
                    frame[3] += 1
                    if path is not None and path in prefixes:
                        found.setdefault(path, (mark.line + 1, mark.column + 1))
            if isinstance(event, (MappingStartEvent, SequenceStartEvent)):
                keep = path if path in prefixes else None
                stack.append([keep, isinstance(event, MappingStartEvent), None, 0])
    finally:
        loader.dispose()
    return found


class _JsonMembers:
    """Positions of JSON object members and array items, one container at a time.

    A container is scanned only as far as the member asked for, and the scan resumes there
    for the next question; member values are skipped by the C decoder (`raw_decode`). So
    locating many findings in a large file costs about one parse of the parts before them,
    not one scan per finding.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        # container offset → (members seen so far, offset to resume at or -1 when done, index)
        self.members: dict[int, tuple[dict[str, tuple[int, int]], list[int]]] = {}

    def locate(self, tokens: list[str]) -> int | None:
        """Offset of the deepest existing prefix of `tokens` (its key, or the value)."""
        text = self.text
        try:
            pos = _WS_RE.match(text, 0).end()  # type: ignore[union-attr]
            found = pos
            for token in tokens:
                if text[pos : pos + 1] not in ("{", "["):
                    break
                member = self._member(pos, token)
                if member is None:
                    break
                found, pos = member
            return found
        except (IndexError, ValueError):
            return None

    def _member(self, start: int, wanted: str) -> tuple[int, int] | None:
        entry = self.members.get(start)
        if entry is None:
            entry = ({}, [start + 1, 0])
            self.members[start] = entry
        seen, state = entry
        if wanted in seen or state[0] < 0:
            return seen.get(wanted)
        text = self.text
        is_object = text[start] == "{"
        closer = "}" if is_object else "]"
        pos, index = state
        while True:
            pos = _WS_RE.match(text, pos).end()  # type: ignore[union-attr]
            if text[pos] == closer:
                state[0] = -1
                return None
            key_pos = pos
            if is_object:
                key, pos = _scanstring(text, pos + 1)
                pos = _WS_RE.match(text, pos).end() + 1  # type: ignore[union-attr]  # ':'
                pos = _WS_RE.match(text, pos).end()  # type: ignore[union-attr]
            else:
                key = str(index)
            seen.setdefault(key, (key_pos, pos))
            _, pos = _RAW_DECODE(text, pos)
            index += 1
            pos = _WS_RE.match(text, pos).end()  # type: ignore[union-attr]
            if text[pos] == ",":
                pos += 1
            if key == wanted:
                state[0], state[1] = pos, index
                return seen[key]


_RAW_DECODE = json.JSONDecoder().raw_decode
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]


def _locate_node(root: Node | None, tokens: list[str]) -> tuple[int, int] | None:
    if root is None:
        return None
    node: Node = root
    mark = node.start_mark
    for token in tokens:
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode) and key_node.value == token:
                    mark = key_node.start_mark
                    node = value_node
                    break
            else:
                break
        elif isinstance(node, SequenceNode) and token.isdigit() and int(token) < len(node.value):
            node = node.value[int(token)]
            mark = node.start_mark
        else:
            break
    return mark.line + 1, mark.column + 1


_STRING_RE = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_WS_RE = re.compile(r"[ \t\r\n]*")
_SCALAR_END_RE = re.compile(r"[,\]} \t\r\n]")


class _JsonScanner:
    """A small JSON walker over the text that records positions (no values built)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def _ws(self) -> None:
        m = _WS_RE.match(self.text, self.pos)
        self.pos = m.end() if m else self.pos

    def _string(self) -> str:
        m = _STRING_RE.match(self.text, self.pos)
        if m is None:
            raise ValueError("string expected")
        self.pos = m.end()
        return str(json.loads(m.group()))

    def _skip(self) -> None:
        """Skip one value."""
        self._ws()
        ch = self.text[self.pos : self.pos + 1]
        if ch == '"':
            self._string()
        elif ch in "{[":
            self._each(lambda _k, _pos: self._skip())
        else:
            m = _SCALAR_END_RE.search(self.text, self.pos)
            self.pos = m.start() if m else len(self.text)

    def _each(self, visit: Callable[[str, int], None]) -> None:
        """Walk the members of the object/array at pos, calling visit(key, key_pos)."""
        opener = self.text[self.pos]
        closer = "}" if opener == "{" else "]"
        self.pos += 1
        index = 0
        while True:
            self._ws()
            if self.text[self.pos] == closer:
                self.pos += 1
                return
            key_pos = self.pos
            if opener == "{":
                key = self._string()
                self._ws()
                self.pos += 1  # ':'
                self._ws()
            else:
                key = str(index)
            visit(key, key_pos)
            index += 1
            self._ws()
            if self.text[self.pos] == ",":
                self.pos += 1

    def find_duplicate(self, key: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """Find the first object holding `key` twice; positions of both occurrences."""
        result: list[tuple[tuple[int, int], tuple[int, int]]] = []

        def walk() -> None:
            self._ws()
            ch = self.text[self.pos : self.pos + 1]
            if ch == "{":
                seen: dict[str, int] = {}

                def visit(k: str, key_pos: int) -> None:
                    if k == key and k in seen and not result:
                        result.append(
                            (_line_col(self.text, seen[k]), _line_col(self.text, key_pos))
                        )
                        raise _Found
                    seen.setdefault(k, key_pos)
                    walk()

                self._each(visit)
            elif ch == "[":
                self._each(lambda _k, _p: walk())
            else:
                self._skip()

        with contextlib.suppress(_Found, IndexError, ValueError, RecursionError):
            walk()
        return result[0] if result else None


class _Found(Exception):
    pass
