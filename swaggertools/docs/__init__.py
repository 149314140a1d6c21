"""`docs`: offline API documentation (HTML site or Markdown) for the cleaned or given API.

    from swaggertools.docs import DocsOptions, build_site
    summary = build_site("mes-swagger.json", "site", DocsOptions(clean=CleanOptions(...)))

By default the cleaned API is documented (`pipeline.clean` runs in memory with the given
options; with `auth="both"` one site shows both token modes, as `combined` does). With
`clean=None` the file is documented exactly as given.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from swaggertools import __version__
from swaggertools.errors import UsageError
from swaggertools.gcpause import gc_paused
from swaggertools.model import CleanOptions, IdentifyStrategy
from swaggertools.pipeline import clean, open_spec
from swaggertools.refs import RefPolicy
from swaggertools.rules import load_ruleset
from swaggertools.security import normalize_authority

from .build import Content, RunFacts
from .layout import Limits
from .sitedir import check_replaceable, staged
from .text import Describe, markdown_html

DocsFormat = Literal["html", "markdown"]
DEFAULT_DIR = Path("swaggertools-docs")


@dataclass(frozen=True)
class DocsOptions:
    """How to document: clean's options, `--as-is`, the format and the page limits.

    With `as_is`, only the reading options of `clean` apply (size limit, `$ref` policy,
    method extension, rule sets for how MES method names are identified).
    """

    clean: CleanOptions = field(default_factory=CleanOptions)
    as_is: bool = False
    format: DocsFormat = "html"
    limits: Limits = field(default_factory=Limits)
    validate: bool = False
    """Also validate the documented (cleaned) API and warn when it is invalid; `clean`
    validates what it writes, documenting does not need it (about a fifth of the time)."""


@dataclass
class DocsResult:
    """What `build_site` wrote."""

    out_dir: Path
    pages: list[str]
    operations: int
    schemas: int
    excluded: int
    largest_page_bytes: int = 0
    largest_page_elements: int = 0
    warnings: list[str] = field(default_factory=list)


@gc_paused
def build_site(
    spec: str | Path, out_dir: str | Path = DEFAULT_DIR, options: DocsOptions | None = None
) -> DocsResult:
    """Document one spec into `out_dir` (replaced atomically; see `sitedir`)."""
    opts = options or DocsOptions()
    target = Path(out_dir)
    check_replaceable(target)
    if opts.format not in ("html", "markdown"):
        raise UsageError(f"--format: {opts.format!r} is not one of html, markdown")
    content, warnings = _content(Path(spec), opts)
    with staged(target) as folder:
        if opts.format == "html":
            from .html_site import write_html

            summary = write_html(content, folder, opts.limits)
        else:
            from .md_site import write_markdown

            summary = write_markdown(content, folder, opts.limits)
    return DocsResult(
        out_dir=target,
        pages=summary.pages,
        operations=summary.operations,
        schemas=summary.schemas,
        excluded=len(content.excluded),
        largest_page_bytes=summary.largest_page_bytes,
        largest_page_elements=summary.largest_page_elements,
        warnings=warnings,
    )


def _content(spec: Path, opts: DocsOptions) -> tuple[Content, list[str]]:
    if opts.as_is:
        return _as_is(spec, opts.clean, opts.format), []
    normalize_authority(opts.clean.authority, opts.clean.auth)  # the error names the mode asked
    # `both` writes two files for Work Tasks (one per mode); a site shows both modes at once.
    auth = "combined" if opts.clean.auth == "both" else opts.clean.auth
    cleaned = clean(
        spec, replace(opts.clean, auth=auth, validate_input=False, in_memory=not opts.validate)
    )
    cleaned.artifacts.clear()  # the serialised outputs are not needed: free them
    report: dict[str, Any] = cleaned.report.as_dict()
    (doc,) = cleaned.documents.values()
    warnings = []
    outputs = report["validation"]["outputs"]
    if outputs and not all(o["valid"] for o in outputs):
        errors = sum(len(o["errors"]) for o in outputs)
        warnings.append(
            f"the cleaned API does not validate ({errors} errors): documented anyway; "
            "run `swaggertools clean` for the details"
        )
    from swaggertools.versions import detect

    version = detect(doc)
    assert not isinstance(version, str)  # clean accepted it
    identify = opts.clean.identify or _ruleset_identify(opts.clean.rules, opts.clean)
    run = RunFacts(
        input_name=spec.name,
        input_sha256=str(report["input"]["sha256"]),
        rule_sets=[f"{r['name']} {r['version']}" for r in report["rule_sets"]],
        tool_version=__version__,
        documented=f"the cleaned API (--auth {opts.clean.auth})",
        excluded=list(report["removed_operations"]),
        notes=warnings,
    )
    content = Content(
        doc,
        version,
        run,
        identify=identify,
        method_extension=opts.clean.method_extension,
        describe=_describe(opts.format),
    )
    return content, warnings


def _ruleset_identify(rules: tuple[str, ...], opts: CleanOptions) -> IdentifyStrategy:
    for name in rules:
        return load_ruleset(name, max_bytes=opts.max_input_bytes).identify
    return "auto"


def _as_is(spec: Path, opts: CleanOptions, fmt: DocsFormat) -> Content:
    opened = open_spec(
        spec,
        method_extension=opts.method_extension,
        max_bytes=opts.max_input_bytes,
        ref_policy=RefPolicy(allow_remote=opts.allow_remote, ref_root=opts.ref_root),
    )
    import hashlib

    sha = opened.loaded.source.sha256 or hashlib.sha256(b"").hexdigest()
    run = RunFacts(
        input_name=spec.name,
        input_sha256=sha,
        rule_sets=[],
        tool_version=__version__,
        documented="the file as given (--as-is)",
    )
    identify = opts.identify or _ruleset_identify(opts.rules, opts)
    return Content(
        opened.loaded.doc,
        opened.version,
        run,
        identify=identify,
        method_extension=opts.method_extension,
        describe=_describe(fmt),
    )


def _describe(fmt: DocsFormat) -> Describe:
    """How descriptions are rendered: sanitised HTML, or safe Markdown."""
    if fmt == "markdown":
        from .md_text import markdown_block

        return markdown_block
    return markdown_html


__all__ = ["DEFAULT_DIR", "DocsOptions", "DocsResult", "build_site"]
