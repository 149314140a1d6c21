"""Fuzz target (atheris) for the loader and the stages every command runs first.

bytes → `load.load_bytes` (decode, JSON/YAML, limits) → version detection → the written-text
fix-up → `index.build_index` → `validate.validate_document`, then both writers and a read-back.
Anything but a `SwaggertoolsError` is a crash, and so is an output that does not read back
as the same document (NaN or a lone surrogate slipping through would show up there).

Not part of CI. See fuzz/README.md:

    pip install atheris
    python fuzz/make_seeds.py
    python fuzz/fuzz_load.py fuzz/corpus -max_total_time=60
"""

from __future__ import annotations

import contextlib
import sys

import atheris

with atheris.instrument_imports(include=["swaggertools"]):
    from swaggertools.emit import dumps
    from swaggertools.errors import SwaggertoolsError
    from swaggertools.index import build_index
    from swaggertools.load import load_bytes
    from swaggertools.validate import validate_document
    from swaggertools.versions import detect
    from swaggertools.written import keep_written_strings

NAMES = ("fuzz.json", "fuzz.yaml", "fuzz.txt")
"""The file name steers format sniffing (`.json` files that are not JSON get its message)."""


def check(data: bytes, name: str) -> None:
    """One input through the stages; raises only SwaggertoolsError (or a real crash)."""
    loaded = load_bytes(data, name)
    keep_written_strings(loaded, only=frozenset({"swagger", "openapi"}))
    version = detect(loaded.doc)
    if not isinstance(version, str):
        keep_written_strings(loaded)
        index = build_index(loaded.doc, version, method_extension="x-mes-method")
        validate_document(loaded.doc, version, index)
    for fmt in ("json", "yaml"):
        out = dumps(loaded.doc, fmt)  # type: ignore[arg-type]
        back = load_bytes(out, f"out.{fmt}").doc
        if back != loaded.doc:
            raise AssertionError(f"{fmt} output does not read back as the same document")


def test_one_input(data: bytes) -> None:
    """The atheris entry point: the first byte picks the file name, the rest is the file."""
    if not data:
        return
    name = NAMES[data[0] % len(NAMES)]
    with contextlib.suppress(SwaggertoolsError):  # an error the user sees as one line
        check(data[1:], name)


def main() -> None:
    """Run the fuzzer (libFuzzer options on the command line)."""
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
