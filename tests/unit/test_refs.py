"""The `$ref` policy (the refs package) and the cycle check (validate.check_refs), in process."""

from __future__ import annotations

import ipaddress
import json
import socket
from pathlib import Path
from typing import Any

import pytest
import yaml

from swaggertools.errors import LoadError, RefError, UsageError
from swaggertools.index import build_index
from swaggertools.netpolicy import AllowedHost, is_blocked_address, parse_allow_remote
from swaggertools.pipeline import Opened, open_spec, validate_file
from swaggertools.refs import RefPolicy, bundle, files
from swaggertools.validate import check_refs
from swaggertools.versions import SpecVersion, detect
from tests.conftest import CANARY_BODY, Canary

V2: dict[str, Any] = {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}
V30: dict[str, Any] = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}
V31: dict[str, Any] = {**V30, "openapi": "3.1.0"}


def _write(path: Path, doc: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = doc if isinstance(doc, str) else yaml.safe_dump(doc, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def _spec(tmp_path: Path, base: dict[str, Any], **parts: Any) -> Path:
    return _write(tmp_path / "spec.yaml", {**base, **parts})


def _op(schema: dict[str, Any]) -> dict[str, Any]:
    """A 2.0 path with one GET answering `schema`."""
    return {"/a": {"get": {"responses": {"200": {"description": "ok", "schema": schema}}}}}


def _open(path: Path, **policy: Any) -> Opened:
    return open_spec(path, ref_policy=RefPolicy(**policy))


def _refused(path: Path, **policy: Any) -> str:
    with pytest.raises(RefError) as info:
        _open(path, **policy)
    return info.value.one_line()


# ---------------------------------------------------------------- --allow-remote entries


def test_allow_remote_entries() -> None:
    assert parse_allow_remote(
        ("api.example.com,Other.Example:8443", " http://127.0.0.1:8080 ")
    ) == (
        AllowedHost("https", "api.example.com", 443),
        AllowedHost("https", "other.example", 8443),
        AllowedHost("http", "127.0.0.1", 8080),
    )
    assert parse_allow_remote(("[::1]:9", "", "a.example.")) == (
        AllowedHost("https", "::1", 9),
        AllowedHost("https", "a.example", 443),
    )


@pytest.mark.parametrize(
    "entry", ["ftp://h", "h/path", "https://u:p@h", "h:notaport", "http://", "h?q=1", "h#x"]
)
def test_malformed_allow_remote_entry(entry: str) -> None:
    with pytest.raises(UsageError, match="expected HOST, HOST:PORT or http://HOST:PORT"):
        parse_allow_remote((entry,))


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.1.2.3",
        "::1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "169.254.170.2",
        "fd00:ec2::254",
        "100.100.100.200",
        "168.63.129.16",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "fe80::1",
    ],
)
def test_blocked_addresses(address: str) -> None:
    assert is_blocked_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700:4700::1111", "8.8.8.8"])
def test_public_addresses_are_not_blocked(address: str) -> None:
    assert not is_blocked_address(ipaddress.ip_address(address))


# ---------------------------------------------------------------- refusals, before any access


