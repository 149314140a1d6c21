"""What every part of the loader shares: formats, limits, the source, notes, positions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Format = Literal["json", "yaml"]

RootMembers = dict[str, tuple[int, int]]
"""Offsets of the members of a JSON document's top-level object: key → (key, value)."""

MAX_INPUT_BYTES = 256 * 1024 * 1024
"""Default cap on input size, checked before decoding or parsing."""
MAX_DEPTH = 200
"""Deepest nesting of objects/arrays accepted."""
MAX_YAML_NODES = 20_000_000
"""Cap on the number of values a document may expand to (used by bundling)."""
MAX_ALIAS_VALUES = 1_000_000
"""Cap on the values YAML aliases may add by expansion (stops alias bombs in well under 1 s)."""


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


def line_col(text: str, pos: int) -> tuple[int, int]:
    """1-based line and column of a character offset in text."""
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col
