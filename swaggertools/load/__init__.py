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

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from swaggertools.errors import LoadError
from swaggertools.pointer import join

from .base import (
    MAX_ALIAS_VALUES,
    MAX_DEPTH,
    MAX_INPUT_BYTES,
    MAX_YAML_NODES,
    Format,
    Note,
    RootMembers,
    Source,
)
from .json_ import parse_json, parse_json_located
from .locate import Locator
from .read import decode, parse_size, read_file, sniff_format
from .yaml_ import YamlBuilder, compose_yaml, parse_yaml, yaml12_typed


@dataclass
class Loaded:
    """A parsed file: the document, its source, and a lazy pointer→line locator."""

    doc: Any
    source: Source
    locator: Locator
    notes: list[str] = field(default_factory=list)
    plain: dict[tuple[str | int, ...], str] = field(default_factory=dict)
    """YAML only: written text of plain scalars typed as non-strings, by pointer tokens."""


def load_bytes(data: bytes, name: str) -> Loaded:
    """Decode and parse bytes into a JSON-compatible document."""
    text, encoding = decode(data, name)
    if not text.lstrip(" \t\r\n"):  # lstrip: no copy of a text that starts with content
        raise LoadError("file is empty", file=name)
    fmt = sniff_format(text, name)
    plain: dict[tuple[str | int, ...], str] = {}
    notes: list[str] = []
    members: RootMembers | None = None
    if fmt == "json":
        doc, members = parse_json_located(text, name)
    else:
        builder = YamlBuilder(text, name)
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
    locator = Locator(text, fmt, json_root=members)
    return Loaded(doc=doc, source=source, locator=locator, notes=notes, plain=plain)


def load_path(path: str | Path, *, max_bytes: int = MAX_INPUT_BYTES) -> Loaded:
    """Read, decode and parse a file."""
    data, name = read_file(path, max_bytes=max_bytes)
    return load_bytes(data, name)


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


__all__ = [
    "MAX_ALIAS_VALUES",
    "MAX_DEPTH",
    "MAX_INPUT_BYTES",
    "MAX_YAML_NODES",
    "Format",
    "Loaded",
    "Locator",
    "Note",
    "Source",
    "compose_yaml",
    "decode",
    "load_bytes",
    "load_path",
    "parse_json",
    "parse_size",
    "parse_yaml",
    "read_file",
    "sniff_format",
    "yaml12_typed",
]
