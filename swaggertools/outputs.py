"""Where `clean`'s outputs and reports go, and in which format."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .destination import Kind, kind_of
from .errors import UsageError
from .model import OutputFormat

DEFAULT_OUTPUT_DIR = Path("swaggertools-out")


def output_paths(
    input_path: Path,
    variants: Sequence[str],
    fmt: OutputFormat,
    *,
    output_dir: Path | None,
    output: Path | None,
    in_place: bool,
) -> tuple[dict[str, Path], Path | None]:
    """Where each variant and the report go; returns (variant → path, report stem path).

    The report goes beside an `output` only when that is a regular file: beside stdout, a
    device or a fifo it goes to `output_dir`, and without one (None) it is not written.
    """
    stem = input_path.name.rsplit(".", 1)[0] if "." in input_path.name else input_path.name
    ext = ".json" if fmt == "json" else ".yml" if input_path.suffix == ".yml" else ".yaml"
    if (output is not None or in_place) and len(variants) != 1:
        raise UsageError(
            "--output and --in-place need a mode that writes one file "
            "(--auth user, service, combined or none); --auth both writes two"
        )
    if output is not None and in_place:
        raise UsageError("use either --output or --in-place, not both")
    folder = output_dir or (output.parent if output is not None else DEFAULT_OUTPUT_DIR)
    if in_place:
        return {variants[0]: input_path}, folder / stem
    if output is not None:
        if kind_of(output) is not Kind.FILE:
            return {variants[0]: output}, output_dir / stem if output_dir else None
        return {variants[0]: output}, folder / output.name.rsplit(".", 1)[0]
    return {v: folder / f"{stem}.{v}{ext}" for v in variants}, folder / stem


def format_of(output: str | Path | None) -> OutputFormat | None:
    """The format an explicit --output name asks for (`.json`, `.yaml`, `.yml`)."""
    suffix = Path(output).suffix.lower() if output is not None else ""
    return "json" if suffix == ".json" else "yaml" if suffix in (".yaml", ".yml") else None
