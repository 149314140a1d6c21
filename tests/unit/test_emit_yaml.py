"""The fast YAML writer must give PyYAML's bytes exactly (or hand the document back)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from swaggertools import emit_yaml
from swaggertools.emit import dumps, pyyaml_dump
from swaggertools.load import load_path

ROOT = Path(__file__).resolve().parents[2]

# Characters and words that change the style libyaml picks: indicators, blanks, breaks,
# non-printable and non-ASCII characters, YAML 1.1 and 1.2 typed words.
ALPHABET = [
    *"ab Z09:#-?'\"\n\t\r{}[],&*!|>%@`.~=<\\/",
    "\x00",
    "\x07",
    "\x1b",
    "\x85",
    "\xa0",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ufffe",
    "é",
    "日",
    "\U0001f600",
]
WORDS = [
    "",
    " ",
    "yes",
    "No",
    "on",
    "OFF",
    "null",
    "Null",
    "~",
    "true",
    "1.10",
    "0o17",
    "0x1F",
    "1e3",
    "1_000",
    "2024-01-01",
    "2001-12-14t21:59:43.10-05:00",
    "10:30",
    "190:20:30",
    ".inf",
    "-.INF",
    ".nan",
    "---",
    "...",
    "--- a",
    "- a",
    "-a",
    "<<",
    "=",
    "!",
    "&",
    "*",
    "a: b",
    "a:b",
    "a #b",
    "a#b",
    "x:",
    "::",
    "-",
    "?",
    ":",
    "? a",
    "'quoted'",
    '"dq"',
    "a\nb",
    "a\n\nb",
    "\na",
    "a\n",
    "a \nb",
    "a\n b",
    "tab\there",
    "#/definitions/Foo",
    "/api/Core/AttrSet/Add",
    "FactMES.API.Core.AttrSet.Add",
    "application/json",
    "x" * 130,
    "é" * 70,
]


_pyyaml = pyyaml_dump  # the reference writer


def _assert_same(doc: Any) -> None:
    fast = emit_yaml.dump(doc)
    if fast is not None:
        assert fast == _pyyaml(doc)


def _strings(rng: random.Random, count: int) -> list[str]:
    result = list(WORDS)
    for _ in range(count):
        result.append("".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 8))))
        a, b = rng.choice(WORDS), rng.choice(WORDS)
        result.append(a + rng.choice(ALPHABET) + b)
    return result


def _files() -> list[Path]:
    found = [ROOT / "fixtures" / "mes-swagger.json", ROOT / "fixtures" / "mes-openapi.yaml"]
    cases = ROOT / "tests" / "cases"
    found += sorted(p for p in cases.glob("*/*") if p.suffix in (".json", ".yaml", ".yml"))
    return found


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_same_bytes_as_pyyaml_on_fixtures_and_cases(path: Path) -> None:
    try:
        doc = load_path(path).doc
    except Exception:  # a deliberately broken case input
        pytest.skip("not loadable")
    _assert_same(doc)


@pytest.mark.parametrize("seed", range(8))
def test_same_bytes_as_pyyaml_on_generated_strings(seed: int) -> None:
    rng = random.Random(seed)
    strings = _strings(rng, 300)
    handled = 0
    for text in strings:
        # as a value at several depths, in sequences, and as a key
        for doc in (
            {"k": text},
            {"a": {"b": {"c": text}}},
            {"list": [text, {"x": text, "y": [text]}], "n": [[text, [text]]]},
            [text, {"k": [text]}],
            {text: 1},
            {"outer": {text: {text: [text]}}},
        ):
            _assert_same(doc)
            handled += emit_yaml.dump(doc) is not None
    assert handled > len(strings) * 5  # the fallback is the exception, not the rule


def test_same_bytes_for_scalars_and_empty_collections() -> None:
    doc = {
        "ints": [0, -1, 10**20, -(10**30)],
        "floats": [0.0, -0.0, 1.5, 1e17, 1e-05, 123456.789, -2.5e-300, float("inf")],
        "bools": [True, False],
        "none": None,
        "empty": {"map": {}, "list": [], "nested": [[], {}, [[]], [{}]]},
        "deep": [[[["x", {"y": [1, {"z": "w"}]}]]]],
    }
    _assert_same(doc)
    assert emit_yaml.dump(doc) is not None


def test_unsupported_documents_are_handed_back() -> None:
    assert emit_yaml.dump({"a\nb": 1}) is None  # a multi-line key: `? ` form
    assert emit_yaml.dump({"k" * 129: 1}) is None  # longer than a simple key may be
    assert emit_yaml.dump({1: "int key"}) is None
    assert emit_yaml.dump({"set": {1, 2}}) is None
    assert emit_yaml.dump("scalar") is None
    assert emit_yaml.dump({}) is None
    # and emit.dumps still writes them, through PyYAML
    assert dumps({"a\nb": 1}, "yaml") == _pyyaml({"a\nb": 1}).encode("utf-8")


def test_generated_mes_spec_is_written_fast_and_identically() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("_fx", ROOT / "fixtures" / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    import sys

    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    for version in ("2.0", "3.0"):
        doc = json.loads(json.dumps(module.build_spec(version, 400)))
        fast = emit_yaml.dump(doc)
        assert fast is not None
        assert fast == _pyyaml(doc)
