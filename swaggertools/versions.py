"""Spec versions as data: where each version keeps its reusable parts and security."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Family = Literal["2.0", "3.0", "3.1"]


@dataclass(frozen=True)
class VersionFacts:
    """What differs between Swagger 2.0 and OpenAPI 3.x for swaggertools' purposes."""

    family: Family
    component_sections: tuple[tuple[str, ...], ...]
    """Pointer token paths of the containers of reusable, `$ref`-able things."""
    security_container: tuple[str, ...]
    """Where security schemes live (pointer tokens)."""

    @property
    def is_v2(self) -> bool:
        """True for Swagger 2.0."""
        return self.family == "2.0"


_V2 = VersionFacts(
    family="2.0",
    component_sections=(("definitions",), ("parameters",), ("responses",)),
    security_container=("securityDefinitions",),
)
_V3_KINDS = (
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "links",
    "callbacks",
)
_V30 = VersionFacts(
    family="3.0",
    component_sections=tuple(("components", k) for k in _V3_KINDS),
    security_container=("components", "securitySchemes"),
)
_V31 = VersionFacts(
    family="3.1",
    component_sections=tuple(("components", k) for k in (*_V3_KINDS, "pathItems")),
    security_container=("components", "securitySchemes"),
)

_OPENAPI_RE = re.compile(r"^3\.(0|1)\.\d+$")


@dataclass(frozen=True)
class SpecVersion:
    """The declared version string and the facts of its family."""

    declared: str
    facts: VersionFacts

    @property
    def family(self) -> Family:
        """The version family: "2.0", "3.0" or "3.1"."""
        return self.facts.family


def facts_for(family: Family) -> VersionFacts:
    """Return the facts for a version family."""
    return {"2.0": _V2, "3.0": _V30, "3.1": _V31}[family]


def detect(doc: object) -> SpecVersion | str:
    """Detect the spec version of a loaded document.

    Returns the version, or a one-line reason why the document is not a supported spec.
    An unquoted YAML `swagger: 2.0` arrives as the float 2.0 and is accepted as "2.0".
    """
    if not isinstance(doc, dict):
        return f"top level is {_kind(doc)}, not an object: not a Swagger/OpenAPI document"
    if "swagger" in doc:
        value = doc["swagger"]
        if value == "2.0" or (isinstance(value, float) and value == 2.0):
            return SpecVersion("2.0", _V2)
        return f"unsupported swagger version {value!r} (supported: 2.0)"
    if "openapi" in doc:
        value = doc["openapi"]
        if isinstance(value, str) and (m := _OPENAPI_RE.match(value)):
            return SpecVersion(value, _V30 if m.group(1) == "0" else _V31)
        return f"unsupported openapi version {value!r} (supported: 3.0.x, 3.1.x)"
    return "neither 'swagger' nor 'openapi' at the top level: not a Swagger/OpenAPI document"


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    return f"a {type(value).__name__}"
