"""`swaggertools docs SPEC`: a browsable site (HTML or Markdown) of the cleaned spec."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Optional

import typer

from swaggertools.errors import EXIT_OK, SwaggertoolsError

from .common import fail, stderr, stdout
from .options import (
    AllowAmbiguousOpt,
    AllowRemoteOpt,
    AuthOpt,
    AuthorityOpt,
    ConfigOpt,
    DocumentAuthErrorsOpt,
    IdentifyOpt,
    MaxInputOpt,
    MethodExtensionOpt,
    NoConfigOpt,
    RefRootOpt,
    ReplaceSecurityOpt,
    RulesOpt,
    ValidateOpt,
    choice,
    clean_options,
    effective_config,
    safety_values,
)


# Over 80 lines on purpose: typer reads the options from the signature, which is most of
# the function; the body is options -> one library call -> rendering -> exit code.
def docs_command(
    spec: Annotated[Path, typer.Argument(metavar="SPEC", help="The Swagger/OpenAPI file.")],
    output_dir: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--output-dir",
            "-d",
            metavar="DIR",
            help="Folder of the site, replaced as a whole when it holds a previous site "
            "[default: swaggertools-docs].",
        ),
    ] = None,
    fmt: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--format", metavar="html|markdown", help="Output [default: html]."),
    ] = None,
    as_is: Annotated[
        bool,
        typer.Option("--as-is", help="Document the file exactly as given (no rules, no security)."),
    ] = False,
    rules: RulesOpt = None,
    auth: AuthOpt = None,
    authority: AuthorityOpt = None,
    identify: IdentifyOpt = None,
    method_extension: MethodExtensionOpt = None,
    allow_ambiguous: AllowAmbiguousOpt = None,
    replace_security: ReplaceSecurityOpt = None,
    document_auth_errors: DocumentAuthErrorsOpt = None,
    validate: ValidateOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary on stdout.")] = False,
    allow_remote: AllowRemoteOpt = None,
    ref_root: RefRootOpt = None,
    max_input_size: MaxInputOpt = None,
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
) -> None:
    """Write offline API documentation: an HTML site (or Markdown) of the cleaned API.

    By default the API is documented as `clean` would write it (same rules, pruning and
    AIM security; --auth both shows both token modes on one site), with a page of the
    operations excluded from Work Tasks. --as-is documents the file as given. With
    --validate, the documented API is validated too (a warning when it is invalid). The site
    opens from disk, needs nothing from the network and reads without JavaScript.

    Examples:
    \b
      swaggertools docs mes-swagger.json --authority https://sms.plant.local/identitymanager
      swaggertools docs mes.yaml --as-is -d site
      swaggertools docs mes.json --authority https://sms/identitymanager --format markdown -d wiki
    """
    from swaggertools.docs import (  # the renderers load only here
        DEFAULT_DIR,
        DocsOptions,
        build_site,
    )

    try:
        cfg = effective_config(
            config,
            no_config,
            {
                "rules": rules or None,
                "auth": choice("--auth", auth, ("user", "service", "both", "combined", "none")),
                "authority": authority,
                "identify": choice(
                    "--identify", identify, ("auto", "operationId", "extension", "path")
                ),
                "method_extension": method_extension,
                "clean.allow_ambiguous": allow_ambiguous,
                "clean.replace_security": replace_security,
                "clean.document_auth_errors": document_auth_errors,
                **safety_values(allow_remote, ref_root, max_input_size, validate),
            },
        )
        options = DocsOptions(
            # the documented API is clean's in-memory result: its --strict verdict and
            # output format do not apply to a site
            clean=replace(clean_options(cfg), strict=False, output_format=None),
            as_is=as_is,
            validate=validate is not None,
            format=choice("--format", fmt, ("html", "markdown")) or "html",
        )
        result = build_site(spec, output_dir or DEFAULT_DIR, options)
    except SwaggertoolsError as error:
        fail(error)
    for warning in result.warnings:
        stderr.print(f"swaggertools: warning: {warning}")
    if not quiet:
        stdout.print(
            f"{spec}: {result.operations} operations, {result.schemas} schemas, "
            f"{result.excluded} excluded → {result.out_dir}/ ({len(result.pages)} pages)"
        )
    raise typer.Exit(EXIT_OK)
