"""Unit tests for swaggertools.load: encodings, format sniffing, strict parsing, locating."""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from swaggertools.errors import LoadError, UsageError
from swaggertools.load import (
    MAX_ALIAS_VALUES,
    MAX_DEPTH,
    MAX_INPUT_BYTES,
    Locator,
    decode,
    load_bytes,
    load_path,
    parse_json,
    parse_size,
    parse_yaml,
    read_file,
    sniff_format,
)

SPEC_YAML = (
    "swagger: '2.0'\n"
    "info:\n"
    "  title: Ünïcode MES\n"
    "  version: '1'\n"
    "paths:\n"
    "  /api/Core/AttrSet/Add:\n"
    "    post:\n"
    "      operationId: Core_AttrSet_Add\n"
    "      responses:\n"
    "        '200':\n"
    "          description: OK\n"
)
EXPECTED = {
    "swagger": "2.0",
    "info": {"title": "Ünïcode MES", "version": "1"},
    "paths": {
        "/api/Core/AttrSet/Add": {
            "post": {
                "operationId": "Core_AttrSet_Add",
                "responses": {"200": {"description": "OK"}},
            }
        }
    },
}


def _error(data: bytes, name: str = "spec.yaml") -> LoadError:
    with pytest.raises(LoadError) as info:
        load_bytes(data, name)
    return info.value


# ---------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SPEC_YAML.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + SPEC_YAML.encode("utf-8"), "utf-8-sig"),
        (b"\xff\xfe" + SPEC_YAML.encode("utf-16-le"), "utf-16-le"),
        (b"\xfe\xff" + SPEC_YAML.encode("utf-16-be"), "utf-16-be"),
        (SPEC_YAML.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "crlf"],
)
def test_encodings_and_line_endings_give_same_document(
    tmp_path: Path, data: bytes, encoding: str
) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(data)
    loaded = load_path(path)
    assert loaded.doc == EXPECTED
    assert loaded.source.encoding == encoding
    assert loaded.source.format == "yaml"
    assert loaded.source.size == len(data)
    assert loaded.source.crlf is (b"\r\n" in data or b"\r\x00\n\x00" in data)


def test_json_in_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "spec.json"
    path.write_bytes(b"\xff\xfe" + '{"a": "é", "b": [1, 2]}'.encode("utf-16-le"))
    loaded = load_path(path)
    assert loaded.doc == {"a": "é", "b": [1, 2]}
    assert loaded.source.format == "json"
    assert loaded.source.encoding == "utf-16-le"


def test_crlf_json_flagged_and_same_document() -> None:
    lf = load_bytes(b'{\n  "a": 1,\n  "b": "x"\n}\n', "a.json")
    crlf = load_bytes(b'{\r\n  "a": 1,\r\n  "b": "x"\r\n}\r\n', "b.json")
    assert lf.doc == crlf.doc == {"a": 1, "b": "x"}
    assert crlf.source.crlf is True
    assert lf.source.crlf is False


def test_utf32_refused() -> None:
    err = _error(b"\xff\xfe\x00\x00" + "a: 1".encode("utf-32-le"))
    assert "UTF-32 is not supported" in err.one_line()


def test_invalid_utf8_byte_reports_its_line_and_column() -> None:
    err = _error(b'a: 1\nb: 2\nc: "x\xffy"\n', "bad.yaml")
    assert err.line == 3
    assert err.column == 6
    assert err.one_line() == (
        "bad.yaml:3:6: not valid UTF-8: byte 0xff at offset 15; save the file as UTF-8"
    )


def test_utf16_without_bom_hint() -> None:
    err = _error('{"a": 1}'.encode("utf-16-le") + b"\x00\xd8", "x.json")
    assert "not valid UTF-8" in err.message
    assert "UTF-16 without a byte-order mark?" in err.message


def test_control_character_refused_with_position() -> None:
    err = _error(b'a: 1\nb: "x\x01"\n', "ctl.yaml")
    assert err.one_line() == "ctl.yaml:2:6: control character U+0001 is not allowed"


@pytest.mark.parametrize("at", [0, 1, 256 * 1024 - 1, 256 * 1024, 600_000])
def test_control_character_found_across_scan_chunks(at: int) -> None:
    """The scan looks at the text a chunk at a time: the first one is found wherever it is."""
    lines = "\n".join("x" * 99 for _ in range(7000))  # 700,000 characters, several chunks
    text = lines[:at] + "\x7f" + lines[at:] + "\x02"
    with pytest.raises(LoadError) as info:
        decode(text.encode(), "c.json")
    line = lines[:at].count("\n") + 1
    column = at - (lines.rfind("\n", 0, at) + 1) + 1
    assert info.value.one_line() == (
        f"c.json:{line}:{column}: control character U+007F is not allowed"
    )


def test_decode_keeps_tab_cr_lf() -> None:
    text, encoding = decode(b"a:\t1\r\nb: 2\n", "x")
    assert text == "a:\t1\r\nb: 2\n"
    assert encoding == "utf-8"


# ---------------------------------------------------------------- format sniffing


def test_json_detected_by_content_in_txt_file(tmp_path: Path) -> None:
    path = tmp_path / "spec.txt"
    path.write_text('  \n{"swagger": "2.0", "n": 10}', encoding="utf-8")
    loaded = load_path(path)
    assert loaded.source.format == "json"
    assert loaded.doc == {"swagger": "2.0", "n": 10}


def test_yaml_content_in_json_named_file(tmp_path: Path) -> None:
    path = tmp_path / "spec.json"
    path.write_text("swagger: '2.0'\nflag: on\n", encoding="utf-8")
    loaded = load_path(path)
    assert loaded.source.format == "yaml"
    assert loaded.doc == {"swagger": "2.0", "flag": "on"}


