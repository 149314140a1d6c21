"""Random byte mutations of valid files: an error is a SwaggertoolsError, never a crash.

Most examples go through the library (load → version → index → `$ref` policy → validate, as
`validate` does, and `clean` on a few); a handful run the installed CLI in a subprocess,
which must exit 0, 1 or 2 with one error line and no traceback.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from swaggertools.emit import dumps
from swaggertools.errors import SwaggertoolsError
from swaggertools.model import CleanOptions
from swaggertools.pipeline import clean, validate_file
from tests.conftest import RunCli, assert_no_traceback, assert_one_line_error
from tests.property.strategies import AUTHORITY, specs

EXAMPLES = settings.default.max_examples
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
INTERESTING = (
    b"{}[]:,\"'\n\t -#&*!|>?%@`\\\x00\xff\xfe\xef\xbb\xbf"
    b"0123456789.eE+-"
    b"\xc3\xa9\xed\xa0\x80\xc0\xaf"
)
"""Bytes that mean something to JSON, YAML or UTF-8."""


@cache
def _fixture_bytes() -> dict[str, bytes]:
    """Small variants of the bundled fixtures (fixtures/generate.py), as JSON and YAML."""
    # Loaded from its file under a name of its own: benchmarks/generate.py is also a
    # top-level `generate` (the diff tests put benchmarks/ on sys.path), and whichever test
    # of an xdist worker imports first would otherwise decide which one this gets.
    spec = importlib.util.spec_from_file_location("fixtures_generate", FIXTURES / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = generate  # its dataclasses look their module up
    spec.loader.exec_module(generate)
    small = generate.minimum_operations()
    return {
        "v2.json": generate.dump_json(generate.build_spec("2.0", small)).encode(),
        "v30.yaml": generate.dump_yaml(generate.build_spec("3.0", small)).encode(),
    }


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """`data` with a few random edits: replace, insert, delete or duplicate bytes."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        if not out:
            out += draw(st.binary(min_size=1, max_size=4))
            continue
        pos = draw(st.integers(0, len(out) - 1))
        kind = draw(st.sampled_from(("replace", "insert", "delete", "duplicate", "truncate")))
        byte = draw(st.one_of(st.sampled_from(list(INTERESTING)), st.integers(0, 255)))
        if kind == "replace":
            out[pos] = byte
        elif kind == "insert":
            out[pos:pos] = bytes([byte])
        elif kind == "delete":
            del out[pos : pos + draw(st.integers(1, 16))]
        elif kind == "duplicate":
            end = pos + draw(st.integers(1, 64))
            out[pos:pos] = out[pos:end]
        else:
            del out[pos:]
    return bytes(out)


@st.composite
def mutated_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """(name, bytes): a mutated fixture variant or a mutated random spec."""
    if draw(st.booleans()):
        name, data = draw(st.sampled_from(sorted(_fixture_bytes().items())))
    else:
        case = draw(specs())
        fmt = draw(st.sampled_from(("json", "yaml")))
        name, data = f"random.{fmt}", dumps(case.doc, fmt)  # type: ignore[arg-type]
    return name, draw(mutated(data))


def _error_line(call: Callable[[], object]) -> str | None:
    """Run call; the one-line form of its SwaggertoolsError, None when it succeeds.

    Any other exception propagates and fails the test (with hypothesis' minimal example).
    """
    try:
        call()
    except SwaggertoolsError as error:
        return error.one_line()
    return None


def _library_run(path: Path, *, with_clean: bool) -> None:
    """validate (and clean) must return findings or raise SwaggertoolsError, nothing else."""
    line = _error_line(lambda: validate_file(path))
    if line is None and with_clean:
        options = CleanOptions(rules=(), auth="both", authority=AUTHORITY)
        line = _error_line(lambda: clean(path, options, output_dir=path.parent / "out"))
    assert line is None or "\n" not in line


@settings(max_examples=EXAMPLES * 5)
@given(file=mutated_files(), with_clean=st.booleans())
def test_mutated_files_never_crash_the_library(
    file: tuple[str, bytes], with_clean: bool, tmp_path_factory: pytest.TempPathFactory
) -> None:
    name, data = file
    note(repr(data[:2000]))
    path = tmp_path_factory.mktemp("mut") / name
    path.write_bytes(data)
    _library_run(path, with_clean=with_clean)


@settings(max_examples=max(3, EXAMPLES // 4))
@given(file=mutated_files())
def test_mutated_files_never_crash_the_cli(
    file: tuple[str, bytes], run_cli: RunCli, tmp_path_factory: pytest.TempPathFactory
) -> None:
    name, data = file
    note(repr(data[:2000]))
    folder = tmp_path_factory.mktemp("cli")
    path = folder / name
    path.write_bytes(data)
    for args in (["validate", path], ["clean", path, "--auth", "none", "-d", folder / "out"]):
        proc = run_cli(*args, cwd=folder, timeout=60, check_traceback=False)
        assert_no_traceback(proc)
        assert proc.returncode in (0, 1, 2), (proc.returncode, proc.stderr)
        if proc.returncode == 2:
            assert_one_line_error(proc, 2)
