"""Fixtures of the browser tests: Debian chromium, and sites built by the installed command.

Browser tests skip only on a developer machine without chromium; with CI set, a missing
browser or a missing `make nodetools` is a failure, so CI can never go green by skipping.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.chromium import AXE_JS, CHROMIUM, Guard, guarded_context, launch
from tests.conftest import cli_env, missing

REPO = Path(__file__).resolve().parents[2]
SWAGGER = REPO / "fixtures" / "mes-swagger.json"
OPENAPI = REPO / "fixtures" / "mes-openapi.yaml"
AUTHORITY = "https://sms.plant.local/identitymanager"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian chromium for the whole session."""
    if not CHROMIUM.is_file():
        missing(str(CHROMIUM), "`make browser`")
    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, from tests/node (make nodetools)."""
    if not AXE_JS.is_file():
        missing(str(AXE_JS), "`make nodetools`")
    return AXE_JS.read_text(encoding="utf-8")


def build_site(swaggertools_cli: str, out: Path, *args: str) -> Path:
    """Run the installed `swaggertools docs` and return the site folder."""
    proc = subprocess.run(
        [swaggertools_cli, "docs", *args, "-d", str(out), "-q"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=cli_env(),
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert (out / "index.html").is_file()
    return out


@pytest.fixture(scope="session")
def swagger_site(tmp_path_factory: pytest.TempPathFactory, swaggertools_cli: str) -> Path:
    """The cleaned Swagger 2.0 fixture's site (both token modes)."""
    out = tmp_path_factory.mktemp("browser-swagger") / "site"
    return build_site(swaggertools_cli, out, str(SWAGGER), "--authority", AUTHORITY)


@pytest.fixture(scope="session")
def openapi_site(tmp_path_factory: pytest.TempPathFactory, swaggertools_cli: str) -> Path:
    """The cleaned OpenAPI 3 fixture's site."""
    out = tmp_path_factory.mktemp("browser-openapi") / "site"
    return build_site(swaggertools_cli, out, str(OPENAPI), "--authority", AUTHORITY)


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory, swaggertools_cli: str) -> Path:
    """A site documenting a spec whose every vendor text tries to run script."""
    folder = tmp_path_factory.mktemp("browser-hostile")
    spec = folder / "hostile.json"
    spec.write_text(json.dumps(hostile_spec(), indent=1), encoding="utf-8")
    return build_site(swaggertools_cli, folder / "site", str(spec), "--as-is")


GROUPS = 1100
"""More groups than the index lists, and more than one "all groups" page holds (~3 elements
each against `Limits().elements`)."""


def many_groups_spec() -> dict[str, Any]:
    """One operation per group; tag and summary words appear nowhere else."""
    paths = {
        f"/api/g{i:04}/Thing": {
            "get": {
                "tags": [f"Hangar {i:04}"],
                "summary": f"Reticulate spline {i:04}",
                "operationId": f"g{i:04}_Thing",
                "responses": {"200": {"description": "OK"}},
            }
        }
        for i in range(GROUPS)
    }
    return {
        "swagger": "2.0",
        "info": {"title": "Many groups", "version": "1"},
        "paths": paths,
    }


@pytest.fixture(scope="session")
def groups_site(tmp_path_factory: pytest.TempPathFactory, swaggertools_cli: str) -> Path:
    """The many-groups spec's site, documented as given."""
    folder = tmp_path_factory.mktemp("browser-groups")
    spec = folder / "many.json"
    spec.write_text(json.dumps(many_groups_spec()), encoding="utf-8")
    return build_site(swaggertools_cli, folder / "site", str(spec), "--as-is")