def test_sniff_format_rules() -> None:
    assert sniff_format('\n\t {"a": 1}', "x.txt") == "json"
    assert sniff_format("[1, 2]", "x") == "json"
    assert sniff_format('{"a": 1}', "x.YAML") == "yaml"
    assert sniff_format('{"a": 1}', "x.yml") == "yaml"
    assert sniff_format("a: 1", "x.json") == "yaml"


# ---------------------------------------------------------------- YAML 1.2 core typing


def test_yaml_core_schema_typing() -> None:
    text = (
        "a: on\n"
        "b: yes\n"
        "c: no\n"
        "d: 10:30\n"
        "e: 2024-01-01\n"
        "200: ok\n"
        "f: 42\n"
        "g: -1.5\n"
        "h: true\n"
        "i: False\n"
        "j: null\n"
        "k: ~\n"
        "l:\n"
        "m: 0x1F\n"
        "n: 0o17\n"
        "o: 1e3\n"
        "p: off\n"
        "q: Y\n"
        "r: '1'\n"
        "s: 012\n"
    )
    doc = parse_yaml(text, "t.yaml")
    assert doc == {
        "a": "on",
        "b": "yes",
        "c": "no",
        "d": "10:30",
        "e": "2024-01-01",
        "200": "ok",
        "f": 42,
        "g": -1.5,
        "h": True,
        "i": False,
        "j": None,
        "k": None,
        "l": None,
        "m": 31,
        "n": 15,
        "o": 1000.0,
        "p": "off",
        "q": "Y",
        "r": "1",
        "s": 12,
    }
    assert type(doc["f"]) is int
    assert type(doc["o"]) is float
    assert list(doc) == [*"abcde", "200", *"fghijklmnopqrs"]


def test_yaml_unquoted_version_like_value_is_a_float() -> None:
    doc = parse_yaml("a: 1.10\nb: '1.10'\n", "t.yaml")
    assert doc == {"a": 1.1, "b": "1.10"}
    assert type(doc["a"]) is float


def test_yaml_keys_always_strings() -> None:
    doc = parse_yaml("200: a\ntrue: b\nnull: c\n1.5: d\n", "t.yaml")
    assert doc == {"200": "a", "true": "b", "null": "c", "1.5": "d"}


def test_yaml_explicit_json_tags_allowed() -> None:
    doc = parse_yaml("a: !!str 10\nb: !!int '7'\nc: !!float 3\nd: !!bool 'true'\n", "t")
    assert doc == {"a": "10", "b": 7, "c": 3.0, "d": True}
    assert type(doc["c"]) is float


def test_yaml_wrong_explicit_tag_value() -> None:
    with pytest.raises(LoadError) as info:
        parse_yaml("a: 1\nb: !!int abc\n", "t.yaml")
    assert info.value.one_line() == "t.yaml:2:4: 'abc' is not a valid !!int"


def test_yaml_infinity_refused() -> None:
    with pytest.raises(LoadError) as info:
        parse_yaml("x: .inf\n", "t.yaml")
    assert (
        info.value.one_line() == "t.yaml:1:4: '.inf' (infinity/NaN) cannot be represented in JSON"
    )


# ---------------------------------------------------------------- YAML merge keys (1.1 `<<`)


def _merged(text: str) -> tuple[Any, list[tuple[str, str | None, tuple[int | None, int | None]]]]:
    """The document, and each note with its pointer and where that pointer is."""
    loaded = load_bytes(text.encode(), "m.yaml")
    notes = []
    for note in loaded.notes:
        pointer = getattr(note, "pointer", None)
        notes.append((str(note), pointer, loaded.locator.line_col(pointer)))
    return loaded.doc, notes


def test_merge_key_single_mapping() -> None:
    doc, notes = _merged(
        "base: &base {type: object, description: base, x-a: 1}\n"
        "Pet:\n"
        "  <<: *base\n"
        "  description: a pet\n"
        "  x-b: 2\n"
    )
    # written keys win; merged keys take the place of the << entry, in the merged order
    assert list(doc["Pet"].items()) == [
        ("type", "object"),
        ("description", "a pet"),
        ("x-a", 1),
        ("x-b", 2),
    ]
    assert doc["base"] == {"type": "object", "description": "base", "x-a": 1}
    assert notes == [
        (
            "YAML merge key << expanded: 2 keys merged into this mapping (keys written in it win)",
            "#/Pet/<<",
            (3, 3),
        )
    ]


def test_merge_key_list_earlier_mappings_win() -> None:
    doc, notes = _merged(
        "a: &a {k: from-a, ka: 1}\n"
        "b: &b {k: from-b, kb: 2, kc: 3}\n"
        "x:\n"
        "  kc: written\n"
        "  <<: [*a, *b]\n"
    )
    assert list(doc["x"].items()) == [("kc", "written"), ("k", "from-a"), ("ka", 1), ("kb", 2)]
    assert [(n[1], n[2]) for n in notes] == [("#/x/<<", (5, 3))]
    assert notes[0][0].startswith("YAML merge key << expanded: 3 keys merged")


