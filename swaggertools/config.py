"""Project configuration: `swaggertools.yaml` or `[tool.swaggertools]` in `pyproject.toml`.

Found by walking up from the working directory (the first folder that has either file
wins; `swaggertools.yaml` before `pyproject.toml`). Paths in the file are relative to
the file's folder, so CI can run a bare `swaggertools lint` from any sub-folder.
Precedence: built-in defaults < configuration file < command line. Every value keeps
where it came from, which `swaggertools config` prints.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .diff.result import DIFF_FORMATS
from .errors import ConfigError, LoadError
from .lint.model import LINT_FORMATS
from .load import MAX_INPUT_BYTES, decode, load_path, read_file
from .pointer import join
from .rules import explain_schema_error
from .schemacheck import schema_errors

CONFIG_NAMES = ("swaggertools.yaml", "swaggertools.yml")
PYPROJECT = "pyproject.toml"

DEFAULTS: dict[str, Any] = {
    "specs": [],
    "rules": ["mes-model-driven-7.0"],
    "auth": "both",
    "authority": None,
    "identify": None,
    "method_extension": "x-mes-method",
    "validate": "fast",
    "max_input_size": None,
    "allow_remote": [],
    "ref_root": None,
    "clean.output_dir": "swaggertools-out",
    "clean.format": None,
    "clean.allow_ambiguous": False,
    "clean.replace_security": False,
    "clean.document_auth_errors": True,
    "clean.strict": False,
    "lint.fail_on": "error",
    "lint.format": "text",
    "lint.output": [],
    "lint.select": [],
    "lint.ignore": [],
    "lint.baseline": None,
    "diff.format": "text",
    "diff.output": [],
    "diff.fail_on": "error",
    "diff.fail_scope": "all",
    "diff.levels": {},
    "diff.ignore_file": None,
    "diff.consumers": None,
}
"""Every setting with its built-in default, by dotted key (`lint.fail_on`)."""

# Values that name files: made relative to the config file's folder when read from it.
_PATH_KEYS = frozenset(
    {"specs", "ref_root", "clean.output_dir", "lint.baseline", "diff.ignore_file", "diff.consumers"}
)
DEFAULT_ORIGIN = "default"
COMMAND_LINE = "command line"


@dataclass(frozen=True)
class Setting:
    """One effective value and where it came from."""

    value: Any
    origin: str


@dataclass(frozen=True)
class Config:
    """The effective configuration: defaults, then the file, then command-line overrides."""

    file: Path | None
    settings: Mapping[str, Setting]

    def __getitem__(self, key: str) -> Any:
        return self.settings[key].value

    def origin(self, key: str) -> str:
        """Where the value of `key` came from (`default`, `file:line`, `command line`)."""
        return self.settings[key].origin

    def override(self, values: Mapping[str, Any], origin: str = COMMAND_LINE) -> Config:
        """A copy with `values` set (None means "not given" and is skipped)."""
        settings = dict(self.settings)
        for key, value in values.items():
            if key not in DEFAULTS:
                raise KeyError(key)
            if value is not None:
                settings[key] = Setting(value, origin)
        return Config(self.file, settings)

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """`{key: {"value": …, "origin": …}}` in the documented key order."""
        return {
            k: {"value": self.settings[k].value, "origin": self.settings[k].origin}
            for k in DEFAULTS
        }


def defaults() -> Config:
    """The built-in defaults only (what `--no-config` uses)."""
    return Config(None, {k: Setting(v, DEFAULT_ORIGIN) for k, v in DEFAULTS.items()})


def find_config(start: Path) -> Path | None:
    """The nearest `swaggertools.yaml` or `pyproject.toml` with `[tool.swaggertools]`."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            path = candidate / name
            if path.is_file():
                return path
        pyproject = candidate / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _has_tool_table(pyproject: Path) -> bool:
    # A broken pyproject.toml that mentions us is reported when loaded, not skipped.
    try:
        text = pyproject.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return "[tool.swaggertools" in text


