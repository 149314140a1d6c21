"""The one place that wires the stages together.

load → index → select → remove/prune → secure → validate → emit. Stages are pure
functions; this module sequences them, times them and builds the report. It never
prints and never exits: callers (the CLI, or library users) decide what to show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .destination import Artifact, check_target, write_all
from .emit import dumps
from .errors import EXIT_FINDINGS, EXIT_OK, SwaggertoolsError
from .gcpause import gc_paused
from .load import MAX_INPUT_BYTES, Loaded
from .model import CleanOptions, Finding, OutputFormat, Severity, ValidationMode
from .opening import Opened, Progress, Timer, load_spec, open_spec
from .outputs import format_of, output_paths
from .prune import remove_and_prune
from .refs import MissingTarget, RefPolicy
from .report import (
    CleanStages,
    Report,
    build_report,
    count_errors,
    render_json,
    render_markdown,
)
from .rules import RuleMatch, RuleSet, load_ruleset, match_all
from .security import VARIANTS, SecurityOutcome, check_conflicts, normalize_authority, secure
from .select import rule_findings, select_operations
from .versions import SpecVersion

if TYPE_CHECKING:
    from .validate import Basis

# _LAZY: the validators (openapi-spec-validator and its dependencies take a quarter of a
# second to import) are imported inside the functions that validate, so commands and
# library calls that do not validate never pay for them.

_REPORT_SUFFIXES = (".report.json", ".report.md")


@dataclass
class CleanResult:
    """What `clean` produced: documents per variant, files to write, the report."""

    documents: dict[str, dict[str, Any]]
    artifacts: list[Artifact]
    report: Report
    exit_code: int

    @property
    def ok(self) -> bool:
        """True when every output validated (the artifacts may be written)."""
        return bool(self.artifacts)

    def write(self) -> None:
        """Write every artifact: files atomically, devices and stdout directly.

        Nothing is written for an invalid output (there are no artifacts then).
        """
        write_all(self.artifacts)


@dataclass
class ValidateResult:
    """Validation of one file."""

    file: str
    version: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """True when there is no error-level finding."""
        return count_errors(self.findings) == 0


# Over 80 lines on purpose: each stage is one call here, in order, and handing their
# results to the report names each one once (CleanStages); splitting it would hide the order.
@gc_paused
def clean(
    spec: str | Path,
    options: CleanOptions | None = None,
    *,
    output_dir: str | Path | None = None,
    output: str | Path | None = None,
    in_place: bool = False,
    progress: Progress | None = None,
) -> CleanResult:
    """Run the whole pipeline on one spec file and return documents, files and report.

    Nothing is written: call `CleanResult.write()` for that (the CLI does when `ok`).
    `output` may be `-` (stdout), `/dev/stdout`, `/dev/stderr` or an existing device or
    fifo; the reports then go to `output_dir`, and without one they are not written.
    """
    from .validate import VALIDATOR_NAMES, resolve_mode, validate_input  # see _LAZY

    opts = options or CleanOptions()
    mode, mode_note = resolve_mode(opts.validation)
    timer = Timer(progress)
    authority = normalize_authority(opts.authority, opts.auth)
    spec_path = Path(spec)

    # Rule sets first: a broken rule file is reported before a large spec is parsed.
    with timer.stage("load"):
        rulesets = [load_ruleset(r, max_bytes=opts.max_input_bytes) for r in opts.rules]
    opened = open_spec(
        spec_path,
        method_extension=opts.method_extension,
        timer=timer,
        max_bytes=opts.max_input_bytes,
        ref_policy=RefPolicy(allow_remote=opts.allow_remote, ref_root=opts.ref_root),
    )
    loaded, version, index, missing = opened.loaded, opened.version, opened.index, opened.missing
    fmt: OutputFormat = opts.output_format or format_of(output) or loaded.source.format
    paths, reports = _targets(spec_path, VARIANTS[opts.auth], fmt, output_dir, output, in_place)

    input_findings: list[Finding] = []
    basis: Basis | None = None
    if opts.validate_input:
        with timer.stage("validate_input"):
            input_findings, basis = validate_input(loaded.doc, version, index, mode, missing)

    with timer.stage("select"):
        matches = match_all(index.operations, rulesets, opts.identify)
        chosen = select_operations(matches, opts.allow_ambiguous)

    with timer.stage("prune"):
        pruned = remove_and_prune(loaded.doc, index, chosen.keys())
        if basis is not None:
            basis = basis.without(pruned.removed_units, len(chosen))
    # The input's index is not needed after pruning: keep its counts and free the rest
    # before the outputs are indexed and written (tens of MB at the run's peak).
    operations_in, components_in = len(index.operations), len(index.components)
    del opened, index

    with timer.stage("secure"):
        documents, outcomes = _secure(loaded, version, pruned.doc, authority, opts)

    with timer.stage("validate_outputs"):
        checked = (
            {}  # `docs` wants the documents only (CleanOptions.in_memory)
            if opts.in_memory
            else _validate_outputs(documents, version, opts, mode, basis, missing, paths)
        )
    output_findings = {v: findings for v, (_, findings) in checked.items()}
    outputs_valid = all(count_errors(f) == 0 for f in output_findings.values())

    located_input, findings = _findings(loaded, input_findings, output_findings, matches, opts)
    if mode_note:
        findings.append(Finding("validation-fallback", Severity.INFO, mode_note))
    # The input's text was kept to locate findings; the outputs are about to be serialised
    # and would otherwise share the run's peak with it (the file's size again).
    doc, source = loaded.doc, replace(loaded.source, text="")
    del loaded

    strict_fail = opts.strict and (
        count_errors(located_input) > 0 or any(m.status != "matched" for m in matches)
    )
    exit_code = EXIT_FINDINGS if (not outputs_valid or strict_fail) else EXIT_OK

    with timer.stage("emit"):
        serialise = outputs_valid and not opts.in_memory
        spec_bytes = {v: dumps(d, fmt) for v, d in documents.items()} if serialise else {}

    stages = CleanStages(
        source=source,
        version=version,
        doc=doc,
        operations_in=operations_in,
        components_in=components_in,
        options=opts,
        authority=authority,
        format=fmt,
        rulesets=rulesets,
        matches=matches,
        chosen=chosen,
        pruned=pruned,
        outcomes=outcomes,
        paths=paths,
        validator=VALIDATOR_NAMES[mode],
        input_findings=located_input,
        output_findings=output_findings,
        output_counts={v: operations for v, (operations, _) in checked.items()},
        spec_bytes=spec_bytes,
        findings=findings,
        exit_code=exit_code,
    )
    report = build_report(stages, timer.timings)
    artifacts = [Artifact("spec", v, paths[v], data) for v, data in spec_bytes.items()]
    if serialise and reports:
        report_json, report_md = reports
        artifacts.append(Artifact("report-json", None, report_json, render_json(report)))
        artifacts.append(
            Artifact(
                "report-md", None, report_md, render_markdown(report.as_dict()).encode("utf-8")
            )
        )
    return CleanResult(documents, artifacts, report, exit_code)


def _targets(
    spec_path: Path,
    variants: Sequence[str],
    fmt: OutputFormat,
    output_dir: str | Path | None,
    output: str | Path | None,
    in_place: bool,
) -> tuple[dict[str, Path], list[Path]]:
    """Where each variant and the two reports go, each checked before any work is done."""
    paths, report_stem = output_paths(
        spec_path,
        variants,
        fmt,
        output_dir=Path(output_dir) if output_dir is not None else None,
        output=Path(output) if output is not None else None,
        in_place=in_place,
    )
    reports = (
        []
        if report_stem is None
        else [report_stem.with_name(report_stem.name + suffix) for suffix in _REPORT_SUFFIXES]
    )
    for target in [*paths.values(), *reports]:
        check_target(target, inputs=[spec_path], allow_input=in_place and target in paths.values())
    return paths, reports


def _secure(
    loaded: Loaded,
    version: SpecVersion,
    pruned_doc: dict[str, Any],
    authority: str | None,
    opts: CleanOptions,
) -> tuple[dict[str, dict[str, Any]], list[SecurityOutcome]]:
    """The secured document of each variant, and what securing did to it."""
    if authority is not None:
        # Checked on the input: a same-named scheme that pruning would drop still collides.
        try:
            check_conflicts(loaded.doc, version, authority, opts.auth, opts.replace_security)
        except SwaggertoolsError as error:
            error.file = loaded.source.path
            error.line, error.column = loaded.locator.line_col(error.pointer)
            raise
    documents: dict[str, dict[str, Any]] = {}
    outcomes = []
    shared: dict[Any, Any] = {}  # the variants share what does not depend on them
    for variant in VARIANTS[opts.auth]:
        out_doc, outcome = secure(
            pruned_doc,
            version,
            variant,
            auth=opts.auth,
            authority=authority,
            replace=opts.replace_security,
            document_auth_errors=opts.document_auth_errors,
            memo=shared,
        )
        documents[variant] = out_doc
        outcomes.append(outcome)
    return documents, outcomes


def _validate_outputs(
    documents: dict[str, dict[str, Any]],
    version: SpecVersion,
    opts: CleanOptions,
    mode: ValidationMode,
    basis: Basis | None,
    missing: dict[str, MissingTarget],
    paths: dict[str, Path],
) -> dict[str, tuple[int, list[Finding]]]:
    """Each output's operation count and findings (named after the output's file)."""
    from .validate import validate_outputs  # see _LAZY

    # the variants share their body: validate_outputs does the common work once
    checked = validate_outputs(
        documents,
        version,
        method_extension=opts.method_extension,
        mode=mode,
        basis=basis,
        missing=missing,
    )
    return {
        variant: (
            result.operations,
            [
                Finding(
                    f.rule,
                    f.severity,
                    f"output {variant}: {f.message}",
                    str(paths[variant]),
                    f.pointer,
                )
                for f in result.findings
            ],
        )
        for variant, result in checked.items()
    }


def _findings(
    loaded: Loaded,
    input_findings: list[Finding],
    output_findings: dict[str, list[Finding]],
    matches: list[RuleMatch],
    opts: CleanOptions,
) -> tuple[list[Finding], list[Finding]]:
    """The input's findings located in its text, and every finding of the run."""
    from .validate import locate_findings  # see _LAZY

    loaded.locator.prefetch(f.pointer for f in input_findings)
    located_input = locate_findings(input_findings, loaded.source.path, loaded.locator.locate)
    findings = list(located_input)
    for variant_findings in output_findings.values():
        findings += variant_findings
    findings += rule_findings(matches, opts.strict)
    findings += _note_findings(loaded)
    return located_input, findings


