"""Generate the hostile-corpus files that are impractical to commit.

Everything else under `tests/hostile/` is a committed file whose exact bytes matter. The
files made here are either large (100,000 levels of nesting: 200 KB of brackets) or sparse
(a file one byte over the default size limit, 256 MiB, that costs no disk space: the size
check must refuse it before a single byte is read). `tests/test_hostile.py` writes them into
each case's temporary copy of the group folder; run this script to write them beside the
committed files for a look by hand (they are git-ignored):

    python tests/hostile/make_corpus.py
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_LIMIT = 256 * 1024 * 1024
"""swaggertools' default --max-input-size (kept here so the script needs no install)."""

_HEAD_JSON = '{"swagger": "2.0", "info": {"title": "generated", "version": "1"}, "paths": {}'
_HEAD_YAML = 'swagger: "2.0"\ninfo: {title: generated, version: "1"}\npaths: {}\n'
DEEP = 100_000


def _deep_json(path: Path) -> None:
    path.write_text(_HEAD_JSON + ', "x-deep": ' + "[" * DEEP + "]" * DEEP + "}\n")


def _deep_flow_yaml(path: Path) -> None:
    path.write_text(_HEAD_YAML + "x-deep: " + "[" * DEEP + "]" * DEEP + "\n")


def _deep_block_yaml(path: Path) -> None:
    # `- - - … 1`: compact block sequences, one level per two characters on one line
    path.write_text(_HEAD_YAML + "x-deep:\n  " + "- " * DEEP + "1\n")


def _over_default_size(path: Path) -> None:
    # a valid start, then a hole: the file reads as NULs but is refused by its size first
    with path.open("wb") as fh:
        fh.write(_HEAD_JSON.encode() + b"}\n")
        fh.truncate(DEFAULT_LIMIT + 1)


GENERATED: dict[str, dict[str, Callable[[Path], None]]] = {
    "limits": {
        "depth-100k.json": _deep_json,
        "depth-100k-flow.yaml": _deep_flow_yaml,
        "depth-100k-block.yaml": _deep_block_yaml,
        "over-default-size.json": _over_default_size,
    },
}
"""Group → file name → writer."""


def generate(group: str, folder: Path) -> list[Path]:
    """Write the generated files of `group` into `folder`; returns their paths."""
    written = []
    for name, make in GENERATED.get(group, {}).items():
        path = folder / name
        make(path)
        written.append(path)
    return written


def main() -> int:
    """Write every generated file beside the committed corpus."""
    for group in GENERATED:
        for path in generate(group, HERE / group):
            print(path.relative_to(HERE))
    return 0


if __name__ == "__main__":
    sys.exit(main())
