"""Shared fixtures: run the installed `swaggertools` console script in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NoReturn

import pytest

RunCli = Callable[..., "subprocess.CompletedProcess[str]"]

# Variables that would change what the command prints or how it fails.
_SCRUBBED_ENV = ("SWAGGERTOOLS_DEBUG", "FORCE_COLOR", "CLICOLOR_FORCE", "COLUMNS", "LINES")


def pyproject() -> dict[str, Any]:
    """The repository's pyproject.toml, parsed."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - the package depends on tomli there
        import tomli as tomllib
    path = Path(__file__).resolve().parent.parent / "pyproject.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def cli_path() -> str:
    """The installed console script: next to the running interpreter, else on PATH."""
    beside = Path(sys.executable).parent / "swaggertools"
    if beside.is_file():
        return str(beside)
    found = shutil.which("swaggertools")
    if found is None:
        pytest.fail("the swaggertools console script is not installed (pip install -e .)")
    return found


def cli_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a CLI subprocess: the current one, minus output-changing knobs."""
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED_ENV}
    env["NO_COLOR"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    if extra:
        env.update(extra)
    return env


def in_ci() -> bool:
    """True when `CI` is set (as `.ci/run` runs), where a missing test input is a failure."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing(what: str, how: str) -> NoReturn:
    """Skip a test whose tool or file is not here; under CI, fail instead.

    `make test` installs and fetches everything the suite needs, so in CI a skip would
    only hide a broken setup step.
    """
    if in_ci():
        pytest.fail(f"{what} is missing, and CI is set ({how} should have provided it)")
    pytest.skip(f"{what} is missing: run {how}")


def require_realspec(path: Path) -> None:
    """Skip (fail under CI) when a pinned real spec has not been fetched."""
    if not path.is_file():
        missing(path.name, "`make testdata` (tests/realspecs/fetch.py fetches it)")


def assert_no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    """Fail when the command printed a Python traceback (errors must be one line)."""
    for name, text in (("stdout", proc.stdout), ("stderr", proc.stderr)):
        assert "Traceback" not in text, f"traceback on {name}:\n{text}"


def assert_one_line_error(proc: subprocess.CompletedProcess[str], code: int = 2) -> str:
    """The run failed with `code` and exactly one `swaggertools: error:` line on stderr."""
    assert_no_traceback(proc)
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("swaggertools: error: "), proc.stderr
    return lines[0]


@pytest.fixture(scope="session")
def swaggertools_cli() -> str:
    """Path of the installed console script."""
    return cli_path()


@pytest.fixture
def run_cli(swaggertools_cli: str, tmp_path: Path) -> RunCli:
    """Run `swaggertools *args` in a subprocess (cwd defaults to the test's tmp_path).

    Returns the CompletedProcess (text mode, output captured, `timeout` seconds, 120 by
    default).
    """

    def run(
        *args: str | os.PathLike[str],
        cwd: str | os.PathLike[str] | None = None,
        env: dict[str, str] | None = None,
        check_traceback: bool = True,
        timeout: float = 120,
    ) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [swaggertools_cli, *(os.fspath(a) for a in args)],
            cwd=os.fspath(cwd) if cwd is not None else os.fspath(tmp_path),
            env=cli_env(env),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
            check=False,
        )
        if check_traceback:
            assert_no_traceback(proc)
        return proc

    return run


@pytest.fixture(name="assert_no_traceback")
def _assert_no_traceback_fixture() -> Callable[[subprocess.CompletedProcess[str]], None]:
    """The no-traceback assertion, for tests that prefer a fixture to an import."""
    return assert_no_traceback


@pytest.fixture(name="assert_one_line_error")
def _assert_one_line_error_fixture() -> Callable[..., str]:
    """The one-line-error assertion as a fixture."""
    return assert_one_line_error


@pytest.fixture
def callback_spec() -> dict[str, Any]:
    """OpenAPI 3.0: an operation whose callback operation names the scheme `hookKey`."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/subscribe": {
                "post": {
                    "responses": {"200": {"description": "ok"}},
                    "callbacks": {
                        "onEvent": {
                            "{$request.body#/url}": {
                                "post": {
                                    "security": [{"hookKey": []}],
                                    "responses": {"200": {"description": "ok"}},
                                }
                            }
                        }
                    },
                }
            }
        },
        "components": {
            "securitySchemes": {
                "hookKey": {"type": "apiKey", "in": "header", "name": "X-Hook"},
            }
        },
    }


CANARY_BODY = "SWAGGERTOOLS-CANARY-7f3a"
"""Served by the canary; it must never appear in any output."""


@dataclass
class Canary:
    """An HTTP server on 127.0.0.1 that records every request it receives."""

    url: str
    hits: list[str] = field(default_factory=list)


@pytest.fixture
def canary() -> Iterator[Canary]:
    """A canary HTTP server on 127.0.0.1 (port chosen by the OS); assert `hits == []`.

    Tests aim refs at `canary.url` to prove that nothing is fetched. It never listens on
    any other address.
    """
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            body = (f'{{"type": "string", "description": "{CANARY_BODY}"}}').encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Canary(f"http://127.0.0.1:{server.server_address[1]}", hits)
    finally:
        server.shutdown()
        server.server_close()
