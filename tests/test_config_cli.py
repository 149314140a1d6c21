"""Subprocess tests: `swaggertools config`, and `clean` reading the configuration (`--check`)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from swaggertools.config import DEFAULTS
from tests.conftest import RunCli, assert_one_line_error

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
AUTHORITY = "https://aim.example.test/identitymanager"

CONFIG = f"""\
# swaggertools settings for this repository
specs: [specs/mes-swagger.json]
authority: {AUTHORITY}
clean:
  output_dir: build/clean
lint:
  fail_on: warning
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A project: config at the top, the MES sample under specs/, an empty sub/deeper/."""
    root = tmp_path / "repo"
    (root / "specs").mkdir(parents=True)
    (root / "sub" / "deeper").mkdir(parents=True)
    shutil.copy(FIXTURES / "mes-swagger.json", root / "specs" / "mes-swagger.json")
    (root / "swaggertools.yaml").write_text(CONFIG, encoding="utf-8")
    return root


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file below `root` with its bytes and mtime."""
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# ---------------------------------------------------------------- swaggertools config


def test_config_prints_every_key_with_its_origin(run_cli: RunCli, repo: Path) -> None:
    proc = run_cli("config", cwd=repo / "sub" / "deeper")
    assert proc.returncode == 0, proc.stderr
    config = (repo / "swaggertools.yaml").resolve()
    lines = proc.stdout.splitlines()
    assert lines[0] == f"configuration file: {config}"
    by_key = {line.split()[0]: line for line in lines[1:]}
    assert list(by_key) == list(DEFAULTS)
    spec = (repo / "specs" / "mes-swagger.json").resolve()
    assert f"= ['{spec}']" in by_key["specs"]
    assert by_key["specs"].endswith(f"# {config}:{line_of(CONFIG, 'specs:')}")
    assert f"= {AUTHORITY}" in by_key["authority"]
    assert by_key["authority"].endswith(f"# {config}:{line_of(CONFIG, 'authority:')}")
    assert f"= {(repo / 'build' / 'clean').resolve()}" in by_key["clean.output_dir"]
    assert by_key["clean.output_dir"].endswith(f"# {config}:{line_of(CONFIG, 'output_dir:')}")
    assert "= warning" in by_key["lint.fail_on"]
    assert by_key["auth"].endswith("= both    # default")
    assert by_key["identify"].endswith("= null    # default")
    assert by_key["clean.document_auth_errors"].endswith("= true    # default")
    assert by_key["clean.strict"].endswith("= false    # default")


def test_config_json(run_cli: RunCli, repo: Path) -> None:
    proc = run_cli("config", "--json", cwd=repo / "sub")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    config = (repo / "swaggertools.yaml").resolve()
    assert doc["file"] == str(config)
    assert list(doc["settings"]) == list(DEFAULTS)
    assert doc["settings"]["authority"] == {
        "value": AUTHORITY,
        "origin": f"{config}:{line_of(CONFIG, 'authority:')}",
    }
    assert doc["settings"]["lint.fail_on"]["value"] == "warning"
    assert doc["settings"]["auth"] == {"value": "both", "origin": "default"}
    assert doc["settings"]["clean.format"] == {"value": None, "origin": "default"}


def test_config_from_pyproject(run_cli: RunCli, tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\nname = "x"\n\n[tool.swaggertools.lint]\nfail_on = "never"\n',
        encoding="utf-8",
    )
    doc = json.loads(run_cli("config", "--json").stdout)
    assert doc["file"] == str(pyproject.resolve())
    assert doc["settings"]["lint.fail_on"] == {
        "value": "never",
        "origin": f"{pyproject.resolve()} [tool.swaggertools] lint.fail_on",
    }