class Pages:
    """Opens pages in guarded contexts and fails the test on anything a guard saw."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.guards: list[Guard] = []
        self.contexts: list[Any] = []

    def new(self, **options: Any) -> tuple[Page, Guard]:
        """A fresh page in its own guarded context (options go to new_context)."""
        context, guard = guarded_context(self.browser, **options)
        self.guards.append(guard)
        self.contexts.append(context)
        return context.new_page(), guard

    def close(self) -> list[str]:
        """Close every context; return what the guards recorded."""
        for context in self.contexts:
            context.close()
        return [p for g in self.guards for p in g.problems()]


@pytest.fixture
def pages(browser: Browser) -> Iterator[Pages]:
    """Guarded pages; the test fails on a non-file request, console error or dialog."""
    opened = Pages(browser)
    yield opened
    problems = opened.close()
    assert problems == [], problems


JS = "window.pwned = (window.pwned || 0) + 1; alert(document.domain)"
HTMLY = f'<script>{JS}</script><img src=x onerror="{JS}"><svg onload="{JS}"></svg>'


def hostile_spec() -> dict[str, Any]:
    """Swagger 2.0 whose titles, tags, paths, ids and descriptions all carry script."""
    md = (
        "Plain *markdown* first.\n\n"
        f"{HTMLY}\n\n"
        f'<iframe src="javascript:{JS}"></iframe> <object data="javascript:{JS}"></object>\n\n'
        f"[md link](javascript:{JS}) "
        "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)\n\n"
        f'<a href="javascript:{JS}">raw link</a> '
        f'<a href="data:text/html,<script>{JS}</script>">d</a>\n\n'
        f"![img](javascript:{JS}) "
        f'<details open ontoggle="{JS}"><summary>s</summary></details>\n\n'
        f'<form action="javascript:{JS}"><button>go</button></form> '
        f'<meta http-equiv="refresh" content="0;url=javascript:{JS}">\n\n'
        f'<style>body {{ display: none }}</style><base href="javascript:{JS}//">'
        f'<p style="background:url(javascript:{JS})" onclick="{JS}">styled</p>'
    )
    evil_tag = f'<img src=x onerror="{JS}">Tag'
    evil_schema = "Evil<script>x</script>"
    op_id = f'"><img src=x onerror="{JS}">op'
    return {
        "swagger": "2.0",
        "info": {
            "title": f"<script>{JS}</script>Hostile <b>API</b>",
            "version": f'1<img src=x onerror="{JS}">',
            "description": md,
        },
        "host": "example.invalid",
        "basePath": f"/<script>{JS}</script>",
        "tags": [{"name": evil_tag, "description": md}, {"name": "plain"}],
        "securityDefinitions": {
            "evil<b>": {
                "type": "oauth2",
                "flow": "implicit",
                "authorizationUrl": f"javascript:{JS}",
                "scopes": {f"<script>{JS}</script>": md},
                "description": md,
            }
        },
        "paths": {
            f"/api/<script>{JS}</script>/{{id}}": {
                "get": {
                    "tags": [evil_tag],
                    "operationId": op_id,
                    "summary": f'<img src=x onerror="{JS}"> summary',
                    "description": md,
                    "parameters": [
                        {
                            "name": f'<b onmouseover="{JS}">id',
                            "in": "path",
                            "required": True,
                            "type": "string",
                            "description": md,
                            "default": f"<script>{JS}</script>",
                            "enum": [f"<script>{JS}</script>", "javascript:alert(1)"],
                        },
                        {"name": "body", "in": "body", "schema": {"$ref": "#/definitions/Evil"}},
                    ],
                    "responses": {
                        "200": {
                            "description": md,
                            "schema": {"$ref": f"#/definitions/{evil_schema}"},
                        },
                        "default": {"description": f"<script>{JS}</script>"},
                    },
                    "security": [{"evil<b>": [f"<script>{JS}</script>"]}],
                    f"x-<script>{JS}</script>": f"<script>{JS}</script>",
                }
            },
            '/plain/"onmouseover="alert(1)': {
                "post": {
                    "tags": ["plain"],
                    "summary": "no operationId",
                    "responses": {"204": {"description": "[x](javascript:alert(1))"}},
                }
            },
        },
        "definitions": {
            "Evil": {
                "type": "object",
                "description": md,
                "properties": {
                    f'<img src=x onerror="{JS}">': {"type": "string", "description": md},
                    "self": {"$ref": "#/definitions/Evil"},
                    "pattern": {"type": "string", "pattern": f"</code><script>{JS}</script>"},
                },
            },
            evil_schema: {"type": "string", "example": f"<script>{JS}</script>"},
        },
    }
