"""Where an output goes, and the one way every output (spec, report, lint file) is written.

A destination is one of:

- a regular file, or a name that does not exist yet: written to a temporary file in its
  folder and renamed into place once every output of the run is staged (atomic; a failed
  run leaves existing files as they were and no temporary file behind);
- an existing character device or fifo (`/dev/null`, `/dev/tty`, a named pipe), also
  through a symbolic link to one (`/dev/fd/3`): opened and written to, never replaced and
  never created. Opening a fifo waits for a reader, as `cat > fifo` does;
- `-` or `/dev/stdout` (the process's standard output) and `/dev/stderr`: written to file
  descriptor 1 or 2 directly, whatever it is (terminal, pipe, file, socket).

Refused: an existing directory, a symbolic link to anything else (a regular file, a
folder, nothing), block devices and sockets, and the input itself unless asked for.
"""

from __future__ import annotations

import enum
import os
import stat
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import OutputError

_STREAMS = {"-": 1, "/dev/stdout": 1, "/dev/stderr": 2}
_STREAM_NAMES = {1: "stdout", 2: "stderr"}
# No O_CREAT: a device that vanished must not come back as a regular file.
_DIRECT_FLAGS = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


class Kind(enum.Enum):
    """How a destination is written."""

    FILE = "file"
    """A regular file or a new name: temporary file, then rename."""
    DEVICE = "device"
    """An existing character device or fifo: opened and written to."""
    STREAM = "stream"
    """Standard output or standard error (`-`, `/dev/stdout`, `/dev/stderr`)."""


@dataclass(frozen=True)
class Artifact:
    """One output of a run."""

    kind: str
    """`spec`, `report-json`, `report-md`, `lint-report` or `baseline`."""
    variant: str | None
    path: Path
    data: bytes


def destination_path(raw: str) -> Path:
    """The path for an output named on the command line.

    `-` is standard output; `./-` stays a file named `-` (a Path would make both `-`).
    """
    path = Path(raw)
    if raw != "-" and str(path) == "-":
        return Path.cwd() / "-"
    return path


def stream_fd(path: Path) -> int | None:
    """1 for `-` and `/dev/stdout`, 2 for `/dev/stderr`, else None."""
    return _STREAMS.get(str(path))


def describe(path: Path) -> str:
    """How messages name a destination: `stdout`, `stderr` or the path."""
    fd = stream_fd(path)
    return str(path) if fd is None else _STREAM_NAMES[fd]


def kind_of(path: Path) -> Kind:
    """Classify a destination; OutputError for one that may not be written."""
    if stream_fd(path) is not None:
        return Kind.STREAM
    try:
        mode = os.lstat(path).st_mode
    except OSError:  # missing (or unreachable): a new file; writing says what is wrong
        return Kind.FILE
    if stat.S_ISLNK(mode):
        try:
            mode = os.stat(path).st_mode
        except OSError:
            mode = 0
        if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
            raise OutputError("refusing to write through a symbolic link", file=str(path))
    if stat.S_ISREG(mode):
        return Kind.FILE
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return Kind.DEVICE
    if stat.S_ISDIR(mode):
        raise OutputError("output path is an existing directory", file=str(path))
    what = "a block device" if stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else ""
    raise OutputError(
        f"output path is {what or 'not a regular file'}: only regular files, character "
        "devices, fifos and - (stdout) can be written",
        file=str(path),
    )


def check_target(path: Path, *, inputs: Sequence[Path], allow_input: bool) -> Kind:
    """Refuse what `kind_of` refuses, and the input itself unless `allow_input`."""
    kind = kind_of(path)
    if kind is not Kind.STREAM and not allow_input:
        real = os.path.realpath(path)
        for source in inputs:
            if os.path.realpath(source) == real:
                raise OutputError(
                    "output would overwrite the input (use --in-place to do that on purpose)",
                    file=str(path),
                )
    return kind


def write_all(artifacts: Sequence[Artifact]) -> None:
    """Write every artifact; all or nothing for files as far as the filesystem allows.

    Devices and fifos are opened first (a fifo waits for its reader before any temporary
    file exists), then files are staged, then devices and streams are written, then the
    files are renamed into place: a device that fails (a closed pipe, a full disk) leaves
    every existing file untouched.
    """
    staged: list[tuple[str, Path]] = []
    direct: list[tuple[int, Artifact]] = []
    try:
        files = []
        for artifact in artifacts:
            if kind_of(artifact.path) is Kind.FILE:
                files.append(artifact)
            else:
                direct.append((_open_direct(artifact.path), artifact))
        for artifact in files:
            _stage(artifact, staged)
        # A rename onto a directory fails: find that before the first rename, not after.
        for _, target in staged:
            if target.is_dir() and not target.is_symlink():
                raise OutputError("output path is an existing directory", file=str(target))
        for fd, artifact in direct:
            _write_direct(fd, artifact)
        for tmp, target in staged:
            os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", file=exc.filename) from None
    finally:
        for fd, artifact in direct:
            if stream_fd(artifact.path) is None:
                os.close(fd)
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)


def _stage(artifact: Artifact, staged: list[tuple[str, Path]]) -> None:
    """Write a file's bytes to a temporary file beside it (listed in `staged` at once)."""
    folder = artifact.path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create folder: {exc.strerror or exc}", file=str(folder)
        ) from None
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{artifact.path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", file=str(artifact.path)) from None
    staged.append((tmp, artifact.path))
    with os.fdopen(fd, "wb") as fh:
        fh.write(artifact.data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(tmp, 0o644)


def _open_direct(path: Path) -> int:
    """The file descriptor of a stream, or an existing device or fifo opened for writing."""
    fd = stream_fd(path)
    if fd is not None:
        return fd
    try:
        fd = os.open(path, _DIRECT_FLAGS)  # a fifo waits here until a reader opens it
    except OSError as exc:
        raise OutputError(f"cannot open: {exc.strerror or exc}", file=str(path)) from None
    mode = os.fstat(fd).st_mode
    if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):  # replaced since it was checked
        os.close(fd)
        raise OutputError("output path is no longer a device or fifo", file=str(path))
    return fd


def _write_direct(fd: int, artifact: Artifact) -> None:
    """All of an artifact's bytes to an open stream, device or fifo."""
    if stream_fd(artifact.path) is not None:
        # Text already printed through Python's buffers must come first.
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    view = memoryview(artifact.data)
    try:
        while view:  # pipes and terminals may take it in parts
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise OutputError(
            f"cannot write: {exc.strerror or exc}", file=describe(artifact.path)
        ) from None