def test_config_no_config(run_cli: RunCli, repo: Path) -> None:
    proc = run_cli("config", "--no-config", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == "configuration file: none found (built-in defaults)"
    assert "swaggertools.yaml" not in proc.stdout
    doc = json.loads(run_cli("config", "--no-config", "--json", cwd=repo).stdout)
    assert doc["file"] is None
    assert {k: v["value"] for k, v in doc["settings"].items()} == DEFAULTS
    assert {v["origin"] for v in doc["settings"].values()} == {"default"}


def test_config_explicit_file(run_cli: RunCli, repo: Path) -> None:
    other = repo / "ci" / "other.yaml"
    other.parent.mkdir()
    other.write_text("auth: service\n", encoding="utf-8")
    doc = json.loads(run_cli("config", "--config", "ci/other.yaml", "--json", cwd=repo).stdout)
    assert doc["file"] == "ci/other.yaml"
    assert doc["settings"]["auth"] == {"value": "service", "origin": "ci/other.yaml:1"}
    assert doc["settings"]["authority"]["origin"] == "default"  # the repo config is not read


def test_config_missing_file_is_one_line_error(run_cli: RunCli, tmp_path: Path) -> None:
    proc = run_cli("config", "--config", "missing.yaml")
    line = assert_one_line_error(proc)
    assert line == "swaggertools: error: missing.yaml: configuration file not found"
    assert proc.stdout == ""


def test_config_and_no_config_together(run_cli: RunCli, repo: Path) -> None:
    proc = run_cli("config", "--config", "swaggertools.yaml", "--no-config", cwd=repo)
    assert "--config or --no-config" in assert_one_line_error(proc)


@pytest.mark.parametrize("command", [["config"], ["clean"], ["lint"]])
def test_typo_key_is_one_line_error_naming_file_and_line(
    run_cli: RunCli, repo: Path, command: list[str]
) -> None:
    text = CONFIG.replace("  output_dir:", "  ouput_dir:")
    config = repo / "swaggertools.yaml"
    config.write_text(text, encoding="utf-8")
    before = snapshot(repo)
    proc = run_cli(*command, cwd=repo / "sub")
    line = assert_one_line_error(proc)
    where = f"{config.resolve()}:{line_of(text, 'ouput_dir')}"
    assert line.startswith(f"swaggertools: error: {where}: unknown key 'ouput_dir'"), line
    assert "output_dir" in line  # the allowed keys are listed
    assert snapshot(repo) == before


# ---------------------------------------------------------------- clean with the config


def test_bare_clean_from_a_sub_folder_uses_the_config(run_cli: RunCli, repo: Path) -> None:
    proc = run_cli("clean", "-q", cwd=repo / "sub" / "deeper")
    assert proc.returncode == 0, proc.stderr
    out = repo / "build" / "clean"
    assert sorted(os.listdir(out)) == [
        "mes-swagger.report.json",
        "mes-swagger.report.md",
        "mes-swagger.service.json",
        "mes-swagger.user.json",
    ]
    assert not (repo / "sub" / "deeper" / "swaggertools-out").exists()
    user = json.loads((out / "mes-swagger.user.json").read_text(encoding="utf-8"))
    scheme = user["securityDefinitions"]["aimUserToken"]
    assert scheme["tokenUrl"] == f"{AUTHORITY}/connect/token"
    report = json.loads((out / "mes-swagger.report.json").read_text(encoding="utf-8"))
    assert len(report["removed_operations"]) == 42


def test_command_line_overrides_the_config(run_cli: RunCli, repo: Path) -> None:
    proc = run_cli("clean", "-q", "--auth", "user", "--output-dir", "here", cwd=repo / "sub")
    assert proc.returncode == 0, proc.stderr
    assert sorted(os.listdir(repo / "sub" / "here")) == [
        "mes-swagger.report.json",
        "mes-swagger.report.md",
        "mes-swagger.user.json",
    ]
    assert not (repo / "build").exists()


def test_command_line_auth_user_writes_one_file(run_cli: RunCli, repo: Path) -> None:
    proc = run_cli("clean", "-q", "--auth", "user", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    specs = [n for n in os.listdir(repo / "build" / "clean") if not n.count(".report.")]
    assert specs == ["mes-swagger.user.json"]


def test_command_line_spec_overrides_config_specs(run_cli: RunCli, repo: Path) -> None:
    shutil.copy(FIXTURES / "mes-openapi.yaml", repo / "sub" / "mine.yaml")
    proc = run_cli("clean", "-q", "mine.yaml", cwd=repo / "sub")
    assert proc.returncode == 0, proc.stderr
    names = sorted(os.listdir(repo / "build" / "clean"))
    assert "mine.user.yaml" in names
    assert not any(n.startswith("mes-swagger") for n in names)


def test_no_config_ignores_the_file(run_cli: RunCli, repo: Path) -> None:
    proc = run_cli("clean", "--no-config", cwd=repo)
    line = assert_one_line_error(proc)
    assert "no spec file given" in line


def test_clean_without_spec_and_config_is_one_line_error(run_cli: RunCli, tmp_path: Path) -> None:
    proc = run_cli("clean")
    line = assert_one_line_error(proc)
    assert "no spec file given" in line
    assert "swaggertools.yaml" in line
    assert os.listdir(tmp_path) == []


# ---------------------------------------------------------------- clean --check


def test_check_up_to_date_after_clean(run_cli: RunCli, repo: Path) -> None:
    assert run_cli("clean", "-q", cwd=repo).returncode == 0
    before = snapshot(repo)
    proc = run_cli("clean", "--check", cwd=repo / "sub")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = (repo / "build" / "clean").resolve()
    assert proc.stdout.splitlines() == [
        f"up to date: {out / 'mes-swagger.user.json'}",
        f"up to date: {out / 'mes-swagger.service.json'}",
    ]
    assert snapshot(repo) == before


def test_check_out_of_date_after_editing_an_output(run_cli: RunCli, repo: Path) -> None:
    assert run_cli("clean", "-q", cwd=repo).returncode == 0
    out = repo / "build" / "clean"
    user = out / "mes-swagger.user.json"
    doc = json.loads(user.read_text(encoding="utf-8"))
    doc["info"]["title"] = "edited by hand"
    user.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    before = snapshot(repo)
    proc = run_cli("clean", "--check", cwd=repo)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    # run from the config's folder: the paths are shown relative to it
    assert proc.stdout.splitlines() == [
        "out of date: build/clean/mes-swagger.user.json (run swaggertools clean to update)",
        "up to date: build/clean/mes-swagger.service.json",
    ]
    assert snapshot(repo) == before


def test_check_missing_outputs(run_cli: RunCli, repo: Path) -> None:
    before = snapshot(repo)
    listing = sorted(str(p.relative_to(repo)) for p in repo.rglob("*"))
    proc = run_cli("clean", "--check", cwd=repo / "sub" / "deeper")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = (repo / "build" / "clean").resolve()
    assert proc.stdout.splitlines() == [
        f"missing: {out / 'mes-swagger.user.json'} (run swaggertools clean to update)",
        f"missing: {out / 'mes-swagger.service.json'} (run swaggertools clean to update)",
    ]
    assert snapshot(repo) == before
    assert sorted(str(p.relative_to(repo)) for p in repo.rglob("*")) == listing
    assert not (repo / "build").exists()


def test_check_respects_command_line_auth(run_cli: RunCli, repo: Path) -> None:
    assert run_cli("clean", "-q", "--auth", "user", cwd=repo).returncode == 0
    before = snapshot(repo)
    assert run_cli("clean", "--check", "--auth", "user", cwd=repo).returncode == 0
    # with the config's default (both), the service file is missing
    proc = run_cli("clean", "--check", cwd=repo)
    assert proc.returncode == 1
    assert "missing: " in proc.stdout
    assert "mes-swagger.service.json" in proc.stdout
    assert snapshot(repo) == before


def test_check_and_in_place_together(run_cli: RunCli, repo: Path) -> None:
    before = snapshot(repo)
    proc = run_cli("clean", "--check", "--in-place", "--auth", "user", cwd=repo)
    assert "--check or --in-place" in assert_one_line_error(proc)
    assert snapshot(repo) == before