@pytest.mark.parametrize(
    ("ref", "reason"),
    [
        ("http://127.0.0.1:9/x.json", "is not a local reference: swaggertools fetches nothing"),
        ("HtTpS://127.0.0.1:9/x.json", "is not a local reference: swaggertools fetches nothing"),
        ("file:///etc/passwd", "the 'file:' scheme is never followed"),
        ("FTP://127.0.0.1:9/x", "the 'ftp:' scheme is never followed"),
        ("python://swaggertools/x.yaml", "the 'python:' scheme is never followed"),
        ("jar:file:///x!/y", "the 'jar:' scheme is never followed"),
        ("/etc/passwd", "is an absolute path"),
        ("%2fetc%2fpasswd", "is an absolute path"),
        ("C:\\Windows\\win.ini", "is an absolute Windows path"),
        ("c:/x.yaml", "is an absolute Windows path"),
        ("C%3a/x.yaml", "is an absolute Windows path"),
        ("\\\\server\\share\\x.yaml", "is a network (UNC) path"),
        ("//server/share/x.yaml", "is a network (UNC) path"),
        ("%2f%2fserver/share/x.yaml", "is a network (UNC) path"),
        ("sub\\x.yaml", "contains a backslash"),
        ("x%00.yaml", "contains a NUL character"),
        ("http%3a//127.0.0.1:9/x", "is a percent-encoded URL"),
        ("../outside.yaml", "leads outside the spec's folder"),
        ("..%2foutside.yaml", "leads outside the spec's folder"),
        ("sub/../../outside.yaml", "leads outside the spec's folder"),
        ("pet.yaml#Pet", "has a fragment that is not a JSON pointer"),
        ("sub", "does not lead to a regular file (a folder)"),
    ],
)
def test_refused_refs_name_ref_pointer_and_line(tmp_path: Path, ref: str, reason: str) -> None:
    (tmp_path / "spec" / "sub").mkdir(parents=True)
    _write(tmp_path / "outside.yaml", "A: {type: string}\n")
    spec = _write(tmp_path / "spec" / "spec.yaml", {**V2, "paths": _op({"$ref": ref})})
    line = _refused(spec)
    assert line.startswith(f"{spec}:12:13: $ref {ref!r} at #/paths/~1a/get/responses/200/")
    assert reason in line


def test_every_ref_is_checked_before_any_file_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refused ref late in the document stops the run before an earlier good one is read."""
    _write(tmp_path / "pet.yaml", "Pet: {type: string}\n")
    spec = _spec(
        tmp_path,
        V2,
        definitions={"A": {"$ref": "pet.yaml#/Pet"}, "B": {"$ref": "https://127.0.0.1:9/x"}},
    )
    read: list[str] = []
    real = files.read_regular
    monkeypatch.setattr(files, "read_regular", lambda p, n: read.append(p) or real(p, n))
    assert "fetches nothing" in _refused(spec)
    assert read == []


def test_symlink_out_of_the_folder(tmp_path: Path) -> None:
    _write(tmp_path / "secret.yaml", "A: {type: string}\n")
    (tmp_path / "spec").mkdir()
    (tmp_path / "spec" / "link.yaml").symlink_to("../secret.yaml")
    (tmp_path / "spec" / "dirlink").symlink_to(tmp_path)
    spec = _write(
        tmp_path / "spec" / "spec.yaml", {**V2, "definitions": {"A": {"$ref": "link.yaml#/A"}}}
    )
    assert "is a symbolic link that leads outside the spec's folder" in _refused(spec)
    _write(spec, {**V2, "definitions": {"A": {"$ref": "dirlink/secret.yaml#/A"}}})
    assert "is a symbolic link that leads outside the spec's folder" in _refused(spec)


def test_symlink_inside_the_folder_is_followed(tmp_path: Path) -> None:
    _write(tmp_path / "real" / "pet.yaml", "Pet: {type: string}\n")
    (tmp_path / "link.yaml").symlink_to("real/pet.yaml")
    spec = _spec(tmp_path, V2, definitions={"A": {"$ref": "link.yaml#/Pet"}})
    opened = _open(spec)
    assert opened.loaded.doc["definitions"]["Pet"] == {"type": "string"}
    assert opened.loaded.notes == [
        f"bundled 1 ref from {tmp_path}/real/pet.yaml: #/definitions/Pet"
    ]


def test_device_file_is_refused(tmp_path: Path) -> None:
    spec = _spec(tmp_path, V2, definitions={"A": {"$ref": "dev.yaml"}})
    (tmp_path / "dev.yaml").symlink_to("/dev/zero")
    # /dev is outside the folder; with --ref-root / the device itself is what is refused
    assert "does not lead to a regular file (a device)" in _refused(spec, ref_root="/")


def test_ref_root(tmp_path: Path) -> None:
    _write(tmp_path / "common" / "pet.yaml", "Pet: {type: string}\n")
    spec = _write(
        tmp_path / "v1" / "spec.yaml",
        {**V2, "definitions": {"A": {"$ref": "../common/pet.yaml#/Pet"}}},
    )
    assert "leads outside the spec's folder" in _refused(spec)
    assert "leads outside the --ref-root folder" in _refused(spec, ref_root=str(tmp_path / "v1"))
    opened = _open(spec, ref_root=str(tmp_path))
    assert opened.loaded.doc["definitions"]["A"] == {"$ref": "#/definitions/Pet"}
    with pytest.raises(UsageError, match="is not a folder"):
        _open(spec, ref_root=str(tmp_path / "nowhere"))


def test_errors_inside_a_bundled_file_name_that_file_and_line(tmp_path: Path) -> None:
    _write(tmp_path / "pet.yaml", "Pet:\n  type: object\n  properties:\n    o: {$ref: '/etc/x'}\n")
    spec = _spec(tmp_path, V2, definitions={"A": {"$ref": "pet.yaml#/Pet"}})
    assert _refused(spec) == (
        f"{tmp_path}/pet.yaml:4:9: $ref '/etc/x' at #/Pet/properties/o/$ref is an absolute "
        "path; refer to files by a relative path inside the spec's folder"
    )


def test_broken_bundled_file_is_a_load_error(tmp_path: Path) -> None:
    _write(tmp_path / "pet.yaml", "Pet: {type: string}\nPet: {}\n")
    spec = _spec(tmp_path, V2, definitions={"A": {"$ref": "pet.yaml#/Pet"}})
    with pytest.raises(LoadError) as info:
        _open(spec)
    assert info.value.one_line() == (
        f"{tmp_path}/pet.yaml:2:1: duplicate key 'Pet' (first at line 1)"
    )


def test_size_and_file_budgets(tmp_path: Path) -> None:
    _write(tmp_path / "a.yaml", "A: {type: string, description: " + "x" * 200 + "}\n")
    _write(tmp_path / "b.yaml", "B: {type: string}\n")
    spec = _spec(tmp_path, V2, definitions={"A": {"$ref": "a.yaml#/A"}, "B": {"$ref": "b.yaml#/B"}})
    size = spec.stat().st_size
    assert "over the remaining size budget of 100 bytes" in _refused(
        spec, max_total_bytes=size + 100
    )
    assert "would bundle more than 1 files" in _refused(spec, max_files=1)
    assert _open(spec).loaded.doc["definitions"]["A"] == {"$ref": "#/definitions/A_a"}


def test_copy_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many refs into one big subtree cannot multiply it without bound."""
    _write(tmp_path / "big.yaml", {"Big": {"type": "object", "enum": list(range(50))}})
    definitions = {f"A{i}": {"$ref": f"big.yaml#/Big/enum/{i}"} for i in range(3)}
    definitions["B"] = {"$ref": "big.yaml#/Big"}
    spec = _spec(tmp_path, V2, definitions=definitions)
    monkeypatch.setattr(bundle, "MAX_YAML_NODES", 40)
    assert "bundled references expand to more than 40 values" in _refused(spec)


