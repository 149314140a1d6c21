"""The outputs' validation shortcut (`validate.Basis`) agrees with validating them alone.

`clean` validates its outputs by taking the `$ref` sites and the semantic result over from
a valid input when `validate.derived_body` proves that is equivalent. Here random specs,
some with semantic hazards planted (a `required` name no `allOf` part defines, which
upstream reports only where the schema is first met as an entry; a duplicate operationId;
a default of the wrong type), go through the real stages (index, validate_input, rules,
prune, secure) and every output's findings must equal those of validating it on its own,
from a fresh index and a fresh semantic walk.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, note, settings
from hypothesis import strategies as st

from swaggertools.index import build_index
from swaggertools.model import Finding
from swaggertools.prune import remove_and_prune
from swaggertools.rules import load_ruleset, match_all
from swaggertools.security import secure
from swaggertools.select import select_operations
from swaggertools.validate import validate_document, validate_input, validate_outputs
from swaggertools.versions import SpecVersion, detect
from tests.property.strategies import AUTHORITY, SpecCase, rule_sets, specs

EXAMPLES = settings.default.max_examples
EXT = "x-mes-method"


def _schemas(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["definitions"] if "definitions" in doc else doc["components"]["schemas"]


@st.composite
def hazardous_specs(draw: st.DrawFn) -> SpecCase:
    case = draw(specs())
    doc = case.doc
    schemas = _schemas(doc)
    for name in draw(st.lists(st.sampled_from(sorted(schemas)), unique=True, max_size=2)):
        schema = schemas[name]
        if "allOf" in schema:  # required names nothing the schema or its parts define
            schema["required"] = ["zz"]
    ops = [op for item in doc["paths"].values() for op in item.values()]
    if len(ops) > 1 and draw(st.booleans()):
        # A route that meets `Hazard` inside another schema before an operation enters it
        # directly: valid until a rule removes the first route (upstream checks `required`
        # against `allOf` only where a schema is first met as an entry).
        first, second = sorted(
            draw(st.lists(st.sampled_from(range(len(ops))), min_size=2, max_size=2, unique=True))
        )
        schemas["Wrap"] = {"type": "object", "properties": {"h": _named(case, "Hazard")}}
        schemas["Hazard"] = {"allOf": [{"type": "object"}], "required": ["zz"]}
        _respond(case, ops[first], "Wrap")
        _respond(case, ops[second], "Hazard")
    if len(ops) > 1 and draw(st.booleans()):
        ops[-1]["operationId"] = ops[0]["operationId"]
    if draw(st.booleans()):
        params = ops[0].setdefault("parameters", [])
        if case.version == "2.0":
            params.append({"name": "n", "in": "query", "type": "integer", "default": "x"})
        else:
            params.append(
                {"name": "n", "in": "query", "schema": {"type": "integer", "default": "x"}}
            )
    return case


def _named(case: SpecCase, name: str) -> dict[str, str]:
    section = "definitions" if case.version == "2.0" else "components/schemas"
    return {"$ref": f"#/{section}/{name}"}


def _respond(case: SpecCase, op: dict[str, Any], name: str) -> None:
    ok: dict[str, Any] = {"description": "ok"}
    if case.version == "2.0":
        ok["schema"] = _named(case, name)
    else:
        ok["content"] = {"application/json": {"schema": _named(case, name)}}
    op["responses"]["200"] = ok


def _records(findings: list[Finding]) -> list[tuple[str, str | None, str]]:
    return sorted((f.rule, f.pointer, f.message) for f in findings)


def _alone(doc: dict[str, Any], version: SpecVersion) -> list[tuple[str, str | None, str]]:
    index = build_index(doc, version, method_extension=EXT)
    return _records(validate_document(doc, version, index, "fast"))


@settings(max_examples=EXAMPLES * 3)
@given(data=st.data())
def test_shortcut_outputs_validate_as_they_would_alone(
    data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    case = data.draw(hazardous_specs())
    rules = data.draw(rule_sets(case))
    document_auth_errors = data.draw(st.booleans())
    doc = case.doc
    note(json.dumps(doc, ensure_ascii=False))
    note(json.dumps(rules, ensure_ascii=False))
    rule_file = Path(tmp_path_factory.mktemp("rules")) / "rules.json"
    rule_file.write_text(json.dumps(rules, ensure_ascii=False), encoding="utf-8")

    version = detect(doc)
    assert isinstance(version, SpecVersion)
    index = build_index(doc, version, method_extension=EXT)
    input_findings, basis = validate_input(doc, version, index)
    assert (basis is None) or not input_findings  # a basis only for a clean input
    event("input has a basis" if basis is not None else "input has none")

    chosen = select_operations(match_all(index.operations, [load_ruleset(rule_file)], "auto"), True)
    pruned = remove_and_prune(doc, index, chosen.keys())
    if basis is not None:
        basis = basis.without(pruned.removed_units, len(chosen))
    memo: dict[Any, Any] = {}
    documents = {
        variant: secure(
            pruned.doc,
            version,
            variant,
            auth="both",
            authority=AUTHORITY,
            replace=False,
            document_auth_errors=document_auth_errors,
            memo=memo,
        )[0]
        for variant in ("user", "service")
    }
    checked = validate_outputs(documents, version, method_extension=EXT, basis=basis)
    for variant, outcome in checked.items():
        alone = build_index(documents[variant], version, method_extension=EXT)
        assert outcome.operations == len(alone.operations), variant
        assert _records(outcome.findings) == _alone(documents[variant], version), variant
        if basis is not None:
            assert outcome.shortcut, variant  # the point of the basis: nothing redone
