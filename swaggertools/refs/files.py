"""File refs: which paths a `$ref` may name, and reading one without ever blocking.

The file side of the `$ref` policy (see `refs`): relative paths inside the spec's folder
only, and regular files only (checked with stat before the open and again on the open
descriptor, so a fifo or a swapped file never blocks or slips through).
"""

from __future__ import annotations

import os
import re
import stat

from swaggertools.netpolicy import Refused

RELATIVE = "refer to files by a relative path inside the spec's folder"
"""The hint every refused non-relative file ref carries."""
SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
DRIVE_RE = re.compile(r"^[A-Za-z]:")


def path_problem(path: str) -> str | None:
    """Why a (decoded) file ref path is refused, or None."""
    if "\x00" in path:
        return "contains a NUL character"
    if "\\" in path:
        return "contains a backslash; use '/' in file refs"
    if path.startswith("//"):
        return "is a network (UNC) path; " + RELATIVE
    if DRIVE_RE.match(path):
        return "is an absolute Windows path; " + RELATIVE
    if SCHEME_RE.match(path):
        return "is a percent-encoded URL; " + RELATIVE
    if path.startswith("/"):
        return "is an absolute path; " + RELATIVE
    return None


def inside(path: str, root: str) -> bool:
    """True when path is root or inside it."""
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # different drives
        return False


def file_kind(mode: int) -> str:
    """What a stat mode that is not a regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a fifo"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular(path: str, limit: int) -> bytes:
    """Read a regular file without ever blocking on a fifo or device; at most limit bytes."""
    before = os.stat(path)
    if not stat.S_ISREG(before.st_mode):
        raise Refused(f"does not lead to a regular file ({file_kind(before.st_mode)})")
    if before.st_size > limit:
        raise Refused(f"leads to a file over the remaining size budget of {limit} bytes")
    flags = os.O_RDONLY
    for name in ("O_NONBLOCK", "O_NOFOLLOW", "O_CLOEXEC", "O_BINARY"):
        flags |= getattr(os, name, 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise Refused(f"cannot be read: {exc.strerror or exc}") from None
    try:
        after = os.fstat(fd)
        # the file may have been swapped between the checks and the open
        if not stat.S_ISREG(after.st_mode) or (after.st_dev, after.st_ino) != (
            before.st_dev,
            before.st_ino,
        ):
            raise Refused("changed while it was being read")
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, 1 << 20):
            size += len(chunk)
            if size > limit:
                raise Refused(f"leads to a file over the remaining size budget of {limit} bytes")
            chunks.append(chunk)
    except OSError as exc:
        raise Refused(f"cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    return b"".join(chunks)


# ---------------------------------------------------------------- positions and names
