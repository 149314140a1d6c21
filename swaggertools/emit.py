"""Deterministic serialisation.

JSON: two-space indent, key order kept, UTF-8 without BOM, LF, one trailing newline.
YAML: block style, key order kept, no anchors/aliases, no tags, no line folding.
Writing the bytes to their destination is `destination.py`'s job.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
import yaml

from .emit_yaml import dump as dump_yaml
from .errors import OutputError
from .load import yaml12_typed
from .model import OutputFormat

_YamlDumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _PlainDumper(_YamlDumper):  # type: ignore[misc]
    """Never writes anchors/aliases: shared subtrees are written out in full."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: Any, data: str) -> Any:
    """Quote strings a YAML 1.2 reader would type (`1e3`, `0o17`); PyYAML only knows 1.1."""
    if yaml12_typed(data):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="'")
    return dumper.represent_str(data)


_PlainDumper.add_representer(str, _represent_str)


def dumps(doc: Any, fmt: OutputFormat) -> bytes:
    """Serialise a document deterministically."""
    if fmt == "json":
        try:
            return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
        except orjson.JSONEncodeError as exc:
            if "Integer exceeds 64-bit range" not in str(exc):
                raise OutputError(f"cannot write JSON: {exc}") from None
            # orjson stops at 64-bit integers; the standard library writes them exactly.
            text = json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False)
            return (text + "\n").encode("utf-8")
    fast = dump_yaml(doc)  # byte-identical to pyyaml_dump, several times faster
    if fast is not None:
        return fast.encode("utf-8")
    try:
        return pyyaml_dump(doc).encode("utf-8")
    except yaml.YAMLError as exc:
        raise OutputError(f"cannot write YAML: {exc}") from None


def pyyaml_dump(doc: Any) -> str:
    """The YAML output as PyYAML writes it: the reference `emit_yaml` must match byte for byte."""
    text: str = yaml.dump(
        doc,
        Dumper=_PlainDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=2**31 - 1,
        explicit_start=False,
    )
    return text