def load_config(
    path: str | Path | None = None, *, start: str | Path | None = None, discover: bool = True
) -> Config:
    """The effective configuration from `path`, or the one found above `start` (cwd)."""
    base = defaults()
    if path is None and discover:
        found = find_config(Path(start) if start is not None else Path.cwd())
        path = found
    if path is None:
        return base
    file = Path(path)
    data, locate = _read(file)
    _check(data, file, locate)
    values: dict[str, Setting] = dict(base.settings)
    folder = file.parent
    for key, value in _flatten(data).items():
        if key in _PATH_KEYS:
            value = _relative(folder, value)
        elif key == "rules":
            value = [_rule_ref(folder, v) for v in value]
        elif key == "lint.output":
            value = [_output_ref(folder, v, LINT_FORMATS) for v in value]
        elif key == "diff.output":
            value = [_output_ref(folder, v, DIFF_FORMATS) for v in value]
        values[key] = Setting(value, locate(key))
    return Config(file, values)


def _read(file: Path) -> tuple[dict[str, Any], Any]:
    """The config mapping and a function giving the origin text of a dotted key."""
    shown = os.fspath(file)
    if file.name == PYPROJECT:
        # imported here: most runs find no pyproject.toml, and the parser costs start-up
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # pragma: no cover - exercised on Python 3.10 only
            import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]
        try:
            data, _ = read_file(file, max_bytes=MAX_INPUT_BYTES)
            text, _ = decode(data, shown)
            parsed = tomllib.loads(text)
        except LoadError as error:
            raise ConfigError(error.message, file=shown, line=error.line) from None
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"not valid TOML: {error}", file=shown) from None
        table = parsed.get("tool", {}).get("swaggertools", {})
        if not isinstance(table, dict):
            raise ConfigError("[tool.swaggertools] must be a table", file=shown)
        return table, lambda key: f"{shown} [tool.swaggertools] {key}"
    try:
        loaded = load_path(file)
    except LoadError as error:
        if _holds_nothing(file):
            # An empty (or comments-only) file sets nothing: the defaults apply.
            return {}, lambda key: shown
        raise ConfigError(
            error.message, file=error.file, line=error.line, column=error.column
        ) from None
    doc = loaded.doc if loaded.doc is not None else {}
    if not isinstance(doc, dict):
        raise ConfigError("the configuration must be a mapping of settings", file=shown, line=1)

    def locate(key: str) -> str:
        line, _ = loaded.locator.line_col(join(key.split(".")))
        return f"{shown}:{line}" if line else shown

    return doc, locate


def _holds_nothing(file: Path) -> bool:
    """True when the file has only blank lines and YAML comments."""
    try:
        data, _ = read_file(file, max_bytes=MAX_INPUT_BYTES)
        text, _ = decode(data, os.fspath(file))
    except LoadError:
        return False
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def _check(data: dict[str, Any], file: Path, locate: Any) -> None:
    """Refuse unknown keys and wrong types (a typo must not silently change behaviour)."""
    problems = []
    for error in schema_errors(Path(__file__).parent / "schemas" / "config.schema.json", data):
        for pointer, message in explain_schema_error(error):
            problems.append((pointer, message))
    if not problems:
        return
    # The first problem in the file (by line), not the alphabetically first key.
    located = []
    for pointer, message in problems:
        key = ".".join(p for p in pointer.lstrip("#/").split("/") if p)
        where = locate(key) if key else os.fspath(file)
        located.append((_line_of(where), where, message))
    _, where, message = min(located)
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    raise ConfigError(f"{where}: {message}{more}")


def _line_of(where: str) -> int:
    tail = where.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _flatten(data: Mapping[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("clean", "lint", "diff") and isinstance(value, dict):
            for sub, subvalue in value.items():
                flat[f"{key}.{sub}"] = subvalue
        else:
            flat[key] = value
    return flat


def _relative(folder: Path, value: Any) -> Any:
    if isinstance(value, list):
        return [_relative(folder, v) for v in value]
    return display_path(folder / value)


def display_path(path: Path) -> str:
    """A path as people read it: relative to the working directory when below it."""
    absolute = Path(os.path.normpath(os.path.abspath(path)))
    try:
        return absolute.relative_to(Path.cwd()).as_posix() or "."
    except ValueError:
        return os.fspath(absolute)


def _rule_ref(folder: Path, value: str) -> str:
    """Rule entries that look like files are relative to the config; names stay names."""
    looks_like_file = "/" in value or "\\" in value or value.endswith((".yaml", ".yml", ".json"))
    return display_path(folder / value) if looks_like_file else value


def _output_ref(folder: Path, value: str, formats: tuple[str, ...]) -> str:
    fmt, sep, rest = value.partition(":")
    if sep and fmt in formats:
        return f"{fmt}:{display_path(folder / rest)}"
    return display_path(folder / value)