# ---------------------------------------------------------------- bundling


def test_bundling_v2_names_sections_and_recursion(tmp_path: Path) -> None:
    _write(
        tmp_path / "pet.yaml",
        {
            "definitions": {
                "Pet": {
                    "type": "object",
                    "properties": {
                        "tag": {"$ref": "#/definitions/Tag"},
                        "owner": {"$ref": "owner.yaml#/Owner"},
                        "error": {"$ref": "spec.yaml#/definitions/Error"},
                    },
                },
                "Tag": {"type": "string"},
            },
            "parameters": {"Limit": {"name": "limit", "in": "query", "type": "integer"}},
            "responses": {"Gone": {"description": "gone", "schema": {"$ref": "#/definitions/Tag"}}},
        },
    )
    _write(
        tmp_path / "owner.yaml",
        {"Owner": {"type": "array", "items": {"$ref": "pet.yaml#/definitions/Pet"}}},
    )
    _write(tmp_path / "sub" / "tree.json", json.dumps({"properties": {"kids": {"$ref": "#"}}}))
    spec = _spec(
        tmp_path,
        V2,
        paths={
            "/a": {
                "get": {
                    "parameters": [{"$ref": "pet.yaml#/parameters/Limit"}],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "schema": {"$ref": "pet.yaml#/definitions/Pet"},
                        },
                        "410": {"$ref": "pet.yaml#/responses/Gone"},
                        "default": {"description": "x", "schema": {"$ref": "sub/tree.json"}},
                    },
                }
            }
        },
        definitions={"Error": {"type": "object"}, "Tag": {"type": "integer"}},
    )
    doc = _open(spec).loaded.doc
    op = doc["paths"]["/a"]["get"]
    assert op["parameters"] == [{"$ref": "#/parameters/Limit"}]
    assert op["responses"]["200"]["schema"] == {"$ref": "#/definitions/Pet"}
    assert op["responses"]["410"] == {"$ref": "#/responses/Gone"}
    assert op["responses"]["default"]["schema"] == {"$ref": "#/definitions/tree"}
    assert sorted(doc["definitions"]) == ["Error", "Owner", "Pet", "Tag", "Tag_pet", "tree"]
    assert doc["definitions"]["Pet"]["properties"] == {
        "tag": {"$ref": "#/definitions/Tag_pet"},  # `Tag` is taken by the spec's own
        "owner": {"$ref": "#/definitions/Owner"},
        "error": {"$ref": "#/definitions/Error"},  # back into the spec itself
    }
    assert doc["definitions"]["Owner"]["items"] == {"$ref": "#/definitions/Pet"}  # mutual
    assert doc["definitions"]["tree"] == {"properties": {"kids": {"$ref": "#/definitions/tree"}}}
    assert doc["responses"]["Gone"]["schema"] == {"$ref": "#/definitions/Tag_pet"}
    assert doc["parameters"]["Limit"]["name"] == "limit"


