"""Checking a small data file (rule set, configuration) against one of our JSON Schemas.

jsonschema-rs gives the verdict for the common case, a valid file, without importing
jsonschema (about 0.1 s of CPU at start-up, more than a run on a small spec). Only a file
it refuses is checked again by jsonschema, whose errors `explain_schema_error` words.
Our schemas use only keywords both libraries implement alike (types, enums, ASCII
patterns, if/then, oneOf, dependentRequired; no `format`), so the verdicts agree.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jsonschema


@cache
def load_schema(path: Path) -> dict[str, Any]:
    """The schema at `path`, read once per process."""
    with open(path, encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@cache
def _fast_validator(path: Path) -> Any:
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - a dependency; jsonschema alone still works
        return None
    return jsonschema_rs.Draft202012Validator(load_schema(path))


def schema_errors(path: Path, doc: Any) -> list[jsonschema.ValidationError]:
    """Every way `doc` breaks the schema at `path` (empty when it is valid)."""
    fast = _fast_validator(path)
    if fast is not None and fast.is_valid(doc):
        return []
    import jsonschema

    return list(jsonschema.Draft202012Validator(load_schema(path)).iter_errors(doc))
