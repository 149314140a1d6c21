"""The `$ref` policy through the installed CLI: bundling, --allow-remote, --ref-root.

The hostile refs themselves are the corpus group `tests/hostile/refs/` (run by
tests/test_hostile.py); here are the cases that need a live setup: a fifo, the canary
serving a fragment to an explicitly allowed `http://127.0.0.1:PORT`, a redirecting server.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import CANARY_BODY, Canary, RunCli, assert_one_line_error

GROUP = Path(__file__).parent / "hostile" / "refs"
CASES: list[dict[str, Any]] = yaml.safe_load((GROUP / "cases.yaml").read_text(encoding="utf-8"))
OUTPUT_DIR = "swaggertools-out"

V2_HEAD = 'swagger: "2.0"\ninfo: {title: t, version: "1"}\n'


def test_every_case_file_exists_and_every_spec_is_used() -> None:
    named = {c["file"] for c in CASES}
    assert all((GROUP / name).is_file() for name in named)
    specs = {
        p.name
        for p in GROUP.glob("*.yaml")
        if p.name != "cases.yaml"
        and p.read_text(encoding="utf-8").lstrip().startswith(("swag", "open"))
    }
    assert specs == named


# ---------------------------------------------------------------- a fifo


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs mkfifo")
@pytest.mark.parametrize("command", ["validate", "clean"])
def test_fifo_is_refused_without_opening_it(run_cli: RunCli, tmp_path: Path, command: str) -> None:
    """Opening a fifo for reading blocks until a writer comes: it must be refused first."""
    os.mkfifo(tmp_path / "pipe.yaml")
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        V2_HEAD + "paths: {}\ndefinitions:\n  A: {$ref: 'pipe.yaml#/A'}\n", encoding="utf-8"
    )
    args = ["--auth", "none"] if command == "clean" else []
    line = assert_one_line_error(run_cli(command, "spec.yaml", *args))
    assert line == (
        "swaggertools: error: spec.yaml:5:7: $ref 'pipe.yaml#/A' at #/definitions/A/$ref "
        "does not lead to a regular file (a fifo)"
    )
    assert not (tmp_path / OUTPUT_DIR).exists()


# ---------------------------------------------------------------- --allow-remote


def _remote_spec(tmp_path: Path, ref: str) -> Path:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        V2_HEAD + "paths:\n  /a:\n    get:\n      responses:\n"
        f"        '200': {{description: ok, schema: {{$ref: '{ref}'}}}}\n",
        encoding="utf-8",
    )
    return spec


def test_explicit_http_entry_fetches_exactly_the_fragment(
    run_cli: RunCli, tmp_path: Path, canary: Canary
) -> None:
    _remote_spec(tmp_path, f"{canary.url}/schemas/pet.json")
    proc = run_cli(
        "clean", "spec.yaml", "--auth", "none", "--allow-remote", canary.url, "--format", "json"
    )
    assert proc.returncode == 0, proc.stderr
    assert canary.hits == ["/schemas/pet.json"]
    assert (
        f"note: spec.yaml:1:1: bundled 1 ref from {canary.url}/schemas/pet.json: #/definitions/pet"
        in (proc.stdout)
    )
    out = json.loads((tmp_path / OUTPUT_DIR / "spec.clean.json").read_text(encoding="utf-8"))
    schema = out["paths"]["/a"]["get"]["responses"]["200"]["schema"]
    assert schema == {"$ref": "#/definitions/pet"}
    assert out["definitions"]["pet"] == {"type": "string", "description": CANARY_BODY}


def test_allowed_remote_is_also_allowed_by_validate(
    run_cli: RunCli, tmp_path: Path, canary: Canary
) -> None:
    _remote_spec(tmp_path, f"{canary.url.upper().replace('HTTP', 'HtTp')}/pet.json")
    proc = run_cli("validate", "spec.yaml", "--allow-remote", f"{canary.url}, example.invalid")
    assert proc.returncode == 0, proc.stderr
    assert canary.hits == ["/pet.json"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{host}", "plain http is allowed only by an explicit http://HOST:PORT entry"),
        ("{host}:{port}", "plain http is allowed only by an explicit http://HOST:PORT entry"),
        ("http://{host}:1", "--allow-remote does not name this host and port"),
        ("http://localhost:{port}", "--allow-remote does not name this host and port"),
    ],
)
def test_remote_not_matching_an_entry_is_refused(
    run_cli: RunCli, tmp_path: Path, canary: Canary, entry: str, message: str
) -> None:
    host, port = canary.url.removeprefix("http://").split(":")
    _remote_spec(tmp_path, f"{canary.url}/pet.json")
    proc = run_cli("validate", "spec.yaml", "--allow-remote", entry.format(host=host, port=port))
    assert message in assert_one_line_error(proc)
    assert canary.hits == []


def test_loopback_by_name_stays_blocked(run_cli: RunCli, tmp_path: Path, canary: Canary) -> None:
    """`localhost` is allowed by name, but it resolves to loopback, which is not listed."""
    port = canary.url.rsplit(":", 1)[1]
    _remote_spec(tmp_path, f"http://localhost:{port}/pet.json")
    proc = run_cli("validate", "spec.yaml", "--allow-remote", f"http://localhost:{port}")
    line = assert_one_line_error(proc)
    assert "a loopback, private, link-local or metadata address" in line
    assert canary.hits == []


@pytest.mark.parametrize(
    "entry", ["ftp://example.invalid", "example.invalid/path", "https://user@example.invalid", ":1"]
)
def test_malformed_allow_remote_is_a_usage_error(
    run_cli: RunCli, tmp_path: Path, entry: str
) -> None:
    _remote_spec(tmp_path, "#/definitions/A")
    line = assert_one_line_error(run_cli("validate", "spec.yaml", "--allow-remote", entry))
    assert f"--allow-remote {entry!r}: expected HOST, HOST:PORT or http://HOST:PORT" in line


def test_redirect_is_not_followed(run_cli: RunCli, tmp_path: Path, canary: Canary) -> None:
    with _redirect_server(f"{canary.url}/pet.json") as url:
        _remote_spec(tmp_path, f"{url}/pet.json")
        proc = run_cli("validate", "spec.yaml", "--allow-remote", url)
    assert "got HTTP 302 (a redirect); redirects are not followed" in assert_one_line_error(proc)
    assert canary.hits == []


# ---------------------------------------------------------------- bundling end to end


def test_bundled_output_is_self_contained_and_stable(run_cli: RunCli, tmp_path: Path) -> None:
    folder = tmp_path / "api"
    shutil.copytree(GROUP, folder)
    proc = run_cli("clean", "bundle-ok.yaml", "--auth", "none", "-d", "out", cwd=folder)
    assert proc.returncode == 0, proc.stderr
    assert (
        "  note: bundle-ok.yaml:1:1: bundled 1 ref from owner.yaml: #/definitions/Owner\n"
        "  note: bundle-ok.yaml:1:1: bundled 3 refs from pet.yaml: #/parameters/Limit, "
        "#/definitions/Pet_pet, "
        "#/definitions/Tag\n"
    ) in proc.stdout
    first = (folder / "out" / "bundle-ok.clean.yaml").read_bytes()
    out = yaml.safe_load(first)
    # the local Pet (and Uses) were unused and are pruned; the bundled Pet is Pet_pet
    assert list(out["definitions"]) == ["Pet_pet", "Tag", "Owner"]
    assert out["definitions"]["Owner"]["properties"]["pets"]["items"] == {
        "$ref": "#/definitions/Pet_pet"
    }
    assert out["parameters"] == {"Limit": {"name": "limit", "in": "query", "type": "integer"}}

    # the output, cleaned again from a folder of its own, changes nothing
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(folder / "out" / "bundle-ok.clean.yaml", alone / "spec.yaml")
    again = run_cli("clean", "spec.yaml", "--auth", "none", "-d", "out", cwd=alone)
    assert again.returncode == 0, again.stderr
    assert "bundled" not in again.stdout
    assert (alone / "out" / "spec.clean.yaml").read_bytes() == first


def test_ref_root_allows_a_sibling_folder(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "pet.yaml").write_text("Pet: {type: string}\n", encoding="utf-8")
    (tmp_path / "v1").mkdir()
    (tmp_path / "v1" / "spec.yaml").write_text(
        V2_HEAD + "paths: {}\ndefinitions:\n  A: {$ref: '../common/pet.yaml#/Pet'}\n",
        encoding="utf-8",
    )
    refused = run_cli("validate", "v1/spec.yaml")
    assert "leads outside the spec's folder" in assert_one_line_error(refused)
    proc = run_cli("validate", "v1/spec.yaml", "--ref-root", ".")
    assert proc.returncode == 0, proc.stderr
    assert "bundled 1 ref from common/pet.yaml: #/definitions/Pet" in proc.stdout
    missing = run_cli("validate", "v1/spec.yaml", "--ref-root", "nowhere")
    assert "--ref-root 'nowhere' is not a folder" in assert_one_line_error(missing)


# ---------------------------------------------------------------- helpers


class _Redirect(threading.Thread):
    def __init__(self, location: str) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        super().__init__(target=self.server.serve_forever, daemon=True)


@contextmanager
def _redirect_server(location: str) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 that answers every GET with a redirect to location."""
    thread = _Redirect(location)
    thread.start()
    try:
        yield f"http://127.0.0.1:{thread.server.server_address[1]}"
    finally:
        thread.server.shutdown()
        thread.server.server_close()