def test_bundled_document_is_reindexed_and_valid(tmp_path: Path) -> None:
    _write(tmp_path / "pet.yaml", "Pet: {type: object}\n")
    spec = _spec(tmp_path, V2, paths=_op({"$ref": "pet.yaml#/Pet"}))
    opened = _open(spec)
    assert [s.ref for s in opened.index.ref_sites] == ["#/definitions/Pet"]
    assert opened.index.units["#/paths/~1a/get"].refs == {"#/definitions/Pet"}
    result = validate_file(spec)
    assert result.valid, result.findings
    assert [(f.rule, f.message) for f in result.findings] == [
        ("input-note", f"bundled 1 ref from {tmp_path}/pet.yaml: #/definitions/Pet")
    ]


def test_name_collisions_are_deterministic(tmp_path: Path) -> None:
    for name in ("a", "b"):
        _write(tmp_path / f"{name}.yaml", {"Pet": {"type": "string", "title": name}})
    _write(tmp_path / "c" / "a.yaml", {"Pet": {"type": "string", "title": "c/a"}})
    spec = _spec(
        tmp_path,
        V2,
        definitions={
            "Pet": {"type": "integer"},
            "X": {"$ref": "a.yaml#/Pet"},
            "Y": {"$ref": "b.yaml#/Pet"},
            "Z": {"$ref": "c/a.yaml#/Pet"},
            "W": {"$ref": "./a.yaml#/Pet"},
        },
    )
    first = _open(spec).loaded.doc
    assert {k: first["definitions"][k] for k in "XYZW"} == {
        "X": {"$ref": "#/definitions/Pet_a"},
        "Y": {"$ref": "#/definitions/Pet_b"},
        "Z": {"$ref": "#/definitions/Pet_2"},
        "W": {"$ref": "#/definitions/Pet_a"},  # the same target, bundled once
    }
    assert first["definitions"]["Pet_2"]["title"] == "c/a"
    assert _open(spec).loaded.doc == first


