"""The kit folder: which targets are acceptable, and writing it as one unit.

The kit is built in a new folder beside the target and renamed into place; an existing kit
is moved aside first and deleted only once the new one stands, so a failure at any point
leaves the previous kit as it was. A folder that is not a previous kit is never replaced
(unless it is empty), so a user's folder cannot be clobbered.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from swaggertools.errors import OutputError, UsageError

KIT_MARKER = "kit.json"
KIT_FORMAT = "swaggertools-worktasks-kit"


def is_previous_kit(folder: Path) -> bool:
    """True when `folder` holds a `kit.json` that this command wrote."""
    try:
        with open(folder / KIT_MARKER, encoding="utf-8") as fh:
            doc = json.load(fh)
    except (OSError, ValueError):
        return False
    return isinstance(doc, dict) and doc.get("kit_format") == KIT_FORMAT


def check_output_dir(target: Path, inputs: Sequence[Path]) -> None:
    """Refuse a kit folder that is an input, holds an input, or is someone else's folder."""
    real = Path(os.path.realpath(target))
    for source in inputs:
        source_real = Path(os.path.realpath(source))
        if source_real == real:
            raise UsageError(f"-d {target} is the input file {source}: name a folder for the kit")
        if real in source_real.parents:
            raise UsageError(
                f"-d {target} holds the input {source}: the kit replaces that folder, name "
                "another one"
            )
    if target.is_symlink():
        raise UsageError(f"-d {target} is a symbolic link: name the folder itself")
    if target.exists() and not target.is_dir():
        raise UsageError(f"-d {target} is an existing file, not a folder")
    if target.is_dir() and any(target.iterdir()) and not is_previous_kit(target):
        raise UsageError(
            f"-d {target} is a folder with other files in it, not a previous kit: name a new "
            "or empty folder (the kit replaces the whole folder)"
        )


def write_folder(target: Path, files: Sequence[tuple[str, bytes]]) -> None:
    """Write `files` (name, data) as the folder `target`, replacing a previous kit at once."""
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.new-"))
    except OSError as exc:
        raise OutputError(
            f"cannot create folder: {exc.strerror or exc}", file=str(parent)
        ) from None
    old: Path | None = None
    done = False
    try:
        for name, data in files:
            with open(staging / name, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(staging / name, 0o644)
        os.chmod(staging, 0o755)
        if target.is_dir():
            old = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.old-"))
            os.replace(target, old / "kit")
        try:
            os.replace(staging, target)
        except OSError:
            if old is not None:  # put the previous kit back before reporting
                os.replace(old / "kit", target)
            raise
        done = True
    except OSError as exc:
        raise OutputError(
            f"cannot write the kit: {exc.strerror or exc}", file=exc.filename or str(target)
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        # The previous kit is deleted only once the new one stands, or once it is back.
        if old is not None and (done or not (old / "kit").exists()):
            shutil.rmtree(old, ignore_errors=True)
