"""`swaggertools clean`: one spec (or several) → cleaned, secured, validated outputs."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from swaggertools.console import Console
from swaggertools.destination import Kind, describe, destination_path, kind_of, stream_fd
from swaggertools.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, SwaggertoolsError, UsageError
from swaggertools.pipeline import CleanResult, clean
from swaggertools.report import security_sentences

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

_MAX_LISTED = 10


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


def summary(result: CleanResult, out: Console) -> None:
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
            out.print(f"  note: {_where(f)}: {f['message']}")
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