def test_merge_key_inline_flow_nested_and_of_a_merge() -> None:
    text = (
        "root: &root {a: 1}\n"
        "mid: &mid {<<: *root, b: 2}\n"  # the alias target of the next merge is a merge
        "top: {<<: *mid, c: 3}\n"
        "inline: {<<: {<<: {d: 4}, e: 5}, f: 6}\n"  # a merge inside a merge's value
        "items:\n"
        "  - {<<: [*root, {g: 7}], h: 8}\n"
        "  - <<:\n"
        "      - *mid\n"
        "    a: 9\n"
    )
    doc, notes = _merged(text)
    assert doc == {
        "root": {"a": 1},
        "mid": {"a": 1, "b": 2},
        "top": {"a": 1, "b": 2, "c": 3},
        "inline": {"d": 4, "e": 5, "f": 6},
        "items": [{"a": 1, "g": 7, "h": 8}, {"a": 9, "b": 2}],
    }
    assert [(pointer, where) for _, pointer, where in notes] == [
        ("#/mid/<<", (2, 12)),
        ("#/top/<<", (3, 7)),
        ("#/inline/<</<<", (4, 15)),
        ("#/inline/<<", (4, 10)),
        ("#/items/0/<<", (6, 6)),
        ("#/items/1/<<", (7, 5)),
    ]
    assert "<<" not in str(doc)


def test_merge_key_gives_what_pyyaml_safe_load_gives() -> None:
    """The values are YAML 1.1's (PyYAML's safe loader); only the key order may differ."""
    import yaml

    texts = [
        "a: &a {x: 1, y: 2}\nb: {<<: *a, y: 3}\n",
        "a: &a {x: 1, y: 2}\nb: {y: 3, <<: *a}\n",
        "a: &a {x: 1}\nb: &b {x: 2, z: 2}\nc: {<<: [*a, *b], w: 0}\nd: {<<: [*b, *a]}\n",
        "a: &a {x: {deep: [1, 2]}}\nb: &b {<<: *a, y: 1}\nc: {<<: *b}\n",
        "l: &l [{p: 1}, {p: 2, q: 2}]\nm: {<<: *l}\n",
        "m: {<<: [], k: 1}\nn: {<<: {}}\n",
    ]
    for text in texts:
        assert parse_yaml(text, "t.yaml") == yaml.load(text, Loader=yaml.SafeLoader), text


def test_merged_values_are_copies() -> None:
    doc = parse_yaml("a: &a {k: [1]}\nb: {<<: *a}\nc: {<<: [*a]}\n", "t.yaml")
    doc["b"]["k"].append(2)
    assert doc["a"] == {"k": [1]}
    assert doc["c"] == {"k": [1]}


def test_quoted_merge_key_is_a_plain_key() -> None:
    doc, notes = _merged("x: {'<<': 1, a: 2}\ny: {\"<<\": 3}\nz: {!!str <<: 4}\n")
    assert doc == {"x": {"<<": 1, "a": 2}, "y": {"<<": 3}, "z": {"<<": 4}}
    assert notes == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "x:\n  <<: text\n",
            "m.yaml:2:3: the merge key << needs a mapping or a list of mappings, not a string",
        ),
        (
            "x: {<<: 1}\n",
            "m.yaml:1:5: the merge key << needs a mapping or a list of mappings, not a number",
        ),
        (
            "x:\n  a: 1\n  <<:\n",
            "m.yaml:3:3: the merge key << needs a mapping or a list of mappings, not null",
        ),
        (
            "a: &a {k: 1}\nx:\n  <<:\n    - *a\n    - 2\n",
            "m.yaml:3:3: the merge key << "
            "needs a mapping or a list of mappings, not a list whose item 2 is a number",
        ),
        (
            "x: {<<: [[{k: 1}]]}\n",
            "m.yaml:1:5: the merge key << needs a mapping or a list of "
            "mappings, not a list whose item 1 is a list",
        ),
        (
            "s: &s [1]\nx: {<<: [*s]}\n",
            "m.yaml:2:5: the merge key << needs a mapping or a "
            "list of mappings, not a list whose item 1 is a list",
        ),
        (
            "s: &s on\nx: {<<: *s}\n",
            "m.yaml:2:5: the merge key << needs a mapping or a list of mappings, not a string",
        ),
        (
            "a: &a {k: 1}\nx:\n  <<: *a\n  b: 1\n  b: 2\n",
            "m.yaml:5:3: duplicate key 'b' (first at line 4)",
        ),
        (
            "a: &a {k: 1}\nx:\n  <<: *a\n  <<: *a\n",
            "m.yaml:4:3: duplicate key '<<' (first at line 3)",
        ),
        (
            "a: &a {k: 1}\nx: {'<<': 1, <<: *a}\n",
            "m.yaml:2:14: duplicate key '<<' (first at line 2)",
        ),
        ("x: {<<: *nowhere}\n", "m.yaml:1:9: alias *nowhere names no anchor"),
        (
            "x: &x {<<: *x}\n",
            "m.yaml:1:12: recursive alias *x: a value that contains itself (anchor &x at line 1)",
        ),
    ],
)
def test_merge_key_errors(text: str, message: str) -> None:
    assert _error(text.encode(), "m.yaml").one_line() == message


def test_merges_count_against_the_alias_budget() -> None:
    big = "big: &big {" + ", ".join(f"k{i}: {i}" for i in range(1000)) + "}\n"
    ok = big + "m: {<<: [" + ", ".join(["*big"] * 900) + "]}\n"
    assert parse_yaml(ok, "ok.yaml")["m"] == {f"k{i}": i for i in range(1000)}
    # every merged mapping counts in full (here 1,001 values each), even where its keys
    # are already there: 1,000 merges of the same mapping pass the budget
    over = big + "m: {<<: [" + ", ".join(["*big"] * 1000) + "]}\n"
    with pytest.raises(LoadError) as info:
        parse_yaml(over, "over.yaml")
    assert info.value.message == (
        f"aliases expand to more than {MAX_ALIAS_VALUES} values (alias bomb?)"
    )
    assert info.value.line == 2


