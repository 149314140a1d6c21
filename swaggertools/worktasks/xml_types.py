"""`WebAPITypes.xml`: one Work Tasks Web API Type per token mode.

The shape is the documented sample (work-tasks/page/724528.html) and nothing more:
`<WebAPITypes><WebAPIType Name><SwaggerConfiguration/><BaseAddress/><Authentication Mode/>`.
AVEVA documents no child elements of `Authentication` for the token modes, so none are
written; the import sheet says what to set in the Enterprise Console instead. Values go in
CDATA sections, as in the sample.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from swaggertools.errors import UsageError

# Characters XML 1.0 allows; a carriage return is allowed but a parser turns it into a line
# feed, so a value holding one would not read back as written.
_NOT_XML = re.compile("[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class WebAPIType:
    """One `<WebAPIType>` element."""

    name: str
    swagger_configuration: str
    base_address: str
    auth_mode: str


def cdata(value: str) -> str:
    """`value` as CDATA; a `]]>` inside is split across two sections so it reads back whole."""
    _check_chars(value)
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def attribute(value: str) -> str:
    """`value` as a double-quoted attribute value."""
    _check_chars(value)
    escaped = (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\t", "&#9;")
        .replace("\n", "&#10;")
    )
    return f'"{escaped}"'


def _check_chars(value: str) -> None:
    bad = _NOT_XML.search(value)
    if bad or "\r" in value:
        char = bad.group() if bad else "\r"
        raise UsageError(
            f"value {value!r} holds the character U+{ord(char):04X}, which an XML file cannot carry"
        )


def render(types: Sequence[WebAPIType]) -> bytes:
    """The file, UTF-8 with an XML declaration, LF line ends, two-space indent."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<WebAPITypes>"]
    for t in types:
        lines += [
            f"  <WebAPIType Name={attribute(t.name)}>",
            f"    <SwaggerConfiguration>{cdata(t.swagger_configuration)}</SwaggerConfiguration>",
            f"    <BaseAddress>{cdata(t.base_address)}</BaseAddress>",
            f"    <Authentication Mode={attribute(t.auth_mode)}/>",
            "  </WebAPIType>",
        ]
    lines.append("</WebAPITypes>")
    return ("\n".join(lines) + "\n").encode("utf-8")
