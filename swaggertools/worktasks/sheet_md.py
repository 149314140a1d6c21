"""The import sheet as Markdown (CommonMark with GitHub tables).

Plain text is escaped so that vendor text (a tag, a title) can never become markup; values
are code spans whose fence is longer than any backtick run inside them. Inside table cells
a `|` is escaped even in code spans, as GitHub's table syntax requires.
"""

from __future__ import annotations

import re

from .sheet_model import Block, Bullets, Code, Fields, Inline, Para, Sheet, Span, Table
from .sources import SOURCES

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|!~&])")
_BACKTICKS = re.compile(r"`+")


def _plain(value: str, *, cell: bool) -> str:
    # Line breaks would end a table row or start a block: vendor text is one line here.
    one_line = re.sub(r"\s+", " ", value) if cell else value
    return _SPECIAL.sub(r"\\\1", one_line)


def _code(value: str, *, cell: bool) -> str:
    value = " ".join(value.split("\n"))
    longest = max((len(m) for m in _BACKTICKS.findall(value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith(("`", " ")) or value.endswith(("`", " ")) else ""
    body = value.replace("|", "\\|") if cell else value
    return f"{fence}{pad}{body}{pad}{fence}"


def _span(span: Span, *, cell: bool) -> str:
    if span.kind == "code":
        return _code(span.text, cell=cell)
    if span.kind == "strong":
        return f"**{_plain(span.text, cell=cell)}**"
    if span.kind == "link":
        href = "".join(f"%{ord(ch):02X}" if ch in "()<> " else ch for ch in span.href or "")
        return f"[{_plain(span.text, cell=cell)}]({href})"
    return _plain(span.text, cell=cell)


def _inline(spans: Inline, *, cell: bool = False) -> str:
    return "".join(_span(s, cell=cell) for s in spans)


def _cites(keys: tuple[str, ...], numbers: dict[str, int]) -> str:
    if not keys:
        return ""
    refs = ", ".join(f"[{numbers[k]}](#source-{numbers[k]})" for k in keys)
    return f" [source: {refs}]"


def _block(block: Block, numbers: dict[str, int]) -> list[str]:
    if isinstance(block, Para):
        return [_inline(block.spans) + _cites(block.cites, numbers), ""]
    if isinstance(block, Bullets):
        return [f"- {_inline(i.spans)}{_cites(i.cites, numbers)}" for i in block.items] + [""]
    if isinstance(block, Code):
        longest = max((len(m) for m in re.findall(r"`{3,}", block.text)), default=2)
        fence = "`" * (longest + 1)
        return [f"{fence}{block.language}", block.text.rstrip("\n"), fence, ""]
    if isinstance(block, Fields):
        lines = ["| Field | Value | Source |", "|---|---|---|"]
        for row in block.rows:
            source = _cites(row.cites, numbers).strip().removeprefix("[source: ").removesuffix("]")
            lines.append(
                f"| {_plain(row.label, cell=True)} | {_inline(row.value, cell=True)} | {source} |"
            )
        return [*lines, ""]
    assert isinstance(block, Table)
    lines = [
        "| " + " | ".join(_plain(h, cell=True) for h in block.headers) + " |",
        "|" + "---|" * len(block.headers),
    ]
    for cells in block.rows:
        lines.append("| " + " | ".join(_inline(c, cell=True) for c in cells) + " |")
    return [*lines, ""]


def render(sheet: Sheet) -> str:
    """The sheet as one Markdown document (LF line ends, one trailing newline)."""
    numbers = {key: i for i, key in enumerate(sheet.sources, 1)}
    lines = [f"# {_plain(sheet.title, cell=True)}", ""]
    for block in sheet.intro:
        lines += _block(block, numbers)
    for section in sheet.sections:
        heading = f"## {_plain(section.title, cell=True)}"
        lines += [f'<a id="{section.anchor}"></a>', "", heading, ""]
        for block in section.intro:
            lines += _block(block, numbers)
        for n, step in enumerate(section.steps, 1):
            lines += [f"### {n}. {_plain(step.title, cell=True)}", ""]
            for block in step.blocks:
                lines += _block(block, numbers)
    lines += ["## Sources", ""]
    for key, n in numbers.items():
        source = SOURCES[key]
        lines.append(
            f'{n}. <a id="source-{n}"></a>{_plain(source.label, cell=True)}: '
            f"<{source.url}> — {_plain(source.about, cell=True)}"
        )
    return "\n".join(lines).rstrip("\n") + "\n"
