"""`swaggertools validate`: each spec checked as openapi-spec-validator checks it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from swaggertools.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, SwaggertoolsError
from swaggertools.model import ValidationMode
from swaggertools.pipeline import validate_file
from swaggertools.refs import RefPolicy

from .common import fail, report_error, stdout
from .options import AllowRemoteOpt, MaxInputOpt, RefRootOpt, ValidateOpt, choice, max_input


def validate_command(
    specs: Annotated[list[Path], typer.Argument(metavar="SPEC...", help="Spec files to validate.")],
    method_extension: Annotated[
        str, typer.Option(metavar="NAME", help="Vendor extension holding the MES method name.")
    ] = "x-mes-method",
    allow_remote: AllowRemoteOpt = None,
    ref_root: RefRootOpt = None,
    max_input_size: MaxInputOpt = None,
    validate: ValidateOpt = None,
) -> None:
    """Validate specs as openapi-spec-validator does; every error with pointer and line.

    The default validator (fast) checks the OpenAPI JSON Schemas with jsonschema-rs and
    repeats openapi-spec-validator's semantic checks; --validate full runs
    openapi-spec-validator itself. Both give the same verdict.

    Every file is checked before the exit code is decided: 0 all valid, 1 some invalid,
    2 some unreadable.

    Example:

    \b
      swaggertools validate swaggertools-out/mes-swagger.user.json
    """
    code = EXIT_OK
    try:
        max_bytes = max_input(max_input_size)
        mode: ValidationMode = choice("--validate", validate, ("fast", "full")) or "fast"
    except SwaggertoolsError as error:
        fail(error)
    for spec in specs:
        try:
            result = validate_file(
                spec,
                method_extension=method_extension,
                max_bytes=max_bytes,
                validation=mode,
                ref_policy=RefPolicy(
                    allow_remote=tuple(allow_remote or ()),
                    ref_root=str(ref_root) if ref_root is not None else None,
                ),
            )
        except SwaggertoolsError as error:
            report_error(error)
            code = EXIT_ERROR
            continue
        errors = [f for f in result.findings if f.severity.value == "error"]
        for f in result.findings:
            where = f"{f.file}:{f.line}:{f.column}" if f.line else f"{f.file}"
            stdout.print(
                f"{where}: {f.severity.value}: {f.pointer}: {f.message} [{f.rule}]",
            )
        if errors:
            code = max(code, EXIT_FINDINGS)
            stdout.print(
                f"{result.file}: INVALID ({result.version}, {len(errors)} errors)",
            )
        else:
            stdout.print(f"{result.file}: valid ({result.version})")
    raise typer.Exit(code)