def test_alias_bomb_through_merges_stops_at_once() -> None:
    # each level merges ten mappings that each hold the level below under their own key:
    # level 7 would be over 10^8 values
    lines = ["l0: &l0 {" + ", ".join(f"v{i}: lol" for i in range(10)) + "}"]
    for level in range(1, 8):
        for j in range(10):
            lines.append(f"m{level}_{j}: &m{level}_{j} {{k{level}_{j}: *l{level - 1}}}")
        sources = ", ".join(f"*m{level}_{j}" for j in range(10))
        lines.append(f"l{level}: &l{level} {{<<: [{sources}]}}")
    with pytest.raises(LoadError) as info:
        parse_yaml("\n".join(lines) + "\n", "bomb.yaml")
    # stopped as the budget passed: in level 5, at its sixth mapping's alias of level 4
    assert info.value.one_line() == (
        f"bomb.yaml:51:20: aliases expand to more than {MAX_ALIAS_VALUES} values (alias bomb?)"
    )
    assert lines[50] == "m5_5: &m5_5 {k5_5: *l4}"


def test_merge_that_would_nest_too_deep() -> None:
    inner = "{a: " * 150 + "1" + "}" * 150
    with pytest.raises(LoadError) as info:
        parse_yaml(f"a: &x {inner}\nb: " + "[" * 60 + "{<<: *x}" + "]" * 60 + "\n", "t.yaml")
    assert info.value.one_line() == f"t.yaml:2:69: nesting deeper than {MAX_DEPTH} levels"


def test_yaml_plain_aliases_are_expanded() -> None:
    doc = parse_yaml("a: &s {x: [1, 2]}\nb: *s\n", "t.yaml")
    assert doc == {"a": {"x": [1, 2]}, "b": {"x": [1, 2]}}


def test_big_integers_exact() -> None:
    big = 2**80 + 1
    assert parse_json(f'{{"n": {big}}}', "t.json") == {"n": big}
    assert parse_yaml(f"n: {big}\n", "t.yaml") == {"n": big}


# ---------------------------------------------------------------- errors with positions


def test_json_syntax_error_position() -> None:
    err = _error(b'{\n  "a": 1,\n  "b": \n}\n', "s.json")
    assert err.one_line() == "s.json:4:1: invalid JSON: Expecting value"


def test_json_trailing_comma_position() -> None:
    err = _error(b'{"a": [1, 2,]}', "s.json")
    assert err.line == 1
    # Python 3.13+ points at the trailing comma itself, older versions at the `]` after it
    assert err.column == (12 if sys.version_info >= (3, 13) else 13)
    assert err.message.startswith("invalid JSON: ")


def test_json_duplicate_key_names_both_lines() -> None:
    data = b'{\n  "info": {\n    "title": "a",\n    "version": "1",\n    "title": "b"\n  }\n}\n'
    err = _error(data, "d.json")
    assert err.one_line() == "d.json:5:5: duplicate key 'title' (first at line 3)"


def test_json_duplicate_key_in_nested_array_object() -> None:
    data = b'{"a": [\n {"k": 1},\n {"k": 1,\n  "k": 2}\n]}'
    err = _error(data, "d.json")
    assert err.one_line() == "d.json:4:3: duplicate key 'k' (first at line 3)"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # white space before a key's colon: the quick count cannot decide
        ('{"a": 1,\n "b" : 2,\n "a" : 3}', "d.json:3:2: duplicate key 'a' (first at line 1)"),
        ('{"a": 1,\n "b"\t:2,\n "a"\r\n:3}', "d.json:3:2: duplicate key 'a' (first at line 1)"),
        # strings that put extra `":` in the text: counted, but never hide a duplicate
        (
            '{"a": ":x",\n "b": "q\\":",\n "a": 3}',
            "d.json:3:2: duplicate key 'a' (first at line 1)",
        ),
        ('{":k": 1,\n ":k": 2}', "d.json:2:2: duplicate key ':k' (first at line 1)"),
        ('{"u": "http://x",\n "u": 1}', "d.json:2:2: duplicate key 'u' (first at line 1)"),
        # the duplicate comes before a syntax error further on: it is what is reported
        ('{"a": 1, "a": 2}\n[', "d.json:1:10: duplicate key 'a' (first at line 1)"),
    ],
)
def test_json_duplicate_key_wherever_the_text_hides_it(text: str, message: str) -> None:
    err = _error(text.encode(), "d.json")
    assert err.one_line() == message


@pytest.mark.parametrize(
    "text",
    [
        '{"a": ":x", "b": "q\\":", "c": {":k": 1}}',  # extra `":` in strings
        '{"a" : 1, "b"\n: [ {"a" :2} ]}',  # white space before colons
        '{"x\\\\": 1, "y": "\\\\"}',  # keys and values ending in a backslash
    ],
)
def test_json_without_duplicates_is_accepted_however_written(text: str) -> None:
    assert parse_json(text, "ok.json") == __import__("json").loads(text)


def test_json_duplicate_key_deeper_than_the_depth_limit_is_still_named() -> None:
    deep = "[" * (MAX_DEPTH + 5) + '{"k": 1, "k": 2}' + "]" * (MAX_DEPTH + 5)
    with pytest.raises(LoadError) as info:
        parse_json(deep, "d.json")
    assert info.value.message.startswith("duplicate key 'k'")


def test_json_depth_limit_is_exact() -> None:
    fits = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert parse_json(fits, "ok.json") is not None
    with pytest.raises(LoadError) as info:
        parse_json("[" + fits + "]", "deep.json")
    assert info.value.message == f"nesting deeper than {MAX_DEPTH} levels"


def test_yaml_duplicate_key_names_both_lines() -> None:
    data = b"info:\n  title: a\n  version: '1'\n  title: b\n"
    err = _error(data, "d.yaml")
    assert err.one_line() == "d.yaml:4:3: duplicate key 'title' (first at line 2)"


