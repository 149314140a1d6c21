"""The import sheet as data, for every renderer.

Sections of numbered steps made of paragraphs, form fields, tables and code, each fact
with the keys of the pages it cites.

Renderers (Markdown now; HTML once the docs renderer exists) walk this model, so every
output says the same thing and escapes vendor text its own way. Text in the model is plain:
nothing in it is markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Union

SpanKind = Literal["text", "code", "strong", "link"]


@dataclass(frozen=True)
class Span:
    """A run of inline text: plain, a literal value (`code`), emphasised, or a link."""

    text: str
    kind: SpanKind = "text"
    href: str | None = None


Inline = tuple[Span, ...]


@dataclass(frozen=True)
class Para:
    """A paragraph, citing `cites` (source keys) at its end."""

    spans: Inline
    cites: tuple[str, ...] = ()


@dataclass(frozen=True)
class Field:
    """One form field: its label as the form shows it, the value to enter, the sources."""

    label: str
    value: Inline
    cites: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fields:
    """The fields of one form, in the order to fill them in."""

    rows: tuple[Field, ...]


@dataclass(frozen=True)
class Table:
    """A table of plain cells."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Inline, ...], ...]


@dataclass(frozen=True)
class Code:
    """A literal block (a file excerpt, a configuration snippet)."""

    text: str
    language: str = ""


@dataclass(frozen=True)
class Bullets:
    """An unordered list of paragraphs."""

    items: tuple[Para, ...]


Block = Union[Para, Fields, Table, Code, Bullets]  # noqa: UP007 - a runtime alias on 3.10


@dataclass(frozen=True)
class Step:
    """A numbered step (numbered by its place in the section)."""

    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Section:
    """The steps for one token mode."""

    anchor: str
    title: str
    intro: tuple[Block, ...]
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Sheet:
    """The whole import sheet."""

    title: str
    intro: tuple[Block, ...]
    sections: tuple[Section, ...]
    sources: tuple[str, ...]
    """Every cited source key, in the order first cited."""


def text(value: str) -> Span:
    """Plain text."""
    return Span(value)


def code(value: str) -> Span:
    """A literal value to type or copy."""
    return Span(value, "code")


def strong(value: str) -> Span:
    """Emphasised text."""
    return Span(value, "strong")


def link(label: str, href: str) -> Span:
    """A link."""
    return Span(label, "link", href)


def para(*parts: str | Span, cites: tuple[str, ...] = ()) -> Para:
    """A paragraph from strings (plain text) and spans."""
    return Para(tuple(text(p) if isinstance(p, str) else p for p in parts), cites)


def cited_keys(sheet_parts: tuple[Block, ...] | tuple[Section, ...]) -> list[str]:
    """The source keys cited in blocks or sections, in order, without repeats."""
    found: dict[str, None] = {}

    def visit(block: Block) -> None:
        if isinstance(block, Para):
            found.update(dict.fromkeys(block.cites))
        elif isinstance(block, Fields):
            for row in block.rows:
                found.update(dict.fromkeys(row.cites))
        elif isinstance(block, Bullets):
            for item in block.items:
                visit(item)

    for part in sheet_parts:
        if isinstance(part, Section):
            for block in part.intro:
                visit(block)
            for step in part.steps:
                for block in step.blocks:
                    visit(block)
        else:
            visit(part)
    return list(found)
