"""Unit tests for swaggertools.destination: how every output is written.

Regular files: temporary file and rename, all or nothing. Character devices and fifos:
opened and written to, never replaced. Device nodes are made with `os.mknod` in a
temporary folder (root only); the real /dev/null is only used by the CLI test in
tests/test_destinations.py, once the code under test is known to be right.
"""

from __future__ import annotations

import os
import pty
import select
import socket
import stat
import threading
import tty
from collections.abc import Iterator
from pathlib import Path

import pytest

from swaggertools.destination import (
    Artifact,
    Kind,
    check_target,
    describe,
    destination_path,
    kind_of,
    write_all,
)
from swaggertools.errors import OutputError

NULL = os.makedev(1, 3)  # Linux's /dev/null: accepts and discards
FULL = os.makedev(1, 7)  # Linux's /dev/full: every write fails with ENOSPC


def mknod_char(path: Path, device: int) -> Path:
    """A character device node at `path`, or skip the test saying why there is none."""
    if os.geteuid() != 0:
        pytest.skip("making a device node with os.mknod needs root")
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, device)
    except PermissionError:
        pytest.skip("os.mknod refused (no CAP_MKNOD in this container)")
    return path


class FifoReader:
    """A thread that opens a fifo for reading and collects everything written to it."""

    def __init__(self, path: Path) -> None:
        os.mkfifo(path)
        self.path = path
        self.data = b""
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        with open(self.path, "rb") as fh:
            self.data = fh.read()

    def join(self) -> bytes:
        """Wait for the writer to close the fifo; what it wrote."""
        self._thread.join(timeout=30)
        assert not self._thread.is_alive(), "the fifo reader never saw end of file"
        return self.data


@pytest.fixture
def pty_slave() -> Iterator[tuple[Path, int]]:
    """A real character device whose written bytes can be read back: a raw pty's slave."""
    master, slave = pty.openpty()
    tty.setraw(slave)  # no newline translation: the bytes arrive as written
    try:
        yield Path(os.ttyname(slave)), master
    finally:
        os.close(slave)
        os.close(master)


def _art(path: Path, data: bytes, kind: str = "spec") -> Artifact:
    return Artifact(kind=kind, variant=None, path=path, data=data)


def _tmp_leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp"))


# ---------------------------------------------------------------- classification


def test_streams_by_name(tmp_path: Path) -> None:
    assert kind_of(Path("-")) is Kind.STREAM
    assert kind_of(Path("/dev/stdout")) is Kind.STREAM
    assert kind_of(Path("/dev/stderr")) is Kind.STREAM
    assert describe(Path("-")) == describe(Path("/dev/stdout")) == "stdout"
    assert describe(Path("/dev/stderr")) == "stderr"
    assert describe(tmp_path / "x.json") == str(tmp_path / "x.json")
    assert kind_of(tmp_path / "new.json") is Kind.FILE


def test_destination_path_keeps_dot_slash_dash_a_file(tmp_path: Path) -> None:
    assert destination_path("-") == Path("-")
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path)
        assert destination_path("./-") == tmp_path / "-"
        assert kind_of(destination_path("./-")) is Kind.FILE
    finally:
        os.chdir(cwd)
    assert destination_path("out/spec.json") == Path("out/spec.json")