@pytest.mark.parametrize("base", [V30, V31], ids=["3.0", "3.1"])
def test_bundling_v3_sections_follow_the_ref_position(tmp_path: Path, base: dict[str, Any]) -> None:
    _write(
        tmp_path / "parts.yaml",
        {
            "P": {"name": "q", "in": "query", "schema": {"$ref": "#/S"}},
            "S": {"type": "string"},
            "R": {
                "description": "r",
                "headers": {"H": {"$ref": "#/H"}},
                "links": {"L": {"$ref": "#/L"}},
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/S"},
                        "examples": {"E": {"$ref": "#/E"}},
                    }
                },
            },
            "H": {"schema": {"type": "string"}},
            "L": {"operationId": "getA"},
            "E": {"value": {"$ref": "#/not/a/ref"}},
            "B": {"content": {"application/json": {"schema": {"$ref": "#/S"}}}},
            "C": {"{$request.body#/url}": {"post": {"responses": {"200": {"description": "ok"}}}}},
            "Item": {"get": {"operationId": "getB", "responses": {"200": {"$ref": "#/R"}}}},
        },
    )
    spec = _spec(
        tmp_path,
        base,
        paths={
            "/a": {
                "get": {
                    "operationId": "getA",
                    "parameters": [{"$ref": "parts.yaml#/P"}],
                    "requestBody": {"$ref": "parts.yaml#/B"},
                    "responses": {"200": {"$ref": "parts.yaml#/R"}},
                    "callbacks": {"cb": {"$ref": "parts.yaml#/C"}},
                }
            },
            "/b": {"$ref": "parts.yaml#/Item", "summary": "kept"},
        },
    )
    doc = _open(spec).loaded.doc
    components = doc["components"]
    assert {k: sorted(v) for k, v in components.items()} == {
        "parameters": ["P"],
        "schemas": ["S"],
        "requestBodies": ["B"],
        "responses": ["R"],
        "callbacks": ["C"],
        "headers": ["H"],
        "links": ["L"],
        "examples": ["E"],
        **({"pathItems": ["Item"]} if base is V31 else {}),
    }
    assert components["examples"]["E"] == {"value": {"$ref": "#/not/a/ref"}}  # data
    if base is V31:
        assert doc["paths"]["/b"] == {"$ref": "#/components/pathItems/Item", "summary": "kept"}
    else:  # no section for path items before 3.1: inlined, siblings kept
        assert doc["paths"]["/b"] == {
            "get": {
                "operationId": "getB",
                "responses": {"200": {"$ref": "#/components/responses/R"}},
            },
            "summary": "kept",
        }
    assert validate_file(spec).valid


def test_discriminator_mapping_to_another_file(tmp_path: Path) -> None:
    _write(tmp_path / "pets.yaml", {"Cat": {"type": "object"}})
    spec = _spec(
        tmp_path,
        V30,
        components={
            "schemas": {
                "Pet": {
                    "type": "object",
                    "discriminator": {
                        "propertyName": "kind",
                        "mapping": {"cat": "pets.yaml#/Cat", "dog": "Dog"},
                    },
                },
                "Dog": {"type": "object"},
            }
        },
    )
    mapping = _open(spec).loaded.doc["components"]["schemas"]["Pet"]["discriminator"]["mapping"]
    assert mapping == {"cat": "#/components/schemas/Cat", "dog": "Dog"}


def test_path_item_that_refers_to_itself(tmp_path: Path) -> None:
    _write(tmp_path / "items.yaml", {"I": {"$ref": "#/I"}})
    spec = _spec(tmp_path, V30, paths={"/a": {"$ref": "items.yaml#/I"}})
    assert "is a path item that refers to itself" in _refused(spec)


def test_no_external_refs_leaves_the_document_alone(tmp_path: Path) -> None:
    spec = _spec(tmp_path, V2, paths=_op({"$ref": "#/definitions/A"}), definitions={"A": {}})
    opened = _open(spec)
    assert opened.loaded.notes == []
    assert "A" in opened.loaded.doc["definitions"]


# ---------------------------------------------------------------- data is data


