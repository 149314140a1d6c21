"""The one place that wires the stages together.

load → index → select → remove/prune → secure → validate → emit. Stages are pure
functions; this module sequences them, times them and builds the report. It never
prints and never exits: callers (the CLI, or library users) decide what to show.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .project import __version__
from .destination import Artifact, Kind, check_target, kind_of, write_all
from .emit import dumps
from .errors import EXIT_FINDINGS, EXIT_OK, LoadError, SwaggertoolsError, UsageError
from .gcpause import gc_paused
from .index import Index, build_index
from .load import MAX_INPUT_BYTES, Loaded, Note, load_path
from .model import CleanOptions, Finding, Operation, OutputFormat, Severity, ValidationMode
from .prune import remove_and_prune
from .refs import MissingTarget, RefPolicy, apply_policy
from .report import (
    Report,
    count_errors,
    finding_records,
    op_record,
    rule_record,
    ruleset_record,
)
from .report_md import render as render_markdown
from .rules import RuleMatch, RuleSet, load_ruleset, match_all, mes_method_name
from .security import VARIANTS, check_conflicts, normalize_authority, secure
from .versions import SpecVersion, detect
from .written import keep_written_strings

# _LAZY: the validators (openapi-spec-validator and its dependencies take a quarter of a
# second to import) are imported inside the functions that validate, so commands and
# library calls that do not validate never pay for them.

Progress = Callable[[str], None]
DEFAULT_OUTPUT_DIR = Path("swaggertools-out")
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


class _Timer:
    def __init__(self, progress: Progress | None) -> None:
        self.timings: dict[str, float] = {}
        self.progress = progress

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self.progress and name not in self.timings:  # a stage may run in parts
            self.progress(name)
        start = time.perf_counter()
        try:
            yield
        finally:
            elapsed = (time.perf_counter() - start) * 1000
            self.timings[name] = round(self.timings.get(name, 0.0) + elapsed, 1)


def load_spec(path: str | Path, *, max_bytes: int = MAX_INPUT_BYTES) -> tuple[Loaded, SpecVersion]:
    """Load a file and detect its spec version (LoadError when it is not a spec).

    Where the spec needs a string and YAML typed a plain scalar otherwise (`version: 1.10`),
    the written text is kept, with a note (see `written`).
    """
    loaded = load_path(path, max_bytes=max_bytes)
    keep_written_strings(loaded, only=frozenset({"swagger", "openapi"}))
    version = detect(loaded.doc)
    if isinstance(version, str):
        # the version key when there is one, else the start of the document
        key = (
            "#/swagger" if isinstance(loaded.doc, dict) and "swagger" in loaded.doc else "#/openapi"
        )
        line, column = loaded.locator.line_col(key)
        raise LoadError(version, file=loaded.source.path, line=line, column=column)
    if version.family == "2.0" and loaded.doc["swagger"] != "2.0":
        # JSON `"swagger": 2.0` is a number; the spec wants the string "2.0".
        loaded.doc["swagger"] = "2.0"
        loaded.notes.append(
            Note("'swagger' is the number 2.0; read as the string \"2.0\"", "#/swagger")
        )
    keep_written_strings(loaded)
    return loaded, version


@dataclass
class Opened:
    """A spec loaded, version-checked and indexed, with its external refs dealt with."""

    loaded: Loaded
    version: SpecVersion
    index: Index
    missing: dict[str, MissingTarget] = field(default_factory=dict)
    """Allowed refs whose file or fragment does not exist, left as written (by ref site):
    validation reports them as findings (`validate.check_ref_sites`)."""


@gc_paused
def open_spec(
    spec: str | Path,
    *,
    method_extension: str = "x-mes-method",
    timer: _Timer | None = None,
    ref_policy: RefPolicy | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
) -> Opened:
    """Load, detect the version, index, and apply the `$ref` policy (shared by every command).

    `clean`, `validate` and `lint` all start here, so they accept and refuse the same files.
    Refs the policy refuses raise RefError before anything is read or fetched; in-folder
    (and allowed remote) targets are bundled into the document, which is then re-indexed.
    A target that does not exist is not an error here: `Opened.missing` names it.
    """
    timer = timer or _Timer(None)
    with timer.stage("load"):
        loaded, version = load_spec(spec, max_bytes=max_bytes)
    policy = ref_policy or RefPolicy()
    if max_bytes < policy.max_total_bytes:  # bundled files share the input's size limit
        policy = replace(policy, max_total_bytes=max_bytes)
    with timer.stage("index"):
        index = build_index(loaded.doc, version, method_extension=method_extension)
        bundled = apply_policy(loaded, version, index, spec, policy)
        if bundled.changed:
            index = build_index(loaded.doc, version, method_extension=method_extension)
    return Opened(loaded, version, index, bundled.missing)


def _select(
    matches: list[RuleMatch], allow_ambiguous: bool
) -> dict[str, tuple[Operation, RuleMatch]]:
    """Operations to remove, each with the first rule that selected it."""
    chosen: dict[str, tuple[Operation, RuleMatch]] = {}
    for match in matches:
        if match.status == "matched" or (match.status == "ambiguous" and allow_ambiguous):
            for op in match.operations:
                chosen.setdefault(op.pointer, (op, match))
    return chosen


def output_paths(
    input_path: Path,
    variants: Sequence[str],
    fmt: OutputFormat,
    *,
    output_dir: Path | None,
    output: Path | None,
    in_place: bool,
) -> tuple[dict[str, Path], Path | None]:
    """Where each variant and the report go; returns (variant → path, report stem path).

    The report goes beside an `output` only when that is a regular file: beside stdout, a
    device or a fifo it goes to `output_dir`, and without one (None) it is not written.
    """
    stem = input_path.name.rsplit(".", 1)[0] if "." in input_path.name else input_path.name
    ext = ".json" if fmt == "json" else ".yml" if input_path.suffix == ".yml" else ".yaml"
    if (output is not None or in_place) and len(variants) != 1:
        raise UsageError(
            "--output and --in-place need a mode that writes one file "
            "(--auth user, service, combined or none); --auth both writes two"
        )
    if output is not None and in_place:
        raise UsageError("use either --output or --in-place, not both")
    folder = output_dir or (output.parent if output is not None else DEFAULT_OUTPUT_DIR)
    if in_place:
        return {variants[0]: input_path}, folder / stem
    if output is not None:
        if kind_of(output) is not Kind.FILE:
            return {variants[0]: output}, output_dir / stem if output_dir else None
        return {variants[0]: output}, folder / output.name.rsplit(".", 1)[0]
    return {v: folder / f"{stem}.{v}{ext}" for v in variants}, folder / stem


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
    from .validate import (  # see _LAZY
        VALIDATOR_NAMES,
        Basis,
        locate_findings,
        resolve_mode,
        validate_input,
        validate_outputs,
    )

    opts = options or CleanOptions()
    mode, mode_note = resolve_mode(opts.validation)
    timer = _Timer(progress)
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
    loaded, version, index = opened.loaded, opened.version, opened.index
    missing = opened.missing
    doc = loaded.doc
    source = loaded.source
    fmt: OutputFormat = opts.output_format or _format_of(output) or source.format
    variants = VARIANTS[opts.auth]
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

    input_findings: list[Finding] = []
    basis: Basis | None = None
    if opts.validate_input:
        with timer.stage("validate_input"):
            input_findings, basis = validate_input(doc, version, index, mode, missing)

    with timer.stage("select"):
        matches = match_all(index.operations, rulesets, opts.identify)
        chosen = _select(matches, opts.allow_ambiguous)

    with timer.stage("prune"):
        pruned = remove_and_prune(doc, index, chosen.keys())
        if basis is not None:
            basis = basis.without(pruned.removed_units, len(chosen))
    # The input's index is not needed after pruning: keep its counts and free the rest
    # before the outputs are indexed and written (tens of MB at the run's peak).
    operations_in, components_in = len(index.operations), len(index.components)
    del opened, index

    documents: dict[str, dict[str, Any]] = {}
    outcomes = []
    with timer.stage("secure"):
        if authority is not None:
            # Checked on the input: a same-named scheme that pruning would drop still collides.
            try:
                check_conflicts(doc, version, authority, opts.auth, opts.replace_security)
            except SwaggertoolsError as error:
                error.file = source.path
                error.line, error.column = loaded.locator.line_col(error.pointer)
                raise
        shared: dict[Any, Any] = {}  # the variants share what does not depend on them
        for variant in variants:
            out_doc, outcome = secure(
                pruned.doc,
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

    output_findings: dict[str, list[Finding]] = {}
    output_counts: dict[str, int] = {}
    with timer.stage("validate_outputs"):
        # the variants share their body: validate_outputs does the common work once
        checked = validate_outputs(
            documents,
            version,
            method_extension=opts.method_extension,
            mode=mode,
            basis=basis,
            missing=missing,
        )
        for variant, result in checked.items():
            output_counts[variant] = result.operations
            found = result.findings
            output_findings[variant] = [
                Finding(
                    f.rule,
                    f.severity,
                    f"output {variant}: {f.message}",
                    str(paths[variant]),
                    f.pointer,
                )
                for f in found
            ]

    outputs_valid = all(count_errors(f) == 0 for f in output_findings.values())
    loaded.locator.prefetch(f.pointer for f in input_findings)
    located_input = locate_findings(input_findings, source.path, loaded.locator.locate)
    findings = list(located_input)
    for variant_findings in output_findings.values():
        findings += variant_findings
    findings += _rule_findings(matches, opts.strict)
    findings += _note_findings(loaded)
    # The input's text was kept to locate findings; the outputs are about to be serialised
    # and would otherwise share the run's peak with it (the file's size again).
    source = replace(source, text="")
    del loaded
    if mode_note:
        findings.append(Finding("validation-fallback", Severity.INFO, mode_note))

    strict_fail = opts.strict and (
        count_errors(located_input) > 0 or any(m.status != "matched" for m in matches)
    )
    exit_code = EXIT_FINDINGS if (not outputs_valid or strict_fail) else EXIT_OK

    with timer.stage("emit"):
        spec_bytes = {v: dumps(d, fmt) for v, d in documents.items()} if outputs_valid else {}

    report = Report(
        tool={"name": "swaggertools", "version": __version__},
        input={
            "path": source.path,
            "sha256": source.sha256,
            "size": source.size,
            "format": source.format,
            "encoding": source.encoding,
            "line_endings": "crlf" if source.crlf else "lf",
            "spec_version": version.declared,
            "title": _info(doc, "title"),
            "api_version": _info(doc, "version"),
            "operations": operations_in,
            "paths": len(doc.get("paths") or {}) if isinstance(doc.get("paths"), dict) else 0,
            "components": components_in,
        },
        options={
            "auth": opts.auth,
            "authority": authority,
            "identify": opts.identify or "from rule sets",
            "method_extension": opts.method_extension,
            "allow_ambiguous": opts.allow_ambiguous,
            "replace_security": opts.replace_security,
            "document_auth_errors": opts.document_auth_errors,
            "strict": opts.strict,
            "format": fmt,
        },
        rule_sets=[ruleset_record(rs) for rs in rulesets],
        rules=[
            rule_record(
                m,
                removed=m.status == "matched" or (m.status == "ambiguous" and opts.allow_ambiguous),
            )
            for m in matches
        ],
        removed_operations=[
            {
                **op_record(op),
                "mes_method": mes_method_name(op, match),
                "rule": match.rule.id,
                "ruleset": match.rule.ruleset,
                "target": match.rule.target,
                "strategy": match.strategy,
                "reason": match.rule.reason,
                "replacement": match.rule.replacement,
            }
            for op, match in chosen.values()
        ],
        removed_paths=list(pruned.removed_paths),
        unmatched_rules=[
            {
                "rule": m.rule.id,
                "ruleset": m.rule.ruleset,
                "kind": m.rule.kind,
                "target": m.rule.target,
                "reason": m.rule.reason,
                "file": m.rule.file,
                "line": m.rule.line,
            }
            for m in matches
            if m.status == "unmatched"
        ],
        ambiguous_rules=[
            {
                "rule": m.rule.id,
                "ruleset": m.rule.ruleset,
                "target": m.rule.target,
                "strategy": m.strategy,
                "candidates": [op_record(op) for op in m.operations],
                "removed": opts.allow_ambiguous,
            }
            for m in matches
            if m.status == "ambiguous"
        ],
        pruned=[
            {"pointer": p.pointer, "kind": p.kind, "name": p.name, "cause": p.cause}
            for p in [*pruned.pruned, *(p for o in outcomes for p in o.pruned)]
        ],
        security={
            "mode": opts.auth,
            "authority": authority,
            "variants": [
                {
                    "variant": o.variant,
                    "schemes": o.schemes,
                    "file": str(paths[o.variant]),
                    "global_security_replaced": o.previous_global,
                    "operation_overrides": o.operation_overrides,
                    "overrides_replaced": o.overrides_replaced,
                    "dropped_schemes": [p.name for p in o.pruned],
                    "auth_error_responses_added": o.auth_errors_added,
                }
                for o in outcomes
            ],
        },
        validation={
            "validator": VALIDATOR_NAMES[mode],
            "input": {
                "checked": opts.validate_input,
                "valid": count_errors(located_input) == 0,
                # warnings (discriminator mappings that point nowhere) are in `findings`
                "errors": finding_records(
                    [f for f in located_input if f.severity is Severity.ERROR]
                ),
            },
            "outputs": [
                {
                    "variant": v,
                    "valid": count_errors(f) == 0,
                    "errors": finding_records(f),
                }
                for v, f in output_findings.items()
            ],
        },
    )
    artifacts: list[Artifact] = []
    if outputs_valid:
        for variant, data in spec_bytes.items():
            report.outputs.append(
                {
                    "variant": variant,
                    "path": str(paths[variant]),
                    "format": fmt,
                    "operations": output_counts[variant],
                    "sha256": hashlib.sha256(data).hexdigest(),
                }
            )
            artifacts.append(Artifact("spec", variant, paths[variant], data))
    report.findings = finding_records(findings)
    report.summary = {
        "result": "ok" if exit_code == EXIT_OK else "failed",
        "exit_code": exit_code,
        "operations_in": operations_in,
        "operations_out": min(output_counts.values()) if output_counts else 0,
        "removed_operations": len(chosen),
        "removed_paths": len(pruned.removed_paths),
        "pruned": len(report.pruned),
        "unmatched_rules": len(report.unmatched_rules),
        "ambiguous_rules": len(report.ambiguous_rules),
        "input_valid": count_errors(located_input) == 0,
        "outputs_valid": outputs_valid,
        "errors": sum(1 for f in findings if f.severity is Severity.ERROR),
        "warnings": sum(1 for f in findings if f.severity is Severity.WARNING),
    }
    report.timings_ms = dict(timer.timings)
    if outputs_valid and reports:
        report_dict = report.as_dict()
        report_json, report_md = reports
        artifacts.append(Artifact("report-json", None, report_json, dumps(report_dict, "json")))
        artifacts.append(
            Artifact("report-md", None, report_md, render_markdown(report_dict).encode("utf-8"))
        )
    return CleanResult(documents, artifacts, report, exit_code)


def _rule_findings(matches: list[RuleMatch], strict: bool) -> list[Finding]:
    severity = Severity.ERROR if strict else Severity.WARNING
    result = []
    for m in matches:
        if m.status == "unmatched":
            result.append(
                Finding(
                    "unmatched-rule",
                    severity,
                    f"rule {m.rule.id} ({m.rule.describe()}) matched no operation",
                    m.rule.file,
                    m.rule.pointer,
                    m.rule.line,
                )
            )
        elif m.status == "ambiguous":
            where = "; ".join(f"{op.method.upper()} {op.path}" for op in m.operations)
            result.append(
                Finding(
                    "ambiguous-rule",
                    severity,
                    f"rule {m.rule.id} ({m.rule.describe()}) matched {len(m.operations)} "
                    f"operations by {m.strategy}: {where}",
                    m.rule.file,
                    m.rule.pointer,
                    m.rule.line,
                )
            )
    return result


def _format_of(output: str | Path | None) -> OutputFormat | None:
    """The format an explicit --output name asks for (`.json`, `.yaml`, `.yml`)."""
    suffix = Path(output).suffix.lower() if output is not None else ""
    return "json" if suffix == ".json" else "yaml" if suffix in (".yaml", ".yml") else None


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


def _info(doc: dict[str, Any], key: str) -> Any:
    info = doc.get("info")
    value = info.get(key) if isinstance(info, dict) else None
    return value if isinstance(value, (str, int, float)) else None


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