def test_fifo_and_symlink_to_fifo_are_devices(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link"
    link.symlink_to(fifo)
    assert kind_of(fifo) is Kind.DEVICE
    assert kind_of(link) is Kind.DEVICE


def test_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(OutputError) as info:
            kind_of(path)
    assert info.value.one_line() == (
        f"{path}: output path is a socket: only regular files, character devices, fifos "
        "and - (stdout) can be written"
    )


def test_block_device_is_refused(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("making a device node with os.mknod needs root")
    path = tmp_path / "disk"
    try:
        os.mknod(path, stat.S_IFBLK | 0o600, os.makedev(7, 0))
    except PermissionError:
        pytest.skip("os.mknod refused (no CAP_MKNOD in this container)")
    with pytest.raises(OutputError, match="output path is a block device"):
        write_all([_art(path, b"{}\n")])
    assert stat.S_ISBLK(os.lstat(path).st_mode)


# ---------------------------------------------------------------- devices and fifos


def test_char_device_stays_a_device(tmp_path: Path) -> None:
    null = mknod_char(tmp_path / "null", NULL)
    before = os.lstat(null)
    write_all([_art(null, b'{"a": 1}\n'), _art(null, b"# report\n", "report-md")])
    after = os.lstat(null)
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]


def test_char_device_receives_the_bytes(pty_slave: tuple[Path, int]) -> None:
    path, master = pty_slave
    data = b'{\n  "swagger": "2.0"\n}\n'
    write_all([_art(path, data)])
    received = b""
    while len(received) < len(data) and select.select([master], [], [], 5)[0]:
        received += os.read(master, 4096)
    assert received == data
    assert stat.S_ISCHR(os.stat(path).st_mode)


def test_fifo_is_written_not_replaced(tmp_path: Path) -> None:
    reader = FifoReader(tmp_path / "pipe")
    data = b"x" * 300_000 + b"\n"  # several times a pipe's buffer: written in parts
    write_all([_art(reader.path, data)])
    assert reader.join() == data
    assert stat.S_ISFIFO(os.lstat(reader.path).st_mode)


def test_symlink_to_fifo_writes_the_fifo(tmp_path: Path) -> None:
    reader = FifoReader(tmp_path / "pipe")
    link = tmp_path / "link"
    link.symlink_to(reader.path)
    write_all([_art(link, b"through the link\n")])
    assert reader.join() == b"through the link\n"
    assert link.is_symlink()
    assert stat.S_ISFIFO(os.stat(link).st_mode)


def test_device_write_error_leaves_files_alone(tmp_path: Path) -> None:
    full = mknod_char(tmp_path / "full", FULL)
    existing = tmp_path / "spec.report.json"
    existing.write_bytes(b"before\n")
    with pytest.raises(OutputError) as info:
        write_all([_art(full, b"{}\n"), _art(existing, b"after\n", "report-json")])
    assert info.value.one_line() == f"{full}: cannot write: No space left on device"
    assert existing.read_bytes() == b"before\n"
    assert _tmp_leftovers(tmp_path) == []
    assert stat.S_ISCHR(os.lstat(full).st_mode)


def test_files_and_devices_in_one_run(tmp_path: Path) -> None:
    reader = FifoReader(tmp_path / "pipe")
    report = tmp_path / "out" / "spec.report.json"
    write_all([_art(reader.path, b"spec\n"), _art(report, b"report\n", "report-json")])
    assert reader.join() == b"spec\n"
    assert report.read_bytes() == b"report\n"
    assert _tmp_leftovers(tmp_path) == []


def test_check_target_device_that_is_the_input(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="output would overwrite the input"):
        check_target(fifo, inputs=[fifo], allow_input=False)
    assert check_target(fifo, inputs=[tmp_path / "other.json"], allow_input=False) is Kind.DEVICE
    assert check_target(Path("-"), inputs=[Path("-")], allow_input=False) is Kind.STREAM


# ---------------------------------------------------------------- regular files


def test_write_all_writes_every_artifact(tmp_path: Path) -> None:
    spec = tmp_path / "out" / "nested" / "spec.json"
    report = tmp_path / "out" / "report.md"
    write_all([_art(spec, b"{}\n"), _art(report, b"# report\n", "report-md")])
    assert spec.read_bytes() == b"{}\n"
    assert report.read_bytes() == b"# report\n"
    assert oct(spec.stat().st_mode & 0o777) == "0o644"
    assert _tmp_leftovers(tmp_path) == []


def test_write_all_replaces_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "spec.yaml"
    target.write_bytes(b"old\n")
    write_all([_art(target, b"new\n")])
    assert target.read_bytes() == b"new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.yaml"]


def test_write_all_is_all_or_nothing(tmp_path: Path) -> None:
    existing = tmp_path / "spec.json"
    existing.write_bytes(b"original\n")
    blocker = tmp_path / "blocker"
    blocker.write_bytes(b"i am a file\n")
    bad = blocker / "report.json"
    with pytest.raises(OutputError) as info:
        write_all([_art(existing, b"replacement\n"), _art(bad, b"{}", "report-json")])
    assert info.value.file == str(blocker)
    assert info.value.one_line().startswith(f"{blocker}: cannot create folder: ")
    assert existing.read_bytes() == b"original\n"
    assert blocker.read_bytes() == b"i am a file\n"
    assert _tmp_leftovers(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker", "spec.json"]


def test_write_all_target_is_directory_leaves_nothing(tmp_path: Path) -> None:
    first = tmp_path / "a.json"
    (tmp_path / "dir.json").mkdir()
    (tmp_path / "dir.json" / "keep").write_bytes(b"x")
    with pytest.raises(OutputError) as info:
        write_all([_art(first, b"{}\n"), _art(tmp_path / "dir.json", b"{}\n")])
    assert info.value.one_line() == f"{tmp_path / 'dir.json'}: output path is an existing directory"
    assert not first.exists()
    assert (tmp_path / "dir.json" / "keep").read_bytes() == b"x"
    assert _tmp_leftovers(tmp_path) == []


# ---------------------------------------------------------------- check_target


def test_check_target_accepts_new_and_regular_files(tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text("{}")
    check_target(tmp_path / "new.json", inputs=[source], allow_input=False)
    existing = tmp_path / "old.json"
    existing.write_text("{}")
    check_target(existing, inputs=[source], allow_input=False)


def test_check_target_refuses_directory(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as info:
        check_target(tmp_path, inputs=[], allow_input=False)
    assert info.value.one_line() == f"{tmp_path}: output path is an existing directory"


def test_check_target_refuses_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("{}")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    with pytest.raises(OutputError) as info:
        check_target(link, inputs=[], allow_input=True)
    assert info.value.one_line() == f"{link}: refusing to write through a symbolic link"
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "nowhere.json")
    with pytest.raises(OutputError, match="symbolic link"):
        check_target(dangling, inputs=[], allow_input=True)


def test_check_target_refuses_input_unless_allowed(tmp_path: Path) -> None:
    source = tmp_path / "spec.json"
    source.write_text("{}")
    with pytest.raises(OutputError) as info:
        check_target(source, inputs=[source], allow_input=False)
    assert info.value.one_line() == (
        f"{source}: output would overwrite the input (use --in-place to do that on purpose)"
    )
    # the same file reached by another spelling of the path
    other_spelling = tmp_path / "sub" / ".." / "spec.json"
    (tmp_path / "sub").mkdir()
    with pytest.raises(OutputError, match="overwrite the input"):
        check_target(other_spelling, inputs=[source], allow_input=False)
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path)
        with pytest.raises(OutputError, match="overwrite the input"):
            check_target(Path("spec.json"), inputs=[source], allow_input=False)
    finally:
        os.chdir(cwd)
    check_target(source, inputs=[source], allow_input=True)