def test_refs_in_data_are_never_followed(tmp_path: Path, canary: Canary) -> None:
    url = f"{canary.url}/data"
    data = {"$ref": url}
    spec = _spec(
        tmp_path,
        V30,
        paths={
            "/a": {
                "get": {
                    "x-ext": data,
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "schema": {"type": "object", "example": data},
                            "examples": {"e": {"value": data}, "f": {"externalValue": url}},
                        }
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
        components={
            "schemas": {"E": {"type": "object", "enum": [data]}},
            "examples": {"X": {"value": data}},
        },
    )
    for mode in ("fast", "full"):
        result = validate_file(spec, validation=mode)
        assert result.valid, (mode, result.findings)
    assert canary.hits == []


def test_openapi_spec_validator_reads_and_fetches_nothing(tmp_path: Path, canary: Canary) -> None:
    """Upstream dereferences `$ref` inside `default` values on its own; ours may not reach out."""
    _write(tmp_path / "secret.txt", "SECRET-NEXT-TO-THE-SPEC\n")
    schema = {
        "type": "object",
        "default": {"$ref": f"{canary.url}/default"},
        "properties": {
            "f": {"type": "object", "default": {"$ref": f"file://{tmp_path}/secret.txt"}},
            "r": {"type": "object", "default": {"$ref": "secret.txt"}},
        },
    }
    spec = _spec(tmp_path, V2, paths=_op(schema))
    result = validate_file(spec, validation="full")
    assert result.valid, result.findings
    assert canary.hits == []


# ---------------------------------------------------------------- remote (allowed) refs


def test_allowed_http_entry_fetches_and_bundles(tmp_path: Path, canary: Canary) -> None:
    spec = _spec(tmp_path, V2, paths=_op({"$ref": f"{canary.url}/s/pet.json"}))
    opened = _open(spec, allow_remote=(canary.url,))
    assert canary.hits == ["/s/pet.json"]
    assert opened.loaded.doc["definitions"]["pet"] == {"type": "string", "description": CANARY_BODY}
    assert opened.loaded.notes == [f"bundled 1 ref from {canary.url}/s/pet.json: #/definitions/pet"]


def test_relative_refs_in_a_fetched_document_stay_remote(tmp_path: Path, canary: Canary) -> None:
    """`other.json` inside a fetched document is a URL on that host, never a local file."""
    _write(tmp_path / "other.json", '{"type": "integer"}')
    spec = _spec(tmp_path, V2, paths=_op({"$ref": f"{canary.url}/a/pet.json"}))
    opened = _open(spec, allow_remote=(canary.url,))
    assert opened.loaded.doc["definitions"]["pet"]["description"] == CANARY_BODY
    assert canary.hits == ["/a/pet.json"]


def _fake_dns(
    monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]], asked: list[str]
) -> None:
    real = socket.getaddrinfo

    def fake(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host in answers:
            asked.append(host)
            family = {4: socket.AF_INET, 6: socket.AF_INET6}
            return [
                (family[ipaddress.ip_address(a).version], socket.SOCK_STREAM, 6, "", (a, port))
                for a in answers[host]
            ]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)


@pytest.mark.parametrize(
    "answers",
    [["169.254.169.254"], ["fd00:ec2::254"], ["93.184.215.14", "10.0.0.1"], ["127.0.0.1"]],
    ids=["metadata-v4", "metadata-v6", "one-private-among-public", "loopback"],
)
def test_named_host_resolving_to_a_blocked_address_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answers: list[str]
) -> None:
    asked: list[str] = []
    _fake_dns(monkeypatch, {"api.example.test": answers}, asked)

    def no_connection(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("connected to a refused address")

    monkeypatch.setattr(socket, "create_connection", no_connection)
    spec = _spec(tmp_path, V2, paths=_op({"$ref": "https://api.example.test/pet.json"}))
    line = _refused(spec, allow_remote=("api.example.test",))
    assert "a loopback, private, link-local or metadata address" in line
    assert asked == ["api.example.test"]


def test_connection_goes_to_the_checked_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, canary: Canary
) -> None:
    """DNS is asked once; the request goes to the address that was checked (no rebinding)."""
    port = int(canary.url.rsplit(":", 1)[1])
    asked: list[str] = []
    _fake_dns(monkeypatch, {"canary.test": ["127.0.0.1"]}, asked)
    spec = _spec(tmp_path, V2, paths=_op({"$ref": f"http://canary.test:{port}/pet.json"}))
    opened = _open(spec, allow_remote=(f"http://canary.test:{port}", "127.0.0.1"))
    assert opened.loaded.doc["definitions"]["pet"]["description"] == CANARY_BODY
    assert asked == ["canary.test"]
    assert canary.hits == ["/pet.json"]


def test_remote_size_cap(tmp_path: Path, canary: Canary) -> None:
    spec = _spec(tmp_path, V2, paths=_op({"$ref": f"{canary.url}/pet.json"}))
    budget = spec.stat().st_size + 10
    line = _refused(spec, allow_remote=(canary.url,), max_total_bytes=budget)
    assert "is over the remaining size budget of 10 bytes" in line


