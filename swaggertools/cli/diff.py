"""`swaggertools diff OLD NEW`: what changed between two releases, what breaks, who is hit."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from swaggertools.config import COMMAND_LINE
from swaggertools.destination import Artifact, check_target, write_all
from swaggertools.diff.kinds import KINDS
from swaggertools.diff.result import DIFF_FORMATS, DiffFormat
from swaggertools.errors import EXIT_OK, SwaggertoolsError, UsageError

from .common import fail, stdout
from .options import (
    DIFF_FAIL_ON,
    AllowRemoteOpt,
    ConfigOpt,
    DiffFailOnOpt,
    FailScopeOpt,
    IdentifyOpt,
    MaxInputOpt,
    MethodExtensionOpt,
    NoConfigOpt,
    RefRootOpt,
    RulesOpt,
    choice,
    effective_config,
    max_input,
    safety_values,
)
from .reports import SUFFIX_FORMATS, check_streams, parse_output, write_step_summary

_DIFF_SUFFIXES: tuple[tuple[str, DiffFormat], ...] = (
    (".html", "html"),
    (".htm", "html"),
    *SUFFIX_FORMATS,
)


# Over 80 lines on purpose: typer reads the options from the signature, which is most of
# the function; the body is options -> one library call -> rendering -> exit code.
def diff_command(
    old: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Argument(
            metavar="OLD", help="The spec of the installed release.", show_default=False
        ),
    ] = None,
    new: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Argument(metavar="NEW", help="The spec of the new release.", show_default=False),
    ] = None,
    rules: RulesOpt = None,
    no_rules: Annotated[
        bool, typer.Option("--no-rules", help="Leave out the rule-drift report.")
    ] = False,
    fmt: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="Terminal output: text, markdown, html, json, junit, github or sarif "
            "[default: text].",
        ),
    ] = None,
    output: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--output",
            "-o",
            metavar="[FORMAT:]FILE",
            help="Also write a report file; repeat for several. The format comes from the "
            "prefix (sarif:diff.json), else the suffix (.sarif, .xml = junit, .json, .md, "
            ".html, .txt), else --format.",
        ),
    ] = None,
    fail_on: DiffFailOnOpt = None,
    fail_scope: FailScopeOpt = None,
    ignore_file: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--ignore-file",
            metavar="FILE",
            help="Accepted changes: entries of change id, operation glob and reason.",
        ),
    ] = None,
    consumers: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--consumers",
            metavar="FILE",
            help="What the Work Tasks installation uses (operationId or METHOD /path, "
            "optionally with request/response fields): changes are graded used or unused.",
        ),
    ] = None,
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
        bool,
        typer.Option("--list-checks", help="List the change kinds with id, level and summary."),
    ] = False,
    explain: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(metavar="ID", help="Explain a change kind, with a failing example."),
    ] = None,
    allow_remote: AllowRemoteOpt = None,
    ref_root: RefRootOpt = None,
    max_input_size: MaxInputOpt = None,
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
) -> None:
    """Compare two releases of a spec: what changed, what breaks, how the rules drift.

    Swagger 2.0 and OpenAPI 3.x are read into one model, so a move from 2.0 to 3.0 shows
    no change by itself. Operations are paired by path, then operationId, then MES method
    name; a renamed operation is one change.

    Exit codes: 0 nothing at or above --fail-on, 1 such changes, 2 a file could not be
    read or bad options.

    Examples:

    \b
      swaggertools diff mes-7.0.json mes-7.1.json
      swaggertools diff old.json new.json --consumers workflows.yaml --fail-scope used
      swaggertools diff old.json new.json -o diff.sarif -o comment.md --format github
      swaggertools diff --explain operation-id-changed
    """
    if list_checks:
        for change_kind in KINDS.values():
            stdout.print(f"{change_kind.id:<36} {change_kind.level:<8} {change_kind.summary}")
        raise typer.Exit(EXIT_OK)
    if explain is not None:
        if explain not in KINDS:
            fail(UsageError(f"--explain: unknown change kind {explain!r} (see --list-checks)"))
        found = KINDS[explain]
        stdout.print(f"{found.id} ({found.level}, {found.direction})\n\n{found.explain()}")
        raise typer.Exit(EXIT_OK)
    if old is None or new is None:
        fail(UsageError("diff needs two spec files: swaggertools diff OLD NEW"))
    # Imported here: only a comparison needs the engine and the renderers.
    from swaggertools.diff.engine import DiffOptions, diff
    from swaggertools.diff.formats import markdown, render

    try:
        cfg = effective_config(
            config,
            no_config,
            {
                "rules": rules or None,
                "identify": choice(
                    "--identify", identify, ("auto", "operationId", "extension", "path")
                ),
                "method_extension": method_extension,
                "diff.format": choice("--format", fmt, DIFF_FORMATS),
                "diff.output": output or None,
                "diff.fail_on": choice("--fail-on", fail_on, DIFF_FAIL_ON),
                "diff.fail_scope": choice("--fail-scope", fail_scope, ("all", "used")),
                "diff.ignore_file": str(ignore_file) if ignore_file is not None else None,
                "diff.consumers": str(consumers) if consumers is not None else None,
                **safety_values(allow_remote, ref_root, max_input_size, None),
            },
        )
        stdout_format: DiffFormat = cfg["diff.format"]
        outputs = [
            parse_output(o, stdout_format, DIFF_FORMATS, _DIFF_SUFFIXES) for o in cfg["diff.output"]
        ]
        to_stdout = check_streams(outputs, cfg.origin("diff.format") == COMMAND_LINE)
        if cfg["diff.fail_scope"] == "used" and not cfg["diff.consumers"]:
            raise UsageError("--fail-scope used needs --consumers FILE")
        for _, path in outputs:
            check_target(path, inputs=[old, new], allow_input=False)
        result = diff(
            old,
            new,
            DiffOptions(
                rules=() if no_rules else tuple(cfg["rules"]),
                identify=cfg["identify"],
                method_extension=cfg["method_extension"],
                levels=dict(cfg["diff.levels"]),
                ignore_file=cfg["diff.ignore_file"],
                consumers_file=cfg["diff.consumers"],
                fail_on=cfg["diff.fail_on"],
                fail_scope=cfg["diff.fail_scope"],
                root=str(root) if root is not None else None,
                max_input_bytes=max_input(cfg["max_input_size"]),
                allow_remote=tuple(cfg["allow_remote"]),
                ref_root=cfg["ref_root"],
            ),
        )
        write_all(
            [
                Artifact("diff-report", f, path, render(result, f).encode("utf-8"))
                for f, path in outputs
            ]
        )
        write_step_summary(result, stdout_format, [f for f, _ in outputs], markdown.render)
    except SwaggertoolsError as error:
        fail(error)
    if not to_stdout:
        color = stdout_format == "text" and stdout.is_terminal and "NO_COLOR" not in os.environ
        sys.stdout.write(render(result, stdout_format, color=color))
        sys.stdout.flush()
    raise typer.Exit(result.exit_code)
