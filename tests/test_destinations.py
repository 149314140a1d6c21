"""Outputs that are not regular files, through the installed CLI in a subprocess.

`-`, `/dev/stdout` and `/dev/stderr` are the process's streams; an existing character
device or fifo is written to and never replaced. Device nodes are made with `os.mknod` in
a temporary folder (root only); the last test points the commands at the real /dev/null.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import RunCli, assert_one_line_error, cli_env, cli_path
from tests.unit.test_destination import FULL, NULL, FifoReader, mknod_char

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "fixtures" / "mes-swagger.json"  # 317 KB cleaned: more than a pipe holds
NONE = ("--auth", "none")


def run_bytes(
    *args: str | os.PathLike[str], cwd: Path, stdout: int | None = subprocess.PIPE
) -> subprocess.CompletedProcess[bytes]:
    """The installed CLI with stdout and stderr captured as bytes."""
    return subprocess.run(
        [cli_path(), *(os.fspath(a) for a in args)],
        cwd=cwd,
        env=cli_env(),
        stdout=stdout,
        stderr=subprocess.PIPE,
        timeout=120,
        check=False,
    )


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    return Path(shutil.copyfile(SAMPLE, tmp_path / "mes-swagger.json"))


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ---------------------------------------------------------------- clean -o -


def test_clean_dash_writes_only_the_spec_to_stdout(tmp_path: Path, spec: Path) -> None:
    as_file = run_bytes("clean", spec, *NONE, "-o", "out.json", cwd=tmp_path)
    assert as_file.returncode == 0, as_file.stderr
    expected = (tmp_path / "out.json").read_bytes()
    before = _files(tmp_path)

    proc = run_bytes("clean", spec, *NONE, "-o", "-", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == expected  # byte-identical to the file, nothing else
    assert json.loads(proc.stdout)["swagger"] == "2.0"
    stderr = proc.stderr.decode()
    assert "mes-swagger.json: 2.0, 320 operations → 278 (42 removed" in stderr
    assert stderr.splitlines()[-2:] == [
        "wrote stdout",
        "reports not written: the output is not a regular file (use --output-dir)",
    ]
    assert _files(tmp_path) == before  # no file named `-`, no reports


def test_clean_dash_quiet_and_yaml(tmp_path: Path, spec: Path) -> None:
    proc = run_bytes("clean", spec, *NONE, "-o", "-", "--format", "yaml", "-q", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b""
    assert proc.stdout.startswith(b"swagger: '2.0'\n")


def test_clean_dash_with_output_dir_writes_the_reports_there(tmp_path: Path, spec: Path) -> None:
    proc = run_bytes("clean", spec, *NONE, "-o", "-", "-d", "reports", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert _files(tmp_path / "reports") == ["mes-swagger.report.json", "mes-swagger.report.md"]
    report = json.loads((tmp_path / "reports" / "mes-swagger.report.json").read_bytes())
    assert report["outputs"][0]["path"] == "-"
    assert report["outputs"][0]["operations"] == 278
    assert b"reports not written" not in proc.stderr
    assert json.loads(proc.stdout)["info"]["title"]


@pytest.mark.parametrize("name", ["/dev/stdout", "/dev/stderr"])
def test_clean_dev_stdout_and_stderr_work_like_dash(tmp_path: Path, spec: Path, name: str) -> None:
    expected = run_bytes("clean", spec, *NONE, "-o", "-", "-q", cwd=tmp_path).stdout
    proc = run_bytes("clean", spec, *NONE, "-o", name, "-q", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    written = proc.stdout if name == "/dev/stdout" else proc.stderr
    assert written == expected
    assert len(expected) > 300_000


def test_clean_dev_stderr_keeps_the_summary_on_stdout(tmp_path: Path, spec: Path) -> None:
    proc = run_bytes("clean", spec, *NONE, "-o", "/dev/stderr", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stderr)["swagger"] == "2.0"
    assert proc.stdout.decode().splitlines()[-2] == "wrote stderr"


def test_clean_dot_slash_dash_is_a_file(tmp_path: Path, spec: Path) -> None:
    proc = run_bytes("clean", spec, *NONE, "-o", "./-", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads((tmp_path / "-").read_bytes())["swagger"] == "2.0"
    assert (tmp_path / "-.report.json").is_file()
    assert proc.stdout.decode().splitlines()[-3:] == [
        f"wrote {tmp_path / '-'}",
        f"wrote {tmp_path / '-.report.json'}",
        f"wrote {tmp_path / '-.report.md'}",
    ]


def test_clean_dash_into_a_closed_pipe_is_one_line(tmp_path: Path, spec: Path) -> None:
    with subprocess.Popen(
        [cli_path(), "clean", str(spec), *NONE, "-o", "-", "-d", "reports"],
        cwd=tmp_path,
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None
        assert proc.stderr is not None
        proc.stdout.close()  # no reader left: the first write gets EPIPE
        stderr = proc.stderr.read().decode()
        code = proc.wait(timeout=120)
    assert code == 2, stderr
    assert stderr.splitlines() == ["swaggertools: error: stdout: cannot write: Broken pipe"]
    assert not (tmp_path / "reports").exists() or _files(tmp_path / "reports") == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--check"], "--check compares files on disk; --output - is not a regular file"),
        (["--in-place"], "use either --output or --in-place, not both"),
    ],
)
def test_clean_dash_with_check_or_in_place_is_a_usage_error(
    run_cli: RunCli, tmp_path: Path, spec: Path, args: list[str], message: str
) -> None:
    before = spec.read_bytes()
    proc = run_cli("clean", spec, *NONE, "-o", "-", *args)
    assert assert_one_line_error(proc) == f"swaggertools: error: {message}"
    assert proc.stdout == ""
    assert spec.read_bytes() == before
    assert _files(tmp_path) == ["mes-swagger.json"]


# ---------------------------------------------------------------- clean to devices, fifos


def test_clean_to_a_device_keeps_it_and_writes_no_report_beside_it(
    tmp_path: Path, spec: Path
) -> None:
    dev = tmp_path / "dev"
    dev.mkdir()
    null = mknod_char(dev / "null", NULL)
    proc = run_bytes("clean", spec, *NONE, "-o", null, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    assert os.lstat(null).st_rdev == NULL
    assert _files(dev) == ["null"]  # no null.report.json beside the device
    assert proc.stdout.decode().splitlines()[-2:] == [
        f"wrote {null}",
        "reports not written: the output is not a regular file (use --output-dir)",
    ]


def test_clean_check_against_a_device_is_a_usage_error(
    run_cli: RunCli, tmp_path: Path, spec: Path
) -> None:
    null = mknod_char(tmp_path / "null", NULL)
    proc = run_cli("clean", spec, *NONE, "-o", null, "--check")
    assert assert_one_line_error(proc) == (
        f"swaggertools: error: --check compares files on disk; --output {null} is not a "
        "regular file"
    )
    assert stat.S_ISCHR(os.lstat(null).st_mode)


def test_clean_to_a_full_device_is_one_line_and_keeps_the_reports(
    run_cli: RunCli, tmp_path: Path, spec: Path
) -> None:
    full = mknod_char(tmp_path / "full", FULL)
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "mes-swagger.report.json").write_bytes(b"previous report\n")
    proc = run_cli("clean", spec, *NONE, "-o", full, "-d", reports)
    assert assert_one_line_error(proc) == (
        f"swaggertools: error: {full}: cannot write: No space left on device"
    )
    assert _files(reports) == ["mes-swagger.report.json"]  # no .md, no temporary file
    assert (reports / "mes-swagger.report.json").read_bytes() == b"previous report\n"
    assert stat.S_ISCHR(os.lstat(full).st_mode)


def test_clean_to_a_fifo(tmp_path: Path, spec: Path) -> None:
    expected = run_bytes("clean", spec, *NONE, "-o", "-", "-q", cwd=tmp_path).stdout
    reader = FifoReader(tmp_path / "pipe")
    proc = run_bytes("clean", spec, *NONE, "-o", reader.path, "-d", "reports", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert reader.join() == expected
    assert stat.S_ISFIFO(os.lstat(reader.path).st_mode)
    assert _files(tmp_path / "reports") == ["mes-swagger.report.json", "mes-swagger.report.md"]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("folder", "folder: output path is an existing directory"),
        ("link.json", "link.json: refusing to write through a symbolic link"),
        ("mes-swagger.json", "output would overwrite the input"),
    ],
)
def test_what_stays_refused(
    run_cli: RunCli, tmp_path: Path, spec: Path, target: str, message: str
) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "real.json").write_bytes(b"keep\n")
    (tmp_path / "link.json").symlink_to(tmp_path / "real.json")
    proc = run_cli("clean", spec, *NONE, "-o", tmp_path / target)
    assert message in assert_one_line_error(proc)
    assert (tmp_path / "real.json").read_bytes() == b"keep\n"
    assert spec.read_bytes() == SAMPLE.read_bytes()


# ---------------------------------------------------------------- lint -o FORMAT:-


def test_lint_output_to_stdout_replaces_the_format(tmp_path: Path, spec: Path) -> None:
    run_bytes("lint", spec, "-o", "json:lint.json", "-o", "sarif:lint.sarif", cwd=tmp_path)
    proc = run_bytes("lint", spec, "-o", "json:-", "-o", "lint2.sarif", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr  # the sample has excluded operations
    assert proc.stdout == (tmp_path / "lint.json").read_bytes()
    assert json.loads(proc.stdout)["summary"]["error"] == 42
    assert (tmp_path / "lint2.sarif").read_bytes() == (tmp_path / "lint.sarif").read_bytes()
    assert proc.stderr == b""


def test_lint_output_to_stderr(tmp_path: Path, spec: Path) -> None:
    run_bytes("lint", spec, "-o", "sarif:lint.sarif", cwd=tmp_path)
    proc = run_bytes("lint", spec, "-o", "sarif:/dev/stderr", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr == (tmp_path / "lint.sarif").read_bytes()
    assert json.loads(proc.stdout)["summary"]["error"] == 42


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-o", "json:-", "--format", "text"],
            "--format and --output json:- both choose what stdout shows; give one",
        ),
        (
            ["-o", "json:-", "-o", "sarif:/dev/stdout"],
            "--output json:- and --output sarif:/dev/stdout both write to stdout; give one",
        ),
        (
            ["-o", "json:/dev/stderr", "-o", "junit:/dev/stderr"],
            "--output json:/dev/stderr and --output junit:/dev/stderr both write to stderr; "
            "give one",
        ),
    ],
)
def test_lint_two_things_on_one_stream_is_a_usage_error(
    run_cli: RunCli, tmp_path: Path, spec: Path, args: list[str], message: str
) -> None:
    proc = run_cli("lint", spec, *args)
    assert assert_one_line_error(proc) == f"swaggertools: error: {message}"
    assert proc.stdout == ""
    assert _files(tmp_path) == ["mes-swagger.json"]


def test_lint_to_a_fifo_and_a_device(tmp_path: Path, spec: Path) -> None:
    run_bytes("lint", spec, "-o", "sarif:lint.sarif", cwd=tmp_path)
    reader = FifoReader(tmp_path / "pipe")
    null = mknod_char(tmp_path / "null", NULL)
    proc = run_bytes("lint", spec, "-o", f"sarif:{reader.path}", "-o", f"json:{null}", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert reader.join() == (tmp_path / "lint.sarif").read_bytes()
    assert stat.S_ISFIFO(os.lstat(reader.path).st_mode)
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    assert proc.stdout.decode().endswith("(fail-on error: failed)\n")  # --format text


# ---------------------------------------------------------------- the real /dev/null


def test_dev_null_is_still_a_character_device(tmp_path: Path, spec: Path) -> None:
    """Every command pointed at the real /dev/null leaves it a character device."""
    before = os.stat("/dev/null")
    assert stat.S_ISCHR(before.st_mode), "/dev/null was not a character device to begin with"
    runs = [
        ("lint", spec, "-o", "json:/dev/null"),
        ("lint", spec, "-o", "/dev/null", "-o", "sarif:/dev/null"),
        ("clean", spec, *NONE, "-o", "/dev/null"),
        ("clean", spec, *NONE, "-o", "/dev/null", "-d", "reports"),
        ("clean", spec, "--auth", "user", "--authority", "https://aim/im", "-o", "/dev/null"),
    ]
    for args in runs:
        proc = run_bytes(*args, cwd=tmp_path)
        assert proc.returncode in (0, 1), (args, proc.stderr)
        after = os.stat("/dev/null")
        assert stat.S_ISCHR(after.st_mode), args
        assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev), args
    assert not any(Path("/dev").glob("null.*")), "reports were written beside /dev/null"
    assert _files(tmp_path / "reports") == ["mes-swagger.report.json", "mes-swagger.report.md"]
