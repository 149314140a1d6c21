"""Unit tests for the project configuration: discovery, paths, origins, precedence, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from swaggertools.config import (
    COMMAND_LINE,
    DEFAULT_ORIGIN,
    DEFAULTS,
    Config,
    defaults,
    display_path,
    find_config,
    load_config,
)
from swaggertools.errors import ConfigError

FULL_YAML = """\
# project settings
specs:
  - api/mes-swagger.json
  - api/mes-openapi.yaml
rules: [mes-model-driven-7.0, site/extra.yaml, more/rules.json, local/strange]
auth: service
authority: https://sms.plant.local/identitymanager
identify: path
method_extension: x-mes-name
clean:
  output_dir: build/clean
  format: yaml
  allow_ambiguous: true
  strict: true
lint:
  fail_on: warning
  format: github
  output:
    - sarif:reports/lint.sarif
    - reports/lint.md
    - junit:../outside.xml
  select: [excluded-operation]
  ignore: [unused-component]
  baseline: ci/lint-baseline.json
"""


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def project(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- discovery


def test_discovery_walks_up_from_a_deep_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = project(tmp_path, "swaggertools.yaml", "auth: user\n")
    deep = tmp_path / "a" / "b" / "c" / "d"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert find_config(Path.cwd()) == config.resolve()
    loaded = load_config()
    assert loaded.file == config.resolve()
    assert loaded["auth"] == "user"


def test_nearest_config_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, "swaggertools.yaml", "auth: user\n")
    inner = project(tmp_path, "sub/swaggertools.yaml", "auth: service\n")
    (tmp_path / "sub" / "deeper").mkdir()
    monkeypatch.chdir(tmp_path / "sub" / "deeper")
    loaded = load_config()
    assert loaded.file == inner.resolve()
    assert loaded["auth"] == "service"
    # a nearer pyproject.toml with the table wins over a farther swaggertools.yaml too
    nearer = project(tmp_path, "sub/deeper/pyproject.toml", '[tool.swaggertools]\nauth = "none"\n')
    assert load_config().file == nearer.resolve()
    assert load_config()["auth"] == "none"


def test_yml_suffix_is_found(tmp_path: Path) -> None:
    config = project(tmp_path, "swaggertools.yml", "auth: combined\n")
    assert find_config(tmp_path) == config.resolve()


def test_swaggertools_yaml_preferred_to_pyproject_in_the_same_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    yaml_file = project(tmp_path, "swaggertools.yaml", "auth: user\n")
    project(tmp_path, "pyproject.toml", '[tool.swaggertools]\nauth = "service"\n')
    monkeypatch.chdir(tmp_path)
    loaded = load_config()
    assert loaded.file == yaml_file.resolve()
    assert loaded["auth"] == "user"


def test_pyproject_without_our_table_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outer = project(tmp_path, "swaggertools.yaml", "auth: user\n")
    project(
        tmp_path,
        "pkg/pyproject.toml",
        '[project]\nname = "x"\n\n[tool.ruff]\nline-length = 100\n',
    )
    monkeypatch.chdir(tmp_path / "pkg")
    assert find_config(Path.cwd()) == outer.resolve()
    assert load_config()["auth"] == "user"


def test_no_config_anywhere_gives_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    if find_config(tmp_path) is not None:  # pragma: no cover - a config above the temp folder
        pytest.skip("a swaggertools configuration exists above the temporary folder")
    loaded = load_config()
    assert loaded.file is None
    assert loaded.as_dict() == defaults().as_dict()


def test_discover_false_and_explicit_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, "swaggertools.yaml", "auth: user\n")
    other = project(tmp_path, "ci/other.yaml", "auth: service\n")
    monkeypatch.chdir(tmp_path)
    assert load_config(discover=False).file is None
    assert load_config(discover=False)["auth"] == "both"
    explicit = load_config(other)
    assert explicit.file == other
    assert explicit["auth"] == "service"
    started = load_config(start=tmp_path / "ci")
    assert started["auth"] == "user"


# ---------------------------------------------------------------- values and paths


def test_every_key_read_and_paths_relative_to_the_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = project(tmp_path, "proj/swaggertools.yaml", FULL_YAML)
    monkeypatch.chdir(tmp_path)  # above the config: paths shown relative to here
    loaded = load_config(Path("proj/swaggertools.yaml"))
    assert loaded.file == Path("proj/swaggertools.yaml")
    assert loaded["specs"] == ["proj/api/mes-swagger.json", "proj/api/mes-openapi.yaml"]
    # rule entries that look like files are paths; bare names stay shipped-set names
    assert loaded["rules"] == [
        "mes-model-driven-7.0",
        "proj/site/extra.yaml",
        "proj/more/rules.json",
        "proj/local/strange",
    ]
    assert loaded["clean.output_dir"] == "proj/build/clean"
    assert loaded["lint.baseline"] == "proj/ci/lint-baseline.json"
    assert loaded["lint.output"] == [
        "sarif:proj/reports/lint.sarif",
        "proj/reports/lint.md",
        "junit:outside.xml",
    ]
    assert (loaded["auth"], loaded["authority"]) == (
        "service",
        "https://sms.plant.local/identitymanager",
    )
    assert (loaded["identify"], loaded["method_extension"]) == ("path", "x-mes-name")
    assert (loaded["clean.format"], loaded["clean.allow_ambiguous"]) == ("yaml", True)
    assert loaded["clean.strict"] is True
    assert loaded["clean.replace_security"] is False  # not set: default
    assert (loaded["lint.fail_on"], loaded["lint.format"]) == ("warning", "github")
    assert (loaded["lint.select"], loaded["lint.ignore"]) == (
        ["excluded-operation"],
        ["unused-component"],
    )
    assert config.is_file()


def test_paths_absolute_when_working_directory_is_below_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path.resolve()
    project(tmp_path, "swaggertools.yaml", FULL_YAML)
    (tmp_path / "api" / "deep").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "api" / "deep")
    loaded = load_config()
    assert loaded["specs"] == [
        str(root / "api" / "mes-swagger.json"),
        str(root / "api" / "mes-openapi.yaml"),
    ]
    assert loaded["clean.output_dir"] == str(root / "build" / "clean")
    assert loaded["lint.baseline"] == str(root / "ci" / "lint-baseline.json")
    assert loaded["rules"][1] == str(root / "site" / "extra.yaml")
    assert loaded["lint.output"][0] == f"sarif:{root / 'reports' / 'lint.sarif'}"
    # every path names the same file whatever the working directory
    for value in (*loaded["specs"], loaded["clean.output_dir"], loaded["lint.baseline"]):
        assert Path(value).is_absolute()


def test_lint_output_with_unknown_prefix_is_a_plain_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, "c/swaggertools.yaml", "lint:\n  output: [html:report.html]\n")
    monkeypatch.chdir(tmp_path)
    assert load_config(Path("c/swaggertools.yaml"))["lint.output"] == ["c/html:report.html"]


def test_display_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert display_path(tmp_path / "a" / ".." / "b" / "c.json") == "b/c.json"
    assert display_path(tmp_path) == "."
    outside = tmp_path.parent / "elsewhere.json"
    assert display_path(outside) == str(outside.resolve())


# ---------------------------------------------------------------- pyproject.toml


def test_pyproject_table_and_lint_sub_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        '[project]\nname = "x"\n\n'
        "[tool.swaggertools]\n"
        'specs = ["api/mes.json"]\n'
        'authority = "https://aim"\n\n'
        "[tool.swaggertools.lint]\n"
        'fail_on = "never"\n'
        'baseline = "ci/base.json"\n'
        'output = ["sarif:out/l.sarif"]\n\n'
        "[tool.swaggertools.clean]\n"
        'output_dir = "dist"\n'
    )
    config = project(tmp_path, "pyproject.toml", text)
    monkeypatch.chdir(tmp_path)
    loaded = load_config()
    assert loaded.file == config.resolve()
    assert loaded["specs"] == ["api/mes.json"]
    assert loaded["authority"] == "https://aim"
    assert loaded["lint.fail_on"] == "never"
    assert loaded["lint.baseline"] == "ci/base.json"
    assert loaded["lint.output"] == ["sarif:out/l.sarif"]
    assert loaded["clean.output_dir"] == "dist"
    shown = str(config.resolve())
    assert loaded.origin("specs") == f"{shown} [tool.swaggertools] specs"
    assert loaded.origin("lint.fail_on") == f"{shown} [tool.swaggertools] lint.fail_on"
    assert loaded.origin("clean.output_dir") == f"{shown} [tool.swaggertools] clean.output_dir"
    assert loaded.origin("auth") == DEFAULT_ORIGIN


# ---------------------------------------------------------------- origins and precedence


def test_origins_are_file_and_line_for_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, "swaggertools.yaml", FULL_YAML)
    monkeypatch.chdir(tmp_path)
    loaded = load_config()
    shown = str((tmp_path / "swaggertools.yaml").resolve())
    for key, needle in [
        ("specs", "specs:"),
        ("rules", "rules:"),
        ("auth", "auth:"),
        ("clean.output_dir", "  output_dir:"),
        ("lint.fail_on", "  fail_on:"),
        ("lint.output", "  output:"),
        ("lint.baseline", "  baseline:"),
    ]:
        assert loaded.origin(key) == f"{shown}:{line_of(FULL_YAML, needle)}", key
    assert loaded.origin("clean.replace_security") == DEFAULT_ORIGIN
    assert loaded.origin("clean.document_auth_errors") == DEFAULT_ORIGIN


def test_override_wins_and_none_is_skipped(tmp_path: Path) -> None:
    config = project(tmp_path, "swaggertools.yaml", "auth: user\nlint:\n  fail_on: warning\n")
    loaded = load_config(config)
    changed = loaded.override(
        {"auth": "service", "lint.fail_on": None, "authority": "https://aim", "specs": None}
    )
    assert changed["auth"] == "service"
    assert changed.origin("auth") == COMMAND_LINE
    assert changed["authority"] == "https://aim"
    assert changed.origin("authority") == COMMAND_LINE
    assert changed["lint.fail_on"] == "warning"  # None: not given on the command line
    assert changed.origin("lint.fail_on") == f"{config}:3"
    assert changed["specs"] == []
    assert changed.origin("specs") == DEFAULT_ORIGIN
    # the original is untouched (Config is immutable)
    assert loaded["auth"] == "user"
    assert loaded.origin("auth") == f"{config}:1"
    # False is a value, not "not given"
    assert loaded.override({"clean.document_auth_errors": False})["clean.document_auth_errors"] is (
        False
    )
    with pytest.raises(KeyError):
        loaded.override({"no_such_key": 1})


def test_defaults_and_as_dict() -> None:
    base = defaults()
    assert isinstance(base, Config)
    assert base.file is None
    assert list(base.as_dict()) == list(DEFAULTS)
    assert all(v == {"value": DEFAULTS[k], "origin": "default"} for k, v in base.as_dict().items())
    assert base["rules"] == ["mes-model-driven-7.0"]
    assert base["lint.fail_on"] == "error"


# ---------------------------------------------------------------- errors


def _error(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return caught.value


def test_unknown_key_names_file_line_and_allowed_keys(tmp_path: Path) -> None:
    text = "auth: user\nlint:\n  fail_on: error\n  fail_onn: warning\n"
    config = project(tmp_path, "swaggertools.yaml", text)
    message = _error(config).one_line()
    assert message.startswith(f"{config}:4: ")
    assert "unknown key 'fail_onn'" in message
    assert "baseline, fail_on, format, ignore, output, select" in message


def test_unknown_top_level_key(tmp_path: Path) -> None:
    config = project(tmp_path, "swaggertools.yaml", "specs: [a.json]\nspecz: [b.json]\n")
    message = _error(config).one_line()
    assert message.startswith(f"{config}:2: ")
    assert "unknown key 'specz'" in message
    for key in ("auth", "authority", "clean", "identify", "lint", "rules", "specs"):
        assert key in message


def test_unknown_key_in_pyproject(tmp_path: Path) -> None:
    config = project(tmp_path, "pyproject.toml", "[tool.swaggertools.lint]\nfailon = 1\n")
    message = _error(config).one_line()
    assert message.startswith(f"{config} [tool.swaggertools] lint.failon: ")
    assert "unknown key 'failon'" in message
    assert "fail_on" in message


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("specs: api/mes.json\n", 1, ["'specs'", "array", "string"]),
        ("auth: user\nclean:\n  strict: yes\n", 3, ["'strict'", "boolean"]),
        ("lint:\n  select: [ok, 3]\n", 2, ["string"]),
    ],
    ids=["string-for-list", "yes-is-not-a-boolean", "number-in-list"],
)
def test_wrong_type(tmp_path: Path, text: str, line: int, words: list[str]) -> None:
    config = project(tmp_path, "swaggertools.yaml", text)
    message = _error(config).one_line()
    assert message.startswith(f"{config}:{line}: "), message
    for word in words:
        assert word in message


@pytest.mark.parametrize(
    ("text", "line", "allowed"),
    [
        ("auth: bogus\n", 1, "user, service, both, combined, none"),
        ("lint:\n  fail_on: sometimes\n", 2, "error, warning, never"),
        ("lint:\n  format: html\n", 2, "text, json, sarif, junit, github, markdown"),
        ("identify: guess\n", 1, "auto, operationId, extension, path"),
    ],
)
def test_bad_enum(tmp_path: Path, text: str, line: int, allowed: str) -> None:
    config = project(tmp_path, "swaggertools.yaml", text)
    message = _error(config).one_line()
    assert message.startswith(f"{config}:{line}: ")
    assert allowed in message


def test_invalid_yaml(tmp_path: Path) -> None:
    config = project(tmp_path, "swaggertools.yaml", "auth: user\nspecs: [a.json\n")
    error = _error(config)
    assert error.file == str(config)
    assert error.line is not None
    assert error.line >= 2
    assert "invalid YAML" in error.message


def test_duplicate_key_in_yaml(tmp_path: Path) -> None:
    config = project(tmp_path, "swaggertools.yaml", "auth: user\nauth: service\n")
    error = _error(config)
    assert (error.file, error.line) == (str(config), 2)
    assert "duplicate key 'auth'" in error.message


def test_invalid_toml(tmp_path: Path) -> None:
    config = project(tmp_path, "pyproject.toml", '[tool.swaggertools]\nspecs = ["a.json"\n')
    error = _error(config)
    assert error.file == str(config)
    assert "not valid TOML" in error.message


def test_tool_swaggertools_not_a_table(tmp_path: Path) -> None:
    config = project(tmp_path, "pyproject.toml", '[tool]\nswaggertools = "yes"\n')
    error = _error(config)
    assert error.file == str(config)
    assert "[tool.swaggertools] must be a table" in error.message


@pytest.mark.parametrize("text", ["- specs\n- rules\n", "just text\n", "42\n"])
def test_top_level_not_a_mapping(tmp_path: Path, text: str) -> None:
    config = project(tmp_path, "swaggertools.yaml", text)
    error = _error(config)
    assert (error.file, error.line) == (str(config), 1)
    assert "must be a mapping" in error.message


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n  # and another\n", "---\n"])
def test_empty_file_means_defaults(tmp_path: Path, text: str) -> None:
    config = project(tmp_path, "swaggertools.yaml", text)
    loaded = load_config(config)
    assert loaded.file == config
    assert {k: v["value"] for k, v in loaded.as_dict().items()} == DEFAULTS
    assert all(loaded.origin(k) == DEFAULT_ORIGIN for k in DEFAULTS)


def test_empty_tool_table_means_defaults(tmp_path: Path) -> None:
    config = project(tmp_path, "pyproject.toml", "[tool.swaggertools]\n")
    loaded = load_config(config)
    assert loaded.file == config
    assert {k: v["value"] for k, v in loaded.as_dict().items()} == DEFAULTS
