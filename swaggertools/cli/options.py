"""Option definitions and option values shared by the commands.

Each `*Opt` is an annotated type a command's signature uses; the helpers turn the values
given into configuration overrides (None = not given), so that the configuration file
fills in the rest (`effective_config`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from swaggertools.config import COMMAND_LINE, Config, load_config
from swaggertools.errors import UsageError
from swaggertools.load import MAX_INPUT_BYTES, parse_size
from swaggertools.model import CleanOptions

RulesOpt = Annotated[
    Optional[list[str]],  # noqa: UP045 - typer needs Optional on 3.10
    typer.Option(
        "--rules",
        "-r",
        metavar="PATH|NAME",
        help="Rule file path or shipped rule-set name; repeat for several "
        "[default: mes-model-driven-7.0].",
    ),
]
IdentifyOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        metavar="STRATEGY",
        help="How MES method names map to operations: auto, operationId, extension or "
        "path [default: each rule set's own, normally auto].",
    ),
]
MethodExtensionOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        metavar="NAME",
        help="Vendor extension holding the MES method name [default: x-mes-method].",
    ),
]
ConfigOpt = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        "--config",
        metavar="FILE",
        help="Configuration file [default: the nearest swaggertools.yaml or pyproject.toml "
        "with [tool.swaggertools], searching upwards from the working directory].",
    ),
]
NoConfigOpt = Annotated[
    bool, typer.Option("--no-config", help="Ignore configuration files (built-in defaults).")
]
AllowRemoteOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--allow-remote",
        metavar="HOST[,HOST...]",
        help="Hosts whose https $refs may be fetched (HOST or HOST:PORT; plain http only as "
        "http://HOST:PORT). Loopback, private and metadata addresses stay blocked unless "
        "listed as addresses. Default: nothing is fetched.",
    ),
]
RefRootOpt = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        "--ref-root",
        metavar="DIR",
        help="Folder that file $refs must stay inside [default: the spec's folder].",
    ),
]
MaxInputOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--max-input-size",
        metavar="SIZE",
        help="Largest spec or rule file read, checked before parsing: 256MB, 500KB, 1GB or "
        "bytes [default: 256MB].",
    ),
]
ValidateOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--validate",
        metavar="fast|full",
        help="Validator: fast (the OpenAPI JSON Schemas with jsonschema-rs plus "
        "openapi-spec-validator's semantic checks) or full (openapi-spec-validator itself, "
        "much slower on large files) [default: fast].",
    ),
]


AuthOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        metavar="MODE",
        help="AIM token mode: user, service, both (two files), combined (one file, "
        "both schemes) or none [default: both].",
    ),
]
AuthorityOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(metavar="URL", help="AIM base URL, e.g. https://sms.plant.local/identitymanager."),
]
CleanFormatOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--format",
        metavar="json|yaml",
        help="Output format: json or yaml [default: as the input].",
    ),
]
AllowAmbiguousOpt = Annotated[
    Optional[bool],  # noqa: UP045
    typer.Option(
        "--allow-ambiguous/--no-allow-ambiguous",
        help="Remove every operation an ambiguous rule matches [default: no].",
        show_default=False,
    ),
]
ReplaceSecurityOpt = Annotated[
    Optional[bool],  # noqa: UP045
    typer.Option(
        "--replace-security/--no-replace-security",
        help="Replace same-named security schemes and operation-level security [default: no].",
        show_default=False,
    ),
]
DocumentAuthErrorsOpt = Annotated[
    Optional[bool],  # noqa: UP045
    typer.Option(
        "--document-auth-errors/--no-document-auth-errors",
        help="Add 401 (token) and 500 (AIM unreachable) responses where missing [default: yes].",
        show_default=False,
    ),
]
StrictOpt = Annotated[
    Optional[bool],  # noqa: UP045
    typer.Option(
        "--strict/--no-strict",
        help="Exit 1 on an invalid input and on unmatched or ambiguous rules [default: no].",
        show_default=False,
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No summary on stdout.")]

LINT_FAIL_ON = ("error", "warning", "never")
"""`lint --fail-on` levels."""
DIFF_FAIL_ON = ("error", "warning", "info", "never")
"""`diff --fail-on` levels (a change can be info and still fail the build)."""


def _fail_on(what: str, levels: tuple[str, ...]) -> Any:
    """The `--fail-on` option of a command whose results are `what`, at one of `levels`."""
    named = f"{', '.join(levels[:-1])} or {levels[-1]}"
    return typer.Option(
        "--fail-on",
        metavar="LEVEL",
        help=f"Exit 1 on {what} at or above: {named} [default: error].",
    )


LintFailOnOpt = Annotated[Optional[str], _fail_on("findings", LINT_FAIL_ON)]  # noqa: UP045
DiffFailOnOpt = Annotated[Optional[str], _fail_on("changes", DIFF_FAIL_ON)]  # noqa: UP045
FailScopeOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--fail-scope",
        metavar="SCOPE",
        help="Which changes --fail-on counts: all, or used (operations of --consumers) "
        "[default: all].",
    ),
]


def effective_config(config: Path | None, no_config: bool, values: dict[str, Any]) -> Config:
    """Defaults < configuration file < the command-line values given (None = not given)."""
    if config is not None and no_config:
        raise UsageError("use either --config or --no-config, not both")
    if config is not None and not config.is_file():
        raise UsageError("configuration file not found", file=str(config))
    base = load_config(config, discover=not no_config)
    return base.override(values, COMMAND_LINE)


def clean_values(
    rules: list[str] | None,
    authority: str | None,
    identify: str | None,
    method_extension: str | None,
    fmt: str | None,
    allow_ambiguous: bool | None,
    replace_security: bool | None,
    document_auth_errors: bool | None,
    strict: bool | None,
) -> dict[str, Any]:
    """The cleaning options `clean` shares with `worktasks`, as config overrides."""
    return {
        "rules": rules or None,
        "authority": authority,
        "identify": choice("--identify", identify, ("auto", "operationId", "extension", "path")),
        "method_extension": method_extension,
        "clean.format": choice("--format", fmt, ("json", "yaml")),
        "clean.allow_ambiguous": allow_ambiguous,
        "clean.replace_security": replace_security,
        "clean.document_auth_errors": document_auth_errors,
        "clean.strict": strict,
    }


def clean_options(cfg: Any) -> CleanOptions:
    """The effective configuration as the options object `pipeline.clean` takes."""
    return CleanOptions(
        rules=tuple(cfg["rules"]),
        identify=cfg["identify"],
        method_extension=cfg["method_extension"],
        allow_ambiguous=cfg["clean.allow_ambiguous"],
        auth=cfg["auth"],
        authority=cfg["authority"],
        replace_security=cfg["clean.replace_security"],
        document_auth_errors=cfg["clean.document_auth_errors"],
        strict=cfg["clean.strict"],
        output_format=cfg["clean.format"],
        allow_remote=tuple(cfg["allow_remote"]),
        ref_root=cfg["ref_root"],
        max_input_bytes=max_input(cfg["max_input_size"]),
        validation=cfg["validate"],
    )


def max_input(value: str | int | None) -> int:
    """`--max-input-size` (or the configured size) in bytes."""
    if isinstance(value, int):
        return value
    return MAX_INPUT_BYTES if value is None else parse_size(value)


def safety_values(
    allow_remote: list[str] | None,
    ref_root: Path | None,
    max_input_size: str | None,
    validate: str | None,
) -> dict[str, Any]:
    """The `$ref`-policy, size-limit and validator options as config overrides."""
    if max_input_size is not None:
        parse_size(max_input_size)  # a bad size is reported as the option's error
    return {
        "allow_remote": list(allow_remote) if allow_remote else None,
        "ref_root": str(ref_root) if ref_root is not None else None,
        "max_input_size": max_input_size,
        "validate": choice("--validate", validate, ("fast", "full")),
    }


def choice(option: str, value: str | None, allowed: tuple[str, ...]) -> Any:
    """`value` when it is one of `allowed` (None stays None), else a one-line UsageError."""
    if value is None:
        return None
    if value not in allowed:
        raise UsageError(f"{option}: {value!r} is not one of {', '.join(allowed)}")
    return value
