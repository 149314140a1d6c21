"""Where the spec needs a string, keep what the YAML file wrote (`version: 1.10` → "1.10").

YAML 1.2 types an unquoted `1.10` as the float 1.1, `2024` as an integer, `true` as a
boolean and `null` as null. Where the OpenAPI/Swagger specification requires a string, such
a value is read back as the text that was written, with a note (a warning finding) telling
the author to quote it. `on`, `yes`, `no`, `10:30` and `2024-01-01` need no help: YAML 1.2
already reads them as strings.

The loader records the written text of every plain scalar it typed as a non-string
(`Loaded.plain`); this module decides, from each one's place in the document, whether the
specification wants a string there:

- the value of a keyword in `STRING_KEYS` (`info.version`, `title`, `description`,
  `summary`, `operationId`, `name`, `in`, `host`, `basePath`, `url`, `format`, `pattern`,
  `type`, OAuth URLs, …), wherever it appears in the spec's structure;
- items of the string lists `tags`, `schemes`, `consumes`, `produces`, `required` and a
  3.1 `type` list (`type: [string, null]`);
- values of the name → string maps `scopes` and discriminator `mapping`;
- `enum` items, `default`, `example` and `const` of a schema whose `type` is `string`, and
  `default` and `enum` items of a server variable.

A null (`~`, `null`, nothing) stays null (the validator says where that is not allowed),
except as a type name: `type: null` and `type: [string, null]` in OpenAPI 3.1.

Nothing inside example/default/enum/const data or an `x-` extension is touched otherwise,
and a user-chosen name (a property called `description`) is never taken for a keyword.
`$ref` is not on the list: a `$ref` that is not a string stays a structural finding.
"""

from __future__ import annotations

from typing import Any

from .load import Loaded, Note
from .pointer import join

Tokens = tuple[str | int, ...]

STRING_KEYS = frozenset(
    {
        "swagger",
        "openapi",
        "jsonSchemaDialect",
        "title",
        "summary",
        "description",
        "termsOfService",
        "version",
        "email",
        "url",
        "identifier",
        "host",
        "basePath",
        "operationId",
        "operationRef",
        "name",
        "in",
        "type",
        "format",
        "pattern",
        "collectionFormat",
        "style",
        "contentType",
        "discriminator",
        "propertyName",
        "namespace",
        "prefix",
        "flow",
        "scheme",
        "bearerFormat",
        "authorizationUrl",
        "tokenUrl",
        "refreshUrl",
        "openIdConnectUrl",
    }
)
"""Keywords whose value is a string in every object of Swagger 2.0 and OpenAPI 3.x."""

STRING_LIST_KEYS = frozenset({"tags", "schemes", "consumes", "produces", "required", "type"})
"""Keywords whose value is a list of strings (`tags` of an operation, a 3.1 `type` list)."""

STRING_VALUE_MAPS = frozenset({"scopes", "mapping"})
"""Maps from a user-chosen name to a string."""

NAME_MAPS = frozenset(
    {
        "paths",
        "webhooks",
        "definitions",
        "parameters",
        "responses",
        "securityDefinitions",
        "schemas",
        "requestBodies",
        "headers",
        "securitySchemes",
        "links",
        "callbacks",
        "pathItems",
        "examples",
        "content",
        "encoding",
        "variables",
        "properties",
        "patternProperties",
        "dependentSchemas",
        "$defs",
        "scopes",
        "mapping",
    }
)
"""Keywords whose value maps user-chosen names to objects (the names are not keywords)."""

_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})
_STRING_SCHEMA_DATA = frozenset({"example", "default", "const"})


def keep_written_strings(loaded: Loaded, only: frozenset[str] | None = None) -> None:
    """Put back the written text where the spec needs a string; one note per value.

    `only` limits the fix to top-level keys (the version keys are fixed before the version
    is known, everything else after).
    """
    doc = loaded.doc
    if not loaded.plain or not isinstance(doc, dict):
        return
    for tokens, text in list(loaded.plain.items()):
        if only is not None and (len(tokens) != 1 or tokens[0] not in only):
            continue
        parent = _parent(doc, tokens)
        if parent is None or not needs_string(doc, tokens):
            continue
        last = tokens[-1]
        value = parent[last]  # type: ignore[index]
        if isinstance(value, str) or (value is None and not _names_a_type(tokens)):
            continue  # an empty or null value stays null: the validator says if it may not
        parent[last] = text  # type: ignore[index]
        del loaded.plain[tokens]
        loaded.notes.append(
            Note(
                f"unquoted {text} is {_kind(value)} in YAML; kept as the string "
                f'"{text}" the specification wants here (quote it)',
                pointer=join(tokens),
            )
        )


def needs_string(doc: Any, tokens: Tokens) -> bool:
    """True when the specification wants a string at this place of the document."""
    if not tokens:
        return False
    last = tokens[-1]
    keyword: str | None = None  # the keyword whose value holds the current position
    is_name = False  # the next string token is a user-chosen name, not a keyword
    for i, token in enumerate(tokens[:-1]):
        if isinstance(token, int):
            is_name = False
            continue
        if is_name:
            is_name = False
            keyword = None
            continue
        if token in _DATA_KEYS or token.startswith("x-"):
            return i == len(tokens) - 2 and _string_data_item(doc, tokens, token)
        if token == "security":
            return False  # requirement objects map scheme names to scope lists
        keyword = token
        is_name = token in NAME_MAPS
    if isinstance(last, int):
        return keyword in STRING_LIST_KEYS
    if is_name:
        return keyword in STRING_VALUE_MAPS
    if last in _STRING_SCHEMA_DATA:
        return _in_string_schema(doc, tokens[:-1]) or _in_server_variable(tokens)
    return last in STRING_KEYS


def _string_data_item(doc: Any, tokens: Tokens, data_key: str) -> bool:
    """An `enum` item of a string schema or of a server variable."""
    if data_key != "enum" or not isinstance(tokens[-1], int):
        return False
    return _in_string_schema(doc, tokens[:-2]) or _in_server_variable(tokens[:-1])


def _in_string_schema(doc: Any, tokens: Tokens) -> bool:
    node = _get(doc, tokens)
    if not isinstance(node, dict):
        return False
    kind = node.get("type")
    return kind == "string" or (isinstance(kind, list) and "string" in kind)


def _in_server_variable(tokens: Tokens) -> bool:
    """`…/variables/<name>/default` or `…/variables/<name>/enum`."""
    return len(tokens) >= 3 and tokens[-3] == "variables" and isinstance(tokens[-2], str)


def _get(doc: Any, tokens: Tokens) -> Any:
    node = doc
    for token in tokens:
        if isinstance(node, dict) and isinstance(token, str):
            node = node.get(token)
        elif isinstance(node, list) and isinstance(token, int) and token < len(node):
            node = node[token]
        else:
            return None
    return node


def _parent(doc: Any, tokens: Tokens) -> dict[str, Any] | list[Any] | None:
    if not tokens:
        return None
    parent = _get(doc, tokens[:-1])
    last = tokens[-1]
    if isinstance(parent, dict) and isinstance(last, str) and last in parent:
        return parent
    if isinstance(parent, list) and isinstance(last, int) and last < len(parent):
        return parent
    return None


def _names_a_type(tokens: Tokens) -> bool:
    """`type: null` or a `null` in a 3.1 type list: the type named "null"."""
    return tokens[-1] == "type" or (len(tokens) > 1 and tokens[-2] == "type")


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    if isinstance(value, int):
        return "an integer"
    return "a number"
