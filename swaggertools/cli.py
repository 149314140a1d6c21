"""The command line: options → one library call → rendering → exit code.

This is the only module that imports typer and the only one that prints or exits.
Exit codes: 0 success; 1 findings at or above the failing level; 2 usage, input,
rule-file or policy error; 3 internal error (a bug: please report it).
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated, Any, NoReturn, Optional

import typer

from .project import __version__
from .console import Console
from .destination import Kind, describe, destination_path, kind_of, stream_fd
from .errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, SwaggertoolsError, UsageError
from .load import MAX_INPUT_BYTES, parse_size
from .model import CleanOptions, ValidationMode
from .pipeline import CleanResult, clean, validate_file
from .refs import RefPolicy
from .report_security import security_sentences
from .rules import check_file, load_ruleset, shipped_rulesets

EXIT_INTERNAL = 3
_LARGE_INPUT = 2 * 1024 * 1024
_MAX_LISTED = 10

app = typer.Typer(
    name="swaggertools",
    help=(
        "Clean, secure and validate AVEVA MES Web API Swagger files for AVEVA Work Tasks.\n\n"
        "Exit codes: 0 success; 1 findings at or above the failing level; "
        "2 usage, input, rule-file or policy error; 3 internal error.\n\n"
        "Examples:\n\n"
        "\b\n"
        "  swaggertools clean mes-swagger.json --authority https://sms.plant.local/identitymanager\n"
        "  swaggertools validate swaggertools-out/mes-swagger.user.json\n"
        "  swaggertools rules list"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
rules_app = typer.Typer(
    help="List and check rule sets.\n\n"
    "Examples:\n\n"
    "\b\n"
    "  swaggertools rules list\n"
    "  swaggertools rules check rules/site-extra.yaml",
    no_args_is_help=True,
)
app.add_typer(rules_app, name="rules")

_out = Console()
_err = Console(stderr=True)
_DEBUG = False


def _report(error: SwaggertoolsError) -> None:
    """The one-line form of an error on stderr (with its traceback under --debug)."""
    if _DEBUG:
        import traceback

        traceback.print_exception(error)
    _err.print(f"swaggertools: error: {error.one_line()}")


def _fail(error: SwaggertoolsError) -> NoReturn:
    _report(error)
    raise typer.Exit(error.exit_code)


def _version(value: bool) -> None:
    if value:
        _out.print(f"swaggertools {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks for errors (for bug reports).")
    ] = False,
) -> None:
    global _DEBUG
    _DEBUG = debug


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


@app.command("clean")
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
    auth: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            metavar="MODE",
            help="AIM token mode: user, service, both (two files), combined (one file, "
            "both schemes) or none [default: both].",
        ),
    ] = None,
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
    from .cli_lint import effective_config  # the config front door lives with `config`

    code = EXIT_OK
    try:
        cfg = effective_config(
            config,
            no_config,
            {
                "specs": [str(s) for s in specs] if specs else None,
                "auth": _choice("--auth", auth, ("user", "service", "both", "combined", "none")),
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
        _fail(error)
    for spec in spec_paths:
        try:
            progress = _progress if (_err.is_terminal and _size(spec) > _LARGE_INPUT) else None
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
                code = max(code, result.exit_code, _check_outputs(result))
                continue
            if result.ok:
                result.write()
        except SwaggertoolsError as error:
            _report(error)
            code = EXIT_ERROR
            continue
        if not quiet:
            # stdout carries only the spec when it is the output
            _summary(result, _err if output_path and stream_fd(output_path) == 1 else _out)
        code = max(code, result.exit_code)
    raise typer.Exit(code)


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
        "identify": _choice("--identify", identify, ("auto", "operationId", "extension", "path")),
        "method_extension": method_extension,
        "clean.format": _choice("--format", fmt, ("json", "yaml")),
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
        max_input_bytes=_max_input(cfg["max_input_size"]),
        validation=cfg["validate"],
    )


def _check_outputs(result: CleanResult) -> int:
    """`--check`: compare the spec files clean would write with those on disk.

    Only the specs are compared: the reports carry timings, which differ on every run.
    """
    if not result.ok:
        _out.print("outputs do not validate: nothing to compare")
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
            _out.print(f"up to date: {art.path}")
        else:
            stale += 1
            state = "missing" if current is None else "out of date"
            _out.print(f"{state}: {art.path} (run swaggertools clean to update)")
    return EXIT_FINDINGS if stale else EXIT_OK


def _max_input(value: str | int | None) -> int:
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
        "validate": _choice("--validate", validate, ("fast", "full")),
    }


def _choice(option: str, value: str | None, allowed: tuple[str, ...]) -> Any:
    """`value` when it is one of `allowed` (None stays None), else a one-line UsageError."""
    if value is None:
        return None
    if value not in allowed:
        raise UsageError(f"{option}: {value!r} is not one of {', '.join(allowed)}")
    return value


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _progress(stage: str) -> None:
    _err.print(f"swaggertools: {stage.replace('_', ' ')}…")


def _summary(result: CleanResult, out: Console) -> None:
    """What was removed, pruned, unmatched and validated, and what was written."""
    report = result.report.as_dict()
    s: dict[str, Any] = report["summary"]
    inp: dict[str, Any] = report["input"]
    out.print(
        f"{inp['path']}: {inp['spec_version']}, {s['operations_in']} operations → "
        f"{s['operations_out']} ({s['removed_operations']} removed, {s['pruned']} pruned)",
    )
    removed: list[dict[str, Any]] = report["removed_operations"]
    for r in removed:
        why = r["reason"] + (f"; use {r['replacement']}" if r["replacement"] else "")
        out.print(
            f"  removed {r['method']} {r['path']} ({r['operationId']}): {why} "
            f"[{r['rule']}, by {r['strategy']}]",
        )
    pruned: list[dict[str, Any]] = report["pruned"]
    if pruned:
        counts = Counter((p["kind"], p["cause"]) for p in pruned)
        parts = [f"{n} {kind} ({cause})" for (kind, cause), n in sorted(counts.items())]
        out.print("  pruned: " + ", ".join(parts))
    for variant, sentence in security_sentences(report["security"]):
        out.print(f"  security{f' ({variant})' if variant else ''}: {sentence}")
    for f in report["findings"]:
        if f["rule"] == "input-note":  # e.g. which files' $refs were bundled
            out.print(f"  note: {f['message']}")
    mappings = [f for f in report["findings"] if f["rule"] == "unresolved-mapping"]
    if mappings:
        out.print(f"{len(mappings)} discriminator mapping value(s) point to nothing:")
    for f in mappings[:_MAX_LISTED]:
        out.print(f"  warning: {_where(f)}: {f['pointer']}: {f['message']}")
    if len(mappings) > _MAX_LISTED:
        out.print(f"  … {len(mappings) - _MAX_LISTED} more in the report")
    unmatched: list[dict[str, Any]] = report["unmatched_rules"]
    if unmatched:
        out.print(f"{len(unmatched)} rule(s) matched nothing:")
    for u in unmatched[:_MAX_LISTED]:
        out.print(
            f"  unmatched: {u['rule']} {u['kind']} {u['target']} ({u['file']}:{u['line']})",
        )
    if len(unmatched) > _MAX_LISTED:
        out.print(f"  … {len(unmatched) - _MAX_LISTED} more in the report")
    for a in report["ambiguous_rules"]:
        out.print(
            f"  ambiguous: {a['rule']} {a['target']} matched {len(a['candidates'])} operations"
            + (" (removed)" if a["removed"] else " (nothing removed; --allow-ambiguous)"),
        )
    validation: dict[str, Any] = report["validation"]
    states = [f"input {'valid' if validation['input']['valid'] else 'INVALID'}"]
    states += [
        f"{o['variant']} {'valid' if o['valid'] else 'INVALID'}" for o in validation["outputs"]
    ]
    out.print("validation: " + ", ".join(states))
    for f in report["findings"]:
        if f["severity"] == "error":
            out.print(f"  {_where(f)}: {f['pointer']}: {f['message']}")
    if result.ok:
        for art in result.artifacts:
            out.print(f"wrote {describe(art.path)}")
        if not any(art.kind.startswith("report") for art in result.artifacts):
            out.print("reports not written: the output is not a regular file (use --output-dir)")
    else:
        out.print("nothing written: an output did not validate")


def _where(finding: dict[str, Any]) -> str:
    """`file:line:col` of a report finding record, or just its file."""
    if finding["line"]:
        return f"{finding['file']}:{finding['line']}:{finding['column']}"
    return f"{finding['file']}"


@app.command("validate")
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
        max_bytes = _max_input(max_input_size)
        mode: ValidationMode = _choice("--validate", validate, ("fast", "full")) or "fast"
    except SwaggertoolsError as error:
        _fail(error)
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
            _report(error)
            code = EXIT_ERROR
            continue
        errors = [f for f in result.findings if f.severity.value == "error"]
        for f in result.findings:
            where = f"{f.file}:{f.line}:{f.column}" if f.line else f"{f.file}"
            _out.print(
                f"{where}: {f.severity.value}: {f.pointer}: {f.message} [{f.rule}]",
            )
        if errors:
            code = max(code, EXIT_FINDINGS)
            _out.print(
                f"{result.file}: INVALID ({result.version}, {len(errors)} errors)",
            )
        else:
            _out.print(f"{result.file}: valid ({result.version})")
    raise typer.Exit(code)


@rules_app.command("list")
def rules_list() -> None:
    """List the shipped rule sets (usable by name with --rules).

    Example:

    \b
      swaggertools rules list
    """
    for path in shipped_rulesets():
        try:
            rs = load_ruleset(path)
        except SwaggertoolsError as error:
            _fail(error)
        complete = {True: "complete", False: "known incomplete", None: "completeness unknown"}
        _out.print(
            f"{rs.name}  version {rs.version}  {rs.mes_release or 'MES release not stated'}  "
            f"{len(rs.rules)} rules  {complete[rs.complete]}  {path}",
        )


@rules_app.command("check")
def rules_check(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Rule files to check.")],
) -> None:
    """Check rule files against the rule-set schema; every problem with file and line.

    Example:

    \b
      swaggertools rules check rules/site-extra.yaml
    """
    code = EXIT_OK
    for file in files:
        problems = check_file(file)
        for problem in problems:
            _report(problem)
        if problems:
            code = EXIT_ERROR
        else:
            rs = load_ruleset(file)
            _out.print(f"{file}: ok ({rs.name} {rs.version}, {len(rs.rules)} rules)")
    raise typer.Exit(code)


# `lint`, `config`, `worktasks` and `diff` live in their own modules; importing registers them
# on `app`.
from . import cli_diff, cli_lint, cli_worktasks  # noqa: E402, F401


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except SystemExit as done:  # every command ends here (typer exits)
        _hard_exit(done.code)
    except SwaggertoolsError as error:  # raised outside a command body
        _report(error)
        _hard_exit(error.exit_code)
    except Exception as error:  # a bug: one line unless --debug
        if _DEBUG or os.environ.get("SWAGGERTOOLS_DEBUG"):
            raise
        _err.print(
            f"swaggertools: internal error: {type(error).__name__}: {error} "
            "(run with --debug for the traceback and please report it)",
        )
        _hard_exit(EXIT_INTERNAL)


def _hard_exit(code: object) -> None:
    """Flush and leave without tearing down the interpreter.

    Freeing a large spec's million objects one by one at exit costs a noticeable share
    of a lint run; the process is ending, so the OS takes the memory back at once (mypy
    exits the same way). Every output file is already written and closed by then.
    """
    status = code if isinstance(code, int) else (0 if code is None else 1)
    if not isinstance(code, (int, type(None))):
        sys.stderr.write(f"{code}\n")
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # None: the descriptor was closed when Python started
                stream.flush()
    except OSError:  # a closed pipe: nothing more can be said
        status = status or EXIT_INTERNAL
    os._exit(status)
