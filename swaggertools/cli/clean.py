"""`swaggertools clean`: one spec (or several) → cleaned, secured, validated outputs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from swaggertools.destination import Kind, destination_path, kind_of, stream_fd
from swaggertools.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, SwaggertoolsError, UsageError
from swaggertools.pipeline import CleanResult, clean

from .common import LARGE_INPUT, fail, file_size, progress_line, report_error, stderr, stdout
from .options import (
    AllowAmbiguousOpt,
    AllowRemoteOpt,
    AuthOpt,
    AuthorityOpt,
    CleanFormatOpt,
    ConfigOpt,
    DocumentAuthErrorsOpt,
    IdentifyOpt,
    MaxInputOpt,
    MethodExtensionOpt,
    NoConfigOpt,
    QuietOpt,
    RefRootOpt,
    ReplaceSecurityOpt,
    RulesOpt,
    StrictOpt,
    ValidateOpt,
    choice,
    clean_options,
    clean_values,
    effective_config,
    safety_values,
)
from .summary import summary


# Over 80 lines on purpose: typer reads the options from the signature, which is most of
# the function; the body is options -> one library call -> rendering -> exit code.
def clean_command(
    specs: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Argument(
            metavar="[SPEC]...",
            help="The MES Swagger/OpenAPI file(s), JSON or YAML "
            "[default: `specs` from the configuration file].",
            show_default=False,
        ),
    ] = None,
    rules: RulesOpt = None,
    auth: AuthOpt = None,
    authority: AuthorityOpt = None,
    output_dir: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--output-dir",
            "-d",
            metavar="DIR",
            help="Folder for outputs, created when missing [default: swaggertools-out].",
        ),
    ] = None,
    output: Annotated[
        Optional[str],  # noqa: UP045 - a str: `-` is stdout, `./-` a file named `-`
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="Output file, for modes that write one file; - (or /dev/stdout) writes the "
            "spec to stdout and the summary to stderr. Reports go beside a regular file, "
            "else only to --output-dir.",
        ),
    ] = None,
    in_place: Annotated[
        bool, typer.Option("--in-place", help="Overwrite the input (one-file modes only).")
    ] = False,
    fmt: CleanFormatOpt = None,
    identify: IdentifyOpt = None,
    method_extension: MethodExtensionOpt = None,
    allow_ambiguous: AllowAmbiguousOpt = None,
    replace_security: ReplaceSecurityOpt = None,
    document_auth_errors: DocumentAuthErrorsOpt = None,
    strict: StrictOpt = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; exit 1 when the cleaned spec files on disk differ from what "
            "clean would write now (for CI and pre-commit).",
        ),
    ] = False,
    validate: ValidateOpt = None,
    quiet: QuietOpt = False,
    allow_remote: AllowRemoteOpt = None,
    ref_root: RefRootOpt = None,
    max_input_size: MaxInputOpt = None,
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
) -> None:
    """Remove excluded MES methods, prune orphans, add AIM security, validate, write.

    Writes <stem>.user.<ext> and <stem>.service.<ext> (--auth both), or <stem>.clean.<ext>
    (combined, none), plus <stem>.report.json and <stem>.report.md. Nothing is written when
    an output does not validate. Settings not given here come from the configuration file
    (see `swaggertools config`).

    Examples:

    \b
      swaggertools clean mes-swagger.json --authority https://sms.plant.local/identitymanager
      swaggertools clean mes.yaml --auth service --authority https://sms/identitymanager -o out.yaml
      swaggertools clean mes.json --auth none --rules mes-model-driven-7.0 --rules site.yaml
      swaggertools clean mes.json --auth none -o - | jq .info   # spec on stdout, summary on stderr
      swaggertools clean --check          # specs and settings from swaggertools.yaml
    """
    code = EXIT_OK
    try:
        cfg = effective_config(
            config,
            no_config,
            {
                "specs": [str(s) for s in specs] if specs else None,
                "auth": choice("--auth", auth, ("user", "service", "both", "combined", "none")),
                "clean.output_dir": str(output_dir) if output_dir is not None else None,
                **clean_values(
                    rules,
                    authority,
                    identify,
                    method_extension,
                    fmt,
                    allow_ambiguous,
                    replace_security,
                    document_auth_errors,
                    strict,
                ),
                **safety_values(allow_remote, ref_root, max_input_size, validate),
            },
        )
        options = clean_options(cfg)
        spec_paths = [Path(s) for s in cfg["specs"]]
        if not spec_paths:
            raise UsageError("no spec file given (name it, or set `specs` in swaggertools.yaml)")
        if len(spec_paths) > 1 and (output is not None or in_place):
            raise UsageError("--output and --in-place work on one spec file at a time")
        if check and in_place:
            raise UsageError("use either --check or --in-place, not both")
        output_path = destination_path(output) if output is not None else None
        if check and output_path is not None and kind_of(output_path) is not Kind.FILE:
            raise UsageError(
                f"--check compares files on disk; --output {output} is not a regular file"
            )
    except SwaggertoolsError as error:
        fail(error)
    for spec in spec_paths:
        try:
            progress = (
                progress_line if (stderr.is_terminal and file_size(spec) > LARGE_INPUT) else None
            )
            result = clean(
                spec,
                options,
                # the default folder is pipeline's choice: with --output the report goes beside it
                output_dir=(
                    None if cfg.origin("clean.output_dir") == "default" else cfg["clean.output_dir"]
                ),
                output=output_path,
                in_place=in_place,
                progress=progress,
            )
            if check:
                code = max(code, result.exit_code, check_outputs(result))
                continue
            if result.ok:
                result.write()
        except SwaggertoolsError as error:
            report_error(error)
            code = EXIT_ERROR
            continue
        if not quiet:
            # stdout carries only the spec when it is the output
            summary(result, stderr if output_path and stream_fd(output_path) == 1 else stdout)
        code = max(code, result.exit_code)
    raise typer.Exit(code)


def check_outputs(result: CleanResult) -> int:
    """`--check`: compare the spec files clean would write with those on disk.

    Only the specs are compared: the reports carry timings, which differ on every run.
    """
    if not result.ok:
        stdout.print("outputs do not validate: nothing to compare")
        return EXIT_FINDINGS
    stale = 0
    for art in result.artifacts:
        if art.kind != "spec":
            continue
        try:
            current = art.path.read_bytes()
        except OSError:
            current = None
        if current == art.data:
            stdout.print(f"up to date: {art.path}")
        else:
            stale += 1
            state = "missing" if current is None else "out of date"
            stdout.print(f"{state}: {art.path} (run swaggertools clean to update)")
    return EXIT_FINDINGS if stale else EXIT_OK
