"""The hostile-input corpus: every file under tests/hostile/<group>/, run through the CLI.

Each group folder has a `cases.yaml` table; one test per entry (`group/file`). A case:

```yaml
- file: dup-keys.json        # the file under test, relative to the group folder
  id: short-name             # optional: tells apart cases of one file (`group/file:id`)
  command: clean             # clean (default) | validate | lint
  spec: spec.yaml            # the positional input when it is not `file` (rule-file cases)
  args: []                   # extra CLI arguments: {file}, {dir} (the group folder copy),
                             # {out} (the output folder) and {canary} (its base URL)
  exit: 2                    # expected exit code
  message: "duplicate key"   # fragment expected on stderr (case-insensitive)
  stdout: "[circular-ref]"   # fragment expected on stdout (case-insensitive)
  outputs: false             # clean: may outputs be written (default: exit == 0)
  written: [x.yaml]          # files that must exist in {out} afterwards
  expect_output: ["'1.10'"]  # fragments every written spec file must contain
  absent_output: ["&id"]     # fragments no written spec file may contain
  symlinks: {link.yaml: ../outside-secret.txt}   # created in the copy before the run
  canary_hits: 0             # requests the canary may receive (default 0)
  note: why this case exists # required
```

The runner copies the group folder to a temporary `work/<group>/`, writes the generated
files (`make_corpus.py`), replaces `{{CANARY}}` in the copies with the canary's URL,
creates the symlinks, puts `outside-secret.txt` in `work/` (one level above the spec),
pre-creates clean's output files with known bytes, runs the installed CLI (timeout 20 s)
and checks: exit code; message fragments; exit 2 is exactly one `swaggertools: error:` line;
no traceback; the canary's hits; neither the canary body nor the secret anywhere in
stdout, stderr or any file written; the secret file and the spec folder untouched; the
pre-created outputs byte-identical when nothing may be written; no temporary files left;
written JSON strict and written YAML without anchors, aliases or tags; no U+FFFD in any
output; and the run ended (within a generous hang guard: a wall-clock limit flaked on a
loaded machine, and speed is the benchmark's job).
"""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from swaggertools.errors import LoadError
from swaggertools.load import load_path, parse_json
from tests.conftest import (
    CANARY_BODY,
    Canary,
    RunCli,
    assert_one_line_error,
    cli_env,
    cli_path,
)

HOSTILE = Path(__file__).parent / "hostile"
SECRET = "SWAGGERTOOLS-SECRET-OUTSIDE"
SENTINEL = b"existing output: must survive a failed run\n"
# A hang guard, not a speed limit: the suite measures no wall clock (benchmarks/run.py does);
# each case's seconds go to the JUnit XML as a property.
TIMEOUT = 60.0

COMMANDS = ("clean", "validate", "lint")
KEYS: dict[str, type | tuple[type, ...]] = {
    "file": str,
    "id": str,
    "command": str,
    "spec": str,
    "args": list,
    "exit": int,
    "message": str,
    "stdout": str,
    "outputs": bool,
    "written": list,
    "expect_output": list,
    "absent_output": list,
    "symlinks": dict,
    "canary_hits": int,
    "note": str,
}
REQUIRED = ("file", "exit", "note")


@dataclass(frozen=True)
class Case:
    """One row of a group's cases.yaml, checked."""

    group: str
    file: str
    exit: int
    note: str
    command: str = "clean"
    spec: str | None = None
    args: tuple[str, ...] = ()
    message: str = ""
    stdout: str = ""
    outputs: bool | None = None
    written: tuple[str, ...] = ()
    expect_output: tuple[str, ...] = ()
    absent_output: tuple[str, ...] = ()
    symlinks: dict[str, str] = field(default_factory=dict)
    canary_hits: int = 0

    @property
    def may_write(self) -> bool:
        """Whether clean may write outputs (default: when it succeeds)."""
        return self.exit == 0 if self.outputs is None else self.outputs