def test_yaml_duplicate_numeric_and_quoted_key() -> None:
    err = _error(b"responses:\n  200: {}\n  '200': {}\n", "d.yaml")
    assert err.one_line() == "d.yaml:3:3: duplicate key '200' (first at line 2)"


@pytest.mark.parametrize(
    ("text", "col"),
    [('{"a": 1,\n "b": NaN}', 7), ('{"a": 1,\n "b": -Infinity}', 7)],
)
def test_json_nan_infinity_refused(text: str, col: int) -> None:
    err = _error(text.encode(), "n.json")
    assert err.line == 2
    assert err.column == col
    assert "NaN and Infinity are not JSON" in err.one_line()
    assert err.one_line().startswith(f"n.json:2:{col}: invalid JSON: ")


def test_python_object_tag_refused() -> None:
    err = _error(b"a: 1\nb: !!python/object:os.system {}\n", "p.yaml")
    assert err.line == 2
    assert err.column == 4
    assert "'tag:yaml.org,2002:python/object:os.system' is not allowed" in err.one_line()
    assert err.one_line().startswith("p.yaml:2:4: YAML tag ")


def test_custom_tag_on_key_refused() -> None:
    err = _error(b"!!binary aGk=: 1\n", "p.yaml")
    assert err.one_line().startswith("p.yaml:1:1: YAML tag ")
    assert "is not allowed on a key" in err.message


def test_collection_key_refused() -> None:
    err = _error(b"? [a, b]\n: 1\n", "k.yaml")
    assert err.one_line() == "k.yaml:1:3: mapping keys must be plain strings, not collections"


def test_multi_document_refused() -> None:
    err = _error(b"a: 1\n---\nb: 2\n", "m.yaml")
    assert err.one_line() == "m.yaml:2:1: multiple YAML documents in one file are not supported"


def test_recursive_alias_refused() -> None:
    err = _error(b"top:\n  a: &x\n    b: *x\n", "r.yaml")
    assert err.one_line() == (
        "r.yaml:3:8: recursive alias *x: a value that contains itself (anchor &x at line 2)"
    )


def test_yaml_syntax_error_position() -> None:
    err = _error(b"a: 1\nb: [1, 2\nc: 3\n", "y.yaml")
    assert err.line is not None
    assert err.line >= 2
    assert err.message.startswith("invalid YAML: ")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "e.yaml", "e.yaml: file is empty"),
        (b"   \n\n", "e.json", "e.json: file is empty"),
        (b" \t\n\t\r\n", "e.yaml", "e.yaml: file is empty"),
        (b"\xef\xbb\xbf", "e.json", "e.json: file is empty"),
        (b"# only a comment\n", "e.yaml", "e.yaml: file is empty (no YAML document)"),
    ],
)
def test_empty_file(data: bytes, name: str, message: str) -> None:
    assert _error(data, name).one_line() == message


def test_parse_json_empty_text() -> None:
    with pytest.raises(LoadError) as info:
        parse_json("  \n", "e.json")
    assert info.value.one_line() == "e.json: file is empty"


def test_json_nesting_too_deep() -> None:
    with pytest.raises(LoadError) as info:
        parse_json("[" * 100_000 + "]" * 100_000, "deep.json")
    assert "nesting deeper than" in info.value.message


def test_yaml_nesting_too_deep() -> None:
    depth = MAX_DEPTH + 5
    with pytest.raises(LoadError) as info:
        parse_yaml("[" * depth + "]" * depth, "deep.yaml")
    assert info.value.message == f"nesting deeper than {MAX_DEPTH} levels"
    assert info.value.line == 1


# ---------------------------------------------------------------- reading files


def test_read_file_errors(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as info:
        read_file(tmp_path / "missing.json")
    assert info.value.one_line() == f"{tmp_path / 'missing.json'}: no such file"
    with pytest.raises(LoadError) as info:
        read_file(tmp_path)
    assert info.value.one_line() == f"{tmp_path}: is a directory, not a file"


def test_read_file_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b"[" + b"1," * 100 + b"1]")
    with pytest.raises(LoadError) as info:
        read_file(path, max_bytes=50)
    assert info.value.message == "file is 203 bytes, more than the limit of 50 bytes"
    data, name = read_file(path, max_bytes=1000)
    assert len(data) == 203
    assert name == str(path)


