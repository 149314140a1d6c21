"""`swaggertools worktasks SPEC`: the Work Tasks import kit (specs, Web API Type XML, sheet)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from swaggertools.errors import SwaggertoolsError
from swaggertools.worktasks import XML_AUTH_MODES, KitOptions, build_kit, parse_names

from .common import LARGE_INPUT, fail, file_size, progress_line, stderr, stdout
from .options import (
    AllowAmbiguousOpt,
    AllowRemoteOpt,
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
def worktasks_command(
    spec: Annotated[
        Path, typer.Argument(metavar="SPEC", help="The MES Swagger/OpenAPI file, JSON or YAML.")
    ],
    base_address: Annotated[
        str,
        typer.Option(
            "--base-address",
            metavar="URL",
            help="The MES Web API base address, https and ending with '/', e.g. "
            "https://mes.plant.local/mesmw/.",
        ),
    ],
    publish_url: Annotated[
        str,
        typer.Option(
            "--publish-url",
            metavar="URL",
            help="The folder URL the cleaned specs will be served from, e.g. "
            "https://web.plant.local/specs/.",
        ),
    ],
    output_dir: Annotated[
        Path,
        typer.Option(
            "--output-dir",
            "-d",
            metavar="DIR",
            help="The kit folder: created, or replaced when it holds a previous kit.",
        ),
    ],
    authority: AuthorityOpt = None,
    name: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--name",
            metavar="MODE=NAME",
            help="Web API Type name for a mode (user or service); repeat for both "
            "[default: <title>-User and <title>-Service, in safe characters].",
        ),
    ] = None,
    xml_auth_mode: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--xml-auth-mode",
            metavar="MODE",
            help="Authentication Mode in WebAPITypes.xml: 'No Authentication', 'Windows', "
            "'Access Token' or 'Basic Authentication' [default: Access Token].",
        ),
    ] = None,
    client_id: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--client-id",
            metavar="ID",
            help="The AIM client id of the service mode, shown in the import sheet.",
        ),
    ] = None,
    allow_http: Annotated[
        bool,
        typer.Option(
            "--allow-http",
            help="Accept a plain-http base address (a test system: tokens travel unencrypted).",
        ),
    ] = False,
    rules: RulesOpt = None,
    fmt: CleanFormatOpt = None,
    identify: IdentifyOpt = None,
    method_extension: MethodExtensionOpt = None,
    allow_ambiguous: AllowAmbiguousOpt = None,
    replace_security: ReplaceSecurityOpt = None,
    document_auth_errors: DocumentAuthErrorsOpt = None,
    strict: StrictOpt = None,
    validate: ValidateOpt = None,
    quiet: QuietOpt = False,
    allow_remote: AllowRemoteOpt = None,
    ref_root: RefRootOpt = None,
    max_input_size: MaxInputOpt = None,
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
) -> None:
    """Build the Work Tasks import kit: specs, Web API Type XML, import sheet, kit.json.

    Cleans SPEC as `clean --auth both` does (same options) and writes, in DIR: the two
    cleaned specs and the report, WebAPITypes.xml (one Web API Type per mode), IMPORT.md
    (the steps in the Enterprise Console with every value filled in, each fact with its
    AVEVA page), the same sheet as an offline page (import.html with import.css) and
    kit.json. Every value is checked before anything is written; the kit
    folder is replaced as a whole, and a failed run leaves a previous kit as it was.

    Exit codes: 0 kit written; 1 an output did not validate (nothing written) or --strict
    findings; 2 a bad option, input or folder (nothing written).

    Example:

    \b
      swaggertools worktasks mes-swagger.json --base-address https://mes.plant.local/mesmw/ \\
        --publish-url https://web.plant.local/specs/ \\
        --authority https://sms.plant.local/identitymanager -d mes-kit
    """
    try:
        cfg = effective_config(
            config,
            no_config,
            {
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
        options = KitOptions(
            base_address=base_address,
            publish_url=publish_url,
            names=parse_names(name),
            xml_auth_mode=choice("--xml-auth-mode", xml_auth_mode, XML_AUTH_MODES)
            or "Access Token",
            client_id=client_id,
            allow_http=allow_http,
        )
        progress = progress_line if (stderr.is_terminal and file_size(spec) > LARGE_INPUT) else None
        kit = build_kit(spec, clean_options(cfg), options, output_dir, progress=progress)
        if kit.ok:
            kit.write()
    except SwaggertoolsError as error:
        fail(error)
    if not quiet:
        summary(kit.clean, stdout)
        for note in kit.notes:
            stdout.print(f"note: {note}")
        if kit.ok and kit.model is not None:
            for file_name in (
                "WebAPITypes.xml",
                "IMPORT.md",
                "import.html",
                "import.css",
                "kit.json",
            ):
                stdout.print(f"wrote {output_dir / file_name}")
            names = ", ".join(f"{m.mode}: {m.name}" for m in kit.model.modes)
            sheet, page = output_dir / "IMPORT.md", output_dir / "import.html"
            stdout.print(f"kit: {output_dir} ({names}); follow {sheet} or open {page}")
    raise typer.Exit(kit.exit_code)
