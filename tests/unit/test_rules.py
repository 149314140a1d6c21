"""Unit tests for swaggertools.rules: rule files (loading, schema errors) and matching."""

from __future__ import annotations

from pathlib import Path

import pytest

from swaggertools.errors import RuleSetError
from swaggertools.model import IdentifyStrategy, Operation
from swaggertools.pointer import join
from swaggertools.rules import (
    Matcher,
    Rule,
    RuleMatch,
    TargetKind,
    check_file,
    load_ruleset,
    match_all,
    mes_method_name,
    resolve_ruleset_path,
    shipped_rulesets,
)

HEADER = "name: site\nversion: '1'\n"


def _write(tmp_path: Path, text: str, name: str = "rules.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = _write(tmp_path, text)
    prefix = f"{path}:"
    result = []
    for error in check_file(path):
        line = error.one_line()
        assert line.startswith(prefix)
        result.append(line[len(prefix) :])
    return result


def _op(
    path: str,
    method: str = "post",
    operation_id: str | None = None,
    tags: tuple[str, ...] = (),
    mes: str | None = None,
) -> Operation:
    return Operation(
        path=path,
        method=method,
        operation_id=operation_id,
        tags=tags,
        pointer=join(("paths", path, method)),
        mes_method=mes,
    )


def _rule(kind: TargetKind, target: str, methods: tuple[str, ...] | None = None) -> Rule:
    return Rule(
        id="t#1",
        ruleset="t",
        kind=kind,
        target=target,
        methods=methods,
        reason="no-web-endpoint",
        replacement=None,
        note=None,
        file="t.yaml",
        pointer="#/exclude/0",
        line=1,
    )


def _match(
    ops: list[Operation], kind: TargetKind, target: str, identify: IdentifyStrategy = "auto"
) -> RuleMatch:
    return Matcher(ops).match(_rule(kind, target), identify)


METHOD = "FactMES.API.Core.AttrSet.Add"


# ---------------------------------------------------------------- loading


def test_load_shipped_ruleset() -> None:
    rs = load_ruleset("mes-model-driven-7.0")
    assert rs.name == "mes-model-driven-7.0"
    assert rs.version == "2026.1"
    assert len(rs.rules) == 42
    assert rs.complete is False
    assert rs.file == "shipped:mes-model-driven-7.0.yaml"
    assert rs.identify == "auto"
    assert rs.mes_release == "Model Driven MES 7.0"
    first = rs.rules[0]
    assert first.kind == "method"
    assert first.target == METHOD
    assert first.reason == "no-web-endpoint"
    assert first.id == "mes-model-driven-7.0#1"
    assert first.pointer == "#/exclude/0"
    assert first.file == "shipped:mes-model-driven-7.0.yaml"
    assert isinstance(first.line, int)
    assert first.line > 20
    replaced = [r for r in rs.rules if r.reason == "replaced"]
    assert replaced
    assert all(r.replacement for r in replaced)
    assert len({r.id for r in rs.rules}) == 42


def test_shipped_rulesets_listed_and_clean() -> None:
    names = [p.stem for p in shipped_rulesets()]
    assert "mes-model-driven-7.0" in names
    for path in shipped_rulesets():
        assert check_file(path) == []


def test_unknown_ruleset_name_lists_shipped() -> None:
    with pytest.raises(RuleSetError) as info:
        load_ruleset("no-such-set")
    assert info.value.one_line() == (
        "no rule file or shipped rule set named 'no-such-set' "
        "(shipped: " + ", ".join(sorted(p.stem for p in shipped_rulesets())) + ")"
    )


def test_missing_rule_file(tmp_path: Path) -> None:
    missing = tmp_path / "gone.yaml"
    with pytest.raises(RuleSetError) as info:
        load_ruleset(missing)
    assert info.value.one_line() == f"{missing}: no such file"


def test_resolve_ruleset_path(tmp_path: Path) -> None:
    assert resolve_ruleset_path("x/site.yml") == Path("x/site.yml")
    plain = _write(tmp_path, HEADER + "exclude: []\n", name="plainname")
    assert resolve_ruleset_path(str(plain)) == plain
    assert resolve_ruleset_path("mes-model-driven-7.0").name == "mes-model-driven-7.0.yaml"


def test_load_user_ruleset_all_target_kinds(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "name: site\n"
        "version: '2026.1'\n"
        "identify: path\n"
        "complete: true\n"
        "description: my own\n"
        "source: https://example.com/rules\n"
        "exclude:\n"
        "  - method: FactMES.API.Core.Shift*.*\n"
        "    reason: no-web-endpoint\n"
        "  - id: custom-id\n"
        "    operationId: Legacy_Get\n"
        "    reason: replaced\n"
        "    replacement: /api/v2/legacy\n"
        "    note: see docs\n"
        "  - path: /api/Old\n"
        "    methods: [get, post]\n"
        "    reason: retired\n"
        "  - tag: Internal\n"
        "    reason: internal only\n",
    )
    rs = load_ruleset(path)
    assert (rs.name, rs.version, rs.identify, rs.complete) == ("site", "2026.1", "path", True)
    assert rs.file == str(path)
    assert rs.description == "my own"
    assert rs.source == "https://example.com/rules"
    assert [(r.id, r.kind, r.target, r.line) for r in rs.rules] == [
        ("site#1", "method", "FactMES.API.Core.Shift*.*", 8),
        ("custom-id", "operationId", "Legacy_Get", 10),
        ("site#3", "path", "/api/Old", 15),
        ("site#4", "tag", "Internal", 18),
    ]
    assert rs.rules[0].is_glob
    assert not rs.rules[1].is_glob
    assert rs.rules[1].replacement == "/api/v2/legacy"
    assert rs.rules[1].note == "see docs"
    assert rs.rules[2].methods == ("get", "post")
    assert rs.rules[2].describe() == "path /api/Old [get, post]"
    assert rs.rules[3].describe() == "tag Internal"


def test_json_rule_file(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        '{"name": "j", "version": "1", "exclude": [{"tag": "T", "reason": "r"}]}',
        name="rules.json",
    )
    rs = load_ruleset(path)
    assert rs.rules[0].kind == "tag"
    assert rs.rules[0].line == 1
    assert rs.identify == "auto"


# ---------------------------------------------------------------- schema errors


def test_unknown_key_names_key_and_line(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        HEADER
        + "exclude:\n"
        + "  - method: A.B.C\n"
        + "    reason: no-web-endpoint\n"
        + "    colour: red\n",
    )
    assert problems == [
        "6:5: unknown key 'colour' (allowed here: id, method, methods, note, operationId, "
        "path, reason, replacement, source, tag)"
    ]


def test_unknown_top_level_key(tmp_path: Path) -> None:
    problems = _problems(tmp_path, HEADER + "exclusions: []\nexclude: []\n")
    assert problems == [
        "3:1: unknown key 'exclusions' (allowed here: complete, description, exclude, "
        "identify, mes_release, name, source, version)"
    ]


def test_unquoted_version_is_a_float(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "name: site\nversion: 2026.1\nexclude: []\n")
    assert problems == ["2:1: 'version' must be a string, not a number (quote it)"]


def test_missing_reason(tmp_path: Path) -> None:
    problems = _problems(tmp_path, HEADER + "exclude:\n  - method: A.B.C\n")
    assert problems == ["4:5: missing required key 'reason'"]


def test_two_targets_in_one_entry(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        HEADER + "exclude:\n  - method: A.B.C\n    operationId: abc\n    reason: r\n",
    )
    assert problems == [
        "5:5: exclusion has more than one target (method, operationId): use one entry per target"
    ]


def test_no_target(tmp_path: Path) -> None:
    problems = _problems(tmp_path, HEADER + "exclude:\n  - reason: r\n")
    assert problems == ["4:5: exclusion needs one target: method, operationId, path or tag"]


def test_replaced_without_replacement(tmp_path: Path) -> None:
    problems = _problems(tmp_path, HEADER + "exclude:\n  - method: A.B.C\n    reason: replaced\n")
    assert problems == [
        "5:5: reason 'replaced' needs a 'replacement' (the endpoint to use instead)"
    ]


def test_methods_without_path(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        HEADER + "exclude:\n  - operationId: x\n    methods: [get]\n    reason: r\n",
    )
    assert problems == ["5:5: 'methods' is only allowed together with 'path'"]


def test_bad_identify_value(tmp_path: Path) -> None:
    problems = _problems(tmp_path, HEADER + "identify: fuzzy\nexclude: []\n")
    assert problems == [
        "3:1: 'identify' is 'fuzzy'; expected one of: auto, operationId, extension, path"
    ]


def test_other_value_errors(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        "name: 'bad name'\n"
        "version: ''\n"
        "exclude:\n"
        "  - path: api/no-slash\n"
        "    methods: [get, get]\n"
        "    reason: r\n"
        "  - tag: T\n"
        "    reason: r\n"
        "    note: 5\n",
    )
    assert problems == [
        "1:1: 'name' value 'bad name' is not of the expected form",
        "2:1: 'version' must not be empty",
        "4:5: 'path' value 'api/no-slash' is not of the expected form",
        "5:5: 'methods' lists a value twice",
        "9:5: 'note' must be a string, not a number (quote it)",
    ]


def test_check_file_returns_all_problems_sorted_by_line(tmp_path: Path) -> None:
    text = (
        "name: site\n"  # 1
        "version: 2026.1\n"  # 2
        "identify: fuzzy\n"  # 3
        "exclude:\n"  # 4
        "  - method: A.B.C\n"  # 5
        "    reason: no-web-endpoint\n"  # 6
        "    colour: red\n"  # 7
        "  - method: A.B.D\n"  # 8
        "  - method: A.B.E\n"  # 9
        "    operationId: x\n"  # 10
        "    reason: r\n"  # 11
        "  - method: A.B.F\n"  # 12
        "    reason: replaced\n"  # 13
        "  - operationId: z\n"  # 14
        "    methods: [get]\n"  # 15
        "    reason: r\n"  # 16
    )
    path = _write(tmp_path, text)
    errors = check_file(path)
    assert [e.line for e in errors] == [2, 3, 7, 8, 10, 13, 15]
    assert all(isinstance(e, RuleSetError) and e.file == str(path) for e in errors)
    assert [e.pointer for e in errors] == [
        "#/version",
        "#/identify",
        "#/exclude/0/colour",
        "#/exclude/1",
        "#/exclude/2/operationId",
        "#/exclude/3/reason",
        "#/exclude/4/methods",
    ]
    with pytest.raises(RuleSetError) as info:
        load_ruleset(path)
    assert info.value.one_line() == (
        f"{path}:2:1: 'version' must be a string, not a number (quote it) "
        "(and 6 more problem(s): see 'swaggertools rules check')"
    )


def test_missing_header_keys(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "description: only\n")
    assert problems == [
        "1:1: missing required key 'exclude'",
        "1:1: missing required key 'name'",
        "1:1: missing required key 'version'",
    ]


def test_unparseable_rule_file_reported_with_line(tmp_path: Path) -> None:
    problems = _problems(tmp_path, HEADER + "exclude: []\nname: again\n")
    assert problems == ["4:1: duplicate key 'name' (first at line 1)"]
    path = _write(tmp_path, HEADER + "exclude: []\nname: again\n", name="dup.yaml")
    with pytest.raises(RuleSetError) as info:
        load_ruleset(path)
    assert info.value.one_line() == f"{path}:4:1: duplicate key 'name' (first at line 1)"


# ---------------------------------------------------------------- matching: method names


@pytest.mark.parametrize(
    "operation_id",
    [
        "FactMES.API.Core.AttrSet.Add",
        "Core.AttrSet.Add",
        "Core_AttrSet_Add",
        "core-attrset-add",
        "coreAttrSetAdd",
        "FACTMES_API_CORE_ATTRSET_ADD",
    ],
)
def test_method_by_operation_id_shapes(operation_id: str) -> None:
    target = _op("/x/y", operation_id=operation_id)
    other = _op("/x/z", operation_id="Core_AttrSet_Update")
    result = _match([other, target], "method", METHOD)
    assert result.status == "matched"
    assert result.strategy == "operationId"
    assert result.operations == (target,)


def test_method_by_short_operation_id() -> None:
    target = _op("/x/y", operation_id="AttrSet_Add")
    result = _match([target], "method", METHOD)
    assert (result.status, result.strategy, result.operations) == (
        "matched",
        "operationId (short form)",
        (target,),
    )


def test_short_form_under_two_modules_is_ambiguous() -> None:
    core = _op("/api/Core/AttrSet", operation_id="AttrSet_Add", tags=("Core",))
    quality = _op("/api/Quality/AttrSet", operation_id="attrSetAdd", tags=("Quality",))
    result = _match([core, quality], "method", METHOD)
    assert result.status == "ambiguous"
    assert result.strategy == "operationId (short form)"
    assert result.operations == (core, quality)


def test_full_form_beats_short_form() -> None:
    full = _op("/a", operation_id="Core_AttrSet_Add")
    short = _op("/b", operation_id="AttrSet_Add")
    result = _match([short, full], "method", METHOD)
    assert (result.status, result.strategy, result.operations) == (
        "matched",
        "operationId",
        (full,),
    )


@pytest.mark.parametrize("value", [METHOD, "Core.AttrSet.Add", "factmes.api.core.attrset.add"])
def test_method_by_extension(value: str) -> None:
    target = _op("/x/1", operation_id="Op1", mes=value)
    other = _op("/x/2", operation_id="Op2", mes="FactMES.API.Core.AttrSet.Update")
    result = _match([other, target], "method", METHOD)
    assert (result.status, result.strategy, result.operations) == (
        "matched",
        "extension",
        (target,),
    )


@pytest.mark.parametrize(
    "path",
    [
        "/api/Core/AttrSet/Add",
        "/API/core/ATTRSET/add",
        "/mesmw/api/Core/AttrSet/Add/",
        "/api/FactMES.API.Core.AttrSet.Add",
        "/api/factmes.api.core.attrset.add",
        "/api/Core.AttrSet.Add",
    ],
)
def test_method_by_path(path: str) -> None:
    target = _op(path, operation_id="Unrelated1")
    other = _op("/api/Core/AttrSet/Update", operation_id="Unrelated2")
    result = _match([other, target], "method", METHOD)
    assert (result.status, result.strategy, result.operations) == ("matched", "path", (target,))


def test_path_with_two_methods_is_ambiguous() -> None:
    get = _op("/api/Core/AttrSet/Add", method="get")
    post = _op("/api/Core/AttrSet/Add", method="post")
    result = _match([get, post], "method", METHOD)
    assert result.status == "ambiguous"
    assert result.operations == (get, post)


def test_auto_order_operation_id_then_extension_then_path() -> None:
    by_id = _op("/1", operation_id="Core_AttrSet_Add")
    by_ext = _op("/2", operation_id="Two", mes=METHOD)
    by_path = _op("/api/Core/AttrSet/Add", operation_id="Three")
    everything = [by_path, by_ext, by_id]
    result = _match(everything, "method", METHOD)
    assert (result.strategy, result.operations) == ("operationId", (by_id,))
    result = _match([by_path, by_ext], "method", METHOD)
    assert (result.strategy, result.operations) == ("extension", (by_ext,))
    result = _match([by_path], "method", METHOD)
    assert (result.strategy, result.operations) == ("path", (by_path,))


def test_explicit_identify_restricts() -> None:
    by_id = _op("/1", operation_id="Core_AttrSet_Add")
    by_ext = _op("/2", operation_id="Two", mes=METHOD)
    by_path = _op("/api/Core/AttrSet/Add", operation_id="Three")
    everything = [by_id, by_ext, by_path]
    assert _match(everything, "method", METHOD, "path").operations == (by_path,)
    assert _match(everything, "method", METHOD, "extension").operations == (by_ext,)
    assert _match(everything, "method", METHOD, "operationId").operations == (by_id,)
    only_path = _match([by_id, by_ext], "method", METHOD, "path")
    assert (only_path.status, only_path.strategy, only_path.operations) == (
        "unmatched",
        None,
        (),
    )
    only_ext = _match([by_id, by_path], "method", METHOD, "extension")
    assert only_ext.status == "unmatched"


def test_method_glob_by_operation_id() -> None:
    pattern = _op("/a", operation_id="Core_ShiftPattern_Add")
    sched = _op("/b", operation_id="FactMES.API.Core.ShiftSched.Get")
    line = _op("/c", operation_id="Core_Line_Get")
    quality = _op("/d", operation_id="Quality_ShiftThing_Get")
    result = _match([pattern, sched, line, quality], "method", "FactMES.API.Core.Shift*.*")
    assert result.status == "matched"
    assert result.strategy == "operationId"
    assert set(result.operations) == {pattern, sched}


def test_method_glob_with_character_range() -> None:
    line = _op("/a", operation_id="Core_Line_Get")
    ent = _op("/b", operation_id="Core_Ent_Get")
    shift = _op("/c", operation_id="Core_Shift_Get")
    result = _match([line, ent, shift], "method", "FactMES.API.Core.[A-M]*.Get")
    assert (result.status, result.strategy) == ("matched", "operationId")
    assert result.operations == (line, ent)
    result = _match([line, ent, shift], "method", "FactMES.API.Core.[!A-M]*.Get")
    assert result.operations == (shift,)


def test_method_glob_by_extension_and_path() -> None:
    ext = _op("/x", operation_id="X", mes="FactMES.API.Core.ShiftPattern.Add")
    result = _match([ext], "method", "FactMES.API.Core.Shift*.*")
    assert (result.status, result.strategy, result.operations) == ("matched", "extension", (ext,))
    by_path = _op("/api/Core/ShiftSched/Get", method="get")
    other = _op("/api/Core/Line/Get", method="get")
    result = _match([by_path, other], "method", "FactMES.API.Core.Shift*.*")
    assert (result.status, result.strategy, result.operations) == (
        "matched",
        "path",
        (by_path,),
    )


def test_method_unmatched() -> None:
    result = _match([_op("/api/Core/Line/Get", operation_id="Core_Line_Get")], "method", METHOD)
    assert (result.status, result.strategy, result.operations) == ("unmatched", None, ())


# ---------------------------------------------------------------- matching: other targets


def test_operation_id_target_exact_and_case_sensitive() -> None:
    op = _op("/a", operation_id="Core_AttrSet_Add")
    assert _match([op], "operationId", "Core_AttrSet_Add").operations == (op,)
    assert _match([op], "operationId", "core_attrset_add").status == "unmatched"
    assert _match([op], "operationId", "Core.AttrSet.Add").status == "unmatched"


def test_operation_id_target_duplicate_is_ambiguous_glob_is_not() -> None:
    a = _op("/a", operation_id="Dup")
    b = _op("/b", operation_id="Dup")
    c = _op("/c", operation_id="Dupe")
    result = _match([a, b, c], "operationId", "Dup")
    assert (result.status, result.strategy, result.operations) == (
        "ambiguous",
        "operationId",
        (a, b),
    )
    result = _match([a, b, c], "operationId", "Dup*")
    assert (result.status, result.operations) == ("matched", (a, b, c))


def test_path_target_with_and_without_methods() -> None:
    get = _op("/api/Old/", method="get")
    post = _op("/api/Old/", method="post")
    other = _op("/api/Older", method="get")
    matcher = Matcher([get, post, other])
    result = matcher.match(_rule("path", "/API/old"), "auto")
    assert (result.status, result.strategy, result.operations) == ("matched", "path", (get, post))
    result = matcher.match(_rule("path", "/api/old", methods=("post",)), "auto")
    assert result.operations == (post,)
    result = matcher.match(_rule("path", "/api/Old*"), "auto")
    assert result.operations == (get, post, other)
    result = matcher.match(_rule("path", "/api/old", methods=("delete",)), "auto")
    assert result.status == "unmatched"


def test_tag_target_case_insensitive_and_glob() -> None:
    a = _op("/a", tags=("Internal",))
    b = _op("/b", tags=("Public", "internal-beta"))
    c = _op("/c", tags=("Public",))
    result = _match([a, b, c], "tag", "INTERNAL")
    assert (result.status, result.strategy, result.operations) == ("matched", "tag", (a,))
    assert _match([a, b, c], "tag", "internal*").operations == (a, b)
    assert _match([a, b, c], "tag", "Nope").status == "unmatched"


def test_match_all_uses_ruleset_identify_and_override(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEADER
        + "identify: path\n"
        + "exclude:\n"
        + f"  - method: {METHOD}\n"
        + "    reason: no-web-endpoint\n"
        + "  - tag: Gone\n"
        + "    reason: r\n",
    )
    rs = load_ruleset(path)
    by_id = _op("/1", operation_id="Core_AttrSet_Add", tags=("Gone",))
    by_path = _op("/api/Core/AttrSet/Add")
    results = match_all([by_id, by_path], [rs], None)
    assert [(m.rule.id, m.status, m.strategy, m.operations) for m in results] == [
        ("site#1", "matched", "path", (by_path,)),
        ("site#2", "matched", "tag", (by_id,)),
    ]
    results = match_all([by_id, by_path], [rs], "operationId")
    assert results[0].operations == (by_id,)
    assert results[0].strategy == "operationId"


@pytest.mark.parametrize(
    ("target", "op", "expected"),
    [
        ("FactMES.API.Core.AttrSet.Add", Operation("/x", "post", "coreAttrSetAdd", (), "#/p"),
         "FactMES.API.Core.AttrSet.Add"),
        ("FactMES.API.Core.Shift*.*", Operation("/x", "post", "Core_ShiftPattern_Add", (), "#/p"),
         "FactMES.API.Core.ShiftPattern.Add"),
        ("FactMES.API.Core.Shift*.*",
         Operation("/x", "post", "FactMES_API_Core_ShiftPattern_Add", (), "#/p"),
         "FactMES.API.Core.ShiftPattern.Add"),
        ("FactMES.API.Core.Shift*.*", Operation("/x", "post", "coreShiftPatternAdd", (), "#/p"),
         None),
        ("FactMES.API.Core.Shift*.*",
         Operation("/x", "post", "x", (), "#/p", mes_method="FactMES.API.Core.Shift.Add"),
         "FactMES.API.Core.Shift.Add"),
    ],
)  # fmt: skip
def test_mes_method_name_by_operation_id(target: str, op: Operation, expected: str | None) -> None:
    rule = _rule(kind="method", target=target)
    match = Matcher([op]).match(rule, "operationId" if op.mes_method is None else "extension")
    assert match.operations == (op,)
    assert mes_method_name(op, match) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/Core/ShiftPattern/Add", "FactMES.API.Core.ShiftPattern.Add"),
        ("/api/FactMES.API.Core.ShiftPattern.Add", "FactMES.API.Core.ShiftPattern.Add"),
        ("/api/Core.ShiftPattern.Add", "FactMES.API.Core.ShiftPattern.Add"),
    ],
)
def test_mes_method_name_by_path(path: str, expected: str) -> None:
    op = Operation(path, "post", None, (), "#/p")
    match = Matcher([op]).match(_rule(kind="method", target="FactMES.API.Core.Shift*.*"), "path")
    assert match.operations == (op,)
    assert mes_method_name(op, match) == expected
