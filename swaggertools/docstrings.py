"""Docstrings as Markdown, for the generated references (docs/checks.md, docs/diff-checks.md).

The lint checks and the diff change kinds document themselves in their docstrings, with
reStructuredText literal blocks (`Failing::` and an indented example); both references
render them the same way, so the conversion lives here, below both front doors.
"""

from __future__ import annotations


def literal_blocks_as_code(text: str) -> str:
    """`text` with each `Label::` block (indented by four spaces) as a fenced YAML block.

    The line ending in `::` keeps its label with one colon; the indented lines after it,
    dedented, become a ```` ```yaml ```` fence, closed at the first line that is not
    indented; blank lines inside the block are dropped.
    """
    out: list[str] = []
    in_block = False
    for line in text.splitlines():
        if in_block and line and not line.startswith("    "):
            out += ["```", ""]
            in_block = False
        if line.rstrip().endswith("::") and not in_block:
            out += [line.rstrip()[:-1], "", "```yaml"]
            in_block = True
            continue
        if in_block:
            if line.strip():
                out.append(line[4:])
            continue
        out.append(line)
    if in_block:
        out.append("```")
    return "\n".join(out)