def test_loaded_source_facts(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_bytes(b'{"a": 1}\n')
    loaded = load_path(path)
    assert loaded.source.path == str(path)
    assert loaded.source.text == '{"a": 1}\n'
    assert loaded.source.sha256 == hashlib.sha256(b'{"a": 1}\n').hexdigest()
    assert loaded.source.size == 9
    assert loaded.source.encoding == "utf-8"


# ---------------------------------------------------------------- Locator

JSON_TEXT = (
    "{\n"
    '  "swagger": "2.0",\n'
    '  "paths": {\n'
    '    "/api/a/b": {\n'
    '      "get": {"tags": ["x", {"y": 2}]}\n'
    "    }\n"
    "  },\n"
    '  "a~/b": {"c": [10, 20]}\n'
    "}\n"
)
YAML_TEXT = (
    "swagger: '2.0'\n"
    "paths:\n"
    "  /api/a/b:\n"
    "    get:\n"
    "      tags:\n"
    "        - x\n"
    "        - y: 2\n"
    "a~/b:\n"
    "  c: [10, 20]\n"
)


@pytest.mark.parametrize(
    ("pointer", "where"),
    [
        ("#", (1, 1)),
        ("#/swagger", (2, 3)),
        ("#/paths", (3, 3)),
        ("#/paths/~1api~1a~1b", (4, 5)),
        ("#/paths/~1api~1a~1b/get", (5, 7)),
        ("#/paths/~1api~1a~1b/get/tags/0", (5, 24)),
        ("#/paths/~1api~1a~1b/get/tags/1/y", (5, 30)),
        ("#/a~0~1b", (8, 3)),
        ("#/a~0~1b/c/1", (8, 22)),
        ("#/paths/~1api~1a~1b/get/missing", (5, 7)),
        ("#/nothing", (1, 1)),
    ],
)
def test_locator_json(pointer: str, where: tuple[int, int]) -> None:
    assert load_bytes(JSON_TEXT.encode(), "x.json").locator.locate(pointer) == where


@pytest.mark.parametrize(
    ("pointer", "where"),
    [
        ("#", (1, 1)),
        ("#/swagger", (1, 1)),
        ("#/paths", (2, 1)),
        ("#/paths/~1api~1a~1b", (3, 3)),
        ("#/paths/~1api~1a~1b/get", (4, 5)),
        ("#/paths/~1api~1a~1b/get/tags/0", (6, 11)),
        ("#/paths/~1api~1a~1b/get/tags/1/y", (7, 11)),
        ("#/a~0~1b", (8, 1)),
        ("#/a~0~1b/c/1", (9, 11)),
        ("#/paths/~1api~1a~1b/get/tags/9", (5, 7)),
    ],
)
def test_locator_yaml(pointer: str, where: tuple[int, int]) -> None:
    assert load_bytes(YAML_TEXT.encode(), "x.yaml").locator.locate(pointer) == where


def test_locator_same_lines_with_crlf() -> None:
    loc = load_bytes(YAML_TEXT.replace("\n", "\r\n").encode(), "x.yaml").locator
    assert loc.locate("#/paths/~1api~1a~1b/get/tags/1/y") == (7, 11)
    jloc = load_bytes(JSON_TEXT.replace("\n", "\r\n").encode(), "x.json").locator
    assert jloc.locate("#/a~0~1b/c/1") == (8, 22)


def test_locator_bad_pointer_and_broken_text() -> None:
    assert Locator('{"a": 1}', "json").locate("no-slash") is None
    assert Locator("a: [1\n", "yaml").locate("#/a") is None
    assert Locator('{"a": ', "json").locate("#/a/b") is None


# ---------------------------------------------------------------- hostile input (issue: never a
# traceback, never a crash): the library-level side of tests/hostile/


FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def test_yaml_builder_matches_pyyaml_on_the_fixture() -> None:
    """The event-based builder gives PyYAML's result where YAML 1.1 and 1.2 agree."""
    import yaml

    text = (FIXTURES / "mes-openapi.yaml").read_text(encoding="utf-8")
    assert parse_yaml(text, "f.yaml") == yaml.load(text, Loader=yaml.SafeLoader)


def test_alias_bomb_stops_at_once() -> None:
    # 9^9 values if expanded; where the error points shows the budget stopped it at the first
    # alias that passes a million (not timed: the suite measures no wall clock)
    levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(LoadError) as info:
        parse_yaml("\n".join(levels) + "\n", "bomb.yaml")
    assert info.value.one_line() == (
        f"bomb.yaml:7:8: aliases expand to more than {MAX_ALIAS_VALUES} values (alias bomb?)"
    )
    assert levels[6].startswith("g: &g [*f")  # g's first *f: 9^6 = 531,441 values each


def test_alias_budget_counts_expanded_values() -> None:
    ok = "a: &a [" + ", ".join(["1"] * 999) + "]\nb: [" + ", ".join(["*a"] * 999) + "]\n"
    assert len(parse_yaml(ok, "ok.yaml")["b"]) == 999
    over = ok.replace("*a]", "*a, *a, *a]")
    with pytest.raises(LoadError, match="aliases expand to more than"):
        parse_yaml(over, "over.yaml")


def test_aliases_are_copies_not_shared() -> None:
    doc = parse_yaml("a: &x {k: [1]}\nb: *x\n", "t.yaml")
    assert doc["a"] == doc["b"]
    assert doc["a"] is not doc["b"]
    assert doc["a"]["k"] is not doc["b"]["k"]


def test_alias_that_would_nest_too_deep() -> None:
    inner = "[" * 150 + "]" * 150
    with pytest.raises(LoadError, match=f"nesting deeper than {MAX_DEPTH}"):
        parse_yaml(f"a: &x {inner}\nb: " + "[" * 60 + "*x" + "]" * 60 + "\n", "t.yaml")


def test_undefined_alias_and_alias_key() -> None:
    assert _error(b"a: *nope\n", "u.yaml").one_line() == "u.yaml:1:4: alias *nope names no anchor"
    err = _error(b"k: &k name\nm:\n  *k : v\n", "k.yaml")
    assert err.message == "mapping keys must be plain strings, not collections"


@pytest.mark.parametrize("opener", ["[", "{a: "])
def test_yaml_nesting_far_too_deep_does_not_crash(opener: str) -> None:
    """libyaml's composer recurses in C: 100,000 levels must be refused, not overflow."""
    closer = "]" if opener == "[" else "}"
    text = "x: " + opener * 100_000 + "1" + closer * 100_000 + "\n"
    with pytest.raises(LoadError) as info:
        parse_yaml(text, "deep.yaml")
    assert info.value.message == f"nesting deeper than {MAX_DEPTH} levels"
    # the opener of level 201 (the top-level mapping is level 1)
    assert (info.value.line, info.value.column) == (1, 4 + (MAX_DEPTH - 1) * len(opener))


@pytest.fixture(params=["libyaml", "libyaml-limit-250", "pure-python"])
def yaml_parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each parser that may notice deep nesting before the builder does.

    libyaml as installed (0.2.6, in PyYAML 6.0.4 and later, stops at 1000 levels and reads
    up to 1024 characters ahead of the events it hands over), libyaml with a lower limit
    (as another version might have it), and PyYAML's pure-Python parser (no limit: what
    runs where libyaml is not installed).
    """
    import yaml

    from swaggertools.load import yaml_ as load_yaml

    if request.param == "pure-python":
        monkeypatch.setattr(load_yaml, "_BaseLoader", yaml.SafeLoader)
        yield request.param
        return
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML without libyaml")
    if request.param == "libyaml":
        yield request.param
        return
    import yaml._yaml as libyaml  # type: ignore[import-not-found]

    set_limit = getattr(libyaml, "_set_max_nest_level", None)
    if set_limit is None:
        pytest.skip("libyaml has no nesting limit before PyYAML 6.0.4")
    before = libyaml._get_max_nest_level()
    set_limit(250)
    try:
        yield request.param
    finally:
        set_limit(before)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("x: " + "[" * 3000 + "]" * 3000 + "\n", (1, 203)),
        ("x: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n", (1, 800)),
        ("x: [\n" + "[\n" * 600 + "]\n" * 601, (200, 1)),
        ("x:\n  " + "- " * 3000 + "1\n", (2, 401)),
        (
            "x:\n" + "".join(" " * i + "a:\n" for i in range(1, 400)) + " " * 400 + "b: 1\n",
            (201, 201),
        ),
        ("x: ['[[[[', " + "[" * 1200 + "]" * 1200 + "]\n", (1, 211)),
        ("x: &a !!seq " + "[" * 1200 + "]" * 1200 + "\n", (1, 212)),
        ("x: " + "[" * 3000 + "1, }", (1, 203)),  # a syntax error after the levels too many
    ],
    ids=["flow", "flow-map", "flow-lines", "compact", "block", "quoted", "tagged", "then-bad"],
)
def test_deep_yaml_reads_the_same_whichever_parser_notices_it(
    yaml_parser: str, text: str, where: tuple[int, int]
) -> None:
    with pytest.raises(LoadError) as info:
        parse_yaml(text, "deep.yaml")
    assert info.value.message == f"nesting deeper than {MAX_DEPTH} levels"
    assert (info.value.line, info.value.column) == where


def test_problem_before_libyaml_nesting_limit_is_the_builders(yaml_parser: str) -> None:
    """Where the builder would stop earlier for another reason, that reason is the error."""
    with pytest.raises(LoadError) as info:
        parse_yaml("x: " + "{" * 3000 + "}" * 3000 + "\n", "deep.yaml")
    assert (
        info.value.one_line()
        == "deep.yaml:1:5: mapping keys must be plain strings, not collections"
    )


def test_parser_errors_keep_their_words() -> None:
    """Only a problem of the builder's replaces the parser's error; a cut-short text doesn't."""
    import yaml

    for text in ("#" * 300 + "\nx: [1, 2\n", "x: [" + "[" * 150 + "1, }" + "]" * 151):
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        with pytest.raises(yaml.MarkedYAMLError) as parser:
            yaml.load(text, Loader=loader)
        with pytest.raises(LoadError) as info:
            parse_yaml(text, "bad.yaml")
        mark = parser.value.problem_mark
        assert mark is not None
        assert info.value.message == f"invalid YAML: {parser.value.problem}"
        assert (info.value.line, info.value.column) == (mark.line + 1, mark.column + 1)