def _note_findings(loaded: Loaded) -> list[Finding]:
    default = "#/swagger" if "swagger" in loaded.doc else "#/openapi"
    findings = []
    for note in loaded.notes:
        pointer = getattr(note, "pointer", None) or default
        line, column = loaded.locator.line_col(pointer)
        findings.append(
            Finding(
                "input-note", Severity.WARNING, str(note), loaded.source.path, pointer, line, column
            )
        )
    return findings


@gc_paused
def validate_file(
    spec: str | Path,
    *,
    method_extension: str = "x-mes-method",
    ref_policy: RefPolicy | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
    validation: ValidationMode = "fast",
) -> ValidateResult:
    """Load and validate one spec; findings carry file, pointer, line and column.

    `validation`: `fast` (jsonschema-rs + semantic checks) or `full` (openapi-spec-validator).
    """
    from .validate import locate_findings, resolve_mode, validate_document  # see _LAZY

    mode, mode_note = resolve_mode(validation)

    opened = open_spec(
        spec, method_extension=method_extension, ref_policy=ref_policy, max_bytes=max_bytes
    )
    loaded, version, index = opened.loaded, opened.version, opened.index
    findings = validate_document(loaded.doc, version, index, mode, opened.missing)
    findings += [f for f in index.findings if f.severity is not Severity.ERROR]
    if mode_note:
        findings.append(Finding("validation-fallback", Severity.INFO, mode_note))
    loaded.locator.prefetch(f.pointer for f in findings)
    located = locate_findings(findings, loaded.source.path, loaded.locator.locate)
    located += _note_findings(loaded)
    return ValidateResult(loaded.source.path, version.declared, located)


__all__ = [
    "CleanResult",
    "Opened",
    "RuleSet",
    "ValidateResult",
    "clean",
    "load_spec",
    "open_spec",
    "validate_file",
]
