"""The worktasks library: XML against the shipped XSD, the import sheet, kit.json, the folder."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import jsonschema
import pytest
from lxml import etree, html
from markdown_it import MarkdownIt

from swaggertools import CleanOptions
from swaggertools.errors import OutputError, UsageError
from swaggertools.worktasks import KitOptions, build_kit, reduce_name
from swaggertools.worktasks import folder as kit_folder
from swaggertools.worktasks.model import (
    check_authority,
    check_base_address,
    check_publish_url,
    operation_groups,
    parse_names,
    resolve_names,
)
from swaggertools.worktasks.xml_types import WebAPIType, cdata, render

ROOT = Path(__file__).resolve().parent.parent
XSD = etree.XMLSchema(etree.parse(str(ROOT / "swaggertools/schemas/WebAPITypes.xsd")))
KIT_SCHEMA = json.loads((ROOT / "swaggertools/schemas/kit.schema.json").read_text())
AUTHORITY = "https://sms.plant.local/identitymanager"
HOSTILE = "x<y&z\"q'r]]>s]]]>t — Qualität 製造 🙂"
IN_URL = HOSTILE.replace(" ", "")


def _parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def test_xml_values_round_trip_and_validate() -> None:
    types = [
        WebAPIType(HOSTILE, f"https://h/{HOSTILE}/a.json", f"https://m/{HOSTILE}/", "Access Token"),
        WebAPIType("Second", "]]>", "]]>]]>", "Windows"),
    ]
    root = _parse(render(types))
    XSD.assertValid(root)
    got = [
        (
            t.get("Name"),
            t.findtext("SwaggerConfiguration"),
            t.findtext("BaseAddress"),
            t.find("Authentication").get("Mode"),
        )
        for t in root
    ]
    assert got == [(t.name, t.swagger_configuration, t.base_address, t.auth_mode) for t in types]
    # The sample's shape and nothing more: no element the documentation does not show.
    assert {e.tag for e in root.iter()} == {
        "WebAPITypes",
        "WebAPIType",
        "SwaggerConfiguration",
        "BaseAddress",
        "Authentication",
    }
    assert all(len(e) == 0 for e in root.iter("Authentication"))


def test_cdata_splits_the_end_marker() -> None:
    assert cdata("a]]>b") == "<![CDATA[a]]]]><![CDATA[>b]]>"
    assert _parse(f"<v>{cdata('a]]>b]]>')}</v>".encode()).text == "a]]>b]]>"


@pytest.mark.parametrize("bad", ["a\x00b", "a\x1bb", "a\rb", "a\ufffeb"])
def test_xml_refuses_characters_it_cannot_carry(bad: str) -> None:
    with pytest.raises(UsageError, match="cannot carry"):
        render([WebAPIType("n", bad, "https://m/", "Access Token")])


def test_xsd_refuses_what_the_documentation_does_not_show() -> None:
    good = render([WebAPIType("A", "https://h/a.json", "https://m/", "Access Token")]).decode()
    for bad in (
        good.replace('Mode="Access Token"', 'Mode="Bearer"'),
        good.replace("<Authentication", "<Extra/><Authentication"),
        good.replace(
            'Mode="Access Token"/>', 'Mode="Access Token"><ClientId>x</ClientId></Authentication>'
        ),
        good.replace(
            "</WebAPITypes>",
            good.split("<WebAPITypes>")[1].split("</WebAPITypes>")[0] + "</WebAPITypes>",
        ),
    ):
        assert not XSD.validate(_parse(bad.encode())), bad


def test_reduce_name() -> None:
    assert reduce_name("AVEVA MES Web API (model-driven, sample)-User") == (
        "AVEVA-MES-Web-API-model-driven-sample-User"
    )
    assert reduce_name('Qualität <&"]]> 製造') == "Qualitat"
    assert reduce_name("!!!") == ""


def test_names_from_title_given_and_refused() -> None:
    assert resolve_names(None, "MES (plant 1)") == {
        "user": "MES-plant-1-User",
        "service": "MES-plant-1-Service",
    }
    assert resolve_names({"service": "S 1"}, None) == {"user": "User", "service": "S-1"}
    with pytest.raises(UsageError, match="empty"):
        resolve_names({"user": "***"}, "t")
    with pytest.raises(UsageError, match="must differ"):
        resolve_names({"user": "a", "service": "A"}, "t")
    assert parse_names(["user=a=b", "service=c"]) == {"user": "a=b", "service": "c"}
    with pytest.raises(UsageError, match="MODE=NAME"):
        parse_names(["plain"])
    with pytest.raises(UsageError, match="twice"):
        parse_names(["user=a", "user=b"])


def test_url_checks() -> None:
    assert check_publish_url("https://w/specs") == "https://w/specs/"
    assert check_base_address("http://m/mesmw/", allow_http=True) == "http://m/mesmw/"
    assert check_authority("https://sms/identitymanager/") == "https://sms/identitymanager"
    for call, message in (
        (lambda: check_base_address("http://m/mesmw/", allow_http=False), "must be https"),
        (lambda: check_base_address("https://m/mesmw", allow_http=False), "end with '/'"),
        (lambda: check_base_address("https://m/a b/", allow_http=False), "spaces"),
        (lambda: check_base_address("https://m:99999/", allow_http=False), "not a valid URL"),
        (lambda: check_publish_url("https://w/s?x=1"), "query"),
        (lambda: check_publish_url("file:///srv/specs/"), "absolute"),
        (lambda: check_authority("https://sms/"), "AIM URL"),
        (lambda: check_authority(None), "required"),
    ):
        with pytest.raises(UsageError, match=message):
            call()


def test_operation_groups_counts_tags_in_declared_order() -> None:
    doc = {
        "tags": [{"name": "B"}, {"name": "Unused"}],
        "paths": {
            "/a": {"get": {"tags": ["A", "B"]}, "post": {"tags": ["B"]}, "parameters": []},
            "/b": {"get": {}},
        },
    }
    assert operation_groups(doc) == ([("B", 2), ("A", 1)], 1)


def _kit(tmp_path: Path, spec: str, **kw: object) -> object:
    options = KitOptions(
        base_address=kw.pop("base_address", "https://mes.plant.local/mesmw/"),  # type: ignore[arg-type]
        publish_url=kw.pop("publish_url", "https://web.plant.local/specs/"),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )
    return build_kit(
        ROOT / "fixtures" / spec, CleanOptions(authority=AUTHORITY), options, tmp_path / "kit"
    )


def _text_of_markdown(markdown: str) -> str:
    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    return html.fromstring(f"<div>{rendered}</div>").text_content()


def test_import_sheet_holds_every_value_given(tmp_path: Path) -> None:
    base = f"https://mes.plant.local/{IN_URL}|pipe`tick/"
    publish = f"https://web.plant.local/{IN_URL}/"
    kit = _kit(
        tmp_path,
        "mes-swagger.json",
        base_address=base,
        publish_url=publish,
        names={"user": "Werk Qualität User", "service": "Werk-Service"},
        client_id="wt <client> & co",
        xml_auth_mode="Windows",
    )
    assert kit.ok
    kit.write()
    sheet = (tmp_path / "kit/IMPORT.md").read_text(encoding="utf-8")
    text = _text_of_markdown(sheet)
    for value in (
        base,
        publish + "mes-swagger.user.json",
        publish + "mes-swagger.service.json",
        "Werk-Qualitat-User",
        "Werk-Service",
        "wt <client> & co",
        "Windows",
        f"{AUTHORITY}/connect/token",
        f"{AUTHORITY}/connect/authorize",
        "User Access Token",
        "Service to Service Access Token",
        "RegisterAIMServiceClient.ps1",
    ):
        assert value in text, value
    # step 4: every group with its count, every excluded operation with its replacement
    doc = json.loads((tmp_path / "kit/mes-swagger.user.json").read_bytes())
    groups, _ = operation_groups(doc)
    for tag, n in groups:
        assert f"| `{tag}` | {n} |" in sheet
    report = json.loads((tmp_path / "kit/mes-swagger.report.json").read_bytes())
    for removed in report["removed_operations"]:
        assert removed["path"] in text
        if removed["replacement"]:
            assert removed["replacement"] in text
    # every fact cites a page, and every cited page is listed with its URL
    assert "docs.aveva.com/bundle/work-tasks/page/724528.html" in sheet
    assert "docs.aveva.com/bundle/model-driven-mes-7.0/page/topic12.htm.html" in sheet
    assert "401 after an AIM failover" in text
    assert "500 when AIM is offline" in text
    # the XML carries the hostile URLs whole
    root = _parse((tmp_path / "kit/WebAPITypes.xml").read_bytes())
    XSD.assertValid(root)
    assert [t.findtext("BaseAddress") for t in root] == [base, base]
    assert root[0].findtext("SwaggerConfiguration") == publish + "mes-swagger.user.json"
    assert root[0].find("Authentication").get("Mode") == "Windows"
    assert kit.notes == ["--name user='Werk Qualität User' is written as 'Werk-Qualitat-User'"]


def test_markdown_escapes_vendor_text(tmp_path: Path) -> None:
    spec = {
        "swagger": "2.0",
        "info": {"title": "<script>alert(1)</script> *MES*", "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "operationId": "A",
                    "tags": ["<b>bold</b> | [x](javascript:y) `t`"],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    path = tmp_path / "s.json"
    path.write_text(json.dumps(spec))
    kit = build_kit(
        path,
        CleanOptions(authority=AUTHORITY),
        KitOptions("https://m/mesmw/", "https://w/"),
        tmp_path / "kit",
    )
    sheet = dict(kit.files)["IMPORT.md"].decode()
    rendered = MarkdownIt("commonmark").enable("table").render(sheet)
    assert "<script>" not in rendered
    assert "<b>" not in rendered
    assert 'href="javascript' not in rendered
    assert "<b>bold</b> | [x](javascript:y) `t`" in html.fromstring(rendered).text_content()
    assert "<script>alert(1)</script> *MES*" in html.fromstring(rendered).text_content()


@pytest.mark.parametrize("spec", ["mes-swagger.json", "mes-openapi.yaml"])
def test_kit_json_validates_and_its_checksums_match(tmp_path: Path, spec: str) -> None:
    kit = _kit(tmp_path, spec)
    kit.write()
    folder = tmp_path / "kit"
    doc = json.loads((folder / "kit.json").read_bytes())
    jsonschema.Draft202012Validator(KIT_SCHEMA).validate(doc)
    listed = {f["path"] for f in doc["files"]}
    assert listed | {"kit.json"} == {p.name for p in folder.iterdir()}
    for entry in doc["files"]:
        if entry["sha256"] is not None:
            assert (
                hashlib.sha256((folder / entry["path"]).read_bytes()).hexdigest() == entry["sha256"]
            )
    for mode in doc["modes"]:
        data = (folder / mode["spec"]["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == mode["spec"]["sha256"]
        assert mode["spec"]["url"] == "https://web.plant.local/specs/" + mode["spec"]["file"]
    assert [m["mode"] for m in doc["modes"]] == ["user", "service"]
    assert (
        doc["xml"]["sha256"]
        == hashlib.sha256((folder / "WebAPITypes.xml").read_bytes()).hexdigest()
    )


def test_a_failed_swap_leaves_the_previous_kit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _kit(tmp_path, "mes-swagger.json").write()
    folder = tmp_path / "kit"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    real_replace = os.replace

    def failing_replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        # the new kit's rename into place fails (e.g. the disk goes away)
        if ".kit.new-" in os.fspath(src):
            raise OSError(28, "No space left on device", os.fspath(dst))
        real_replace(src, dst)

    monkeypatch.setattr(kit_folder.os, "replace", failing_replace)
    kit = _kit(tmp_path, "mes-swagger.json", names={"user": "Changed"})
    with pytest.raises(OutputError, match="No space left"):
        kit.write()
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kit"]
