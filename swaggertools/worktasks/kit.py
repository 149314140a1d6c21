"""The import kit: clean in both modes, then the XML, the import sheet and kit.json.

`build_kit` checks every value first, runs `pipeline.clean` in memory and returns the
files (the import sheet as IMPORT.md, and as import.html with its import.css);
`Kit.write()` writes them as one folder. Nothing here prints or exits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from swaggertools.emit import dumps
from swaggertools.model import HTTP_METHODS, CleanOptions
from swaggertools.opening import Progress
from swaggertools.pipeline import CleanResult, clean
from swaggertools.project import __version__

from . import sheet_html, sheet_md
from .folder import KIT_FORMAT, check_output_dir, write_folder
from .model import (
    LIST_ITEM_AUTH,
    MODES,
    REQUEST_URI,
    Excluded,
    KitModel,
    KitOptions,
    ModeEntry,
    check_authority,
    check_base_address,
    check_given_names,
    check_publish_url,
    operation_groups,
    resolve_names,
)
from .sheet import CSS_FILE, HTML_SHEET_FILE, KIT_FILE, SHEET_FILE, XML_FILE, build_sheet
from .sources import SOURCES
from .xml_types import WebAPIType
from .xml_types import render as render_xml


@dataclass
class Kit:
    """What `build_kit` produced: the clean result, the model and the kit's files."""

    target: Path
    clean: CleanResult
    model: KitModel | None = None
    files: list[tuple[str, bytes]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when clean's outputs validated, so the kit may be written."""
        return bool(self.files)

    @property
    def exit_code(self) -> int:
        """Clean's exit code (1 for invalid outputs, or --strict findings)."""
        return self.clean.exit_code

    def write(self) -> None:
        """Write the kit folder atomically (nothing when an output did not validate)."""
        if self.files:
            write_folder(self.target, self.files)


def check_values(options: KitOptions, authority: str | None) -> tuple[str, str, str]:
    """(base address, publish URL, authority), checked; UsageError at the first bad one."""
    return (
        check_base_address(options.base_address, allow_http=options.allow_http),
        check_publish_url(options.publish_url),
        check_authority(authority),
    )


def build_kit(
    spec: str | Path,
    clean_options: CleanOptions,
    options: KitOptions,
    output_dir: str | Path,
    *,
    progress: Progress | None = None,
) -> Kit:
    """Check the values, clean `spec` in both modes in memory, and build the kit's files.

    Raises UsageError (a bad value or kit folder) or clean's own errors before anything is
    written; nothing is written at all until `Kit.write()`.
    """
    target = Path(output_dir)
    base_address, publish_url, authority = check_values(options, clean_options.authority)
    check_given_names(options.names)  # before the spec is read; defaults need its title
    check_output_dir(target, [Path(spec), *_rule_files(clean_options)])
    result = clean(
        spec,
        replace(clean_options, auth="both", authority=authority),
        output_dir=target,
        progress=progress,
    )
    kit = Kit(target, result)
    if not result.ok:
        return kit
    report = result.report.as_dict()
    names = resolve_names(options.names, report["input"]["title"])
    for mode in MODES:
        given = (options.names or {}).get(mode)
        if given is not None and given != names[mode]:
            kit.notes.append(f"--name {mode}={given!r} is written as {names[mode]!r}")
    specs = {a.variant: a for a in result.artifacts if a.kind == "spec"}
    modes = tuple(
        _mode_entry(
            mode,
            names[mode],
            specs[mode].path.name,
            specs[mode].data,
            publish_url,
            result.documents[mode],
        )
        for mode in MODES
    )
    kit.model = KitModel(
        title=report["input"]["title"],
        input_path=report["input"]["path"],
        input_sha256=report["input"]["sha256"],
        spec_format=report["options"]["format"],
        base_address=base_address,
        publish_url=publish_url,
        authority=authority,
        xml_auth_mode=options.xml_auth_mode,
        client_id=options.client_id,
        modes=modes,
        excluded=tuple(_excluded(r) for r in report["removed_operations"]),
        report_files=tuple(a.path.name for a in result.artifacts if a.kind != "spec"),
    )
    files = [(a.path.name, a.data) for a in result.artifacts]
    xml = render_xml(
        [
            WebAPIType(m.name, m.spec_url, base_address, options.xml_auth_mode)
            for m in kit.model.modes
        ]
    )
    sheet = build_sheet(kit.model)
    files += [
        (XML_FILE, xml),
        (SHEET_FILE, sheet_md.render(sheet).encode("utf-8")),
        (HTML_SHEET_FILE, sheet_html.render(sheet).encode("utf-8")),
        (CSS_FILE, sheet_html.stylesheet()),
    ]
    files.append((KIT_FILE, dumps(kit_document(kit.model, files), "json")))
    kit.files = files
    return kit


def _rule_files(options: CleanOptions) -> list[Path]:
    # A rule file inside the kit folder would be deleted with the previous kit.
    return [Path(r) for r in options.rules if Path(r).is_file()]


def _mode_entry(
    mode: str, name: str, file: str, data: bytes, publish_url: str, doc: dict[str, Any]
) -> ModeEntry:
    groups, untagged = operation_groups(doc)
    return ModeEntry(
        mode=mode,  # type: ignore[arg-type]  # one of MODES
        name=name,
        spec_file=file,
        spec_url=publish_url + file,
        spec_sha256=hashlib.sha256(data).hexdigest(),
        operations=_count_operations(doc),
        groups=tuple(groups),
        untagged=untagged,
        list_item_auth=LIST_ITEM_AUTH[mode],  # type: ignore[index]
    )


def _count_operations(doc: dict[str, Any]) -> int:
    paths = doc.get("paths")
    if not isinstance(paths, dict):
        return 0
    return sum(
        1
        for item in paths.values()
        if isinstance(item, dict)
        for m in HTTP_METHODS
        if isinstance(item.get(m), dict)
    )


def _excluded(record: dict[str, Any]) -> Excluded:
    return Excluded(
        method=record["method"],
        path=record["path"],
        operation_id=record["operationId"],
        mes_method=record["mes_method"],
        reason=record["reason"],
        replacement=record["replacement"],
    )


def kit_document(model: KitModel, files: Sequence[tuple[str, bytes]]) -> dict[str, Any]:
    """kit.json: the kit's values and files, for scripts (schema: kit.schema.json)."""
    hashed = {name: hashlib.sha256(data).hexdigest() for name, data in files}
    kinds = {m.spec_file: "spec" for m in model.modes}
    kinds.update({r: "report" for r in model.report_files})
    kinds.update(
        {
            XML_FILE: "webapi-types",
            SHEET_FILE: "import-sheet",
            HTML_SHEET_FILE: "import-sheet-html",
            CSS_FILE: "stylesheet",
        }
    )
    return {
        "kit_format": KIT_FORMAT,
        "kit_version": 1,
        "tool": {"name": "swaggertools", "version": __version__},
        "input": {"path": model.input_path, "sha256": model.input_sha256, "title": model.title},
        "base_address": model.base_address,
        "publish_url": model.publish_url,
        "authority": model.authority,
        "request_uri": REQUEST_URI,
        "xml": {
            "file": XML_FILE,
            "sha256": hashed[XML_FILE],
            "authentication_mode": model.xml_auth_mode,
            "names": [m.name for m in model.modes],
        },
        "modes": [
            {
                "mode": m.mode,
                "name": m.name,
                "spec": {
                    "file": m.spec_file,
                    "url": m.spec_url,
                    "format": model.spec_format,
                    "sha256": m.spec_sha256,
                    "operations": m.operations,
                },
                "list_item": _list_item(model, m),
                "operation_groups": [{"tag": t, "operations": n} for t, n in m.groups],
                "untagged_operations": m.untagged,
            }
            for m in model.modes
        ],
        "excluded_operations": [
            {
                "method": e.method,
                "path": e.path,
                "operationId": e.operation_id,
                "mes_method": e.mes_method,
                "reason": e.reason,
                "replacement": e.replacement,
            }
            for e in model.excluded
        ],
        "files": [
            {
                "path": name,
                "kind": kinds[name],
                # reports carry timings: they differ on every run, so no checksum
                "sha256": None if kinds[name] == "report" else hashed[name],
            }
            for name, _ in files
        ],
        "sources": {key: SOURCES[key].url for key in sorted(SOURCES)},
    }


def _list_item(model: KitModel, m: ModeEntry) -> dict[str, Any]:
    item: dict[str, Any] = {
        "source": m.name,
        "base_address": model.base_address,
        "request_uri": REQUEST_URI,
        "authentication_mode": m.list_item_auth,
    }
    if m.mode == "service":
        item.update(
            {
                "authority_hint": model.token_endpoint,
                "audience_hint": model.authorize_endpoint,
                "client_id": model.client_id,
            }
        )
    return item


__all__ = ["Kit", "build_kit", "kit_document"]