def test_depth_limit_is_the_same_for_json_and_yaml() -> None:
    ok = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    too_deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    assert parse_json(ok, "t.json") == parse_yaml(ok, "t.yaml")
    for parse in (parse_json, parse_yaml):
        with pytest.raises(LoadError) as info:
            parse(too_deep, "t")
        assert info.value.column == MAX_DEPTH + 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": 1e999}', "t.json:1:7: invalid JSON: number 1e999 is too large for a 64-bit float"),
        (
            '{"a": -1E400}',
            "t.json:1:7: invalid JSON: number -1E400 is too large for a 64-bit float",
        ),
        ('{"a": 1' + "0" * 5000 + "}", "t.json:1:7: integer with 5001 digits is too large"),
    ],
)
def test_json_numbers_that_cannot_be_kept(text: str, message: str) -> None:
    if "digits" in message and not hasattr(sys, "get_int_max_str_digits"):
        pytest.skip("this Python has no integer digit limit")
    with pytest.raises(LoadError) as info:
        parse_json(text, "t.json")
    assert info.value.one_line().startswith(message)


def test_yaml_numbers_that_cannot_be_kept() -> None:
    with pytest.raises(LoadError) as info:
        parse_yaml("a: 1\nb: 1e999\n", "t.yaml")
    assert info.value.one_line() == "t.yaml:2:4: number 1e999 is too large for a 64-bit float"


@pytest.mark.parametrize(
    ("data", "name", "where"),
    [
        (b'{"a": "x\\ud800"}', "t.json", "t.json:1:2:"),
        (b'{"a": ["ok", "\\uDFFF"]}', "t.json", "t.json:1:14:"),
        (b'{"\\ud800": 1}', "t.json", "t.json:1:2:"),
    ],
)
def test_lone_surrogates_refused(data: bytes, name: str, where: str) -> None:
    err = _error(data, name)
    assert err.one_line().startswith(where)
    assert "lone UTF-16 surrogate" in err.message


def test_surrogate_pair_and_escaped_backslash_are_fine() -> None:
    assert load_bytes(b'{"a": "\\ud83d\\ude00"}', "t.json").doc == {"a": "\U0001f600"}
    assert load_bytes(b'{"a": "\\\\ud800"}', "t.json").doc == {"a": "\\ud800"}


def test_json_named_file_gets_json_message() -> None:
    err = _error(b'// exported\n{"swagger": "2.0"}\n', "c.json")
    assert err.one_line() == "c.json:1:1: invalid JSON: Expecting value"


