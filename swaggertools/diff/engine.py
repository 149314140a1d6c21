"""The diff run: open both files like every command, compare, grade, decide the exit code."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from swaggertools.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from swaggertools.gcpause import gc_paused
from swaggertools.load import MAX_INPUT_BYTES
from swaggertools.model import IdentifyStrategy
from swaggertools.opening import Opened, open_spec
from swaggertools.project import __version__
from swaggertools.refs import RefPolicy
from swaggertools.rules import load_ruleset

from .change import Change
from .consumers import grade, load_consumers
from .context import Context
from .drift import RuleDrift, rule_drift
from .ignore import IgnoreEntry, apply_ignores, load_ignore
from .kinds import KINDS, operations, parameters, request, response, security, servers
from .match import match_operations
from .model import LEVEL_RANK, LEVELS
from .read import read_model
from .resolve import Resolver
from .result import DiffResult, FailOn, FailScope, Side
from .schema import SchemaDiff

LEVEL_OFF = "off"


@dataclass(frozen=True)
class DiffOptions:
    """Everything a diff needs besides the two files; filled once by the CLI or callers."""

    rules: tuple[str, ...] = ("mes-model-driven-7.0",)
    """Rule sets for the drift report (empty: no drift report)."""
    identify: IdentifyStrategy | None = None
    method_extension: str = "x-mes-method"
    levels: Mapping[str, str] = field(default_factory=dict)
    """Change id → `error`, `warning`, `info` or `off` (configuration `diff.levels`)."""
    ignore_file: str | None = None
    consumers_file: str | None = None
    fail_on: FailOn = "error"
    fail_scope: FailScope = "all"
    root: str | None = None
    max_input_bytes: int = MAX_INPUT_BYTES
    allow_remote: tuple[str, ...] = ()
    ref_root: str | None = None


def check_levels(levels: Mapping[str, str]) -> None:
    """UsageError naming the first unknown change id or level."""
    for change_id, level in levels.items():
        if change_id not in KINDS:
            raise UsageError(
                f"diff levels: unknown change id {change_id!r} "
                "(see `swaggertools diff --list-checks`)"
            )
        if level not in (*LEVELS, LEVEL_OFF):
            raise UsageError(
                f"diff levels: {change_id}: level {level!r} is not error, warning, info or off"
            )


@gc_paused  # two large JSON trees and no cycles worth a collector walk
def diff(old: str | Path, new: str | Path, options: DiffOptions | None = None) -> DiffResult:
    """Compare two spec files; option, rule-file, ignore-file and consumer errors raise first."""
    opts = options or DiffOptions()
    check_levels(opts.levels)
    rulesets = [load_ruleset(r, max_bytes=opts.max_input_bytes) for r in opts.rules]
    entries = (
        load_ignore(opts.ignore_file, max_bytes=opts.max_input_bytes) if opts.ignore_file else []
    )
    _check_ignore_ids(entries)
    consumers = (
        load_consumers(opts.consumers_file, max_bytes=opts.max_input_bytes)
        if opts.consumers_file
        else None
    )
    old_opened = _open(str(old), opts)
    new_opened = _open(str(new), opts)
    old_model = read_model(old_opened, str(old))
    new_model = read_model(new_opened, str(new))
    ctx = Context(
        old_model,
        new_model,
        SchemaDiff(Resolver(old_model.doc), Resolver(new_model.doc)),
    )
    matching = match_operations(old_model.ops, new_model.ops)
    servers.compare_document(ctx)
    security.compare_document(ctx)
    for dup in matching.duplicates:
        operations.duplicate(ctx, dup)
    for op in matching.removed:
        operations.removed(ctx, op)
    for pair in matching.pairs:
        operations.compare(ctx, pair)
        parameters.compare(ctx, pair)
        request.compare(ctx, pair)
        response.compare(ctx, pair)
        security.compare(ctx, pair)
    for op in matching.added:
        operations.added(ctx, op)
    drift: list[RuleDrift] = rule_drift(ctx, matching, rulesets, opts.identify) if rulesets else []
    changes = _levelled(ctx.changes.all(), opts.levels)
    changes, ignored, stale = apply_ignores(changes, entries)
    impacts = (
        grade(consumers, changes, old_model.ops, new_model.ops, matching)
        if consumers is not None
        else None
    )
    changes.sort(key=_order)
    _locate(changes, old_opened, new_opened)
    result = DiffResult(
        old=Side(str(old), old_model.sha256, old_model.declared, len(old_model.ops)),
        new=Side(str(new), new_model.sha256, new_model.declared, len(new_model.ops)),
        added=[op.ref for op in matching.added],
        removed=[op.ref for op in matching.removed],
        renamed=[p for p in matching.pairs if p.renamed],
        duplicates=matching.duplicates,
        changes=changes,
        ignored=ignored,
        stale_ignores=stale,
        rules=drift,
        consumers=impacts,
        fail_on=opts.fail_on,
        fail_scope=opts.fail_scope,
        exit_code=EXIT_OK,
        tool_version=__version__,
        root=_root(opts.root),
        stats={"schema_pairs_compared": ctx.schemas.compared, "pairs": len(matching.pairs)},
    )
    result.exit_code = EXIT_FINDINGS if result.failing() else EXIT_OK
    return result


def _open(spec: str, opts: DiffOptions) -> Opened:
    return open_spec(
        spec,
        method_extension=opts.method_extension,
        ref_policy=RefPolicy(allow_remote=opts.allow_remote, ref_root=opts.ref_root),
        max_bytes=opts.max_input_bytes,
    )


def _check_ignore_ids(entries: list[IgnoreEntry]) -> None:
    for entry in entries:
        if not any(c in entry.id for c in "*?[") and entry.id not in KINDS:
            raise UsageError(
                f"ignore file: unknown change id {entry.id!r} "
                "(see `swaggertools diff --list-checks`)",
                file=entry.file,
                line=entry.line,
            )


def _levelled(changes: list[Change], levels: Mapping[str, str]) -> list[Change]:
    """Apply configured levels; `off` drops the change."""
    kept = []
    for change in changes:
        level = levels.get(change.id, change.kind.level)
        if level == LEVEL_OFF:
            continue
        change.level = level  # type: ignore[assignment]  # checked by check_levels
        kept.append(change)
    return kept


def _order(change: Change) -> tuple[object, ...]:
    op = change.operation
    return (
        not change.used,
        -LEVEL_RANK[change.level],
        op.path if op else "",
        op.method if op else "",
        change.id,
        change.message,
    )


def _locate(changes: list[Change], old: Opened, new: Opened) -> None:
    """Line and column of each change: in NEW, or in OLD for what NEW no longer has."""
    new_loc, old_loc = new.loaded.locator, old.loaded.locator
    new_loc.prefetch(c.new_pointer for c in changes)
    old_loc.prefetch(c.old_pointer for c in changes if c.new_pointer is None)
    for change in changes:
        if change.new_pointer is not None:
            change.file = new.loaded.source.path
            change.line, change.column = new_loc.line_col(change.new_pointer)
        elif change.old_pointer is not None:
            change.file = old.loaded.source.path
            change.line, change.column = old_loc.line_col(change.old_pointer)


def _root(root: str | None) -> Path:
    if root:
        return Path(root).resolve()
    folder = Path.cwd().resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder
