"""Properties of `clean` on random valid specs and random rule sets.

For every generated (spec, rule set, options): `clean` raises nothing but SwaggertoolsError
(and in fact nothing, the specs being valid), every output validates, two runs give
byte-identical outputs, and cleaning an output again (same mode) changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from swaggertools.emit import dumps
from swaggertools.errors import SwaggertoolsError
from swaggertools.model import CleanOptions
from swaggertools.pipeline import CleanResult, clean, validate_file
from tests.property.strategies import AUTHORITY, SpecCase, rule_sets, specs

EXAMPLES = settings.default.max_examples


@st.composite
def clean_cases(draw: st.DrawFn) -> tuple[SpecCase, dict[str, Any], dict[str, Any], str]:
    case = draw(specs())
    rules = draw(rule_sets(case))
    options = {
        "auth": draw(st.sampled_from(("none", "user", "service", "both", "combined"))),
        "allow_ambiguous": draw(st.booleans()),
        "document_auth_errors": draw(st.booleans()),
        "output_format": draw(st.sampled_from((None, "json", "yaml"))),
    }
    fmt = draw(st.sampled_from(("json", "yaml")))
    return case, rules, options, fmt


def _write(folder: Path, case: SpecCase, rules: dict[str, Any], fmt: str) -> tuple[Path, Path]:
    spec = folder / f"spec.{fmt}"
    spec.write_bytes(dumps(case.doc, "json" if fmt == "json" else "yaml"))
    rule_file = folder / "rules.json"
    rule_file.write_text(json.dumps(rules, ensure_ascii=False), encoding="utf-8")
    return spec, rule_file


def _spec_bytes(result: CleanResult) -> dict[str, bytes]:
    return {str(a.variant): a.data for a in result.artifacts if a.kind == "spec"}


def _run(spec: Path, options: CleanOptions, out: Path) -> CleanResult:
    try:
        return clean(spec, options, output_dir=out)
    except SwaggertoolsError as error:  # allowed by the property, but not expected here
        pytest.fail(f"clean refused a valid spec: {error.one_line()}")


@settings(max_examples=EXAMPLES * 2)
@given(data=clean_cases())
def test_clean_is_safe_valid_deterministic_and_idempotent(
    data: tuple[SpecCase, dict[str, Any], dict[str, Any], str],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    case, rules, opts, fmt = data
    folder = tmp_path_factory.mktemp("prop")
    spec, rule_file = _write(folder, case, rules, fmt)
    note(spec.read_text(encoding="utf-8"))
    note(json.dumps(rules, ensure_ascii=False))
    note(repr(opts))
    checked = validate_file(spec)
    assert checked.valid, [f.message for f in checked.findings]

    options = CleanOptions(rules=(str(rule_file),), authority=AUTHORITY, **opts)
    first = _run(spec, options, folder / "out")
    assert first.ok, first.report.as_dict()["findings"]

    # deterministic: the same input and options give the same bytes
    second = _run(spec, options, folder / "out2")
    assert _spec_bytes(second) == _spec_bytes(first)

    # every output validates, read back from disk
    first.write()
    for artifact in first.artifacts:
        if artifact.kind == "spec":
            result = validate_file(artifact.path)
            assert result.valid, (artifact.path, [f.message for f in result.findings])

    # idempotent: cleaning an output again in its own mode changes nothing
    for artifact in first.artifacts:
        if artifact.kind != "spec":
            continue
        variant = str(artifact.variant)
        mode = variant if variant in ("user", "service") else opts["auth"]
        again = _run(
            artifact.path,
            replace(options, auth=mode, output_format=None),
            folder / f"again-{variant}",
        )
        assert list(_spec_bytes(again).values()) == [artifact.data], variant
