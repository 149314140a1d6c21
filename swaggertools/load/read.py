"""Reading and decoding: a regular file's bytes, under a size cap, into text."""

from __future__ import annotations

import re
from pathlib import Path

from swaggertools.errors import LoadError, UsageError

from .base import MAX_INPUT_BYTES, Format, line_col

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SIZE_RE = re.compile(r"^([0-9]+)\s*(?:([kmg])i?)?b?$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """`256MB`, `500KB`, `10MiB`, `1GB` or a plain number of bytes → bytes (K, M, G = 1024ⁿ)."""
    m = _SIZE_RE.match(text.strip())
    if m is None or int(m.group(1)) == 0:
        raise UsageError(
            f"--max-input-size: {text!r} is not a size (e.g. 256MB, 500KB, 1GB, or bytes)"
        )
    unit = (m.group(2) or "").lower()
    return int(m.group(1)) * 1024 ** " kmg".index(unit or " ")  # type: ignore[no-any-return]


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
    bad = _find_control(text)
    if bad is not None:
        line, col = line_col(text, bad.start())
        raise LoadError(
            f"control character U+{ord(bad.group()):04X} is not allowed",
            file=name,
            line=line,
            column=col,
        )
    return text, encoding


_CONTROL_CHARS = "".join(map(chr, (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)))
_SCAN_CHUNK = 256 * 1024


def _find_control(text: str) -> re.Match[str] | None:
    """The first character `_CONTROL_RE` refuses, or None.

    The regex steps through every character (a tenth of a second on a 20 MB file); finding
    one character in a string runs at memory speed, and asking it of a chunk small enough
    to stay in the CPU cache for each control character in turn costs about one pass.
    """
    for start in range(0, len(text), _SCAN_CHUNK):
        chunk = text[start : start + _SCAN_CHUNK]
        if any(char in chunk for char in _CONTROL_CHARS):
            return _CONTROL_RE.search(text, start)
    return None


def sniff_format(text: str, name: str) -> Format:
    """JSON if the content starts with `{` or `[` (unless the name says YAML), else YAML."""
    head = text.lstrip(" \t\r\n")
    if head[:1] in ("{", "[") and not name.lower().endswith((".yaml", ".yml")):
        return "json"
    return "yaml"
