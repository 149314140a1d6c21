"""report.sentences: security requirements and the security stage's outcome in words."""

from __future__ import annotations

from typing import Any

import pytest

from swaggertools.report import requirement_words, security_sentences


@pytest.mark.parametrize(
    ("requirement", "words"),
    [
        ([{"bearerAuth": []}], "bearerAuth"),
        ([{"a": [], "b": []}], "a and b"),
        ([{"a": []}, {"b": []}], "a or b"),
        ([{"a": [], "b": []}, {"c": ["read", "write"]}], "(a and b) or c (read, write)"),
        ([], "none"),
        ([{}, {"a": []}], "anonymous or a"),
        ({"a": []}, '{"a":[]}'),
        ("a\x1b", '"a\\u001b"'),
        ([{"ü\x00": ["s\n"]}], "ü\\x00 (s\\x0a)"),
    ],
)
def test_requirement_words(requirement: Any, words: str) -> None:
    assert requirement_words(requirement) == words


def _variant(name: str, schemes: list[str], **changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "variant": name,
        "schemes": schemes,
        "file": f"out/api.{name}.json",
        "global_security_replaced": None,
        "operation_overrides": [],
        "overrides_replaced": False,
        "dropped_schemes": [],
        "auth_error_responses_added": 0,
    }
    return {**record, **changes}


def test_a_variant_with_nothing_to_say_is_left_out() -> None:
    security = {"mode": "user", "variants": [_variant("user", ["aimUserToken"])]}
    assert security_sentences(security) == []


def test_dropped_schemes_alone_are_said() -> None:
    """A scheme only replaced operation-level requirements named (global unchanged)."""
    user = _variant(
        "user",
        ["aimUserToken"],
        operation_overrides=["#/paths/~1a/get/security", "#/paths/~1b/get/security"],
        overrides_replaced=True,
        dropped_schemes=["apiKey"],
    )
    assert security_sentences({"mode": "user", "variants": [user]}) == [
        (None, "replaced the operation-level requirements of 2 operations; dropped scheme apiKey")
    ]


def test_both_outputs_with_different_drops_are_said_each() -> None:
    old = [{"k": []}]
    user = _variant("user", ["aimUserToken"], global_security_replaced=old)
    service = _variant(
        "service", ["aimServiceToken"], global_security_replaced=old, dropped_schemes=["k"]
    )
    assert security_sentences({"mode": "both", "variants": [user, service]}) == [
        ("user", "replaced global requirement k with aimUserToken"),
        ("service", "replaced global requirement k with aimServiceToken; dropped scheme k"),
    ]


def test_a_report_without_dropped_schemes_still_reads() -> None:
    """Reports written before `dropped_schemes` existed (same report_format) lack the key."""
    user = _variant("user", ["aimUserToken"], global_security_replaced=[{"k": []}])
    del user["dropped_schemes"]
    assert security_sentences({"mode": "user", "variants": [user]}) == [
        (None, "replaced global requirement k with aimUserToken")
    ]
