"""Unit tests for swaggertools.versions: detection and per-version facts."""

from __future__ import annotations

from typing import Any

import pytest

from swaggertools.versions import SpecVersion, detect, facts_for


@pytest.mark.parametrize(
    ("doc", "declared", "family"),
    [
        ({"swagger": "2.0"}, "2.0", "2.0"),
        ({"swagger": 2.0}, "2.0", "2.0"),
        ({"openapi": "3.0.0"}, "3.0.0", "3.0"),
        ({"openapi": "3.0.3"}, "3.0.3", "3.0"),
        ({"openapi": "3.1.0"}, "3.1.0", "3.1"),
        ({"openapi": "3.1.1"}, "3.1.1", "3.1"),
    ],
)
def test_detect_supported(doc: dict[str, Any], declared: str, family: str) -> None:
    version = detect(doc)
    assert isinstance(version, SpecVersion)
    assert version.declared == declared
    assert version.family == family
    assert version.facts.is_v2 is (family == "2.0")


@pytest.mark.parametrize(
    ("doc", "reason"),
    [
        ([], "top level is a list, not an object: not a Swagger/OpenAPI document"),
        (None, "top level is empty, not an object: not a Swagger/OpenAPI document"),
        ("text", "top level is a str, not an object: not a Swagger/OpenAPI document"),
        ({"swagger": "1.2"}, "unsupported swagger version '1.2' (supported: 2.0)"),
        ({"swagger": 3}, "unsupported swagger version 3 (supported: 2.0)"),
        ({"openapi": "3.2.0"}, "unsupported openapi version '3.2.0' (supported: 3.0.x, 3.1.x)"),
        ({"openapi": 3.0}, "unsupported openapi version 3.0 (supported: 3.0.x, 3.1.x)"),
        ({"openapi": "3.0"}, "unsupported openapi version '3.0' (supported: 3.0.x, 3.1.x)"),
        (
            {"info": {}},
            "neither 'swagger' nor 'openapi' at the top level: not a Swagger/OpenAPI document",
        ),
    ],
)
def test_detect_refuses(doc: Any, reason: str) -> None:
    assert detect(doc) == reason


def test_facts() -> None:
    v2, v30, v31 = facts_for("2.0"), facts_for("3.0"), facts_for("3.1")
    assert v2.component_sections == (("definitions",), ("parameters",), ("responses",))
    assert v2.security_container == ("securityDefinitions",)
    assert v30.security_container == v31.security_container == ("components", "securitySchemes")
    assert ("components", "schemas") in v30.component_sections
    assert ("components", "callbacks") in v30.component_sections
    assert ("components", "pathItems") not in v30.component_sections
    assert ("components", "pathItems") in v31.component_sections
    assert v2.is_v2
    assert not v30.is_v2