def _case(group: str, entry: Any) -> Case:
    """Check one table entry's shape (unknown keys, wrong types, missing keys fail)."""
    assert isinstance(entry, dict), f"{group}/cases.yaml: an entry must be a mapping: {entry!r}"
    unknown = sorted(set(entry) - set(KEYS))
    assert not unknown, f"{group}/cases.yaml: unknown key(s) {unknown} in {entry!r}"
    missing = [k for k in REQUIRED if k not in entry]
    assert not missing, f"{group}/cases.yaml: missing key(s) {missing} in {entry!r}"
    for key, value in entry.items():
        wanted = KEYS[key]
        ok = isinstance(value, wanted) and not (wanted is int and isinstance(value, bool))
        assert ok, f"{group}/cases.yaml: {key!r} has the wrong type in {entry!r}"
    for key in ("args", "written", "expect_output", "absent_output"):
        assert all(isinstance(v, str) for v in entry.get(key, [])), (group, key, entry)
    assert all(isinstance(v, str) for v in entry.get("symlinks", {}).values()), entry
    assert entry.get("command", "clean") in COMMANDS, f"{group}: unknown command in {entry!r}"
    name = entry["file"]
    known = (HOSTILE / group / name).exists() or name in _generated(group)
    assert known or name in entry.get("symlinks", {}), f"{group}/cases.yaml: no file {name!r}"
    return Case(
        group=group,
        file=entry["file"],
        exit=entry["exit"],
        note=entry["note"],
        command=entry.get("command", "clean"),
        spec=entry.get("spec"),
        args=tuple(entry.get("args", ())),
        message=entry.get("message", ""),
        stdout=entry.get("stdout", ""),
        outputs=entry.get("outputs"),
        written=tuple(entry.get("written", ())),
        expect_output=tuple(entry.get("expect_output", ())),
        absent_output=tuple(entry.get("absent_output", ())),
        symlinks=dict(entry.get("symlinks", {})),
        canary_hits=entry.get("canary_hits", 0),
    )


@functools.cache
def _make_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_corpus", HOSTILE / "make_corpus.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _generated(group: str) -> set[str]:
    return set(_make_corpus().GENERATED.get(group, {}))


def _params() -> list[Any]:
    """One pytest param per table entry; a table that does not load is one failing param."""
    params: list[Any] = []
    for table in sorted(HOSTILE.glob("*/cases.yaml")):
        group = table.parent.name
        try:
            entries = load_path(table).doc
        except LoadError as error:
            params.append(pytest.param(group, error, id=f"{group}/cases.yaml"))
            continue
        if not isinstance(entries, list):
            params.append(pytest.param(group, entries, id=f"{group}/cases.yaml"))
            continue
        seen: dict[str, int] = {}
        for entry in entries:
            name = entry.get("file", "?") if isinstance(entry, dict) else "?"
            base = f"{group}/{name}"
            if isinstance(entry, dict) and "id" in entry:
                base += f":{entry['id']}"
            seen[base] = seen.get(base, 0) + 1
            case_id = base if seen[base] == 1 else f"{base}#{seen[base]}"
            params.append(pytest.param(group, entry, id=case_id))
    return params


@functools.cache
def _lint_available() -> bool:
    proc = subprocess.run(
        [cli_path(), "lint", "--help"],
        capture_output=True,
        env=cli_env(),
        timeout=TIMEOUT,
        check=False,
    )
    return proc.returncode == 0


