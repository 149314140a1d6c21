"""Vendor text to safe GitHub-flavoured Markdown: descriptions stay Markdown, nothing else.

A description is parsed as CommonMark (markdown-it-py, as the HTML site parses it) and
written back from its syntax tree, so what reaches the file is Markdown we wrote:
- raw HTML is dropped (a `<br>` becomes a line break; the text between tags stays, the
  content of `<script>` and `<style>` does not, as nh3 does for the HTML site);
- images become their alt text (nothing loads from the network);
- links keep only http, https and mailto targets (others become their text);
- headings become bold paragraphs (the page's own headings keep the outline);
- every fence is closed, so a description can never swallow the rest of a file.
Text is backslash-escaped, so it cannot start a link, an image, HTML or a list.
Names and tags go through `inline` or `code`; table rows through `row`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from markupsafe import Markup

from .text import is_plain

_MD = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
_MD.validateLink = lambda url: True  # type: ignore[method-assign]  # `_link` decides (one place)
_SPECIAL = re.compile(r"([\\`*_\[\]<>#&~$])")
"""Punctuation that means something anywhere in a line (emphasis, code, links and images
start with `[`, HTML and autolinks with `<`, entities with `&`, GFM strikethrough and math
with `~` and `$`; a trailing `#` closes a heading). `(`, `)` and `!` mean nothing without
`[`. `|` only matters in tables: `row` escapes it there, inside code spans too."""
_LINE_START = re.compile(r"^(\d+)([.)])|^([-+=])")
"""What starts a block only at the start of a line: list items and setext underlines."""
_URL_SCHEMES = frozenset({"http", "https", "mailto"})
_URL_SAFE = "/:?#[]@!$&'*+,;=%-._~"
_DROP_CONTENT = re.compile(r"<(script|style)\b.*?(</\1\s*>|\Z)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>?")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def inline(text: str) -> str:
    """Plain text (a name, a path, a tag) as Markdown that shows exactly that text."""
    text = text.replace("\x00", "\ufffd").replace("\r\n", "\n").replace("\r", "\n")
    escaped = _SPECIAL.sub(r"\\\1", text)
    escaped = _LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else "\\" + m[3], escaped)
    return escaped.replace("\n", " ")


def row(cells: list[str]) -> str:
    """One table row of Markdown cells (each on one line): `|` escaped, as GFM requires."""
    return "| " + " | ".join(c.replace("|", "\\|") or " " for c in cells) + " |"


def code(text: str) -> str:
    """Text as a code span: nothing is interpreted inside one (newlines become spaces)."""
    text = text.replace("\x00", "\ufffd").replace("\r", " ").replace("\n", " ")
    if not text.strip():
        return inline(text) or "` `"
    ticks = max((len(run) for run in re.findall(r"`+", text)), default=0) + 1
    pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else ""
    fence = "`" * ticks
    return f"{fence}{pad}{text}{pad}{fence}"


@lru_cache(maxsize=4096)
def markdown_block(text: str) -> Markup:
    """A description as safe Markdown blocks (the model's description in Markdown mode).

    The value is `Markup` only because the model's descriptions are typed so: it is safe
    to insert *into Markdown*, never into HTML.
    """
    if is_plain(text):  # most MES descriptions: nothing to parse, nothing to escape
        return Markup(text)
    tree = SyntaxTreeNode(_MD.parse(_clean(text)))
    return Markup("\n\n".join(_blocks(tree.children)))


@lru_cache(maxsize=4096)
def markdown_cell(text: str) -> str:
    """A description on one line (a table cell or a list item): blocks joined by `<br>`.

    Always a plain `str`: the descriptions passed in are `Markup` (see `markdown_block`),
    and `"<br>" + Markup(...)` would escape the `<br>` into the literal text `&lt;br&gt;`.
    """
    if is_plain(text):
        return str(text)
    tree = SyntaxTreeNode(_MD.parse(_clean(text)))
    parts = [_flat(node) for node in tree.children]
    return "<br>".join(p for p in parts if p)


def _clean(text: str) -> str:
    return text.replace("\x00", "\ufffd")


# ---------------------------------------------------------------------- blocks


def _blocks(nodes: list[SyntaxTreeNode]) -> list[str]:
    out = []
    for node in nodes:
        rendered = _block(node)
        if rendered:
            out.append(rendered)
    return out


def _block(node: SyntaxTreeNode) -> str:
    kind = node.type
    if kind == "paragraph":
        return _leading(_inlines(node))
    if kind == "heading":
        text = _inlines(node)
        return f"**{text}**" if text else ""
    if kind in ("fence", "code_block"):
        return _fence(node.content, node.info if kind == "fence" else "")
    if kind == "blockquote":
        inner = "\n\n".join(_blocks(node.children))
        return "\n".join(("> " + line).rstrip() for line in inner.split("\n"))
    if kind in ("bullet_list", "ordered_list"):
        return _list(node)
    if kind == "hr":
        return "* * *"
    if kind == "html_block":
        return _leading(_html_text(node.content))
    return ""


def _list(node: SyntaxTreeNode) -> str:
    ordered = node.type == "ordered_list"
    number = int(str(node.attrs.get("start", 1))) if ordered else 0
    # a tight list (no blank lines between items) has its paragraphs hidden
    tight = any(c.hidden for item in node.children for c in item.children)
    items = []
    for item in node.children:
        marker = f"{number}. " if ordered else "- "
        number += 1
        body = ("\n" if tight else "\n\n").join(_blocks(item.children))
        lines = body.split("\n")
        indent = " " * len(marker)
        rest = [(indent + line) if line else "" for line in lines[1:]]
        items.append("\n".join([marker + lines[0], *rest]).rstrip())
    return ("\n" if tight else "\n\n").join(items)


def _fence(content: str, info: str) -> str:
    ticks = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * max(3, ticks + 1)
    lang = re.sub(r"[^A-Za-z0-9_+-]", "", info.split(" ", 1)[0]) if info else ""
    return f"{fence}{lang}\n{content.rstrip(chr(10))}\n{fence}"


def _leading(text: str) -> str:
    """Indented text would become code: the escapes above keep it a paragraph."""
    return text.lstrip(" ")


def _html_text(html: str) -> str:
    """Raw HTML as its text: tags dropped (`<br>` kept as a break), scripts emptied."""
    text = _DROP_CONTENT.sub("", html)
    text = _BR.sub("\n", text)
    text = _TAG.sub("", text)
    lines = [inline(line.strip()) for line in text.split("\n")]
    return "  \n".join(line for line in lines if line)


def _flat(node: SyntaxTreeNode) -> str:
    """A block on one line (table cells and list items cannot hold blocks)."""
    kind = node.type
    if kind in ("paragraph", "heading"):
        return _inlines(node)
    if kind in ("fence", "code_block"):
        return "<br>".join(code(line) for line in node.content.rstrip("\n").split("\n"))
    if kind in ("blockquote", "list_item", "bullet_list", "ordered_list"):
        prefix = "• " if kind == "list_item" else ""
        inner = "<br>".join(p for p in (_flat(c) for c in node.children) if p)
        return prefix + inner if inner else ""
    if kind == "html_block":
        return _html_text(node.content).replace("  \n", "<br>")
    return ""


# ---------------------------------------------------------------------- inlines


def _inlines(node: SyntaxTreeNode) -> str:
    """The inline content of a paragraph or heading, on one line."""
    out: list[str] = []
    dropped = False
    for child in node.children:
        for leaf in child.children if child.type == "inline" else [child]:
            piece, dropped = _inline(leaf, dropped)
            out.append(piece)
    return "".join(out).strip()


def _inline(node: SyntaxTreeNode, dropping: bool) -> tuple[str, bool]:
    """One inline node; `dropping` is True inside `<script>`/`<style>` (content dropped)."""
    kind = node.type
    if kind == "html_inline":
        tag = node.content.lower()
        if re.match(r"<(script|style)\b", tag):
            return "", True
        if re.match(r"</(script|style)\b", tag):
            return "", False
        return (" " if _BR.fullmatch(node.content) else ""), dropping
    if dropping:
        return "", True
    if kind == "text":
        return inline(node.content), False
    if kind in ("softbreak", "hardbreak"):
        return " ", False
    if kind == "code_inline":
        return code(node.content), False
    if kind in ("em", "strong"):
        mark = "*" if kind == "em" else "**"
        inner = "".join(_inline(c, False)[0] for c in node.children).strip()
        return (f"{mark}{inner}{mark}" if inner else ""), False
    if kind == "image":
        return "".join(_inline(c, False)[0] for c in node.children), False
    if kind == "link":
        inner = "".join(_inline(c, False)[0] for c in node.children)
        href = _link(str(node.attrs.get("href", "")))
        return (f"[{inner}](<{href}>)" if href and inner else inner), False
    return inline(node.content), False


def _link(url: str) -> str | None:
    """A link target kept only for http, https and mailto; encoded for `<…>` form."""
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    if scheme not in _URL_SCHEMES:
        return None
    return quote(url.strip(), safe=_URL_SAFE)
