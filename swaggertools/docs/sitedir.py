"""The output folder: built beside the target, then moved into place in one step.

A failure leaves the previous site untouched. An existing folder is only replaced when it
is empty or carries the marker file of a previous swaggertools site, so `-d .` or a
mistyped `-d src` can never wipe a folder of other files.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from swaggertools.errors import OutputError

MARKER = ".swaggertools-docs"
MARKER_TEXT = "This folder was written by `swaggertools docs`; it is replaced on the next run.\n"


def check_replaceable(target: Path) -> None:
    """Refuse a target that is a file, a link, or a folder of something else."""
    if target.is_symlink():
        raise OutputError("refusing to write through a symbolic link", file=str(target))
    if target.exists() and not target.is_dir():
        raise OutputError("output path is an existing file, not a folder", file=str(target))
    if target.is_dir() and not (target / MARKER).is_file() and any(target.iterdir()):
        raise OutputError(
            "folder exists and is not a swaggertools docs site (no "
            f"{MARKER} file): choose an empty or new folder",
            file=str(target),
        )


@contextmanager
def staged(target: Path) -> Iterator[Path]:
    """Yield a fresh folder beside `target`; on success it replaces `target` atomically."""
    check_replaceable(target)
    parent = target.parent if str(target.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise OutputError(
            f"cannot create folder: {exc.strerror or exc}", file=str(parent)
        ) from None
    try:
        yield tmp
        (tmp / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        os.chmod(tmp, 0o755)
        _swap(tmp, target)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", file=exc.filename) from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _swap(tmp: Path, target: Path) -> None:
    check_replaceable(target)  # again: the folder may have changed while building
    if not target.exists():
        os.rename(tmp, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    os.rmdir(old)
    os.rename(target, old)
    try:
        os.rename(tmp, target)
    except OSError:
        os.rename(old, target)  # put the previous site back
        raise
    shutil.rmtree(old, ignore_errors=True)