def _snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry below folder: file bytes (size and mtime for big ones), or a link target."""
    result: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            result[name] = "-> " + os.readlink(path)
        elif path.is_file():
            st = path.stat()
            big = st.st_size > 1_000_000  # the sparse 256 MiB file: never read it
            result[name] = f"{st.st_size} {st.st_mtime_ns}" if big else path.read_bytes()
    return result


def _substitute(value: str, mapping: dict[str, str]) -> str:
    for key, replacement in mapping.items():
        value = value.replace("{" + key + "}", replacement)
    return value


def _prepare(case: Case, tmp_path: Path, canary: Canary) -> tuple[Path, Path]:
    """The copied group folder (with generated files, canary URL, symlinks) and {out}."""
    work = tmp_path / "work"
    folder = work / case.group
    shutil.copytree(HOSTILE / case.group, folder, symlinks=True)
    _make_corpus().generate(case.group, folder)
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink() and path.stat().st_size < 1_000_000:
            data = path.read_bytes()
            if b"{{CANARY}}" in data:
                path.write_bytes(data.replace(b"{{CANARY}}", canary.url.encode()))
    (work / "outside-secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    for link, target in case.symlinks.items():
        os.symlink(target, folder / link)
    out = tmp_path / "out"
    out.mkdir()
    return folder, out


def _sentinels(case: Case, out: Path) -> None:
    """Existing files where clean would write: they must survive a failed run."""
    stem = Path(case.spec or case.file).name.rsplit(".", 1)[0]
    for suffix in (".clean.json", ".clean.yaml", ".clean.yml", ".report.json", ".report.md"):
        (out / f"{stem}{suffix}").write_bytes(SENTINEL)


def _command(case: Case, folder: Path, out: Path, canary: Canary) -> list[str]:
    mapping = {
        "file": str(folder / case.file),
        "dir": str(folder),
        "out": str(out),
        "canary": canary.url,
    }
    spec = str(folder / (case.spec or case.file))
    args = [_substitute(a, mapping) for a in case.args]
    if case.command == "clean":
        return ["clean", spec, "--output-dir", str(out), "--auth", "none", *args]
    return [case.command, spec, *args]


def _spec_outputs(files: dict[str, bytes | str]) -> dict[str, bytes]:
    """Written spec files (not reports, not the untouched sentinels)."""
    return {
        name: data
        for name, data in files.items()
        if isinstance(data, bytes)
        and data != SENTINEL
        and not name.endswith((".report.json", ".report.md"))
        and name.endswith((".json", ".yaml", ".yml"))
    }


def _check_written_spec(name: str, data: bytes) -> None:
    """Written JSON is strict JSON; written YAML has no anchors, aliases or tags."""
    text = data.decode("utf-8")
    assert "\ufffd" not in text, f"{name}: U+FFFD in the output"
    if name.endswith(".json"):
        parse_json(text, name)  # refuses NaN, Infinity, lone surrogates, duplicates
        return
    for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        assert not isinstance(event, yaml.AliasEvent), f"{name}: alias in the output"
        assert getattr(event, "anchor", None) is None, f"{name}: anchor in the output"
        tag = getattr(event, "tag", None)
        assert tag is None, f"{name}: tag {tag!r} in the output"


@pytest.mark.parametrize(("group", "entry"), _params())
def test_hostile(
    group: str,
    entry: Any,
    run_cli: RunCli,
    canary: Canary,
    tmp_path: Path,
    record_property: Callable[[str, object], None],
) -> None:
    assert not isinstance(entry, LoadError), f"{group}/cases.yaml: {entry.one_line()}"
    assert isinstance(entry, dict), f"{group}/cases.yaml must be a list of mappings"
    case = _case(group, entry)
    if case.command == "lint" and not _lint_available():
        pytest.skip("`swaggertools lint --help` fails: no lint command in this build")

    folder, out = _prepare(case, tmp_path, canary)
    if case.command == "clean":
        _sentinels(case, out)
    secret_file = folder.parent / "outside-secret.txt"
    folder_before = _snapshot(folder)
    out_before = _snapshot(out)

    args = _command(case, folder, out, canary)
    start = time.monotonic()
    proc = run_cli(*args, cwd=tmp_path, timeout=TIMEOUT, check_traceback=False)
    elapsed = time.monotonic() - start
    record_property("seconds", round(elapsed, 2))  # in the JUnit XML, per case
    shown = f"{' '.join(args)}\nexit {proc.returncode}\n"
    shown += f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"

    # the outcome
    for stream, text in (("stdout", proc.stdout), ("stderr", proc.stderr)):
        assert "Traceback" not in text, f"traceback on {stream}\n{shown}"
    assert proc.returncode == case.exit, f"{case.note}\n{shown}"
    if case.exit == 2:
        assert_one_line_error(proc, 2)
    assert case.message.lower() in proc.stderr.lower(), f"message {case.message!r}\n{shown}"
    assert case.stdout.lower() in proc.stdout.lower(), f"stdout {case.stdout!r}\n{shown}"

    # nothing fetched, nothing leaked, nothing outside touched
    assert len(canary.hits) == case.canary_hits, f"canary hits {canary.hits}\n{shown}"
    out_after = _snapshot(out)
    folder_after = _snapshot(folder)
    everything = [proc.stdout, proc.stderr]
    everything += [d.decode("utf-8", "replace") for d in out_after.values() if isinstance(d, bytes)]
    for text in everything:
        assert CANARY_BODY not in text, f"canary body in the output\n{shown}"
        assert SECRET not in text, f"outside secret in the output\n{shown}"
    assert secret_file.read_text(encoding="utf-8") == SECRET + "\n", "the secret file changed"
    assert folder_after == folder_before, f"the spec folder changed\n{shown}"
    leftovers = [n for n in out_after if Path(n).name.startswith(".") and n.endswith(".tmp")]
    assert not leftovers, f"temporary files left: {leftovers}"

    # outputs
    if case.command != "clean" or not case.may_write:
        assert out_after == out_before, f"outputs written or changed\n{shown}"
    for name in case.written:
        assert isinstance(out_after.get(name), bytes), f"{name} not written\n{shown}"
    written = _spec_outputs(out_after)
    for name, data in written.items():
        _check_written_spec(name, data)
    if case.expect_output or case.absent_output:
        assert written, f"no spec output written\n{shown}"
    for name, data in written.items():
        text = data.decode("utf-8")
        for fragment in case.expect_output:
            assert fragment in text, f"{name} lacks {fragment!r}:\n{text}"
        for fragment in case.absent_output:
            assert fragment not in text, f"{name} contains {fragment!r}:\n{text}"


def test_unwritable_output_folder_is_one_line(run_cli: RunCli, tmp_path: Path) -> None:
    """A permission error while writing is one line, exit 2, and leaves nothing behind."""
    if getattr(os, "geteuid", lambda: -1)() == 0:
        pytest.skip("root ignores file permissions")
    spec = tmp_path / "spec.yaml"
    shutil.copyfile(HOSTILE / "output" / "spec.yaml", spec)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        proc = run_cli("clean", spec, "--auth", "none", "--output-dir", locked, timeout=TIMEOUT)
        line = assert_one_line_error(proc, 2)
        assert "permission denied" in line.lower(), line
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)


def test_every_corpus_file_has_a_case() -> None:
    """A corpus file that no case names (nor any other corpus file) is a forgotten case."""
    generated = {g: set(files) for g, files in _make_corpus().GENERATED.items()}
    for table in sorted(HOSTILE.glob("*/cases.yaml")):
        group = table.parent
        named = " ".join(
            " ".join([e["file"], e.get("spec", ""), *map(str, e.get("args", []))])
            for e in load_path(table).doc
        )
        files = [p for p in sorted(group.rglob("*")) if p.is_file() and p.name != ".keep"]
        texts = {p: p.read_bytes() for p in files}
        for path in files:
            rel = str(path.relative_to(group))
            if path.name == "cases.yaml" or rel in generated.get(group.name, set()):
                continue
            used = rel in named or any(
                path.name.encode() in data for other, data in texts.items() if other != path
            )
            assert used, f"{group.name}/{rel} is not used by any case"
