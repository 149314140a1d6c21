"""Locating: the line and column of a JSON pointer in the source text, found on demand."""

from __future__ import annotations

import bisect
import contextlib
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from swaggertools.errors import LoadError
from swaggertools.pointer import split as split_pointer

from . import yaml_
from .base import Format, RootMembers, line_col
from .yaml_ import compose_yaml


class Locator:
    """Finds the line and column of a JSON pointer in the source text, on demand.

    Built lazily so that clean runs pay nothing unless a finding needs a location.
    """

    def __init__(self, text: str, fmt: Format, *, json_root: RootMembers | None = None) -> None:
        """`json_root`: where the top-level members are, when the parser noted it."""
        self._text = text
        self._fmt = fmt
        self._root: Node | None = None
        self._composed = False
        self._json: _JsonMembers | None = None
        if json_root is not None:
            self._json = _JsonMembers(text, json_root)
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
                self._json = _JsonMembers(self._text, None)
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
    loader = yaml_._BaseLoader(text)  # read from the module: tests swap the parser there
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

    def __init__(self, text: str, root: RootMembers | None) -> None:
        self.text = text
        # container offset → (members seen so far, offset to resume at or -1 when done, index)
        self.members: dict[int, tuple[dict[str, tuple[int, int]], list[int]]] = {}
        if root is not None:  # the top-level object, all of it seen by the parser
            start = _WS_RE.match(text, 0).end()  # type: ignore[union-attr]
            self.members[start] = (dict(root), [-1, len(root)])

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


# skips member values: objects become their member count, not dicts (a third less work)
_RAW_DECODE = json.JSONDecoder(object_pairs_hook=len).raw_decode
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]
scanstring: Callable[..., tuple[str, int]] = _scanstring
"""The C string scanner `json` uses: (text, offset after the opening quote) → (str, end)."""


def json_whitespace_end(text: str, pos: int) -> int:
    """The offset of the first character at or after `pos` that is not JSON white space."""
    return _WS_RE.match(text, pos).end()  # type: ignore[union-attr]


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


class JsonScanner:
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
                        result.append((line_col(self.text, seen[k]), line_col(self.text, key_pos)))
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
