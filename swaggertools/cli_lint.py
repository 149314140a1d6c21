"""The `lint` and `config` commands (registered on the app that `cli.py` defines).

Kept apart from `cli.py` so each command module stays small; like `cli.py`, this is a
front door: options → one library call → rendering → exit code.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, Optional, TypeVar

import typer

from .cli import (
    AllowRemoteOpt,
    ConfigOpt,
    IdentifyOpt,
    MaxInputOpt,
    MethodExtensionOpt,
    NoConfigOpt,
    RefRootOpt,
    RulesOpt,
    ValidateOpt,
    _choice,
    _fail,
    _max_input,
    _out,
    _report,
    app,
    safety_values,
)
from .config import COMMAND_LINE, DEFAULTS, Config, load_config
from .destination import Artifact, check_target, describe, destination_path, stream_fd, write_all
from .emit import dumps
from .errors import EXIT_ERROR, EXIT_OK, SwaggertoolsError, UsageError
from .lint.checks import CHECKS
from .lint.engine import LintOptions, lint
from .lint.model import LINT_FORMATS, LintFormat

F = TypeVar("F", bound=str)
R = TypeVar("R")

# A report file's format from its name, when `--output` has no `FORMAT:` prefix.
_SUFFIX_FORMATS: tuple[tuple[str, LintFormat], ...] = (
    (".sarif.json", "sarif"),
    (".sarif", "sarif"),
    (".xml", "junit"),
    (".json", "json"),
    (".md", "markdown"),
    (".markdown", "markdown"),
    (".txt", "text"),
    (".log", "text"),
)


def effective_config(config: Path | None, no_config: bool, values: dict[str, Any]) -> Config:
    """Defaults < configuration file < the command-line values given (None = not given)."""
    if config is not None and no_config:
        raise UsageError("use either --config or --no-config, not both")
    if config is not None and not config.is_file():
        raise UsageError("configuration file not found", file=str(config))
    base = load_config(config, discover=not no_config)
    return base.override(values, COMMAND_LINE)


def _ids(values: list[str] | None) -> list[str] | None:
    """`--select a,b --select c` → [a, b, c]; None when the option was not given."""
    if values is None:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def parse_output(
    value: str,
    default: F,
    formats: tuple[str, ...] = LINT_FORMATS,
    suffixes: tuple[tuple[str, F], ...] = _SUFFIX_FORMATS,  # type: ignore[assignment]
) -> tuple[F, Path]:
    """`sarif:out/lint.sarif`, `lint.sarif` or `json:-` (stdout) → (format, path).

    `diff` passes its own formats and suffixes.
    """
    prefix, sep, rest = value.partition(":")
    if sep and prefix in formats and rest:
        return prefix, destination_path(rest)  # type: ignore[return-value]  # one of `formats`
    lowered = value.lower()
    for suffix, fmt in suffixes:
        if lowered.endswith(suffix):
            return fmt, destination_path(value)
    return default, destination_path(value)


def check_streams(outputs: Sequence[tuple[str, Path]], format_given: bool) -> bool:
    """True when an `--output` takes stdout (the `--format` rendering is then not printed).

    One thing per stream: two outputs to stdout (or to stderr), or an output to stdout
    together with `--format` on the command line, are a usage error.
    """
    taken: dict[int, str] = {}
    for fmt, path in outputs:
        fd = stream_fd(path)
        if fd is None:
            continue
        if fd in taken:
            raise UsageError(
                f"--output {taken[fd]} and --output {fmt}:{path} both write to "
                f"{describe(path)}; give one"
            )
        taken[fd] = f"{fmt}:{path}"
    if 1 in taken and format_given:
        raise UsageError(
            f"--format and --output {taken[1]} both choose what stdout shows; give one"
        )
    return 1 in taken


@app.command("lint")
def lint_command(
    specs: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Argument(
            metavar="[SPEC]...",
            help="Spec files to check [default: `specs` from the configuration file].",
            show_default=False,
        ),
    ] = None,
    rules: RulesOpt = None,
    fmt: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="Terminal output: text, json, sarif, junit, github or markdown [default: text].",
        ),
    ] = None,
    output: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--output",
            "-o",
            metavar="[FORMAT:]FILE",
            help="Also write a report file; repeat for several. The format comes from the "
            "prefix (sarif:lint.json), else the suffix (.sarif, .xml = junit, .json, .md, .txt), "
            "else --format. FORMAT:- (or FORMAT:/dev/stdout) prints that format on stdout "
            "instead of --format.",
        ),
    ] = None,
    fail_on: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--fail-on",
            metavar="LEVEL",
            help="Exit 1 on findings at or above: error, warning or never [default: error].",
        ),
    ] = None,
    select: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(metavar="ID,...", help="Run only these checks (comma-separated; repeatable)."),
    ] = None,
    ignore: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(metavar="ID,...", help="Skip these checks (comma-separated; repeatable)."),
    ] = None,
    baseline: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            metavar="FILE",
            help="Hide the findings this baseline file accepts (see --write-baseline).",
        ),
    ] = None,
    write_baseline: Annotated[
        bool,
        typer.Option(
            "--write-baseline",
            help="Write the current findings to the --baseline file (accepting them) and exit 0.",
        ),
    ] = False,
    identify: IdentifyOpt = None,
    method_extension: MethodExtensionOpt = None,
    root: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            metavar="DIR",
            help="Folder that SARIF/GitHub paths are relative to [default: the git repository "
            "root, else the working directory].",
        ),
    ] = None,
    list_checks: Annotated[
        bool, typer.Option("--list-checks", help="List the checks with id, severity and summary.")
    ] = False,
    explain: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(metavar="ID", help="Explain a check, with a failing and a passing example."),
    ] = None,
    allow_remote: AllowRemoteOpt = None,
    ref_root: RefRootOpt = None,
    max_input_size: MaxInputOpt = None,
    validate: ValidateOpt = None,
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
) -> None:
    """Check specs for MES Web API exceptions, validity and Work Tasks readiness.

    Nothing is modified.

    Every file is checked and reported before the exit code is decided: 0 no findings at or
    above --fail-on, 1 such findings, 2 a file could not be read or bad options.

    Examples:

    \b
      swaggertools lint mes-swagger.json
      swaggertools lint mes.json -o lint.sarif -o junit.xml --format github
      swaggertools lint mes.json --ignore untagged-operation --fail-on warning
      swaggertools lint mes.json --baseline lint-baseline.json --write-baseline
      swaggertools lint --explain excluded-operation
    """
    if list_checks:
        for check in CHECKS.values():
            _out.print(f"{check.id:<24} {check.severity.value:<8} {check.summary}")
        raise typer.Exit(EXIT_OK)
    if explain is not None:
        if explain not in CHECKS:
            _fail(UsageError(f"--explain: unknown check {explain!r} (see --list-checks)"))
        check = CHECKS[explain]
        _out.print(f"{check.id} ({check.severity.value})\n\n{check.explain}")
        raise typer.Exit(EXIT_OK)
    # Imported here: the renderers are only needed once a lint actually runs.
    from .lint.formats import github, render

    try:
        cfg = effective_config(
            config,
            no_config,
            {
                "specs": [str(s) for s in specs] if specs else None,
                "rules": rules or None,
                "identify": _choice(
                    "--identify", identify, ("auto", "operationId", "extension", "path")
                ),
                "method_extension": method_extension,
                "lint.format": _choice("--format", fmt, LINT_FORMATS),
                "lint.output": output or None,
                "lint.fail_on": _choice("--fail-on", fail_on, ("error", "warning", "never")),
                "lint.select": _ids(select),
                "lint.ignore": _ids(ignore),
                "lint.baseline": str(baseline) if baseline is not None else None,
                **safety_values(allow_remote, ref_root, max_input_size, validate),
            },
        )
        stdout_format: LintFormat = cfg["lint.format"]
        outputs = [parse_output(o, stdout_format) for o in cfg["lint.output"]]
        to_stdout = check_streams(outputs, cfg.origin("lint.format") == COMMAND_LINE)
        spec_paths = [Path(s) for s in cfg["specs"]]
        for _, path in outputs:
            check_target(path, inputs=spec_paths, allow_input=False)
        run = lint(
            cfg["specs"],
            LintOptions(
                rules=tuple(cfg["rules"]),
                identify=cfg["identify"],
                method_extension=cfg["method_extension"],
                select=tuple(cfg["lint.select"]),
                ignore=tuple(cfg["lint.ignore"]),
                fail_on=cfg["lint.fail_on"],
                baseline=cfg["lint.baseline"],
                write_baseline=write_baseline,
                root=str(root) if root is not None else None,
                validation=cfg["validate"],
                max_input_bytes=_max_input(cfg["max_input_size"]),
                allow_remote=tuple(cfg["allow_remote"]),
                ref_root=cfg["ref_root"],
            ),
        )
        if write_baseline:
            accepted = sum(len(r.findings) for r in run.files if r.error is None)
            _out.print(f"wrote {cfg['lint.baseline']} ({accepted} findings accepted)")
            for result in run.files:
                if result.error is not None:
                    _report(_as_error(result.error))
            raise typer.Exit(EXIT_ERROR if run.exit_code == EXIT_ERROR else EXIT_OK)
        write_all(
            [
                Artifact("lint-report", f, path, render(run, f).encode("utf-8"))
                for f, path in outputs
            ]
        )
        _write_step_summary(run, stdout_format, [f for f, _ in outputs], github.step_summary)
    except SwaggertoolsError as error:
        _fail(error)
    if not to_stdout:
        color = stdout_format == "text" and _out.is_terminal and "NO_COLOR" not in os.environ
        sys.stdout.write(render(run, stdout_format, color=color))
        sys.stdout.flush()
    for result in run.files:
        # Unreadable files also get the one-line error on stderr, like every other command.
        if result.error is not None:
            _report(_as_error(result.error))
    raise typer.Exit(run.exit_code)


def _as_error(finding: Any) -> SwaggertoolsError:
    return SwaggertoolsError(
        finding.message,
        file=finding.file,
        line=finding.line,
        column=finding.column,
        pointer=finding.pointer,
    )


def _write_step_summary(
    run: R,
    stdout_format: str,
    file_formats: list[str],
    summary: Callable[[R], str],
) -> None:
    """Append the Markdown job summary when running the github format inside GitHub Actions."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target or "github" not in (stdout_format, *file_formats):
        return
    try:
        # Appending is GitHub's protocol for this file (other steps write to it too).
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(summary(run))
    except OSError as exc:
        raise UsageError(
            f"cannot append the job summary: {exc.strerror or exc}", file=target
        ) from None


@app.command("config")
def config_command(
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Print the effective configuration and where each value comes from.

    Precedence: built-in defaults < configuration file < command-line options.

    Examples:

    \b
      swaggertools config
      swaggertools config --config ci/swaggertools.yaml --json
    """
    try:
        cfg = effective_config(config, no_config, {})
    except SwaggertoolsError as error:
        _fail(error)
    if as_json:
        doc = {"file": str(cfg.file) if cfg.file else None, "settings": cfg.as_dict()}
        sys.stdout.write(dumps(doc, "json").decode("utf-8"))
        raise typer.Exit(EXIT_OK)
    _out.print(f"configuration file: {cfg.file or 'none found (built-in defaults)'}")
    width = max(len(k) for k in DEFAULTS)
    for key in DEFAULTS:
        value = cfg[key]
        shown = (
            "null" if value is None else str(value).lower() if isinstance(value, bool) else value
        )
        _out.print(f"{key:<{width}} = {shown}    # {cfg.origin(key)}")
