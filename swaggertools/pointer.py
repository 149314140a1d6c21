"""RFC 6901 JSON pointers, written in URI-fragment style (`#/a/b~1c`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def escape(token: str | int) -> str:
    """Escape one reference token."""
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    """Unescape one reference token."""
    return token.replace("~1", "/").replace("~0", "~")


def join(tokens: Iterable[str | int]) -> str:
    """Build `#/a/b` from tokens (`#` for none)."""
    # `escape` per token, inlined: every operation's pointer is built here
    parts = ["#"]
    for token in tokens:
        text = token if type(token) is str else str(token)
        if "~" in text or "/" in text:
            text = text.replace("~", "~0").replace("/", "~1")
        parts.append(text)
    return "/".join(parts)


def split(pointer: str) -> list[str]:
    """Split `#/a/b` (or `/a/b`) into unescaped tokens. Percent-encoding is decoded."""
    if pointer.startswith("#/") and "~" not in pointer and "%" not in pointer:
        return pointer[2:].split("/")  # nothing to decode: the common case, kept cheap
    from urllib.parse import unquote

    text = pointer[1:] if pointer.startswith("#") else pointer
    text = unquote(text)
    if text == "":
        return []
    if not text.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    return [unescape(t) for t in text[1:].split("/")]


def get(doc: Any, tokens: Iterable[str]) -> Any:
    """The object at tokens, following objects only; None when anything is missing."""
    node = doc
    for token in tokens:
        if not isinstance(node, dict):
            return None
        node = node.get(token)
    return node


def resolve(doc: Any, tokens: Iterable[str]) -> tuple[bool, Any]:
    """Follow tokens into doc; returns (found, value)."""
    node = doc
    for token in tokens:
        if isinstance(node, dict):
            if token not in node:
                return False, None
            node = node[token]
        elif isinstance(node, list):
            if not token.isdigit() or int(token) >= len(node):
                return False, None
            node = node[int(token)]
        else:
            return False, None
    return True, node
