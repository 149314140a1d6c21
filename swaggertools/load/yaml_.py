"""YAML: a document built from libyaml's parse events, typed by the YAML 1.2 core schema.

Mapping keys are always strings, only JSON-compatible tags are accepted, one document,
bounded alias expansion and nesting, merge keys (`<<`) expanded with a note, and the
written text of plain scalars typed as non-strings kept (`plain`).
"""

from __future__ import annotations

import math
import re
import sys
from typing import Any

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
from yaml.nodes import Node, ScalarNode

from swaggertools.errors import LoadError
from swaggertools.pointer import join

from .base import MAX_ALIAS_VALUES, MAX_DEPTH, Note

_TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels"
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
    return YamlBuilder(text, name).build()


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


class YamlBuilder:
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
        """The document; LoadError naming file, line and column when the text is refused."""
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
                prefix = YamlBuilder(self.text[: mark.index], self.name, recheck=False)
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
