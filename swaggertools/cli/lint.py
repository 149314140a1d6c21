"""`swaggertools lint`: MES Web API exceptions, validity and Work Tasks readiness, as findings."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from swaggertools.config import COMMAND_LINE
from swaggertools.destination import Artifact, check_target, write_all
from swaggertools.errors import EXIT_ERROR, EXIT_OK, SwaggertoolsError, UsageError
from swaggertools.lint.checks import CHECKS
from swaggertools.lint.engine import LintOptions, lint
from swaggertools.lint.model import LINT_FORMATS, LintFormat

from .common import fail, report_error, stdout
from .options import (
    LINT_FAIL_ON,
    AllowRemoteOpt,
    ConfigOpt,
    IdentifyOpt,
    LintFailOnOpt,
    MaxInputOpt,
    MethodExtensionOpt,
    NoConfigOpt,
    RefRootOpt,
    RulesOpt,
    ValidateOpt,
    choice,
    effective_config,
    max_input,
    safety_values,
)
from .reports import check_streams, parse_output, write_step_summary


def _ids(values: list[str] | None) -> list[str] | None:
    """`--select a,b --select c` → [a, b, c]; None when the option was not given."""
    if values is None:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


# Over 80 lines on purpose: typer reads the options from the signature, which is most of
# the function; the body is options -> one library call -> rendering -> exit code.
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
    fail_on: LintFailOnOpt = None,
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
            stdout.print(f"{check.id:<24} {check.severity.value:<8} {check.summary}")
        raise typer.Exit(EXIT_OK)
    if explain is not None:
        if explain not in CHECKS:
            fail(UsageError(f"--explain: unknown check {explain!r} (see --list-checks)"))
        check = CHECKS[explain]
        stdout.print(f"{check.id} ({check.severity.value})\n\n{check.explain}")
        raise typer.Exit(EXIT_OK)
    # Imported here: the renderers are only needed once a lint actually runs.
    from swaggertools.findings import github
    from swaggertools.lint.formats import render

    try:
        cfg = effective_config(
            config,
            no_config,
            {
                "specs": [str(s) for s in specs] if specs else None,
                "rules": rules or None,
                "identify": choice(
                    "--identify", identify, ("auto", "operationId", "extension", "path")
                ),
                "method_extension": method_extension,
                "lint.format": choice("--format", fmt, LINT_FORMATS),
                "lint.output": output or None,
                "lint.fail_on": choice("--fail-on", fail_on, LINT_FAIL_ON),
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
                max_input_bytes=max_input(cfg["max_input_size"]),
                allow_remote=tuple(cfg["allow_remote"]),
                ref_root=cfg["ref_root"],
            ),
        )
        if write_baseline:
            accepted = sum(len(r.findings) for r in run.files if r.error is None)
            stdout.print(f"wrote {cfg['lint.baseline']} ({accepted} findings accepted)")
            for result in run.files:
                if result.error is not None:
                    report_error(_as_error(result.error))
            raise typer.Exit(EXIT_ERROR if run.exit_code == EXIT_ERROR else EXIT_OK)
        write_all(
            [
                Artifact("lint-report", f, path, render(run, f).encode("utf-8"))
                for f, path in outputs
            ]
        )
        write_step_summary(run, stdout_format, [f for f, _ in outputs], github.step_summary)
    except SwaggertoolsError as error:
        fail(error)
    if not to_stdout:
        color = stdout_format == "text" and stdout.is_terminal and "NO_COLOR" not in os.environ
        sys.stdout.write(render(run, stdout_format, color=color))
        sys.stdout.flush()
    for result in run.files:
        # Unreadable files also get the one-line error on stderr, like every other command.
        if result.error is not None:
            report_error(_as_error(result.error))
    raise typer.Exit(run.exit_code)


def _as_error(finding: Any) -> SwaggertoolsError:
    return SwaggertoolsError(
        finding.message,
        file=finding.file,
        line=finding.line,
        column=finding.column,
        pointer=finding.pointer,
    )
