"""The comparison model: Swagger 2.0 and OpenAPI 3.x read into one shape.

A 2.0 `in: body` parameter and the `formData` parameters become the request body,
`consumes`/`produces` become the media types of request and response content,
`definitions` are compared like `components/schemas` and `securityDefinitions` like
`securitySchemes`; `host` + `basePath` + `schemes` become server URLs. Schemas are not
converted: they stay the document's own objects (`Node`, with the pointer where each one
stands), and the schema comparison reads the few places where the versions differ
(`x-nullable` and `nullable`, 3.1 type lists). So a vendor that moves from 2.0 to 3.0
between releases shows no change, and nothing is copied for a 20,000-operation file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from swaggertools.model import Operation

Direction = Literal["request", "response", "operation"]
Level = Literal["error", "warning", "info"]
LEVELS: tuple[Level, ...] = ("error", "warning", "info")
LEVEL_RANK: dict[str, int] = {"error": 3, "warning": 2, "info": 1}
MatchLayer = Literal["path", "operationId", "mes-method"]

Requirement = frozenset[tuple[str, frozenset[str]]]
"""One security requirement: (scheme name, scopes) pairs that must all be met."""


@dataclass(frozen=True, slots=True)
class Node:
    """A value of the document and the JSON pointer where it stands."""

    value: Any
    pointer: str


@dataclass(frozen=True, slots=True)
class OpRef:
    """How a report names an operation: method, path and operationId."""

    method: str
    path: str
    operation_id: str | None

    def label(self) -> str:
        """`GET /api/x (Core_X_Get)`, or without the parentheses when there is no id."""
        text = f"{self.method.upper()} {self.path}"
        return f"{text} ({self.operation_id})" if self.operation_id else text

    def as_record(self) -> dict[str, Any]:
        """The JSON contract's `{method, path, operationId}`."""
        return {"method": self.method, "path": self.path, "operationId": self.operation_id}


@dataclass(slots=True)
class Param:
    """A parameter outside the request body (path, query, header or cookie)."""

    name: str
    location: str
    required: bool
    schema: Node
    """The parameter's schema: 3.x `schema`, or the 2.0 parameter's own type keywords."""
    pointer: str
    deprecated: bool = False


@dataclass(slots=True)
class Body:
    """The request body: 3.x `requestBody`, or 2.0 `in: body` / `formData` parameters."""

    required: bool
    content: dict[str, Node | None]
    """Media type → schema (None when the media type has no schema)."""
    pointer: str


@dataclass(slots=True)
class Response:
    """One response status with its content by media type."""

    status: str
    content: dict[str, Node | None]
    pointer: str


@dataclass(slots=True)
class Op:
    """One operation in the comparison model."""

    operation: Operation
    """The index's operation (what rule matching works on)."""
    ref: OpRef
    pointer: str
    key: tuple[str, str]
    """(method, normalised path): `{id}` equals `{key}`; case and a trailing `/` ignored."""
    tags: tuple[str, ...]
    deprecated: bool
    mes_method: str | None
    params: dict[tuple[str, str], Param]
    """(location, lower-case name) → parameter."""
    body: Body | None
    responses: dict[str, Response]
    security: frozenset[Requirement] | None
    """The effective requirements (the operation's, else the document's); None: none set."""
    security_pointer: str


@dataclass(frozen=True, slots=True)
class Scheme:
    """A security scheme, with 2.0 and 3.x spellings made one."""

    type: str
    """`oauth2`, `apiKey`, `http:basic`, `http:bearer`, `openIdConnect`, ..."""
    detail: tuple[tuple[str, str], ...]
    """What identifies it besides scopes: apiKey `in`/`name`, oauth2 flow token URLs."""
    scopes: dict[str, frozenset[str]]
    """Flow → scope names (oauth2 only; 2.0 `accessCode` is 3.x `authorizationCode`)."""
    pointer: str


@dataclass
class SpecModel:
    """One file read into the comparison model."""

    path: str
    family: str
    declared: str
    sha256: str
    ops: list[Op]
    servers: tuple[str, ...]
    servers_pointer: str
    schemes: dict[str, Scheme]
    doc: Any = field(repr=False)
    notes: list[str] = field(default_factory=list)