def test_remote_timeout(tmp_path: Path) -> None:
    with socket.socket() as silent:  # accepts connections (backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        spec = _spec(tmp_path, V2, paths=_op({"$ref": f"{url}/pet.json"}))
        line = _refused(spec, allow_remote=(url,), timeout=0.3)
    assert "cannot be fetched: timed out" in line


# ---------------------------------------------------------------- cycles (check_refs)


def _check(doc: dict[str, Any]) -> list[tuple[str, str, str]]:
    version = detect(doc)
    assert isinstance(version, SpecVersion)
    index = build_index(doc, version, method_extension="x-mes-method")
    return [(f.rule, f.pointer or "", f.message) for f in check_refs(doc, index)]


def test_self_only_ref_is_circular() -> None:
    doc = {**V2, "definitions": {"A": {"$ref": "#/definitions/A"}}}
    assert _check(doc) == [
        (
            "circular-ref",
            "#/definitions/A/$ref",
            "$ref '#/definitions/A' never reaches a value: #/definitions/A → #/definitions/A "
            "(refs that lead only to each other)",
        )
    ]


def test_mutual_refs_and_refs_into_them_are_circular() -> None:
    doc = {
        **V2,
        "paths": _op({"$ref": "#/definitions/P"}),
        "definitions": {"P": {"$ref": "#/definitions/Q"}, "Q": {"$ref": "#/definitions/P"}},
    }
    found = _check(doc)
    assert {rule for rule, _, _ in found} == {"circular-ref"}
    assert sorted(p for _, p, _ in found) == [
        "#/definitions/P/$ref",
        "#/definitions/Q/$ref",
        "#/paths/~1a/get/responses/200/schema/$ref",
    ]
    assert (
        "#/definitions/Q → #/definitions/P → #/definitions/Q"
        in dict((p, m) for _, p, m in found)["#/definitions/P/$ref"]
    )


@pytest.mark.parametrize(
    "definitions",
    [
        {"Node": {"type": "object", "properties": {"next": {"$ref": "#/definitions/Node"}}}},
        {
            "A": {"type": "object", "properties": {"b": {"$ref": "#/definitions/B"}}},
            "B": {"type": "array", "items": {"$ref": "#/definitions/A"}},
        },
        {"Alias": {"$ref": "#/definitions/Real"}, "Real": {"type": "string"}},
    ],
    ids=["recursive", "mutually-recursive", "alias-chain"],
)
def test_recursive_schemas_are_fine(definitions: dict[str, Any]) -> None:
    assert _check({**V2, "definitions": definitions}) == []


def test_chain_into_a_missing_target_is_reported_once_where_it_breaks() -> None:
    doc = {**V2, "definitions": {"A": {"$ref": "#/definitions/B"}, "B": {"$ref": "#/nope"}}}
    assert _check(doc) == [
        ("unresolved-ref", "#/definitions/B/$ref", "$ref '#/nope' points to nothing")
    ]


def test_circular_ref_blocks_validation_instead_of_hanging(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        V31,
        components={"schemas": {"A": {"$ref": "#/components/schemas/A", "type": "object"}}},
    )
    result = validate_file(spec)
    assert not result.valid
    assert {f.rule for f in result.findings} == {"circular-ref"}


def test_percent_and_tilde_in_the_holding_keys(tmp_path: Path) -> None:
    """Index pointers are not percent-encoded: a path `/a%20b` holds its ref as written."""
    _write(tmp_path / "p e t.yaml", "Pet: {type: string}\n")
    spec = _spec(
        tmp_path,
        V2,
        paths={
            "/a%20b/{id}~x": {
                "get": {
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "type": "string"}
                    ],
                    "responses": {
                        "200": {"description": "ok", "schema": {"$ref": "p%20e%20t.yaml#/Pet"}}
                    },
                }
            }
        },
    )
    opened = _open(spec)
    op = opened.loaded.doc["paths"]["/a%20b/{id}~x"]["get"]
    assert op["responses"]["200"]["schema"] == {"$ref": "#/definitions/Pet"}
    assert validate_file(spec).valid