def test_plain_scalars_typed_as_non_strings_keep_their_text() -> None:
    loaded = load_bytes(
        b"a: 1.10\nb: [on, 2.0, '3.0', null]\nc: {d: true, e: text}\n200: x\n", "t.yaml"
    )
    assert loaded.doc == {
        "a": 1.1,
        "b": ["on", 2.0, "3.0", None],
        "c": {"d": True, "e": "text"},
        "200": "x",
    }
    assert loaded.plain == {("a",): "1.10", ("b", 1): "2.0", ("b", 3): "null", ("c", "d"): "true"}


def test_json_has_no_plain_texts() -> None:
    assert load_bytes(b'{"a": 1.10}', "t.json").plain == {}


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("256MB", 256 * 1024**2),
        ("500KB", 500 * 1024),
        ("10MiB", 10 * 1024**2),
        ("1gb", 1024**3),
        ("123", 123),
        ("5 kb", 5 * 1024),
        ("12b", 12),
    ],
)
def test_parse_size(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["0", "x", "1TB", "-5", "1.5MB", ""])
def test_parse_size_refuses(text: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_size(text)
    assert info.value.one_line().startswith("--max-input-size: ")


def test_load_path_size_limit_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "sparse.json"
    with path.open("wb") as fh:
        fh.truncate(MAX_INPUT_BYTES + 1)  # a hole: no disk space, the size of the limit + 1

    def never(self: Path) -> bytes:
        raise AssertionError(f"{self} was read although its size is over the limit")

    # the refusal comes from the file's size alone: nothing of it is read (not timed: the
    # suite measures no wall clock)
    monkeypatch.setattr(Path, "read_bytes", never)
    with pytest.raises(LoadError, match=f"more than the limit of {MAX_INPUT_BYTES} bytes"):
        load_path(path)


def _all_pointers(value: object, prefix: str = "#") -> list[str]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            token = str(key).replace("~", "~0").replace("/", "~1")
            found += _all_pointers(child, f"{prefix}/{token}")
    elif isinstance(value, list):
        for i, child in enumerate(value):
            found += _all_pointers(child, f"{prefix}/{i}")
    return found


@pytest.mark.parametrize(
    "text",
    [
        (Path(__file__).parents[2] / "fixtures" / "mes-openapi.yaml").read_text(encoding="utf-8"),
        "a:\n  - {b: 1, c: [x, y]}\n  - &anchor\n    d: e\n  - *anchor\n"
        "'quoted/key': {n: 1}\nlist:\n- one\n- two: 2\n",
    ],
    ids=["fixture", "flow-and-anchors"],
)
def test_yaml_prefetch_locates_like_the_composed_tree(text: str) -> None:
    loaded = load_bytes(text.encode("utf-8"), "x.yaml")
    pointers = [*_all_pointers(loaded.doc)[::7], "#/nope", "#/a/9", "#/a/0/zz/deeper"]
    expected = {p: loaded.locator.locate(p) for p in pointers}  # composed tree
    fresh = load_bytes(text.encode("utf-8"), "x.yaml").locator
    fresh.prefetch(pointers)
    assert {p: fresh.locate(p) for p in pointers} == expected


def test_json_locator_finds_each_key_whatever_the_order_of_questions() -> None:
    text = (Path(__file__).parents[2] / "fixtures" / "mes-swagger.json").read_text("utf-8")
    pointers = _all_pointers(load_bytes(text.encode("utf-8"), "x.json").doc)[::5]
    forward = load_bytes(text.encode("utf-8"), "x.json").locator
    backward = load_bytes(text.encode("utf-8"), "x.json").locator
    got = {p: forward.locate(p) for p in pointers}
    assert got == {p: backward.locate(p) for p in reversed(pointers)}
    lines = text.split("\n")
    for pointer, where in got.items():
        assert where is not None
        line, column = where
        token = pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
        if pointer != "#" and not token.isdigit():
            assert lines[line - 1][column - 1 :].startswith(f'"{token}"'), pointer


@pytest.mark.parametrize(
    "text",
    [
        (Path(__file__).parents[2] / "fixtures" / "mes-swagger.json").read_text("utf-8"),
        '{"a":{"b":[1,{"c":2}]},"d~/e":"x","f":{}}',
        ' \n{ "a" :\t{ "b" : [ 1 ] } ,\r\n "g" : [ ] , "h":null }\n ',
        '[{"a": 1}, {"b": [2]}]',
        "{}",
    ],
    ids=["fixture", "minified", "spaced", "array", "empty"],
)
def test_json_locator_from_the_parse_agrees_with_a_fresh_scan(text: str) -> None:
    """`load_bytes` hands the locator the top-level members the parser saw: same answers."""
    loaded = load_bytes(text.encode("utf-8"), "x.json")
    pointers = [*_all_pointers(loaded.doc), "#/nope", "#/a/zz", "#/a/b/7"]
    fresh = Locator(text, "json")
    assert {p: loaded.locator.locate(p) for p in pointers} == {p: fresh.locate(p) for p in pointers}


@pytest.mark.parametrize(
    "text",
    ['{"a": 1,}', '{"a" 1}', '{"a": 1} x', '{"a": }', "{'a': 1}", '{"a": [1,]}', '{"a": 1'],
)
def test_json_top_level_errors_are_the_strict_parsers(text: str) -> None:
    """Member-by-member decoding of the top level reports errors exactly as json.loads."""
    with pytest.raises(LoadError) as info:
        parse_json(text, "e.json")
    with pytest.raises(json.JSONDecodeError) as stdlib:
        json.loads(text)
    assert info.value.message == f"invalid JSON: {stdlib.value.msg}"
    assert (info.value.line, info.value.column) == (stdlib.value.lineno, stdlib.value.colno)
