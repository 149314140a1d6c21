"""The lint run: open each file like `clean` does, run the enabled checks, decide the exit.

Same stages as `clean` (pipeline.open_spec → rules.match_all → validate_document): the
loader, the `$ref` policy, rule matching and validation are not reimplemented here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from swaggertools.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, SwaggertoolsError, UsageError
from swaggertools.findings.model import LOAD_ERROR, FailOn, FileResult, LintRun
from swaggertools.gcpause import gc_paused
from swaggertools.load import MAX_INPUT_BYTES
from swaggertools.model import Finding, IdentifyStrategy, Severity, ValidationMode
from swaggertools.opening import open_spec
from swaggertools.project import __version__
from swaggertools.refs import RefPolicy
from swaggertools.rules import RuleSet, load_ruleset, match_all

from .baseline import Baseline, write_baseline
from .checks import CHECKS, Check
from .context import Elsewhere, LintContext

_FAIL_RANK = {"error": Severity.ERROR.rank, "warning": Severity.WARNING.rank}


@dataclass(frozen=True)
class LintOptions:
    """Everything a lint run needs besides the files; filled once by the CLI or callers."""

    rules: tuple[str, ...] = ("mes-model-driven-7.0",)
    identify: IdentifyStrategy | None = None
    method_extension: str = "x-mes-method"
    select: tuple[str, ...] = ()
    """Check ids to run (empty: all)."""
    ignore: tuple[str, ...] = ()
    """Check ids not to run."""
    fail_on: FailOn = "error"
    baseline: str | None = None
    write_baseline: bool = False
    """Write the baseline from this run's findings instead of filtering by it."""
    root: str | None = None
    """Folder paths in reports are relative to (default: the repository root or cwd)."""
    validation: ValidationMode = "fast"
    max_input_bytes: int = MAX_INPUT_BYTES
    allow_remote: tuple[str, ...] = ()
    ref_root: str | None = None


def enabled_checks(select: Sequence[str], ignore: Sequence[str]) -> list[Check]:
    """The checks to run, in id order (UsageError naming an unknown id)."""
    for option, ids in (("--select", select), ("--ignore", ignore)):
        unknown = [i for i in ids if i not in CHECKS]
        if unknown:
            raise UsageError(
                f"{option}: unknown check {unknown[0]!r} "
                f"(known: {', '.join(CHECKS)}; see `swaggertools lint --list-checks`)"
            )
    chosen = [CHECKS[i] for i in CHECKS if (not select or i in select) and i not in ignore]
    return chosen


def repository_root(start: Path) -> Path:
    """The nearest folder above `start` with `.git`, else `start` itself."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


@gc_paused  # as clean: large JSON trees, no cycles worth a collector walk
def lint(specs: Sequence[str | Path], options: LintOptions | None = None) -> LintRun:
    """Lint every file; a file that cannot be loaded is a `load-error` finding, not a stop.

    Rule-file and option errors (which concern every file) raise before any file is read.
    """
    opts = options or LintOptions()
    if not specs:
        raise UsageError("no spec files given (name them, or set `specs` in swaggertools.yaml)")
    checks = enabled_checks(opts.select, opts.ignore)
    rulesets: list[RuleSet] = []
    if any(c.uses_rules for c in checks):
        rulesets = [load_ruleset(r, max_bytes=opts.max_input_bytes) for r in opts.rules]
    baseline_path = Path(opts.baseline) if opts.baseline else None
    if opts.write_baseline and baseline_path is None:
        raise UsageError("--write-baseline needs --baseline FILE (or lint.baseline in the config)")
    baseline = (
        Baseline.read(baseline_path)
        if baseline_path is not None and not opts.write_baseline
        else None
    )

    results = [_lint_file(str(spec), checks, rulesets, opts) for spec in specs]
    if opts.write_baseline and baseline_path is not None:
        write_baseline(baseline_path, [(r.path, r.findings) for r in results])
    elif baseline is not None:
        for result in results:
            result.findings, result.suppressed = baseline.filter(result.path, result.findings)

    root = Path(opts.root).resolve() if opts.root else repository_root(Path.cwd())
    return LintRun(
        files=results,
        checks=[c.info() for c in checks],
        fail_on=opts.fail_on,
        exit_code=exit_code(results, opts.fail_on),
        tool_version=__version__,
        root=root,
    )


def exit_code(results: Sequence[FileResult], fail_on: FailOn) -> int:
    """2 when a file could not be linted; 1 for findings at or above `fail_on`; else 0."""
    if any(r.error is not None for r in results):
        return EXIT_ERROR
    if fail_on == "never":
        return EXIT_OK
    threshold = _FAIL_RANK[fail_on]
    failing = any(f.severity.rank >= threshold for r in results for f in r.findings)
    return EXIT_FINDINGS if failing else EXIT_OK


def _lint_file(
    spec: str, checks: list[Check], rulesets: list[RuleSet], opts: LintOptions
) -> FileResult:
    try:
        opened = open_spec(
            spec,
            method_extension=opts.method_extension,
            ref_policy=RefPolicy(allow_remote=opts.allow_remote, ref_root=opts.ref_root),
            max_bytes=opts.max_input_bytes,
        )
    except SwaggertoolsError as error:
        finding = Finding(
            LOAD_ERROR,
            Severity.ERROR,
            " ".join(error.message.split()),
            spec,
            error.pointer,
            error.line,
            error.column,
        )
        return FileResult(path=spec, findings=[finding], error=finding)
    ctx = LintContext(
        spec,
        opened.loaded,
        opened.version,
        opened.index,
        validation_mode=opts.validation,
        missing=opened.missing,
    )
    if rulesets:
        ctx.matches = match_all(opened.index.operations, rulesets, opts.identify)
    hits: list[tuple[Check, str | None, str]] = []
    findings: list[Finding] = []
    for check in checks:
        for hit in check.run(ctx):
            if isinstance(hit, Elsewhere):  # located in its own file already
                findings.append(
                    Finding(
                        check.id,
                        check.severity,
                        hit.message,
                        hit.file,
                        hit.pointer,
                        hit.line,
                        hit.column,
                    )
                )
            else:
                hits.append((check, *hit))
    locator = opened.loaded.locator
    locator.prefetch(pointer for _, pointer, _ in hits)  # one pass for every finding
    for check, pointer, message in hits:
        line, column = locator.line_col(pointer) if pointer else (None, None)
        findings.append(Finding(check.id, check.severity, message, spec, pointer, line, column))
    # the linted file's findings first, then those in files it bundles
    findings.sort(
        key=lambda f: (
            f.file != spec,
            f.file or "",
            f.line or 0,
            f.column or 0,
            f.rule,
            f.pointer or "",
            f.message,
        )
    )
    return FileResult(
        path=spec,
        findings=findings,
        checks=tuple(c.id for c in checks),
        spec_version=opened.version.declared,
        operations=len(opened.index.operations),
    )
