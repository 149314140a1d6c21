"""Safe reading of specs and rule files: bytes → text → JSON-compatible document.

- Encodings: UTF-8 with or without BOM, UTF-16 LE/BE with BOM; anything else refused.
- JSON: strict (duplicate keys, NaN/Infinity refused); integers kept exact.
- YAML: safe composition with YAML 1.2 core-schema typing of plain scalars, so `on`,
  `yes`, `10:30` and dates stay strings (an unquoted `1.10` is the float 1.1, as YAML 1.2
  says: quote versions); mapping keys are always strings (`200:` becomes "200"); only
  JSON-compatible tags; one document; alias expansion and nesting are bounded.
- Line numbers are found lazily (only when a finding needs one) by `Locator`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import LoadError
from .pointer import split as split_pointer

Format = Literal["json", "yaml"]

MAX_INPUT_BYTES = 256 * 1024 * 1024
"""Default cap on input size, checked before decoding or parsing."""
MAX_DEPTH = 200
"""Deepest nesting of objects/arrays accepted."""
MAX_YAML_NODES = 20_000_000
"""Cap on the number of values a YAML file may expand to through aliases."""

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


@dataclass
class Loaded:
    """A parsed file: the document, its source, and a lazy pointer→line locator."""

    doc: Any
    source: Source
    locator: Locator
    notes: list[str] = field(default_factory=list)


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
    fmt = sniff_format(text, name)
    doc = parse_json(text, name) if fmt == "json" else parse_yaml(text, name)
    source = Source(
        path=name,
        text=text,
        format=fmt,
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        crlf="\r\n" in text[:65536],
    )
    return Loaded(doc=doc, source=source, locator=Locator(text, fmt))


def load_path(path: str | Path, *, max_bytes: int = MAX_INPUT_BYTES) -> Loaded:
    """Read, decode and parse a file."""
    data, name = read_file(path, max_bytes=max_bytes)
    return load_bytes(data, name)


# ---------------------------------------------------------------- JSON


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


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


def parse_json(text: str, name: str) -> Any:
    """Parse strict JSON; errors name the file, line and column."""
    if text.strip() == "":
        raise LoadError("file is empty", file=name)
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_refuse_constant)
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
        raise LoadError(f"invalid JSON: {msg}", file=name) from None
    except RecursionError:
        raise LoadError(f"nesting deeper than {MAX_DEPTH} levels", file=name) from None


# ---------------------------------------------------------------- YAML

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Composer(_BaseLoader):  # type: ignore[misc]
    """A loader used only to compose nodes; plain scalars are tagged for core-schema typing."""

    yaml_implicit_resolvers: dict[str, Any] = {}  # noqa: RUF012 - PyYAML class attribute

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode and implicit[0]:
            return _PLAIN
        return str(super().resolve(kind, value, implicit))


def compose_yaml(text: str, name: str) -> Node | None:
    """Compose a single YAML document into nodes; errors carry line and column."""
    loader = _Composer(text)
    try:
        node = loader.get_single_node()
    except yaml.composer.ComposerError as exc:
        mark = exc.problem_mark
        msg = "multiple YAML documents in one file are not supported"
        if exc.problem and "document" not in exc.problem:
            msg = f"invalid YAML: {exc.problem}"
        raise LoadError(
            msg,
            file=name,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise LoadError(
            f"invalid YAML: {exc.problem or exc.context}",
            file=name,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise LoadError(f"invalid YAML: {exc}", file=name) from None
    finally:
        loader.dispose()
    return node  # type: ignore[no-any-return]


def parse_yaml(text: str, name: str) -> Any:
    """Parse YAML safely into JSON-compatible values."""
    node = compose_yaml(text, name)
    if node is None:
        raise LoadError("file is empty (no YAML document)", file=name)
    return _Constructor(name).build(node)


class _Constructor:
    """Builds JSON-compatible values from nodes, with budgets on aliases and depth."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.sizes: dict[int, int] = {}

    def _error(self, node: Node, message: str) -> LoadError:
        return LoadError(
            message,
            file=self.name,
            line=node.start_mark.line + 1,
            column=node.start_mark.column + 1,
        )

    def _size(self, node: Node, active: set[int], depth: int) -> int:
        """Expanded size of a node (memoised), detecting recursive aliases and deep nesting."""
        key = id(node)
        if key in self.sizes:
            return self.sizes[key]
        if depth > MAX_DEPTH:
            raise self._error(node, f"nesting deeper than {MAX_DEPTH} levels")
        if key in active:
            raise self._error(node, "recursive alias: a value that contains itself")
        total = 1
        if isinstance(node, (MappingNode, SequenceNode)):
            active.add(key)
            children = [v for _, v in node.value] if isinstance(node, MappingNode) else node.value
            for child in children:
                total += self._size(child, active, depth + 1)
                if total > MAX_YAML_NODES:
                    raise self._error(
                        node,
                        f"aliases expand to more than {MAX_YAML_NODES} values (alias bomb?)",
                    )
            active.discard(key)
        self.sizes[key] = total
        return total

    def build(self, node: Node) -> Any:
        if self._size(node, set(), 0) > MAX_YAML_NODES:
            raise self._error(node, f"aliases expand to more than {MAX_YAML_NODES} values")
        return self._value(node)

    def _value(self, node: Node) -> Any:
        tag = node.tag
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if isinstance(node, SequenceNode):
            if tag != _YAML_TAG + "seq":
                raise self._error(node, f"YAML tag {tag!r} is not allowed")
            return [self._value(child) for child in node.value]
        if isinstance(node, MappingNode):
            if tag != _YAML_TAG + "map":
                raise self._error(node, f"YAML tag {tag!r} is not allowed")
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self._key(key_node)
                if key in result:
                    first = next(
                        k for k, _ in node.value if isinstance(k, ScalarNode) and k.value == key
                    )
                    raise self._error(
                        key_node,
                        f"duplicate key {key!r} (first at line {first.start_mark.line + 1})",
                    )
                result[key] = self._value(value_node)
            return result
        raise self._error(node, "unsupported YAML node")

    def _key(self, node: Node) -> str:
        if not isinstance(node, ScalarNode):
            raise self._error(node, "mapping keys must be plain strings, not collections")
        if node.tag == _PLAIN and node.value == "<<":
            raise self._error(node, "YAML merge keys (<<) are not supported")
        if node.tag not in (_PLAIN, _YAML_TAG + "str", _YAML_TAG + "int"):
            raise self._error(node, f"YAML tag {node.tag!r} is not allowed on a key")
        return str(node.value)

    def _scalar(self, node: ScalarNode) -> Any:
        tag, value = node.tag, node.value
        if tag == _YAML_TAG + "str":
            return value
        if tag == _PLAIN:
            return self._core(node, value)
        if tag in (_YAML_TAG + "int", _YAML_TAG + "float", _YAML_TAG + "bool", _YAML_TAG + "null"):
            result = self._core(node, value)
            wanted = tag.rsplit(":", 1)[1]
            kinds: dict[str, tuple[type, ...]] = {
                "int": (int,),
                "float": (int, float),
                "bool": (bool,),
                "null": (type(None),),
            }
            if not isinstance(result, kinds[wanted]) or (wanted == "int" and result is True):
                raise self._error(node, f"{value!r} is not a valid !!{wanted}")
            return float(result) if wanted == "float" else result  # type: ignore[arg-type]
        raise self._error(node, f"YAML tag {tag!r} is not allowed (only JSON-compatible values)")

    def _core(self, node: ScalarNode, value: str) -> Any:
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
        except ValueError as exc:  # beyond the interpreter's digit limit
            raise self._error(node, f"integer too large: {exc}") from None
        if _FLOAT_RE.match(value):
            return float(value)
        if _SPECIAL_FLOAT_RE.match(value):
            raise self._error(node, f"{value!r} (infinity/NaN) cannot be represented in JSON")
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
            return _JsonScanner(self._text).locate(tokens)
        if not self._composed:
            self._composed = True
            try:
                self._root = compose_yaml(self._text, "")
            except LoadError:
                self._root = None
        return _locate_node(self._root, tokens)


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

    def locate(self, tokens: list[str]) -> tuple[int, int] | None:
        try:
            self._ws()
            found = self.pos
            for token in tokens:
                ch = self.text[self.pos]
                if ch not in "{[":
                    break
                hit: list[int] = []

                def visit(key: str, key_pos: int, token: str = token, hit: list[int] = hit) -> None:
                    if not hit and key == token:
                        hit.append(key_pos)
                        raise _Found
                    self._skip()

                try:
                    self._each(visit)
                    break  # token not present
                except _Found:
                    found = hit[0]
                    self._ws()
            return _line_col(self.text, found)
        except (IndexError, ValueError):
            return None

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
