"""Deterministic serialisation and atomic writing.

JSON: two-space indent, key order kept, UTF-8 without BOM, LF, one trailing newline.
YAML: block style, key order kept, no anchors/aliases, no tags, no line folding.
Writes go to a temporary file in the target folder and are renamed into place only after
every output of a run has been written, so a failed run leaves existing files untouched.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import yaml

from .emit_yaml import dump as dump_yaml
from .errors import OutputError
from .load import yaml12_typed
from .model import OutputFormat

_YamlDumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _PlainDumper(_YamlDumper):  # type: ignore[misc]
    """Never writes anchors/aliases: shared subtrees are written out in full."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: Any, data: str) -> Any:
    """Quote strings a YAML 1.2 reader would type (`1e3`, `0o17`); PyYAML only knows 1.1."""
    if yaml12_typed(data):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="'")
    return dumper.represent_str(data)


_PlainDumper.add_representer(str, _represent_str)


def dumps(doc: Any, fmt: OutputFormat) -> bytes:
    """Serialise a document deterministically."""
    if fmt == "json":
        try:
            return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
        except orjson.JSONEncodeError as exc:
            if "Integer exceeds 64-bit range" not in str(exc):
                raise OutputError(f"cannot write JSON: {exc}") from None
            # orjson stops at 64-bit integers; the standard library writes them exactly.
            text = json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False)
            return (text + "\n").encode("utf-8")
    fast = dump_yaml(doc)  # byte-identical to pyyaml_dump, several times faster
    if fast is not None:
        return fast.encode("utf-8")
    try:
        return pyyaml_dump(doc).encode("utf-8")
    except yaml.YAMLError as exc:
        raise OutputError(f"cannot write YAML: {exc}") from None


def pyyaml_dump(doc: Any) -> str:
    """The YAML output as PyYAML writes it: the reference `emit_yaml` must match byte for byte."""
    text: str = yaml.dump(
        doc,
        Dumper=_PlainDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=2**31 - 1,
        explicit_start=False,
    )
    return text


@dataclass(frozen=True)
class Artifact:
    """One file a run produces."""

    kind: str
    """`spec`, `report-json` or `report-md`."""
    variant: str | None
    path: Path
    data: bytes


def check_target(path: Path, *, inputs: Sequence[Path], allow_input: bool) -> None:
    """Refuse output paths that are directories, symlinks, or the input itself."""
    if path.is_symlink():
        raise OutputError("refusing to write through a symbolic link", file=str(path))
    if path.is_dir():
        raise OutputError("output path is an existing directory", file=str(path))
    if not allow_input:
        real = os.path.realpath(path)
        for source in inputs:
            if os.path.realpath(source) == real:
                raise OutputError(
                    "output would overwrite the input (use --in-place to do that on purpose)",
                    file=str(path),
                )


def write_all(artifacts: Sequence[Artifact]) -> None:
    """Write every artifact atomically; all or nothing as far as the filesystem allows."""
    staged: list[tuple[str, Path]] = []
    try:
        for artifact in artifacts:
            folder = artifact.path.parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise OutputError(
                    f"cannot create folder: {exc.strerror or exc}", file=str(folder)
                ) from None
            try:
                fd, tmp = tempfile.mkstemp(
                    dir=folder, prefix=f".{artifact.path.name}.", suffix=".tmp"
                )
            except OSError as exc:
                raise OutputError(
                    f"cannot write: {exc.strerror or exc}", file=str(artifact.path)
                ) from None
            staged.append((tmp, artifact.path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(artifact.data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
        # A rename onto a directory fails: find that before the first rename, not after.
        for _, target in staged:
            if target.is_dir() and not target.is_symlink():
                raise OutputError("output path is an existing directory", file=str(target))
        for tmp, target in staged:
            os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", file=exc.filename) from None
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
