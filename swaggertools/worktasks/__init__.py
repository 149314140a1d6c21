"""`worktasks`: from the MES Swagger file to what an integrator enters in AVEVA Work Tasks.

`build_kit` cleans the spec in both AIM token modes (in memory, through `pipeline.clean`)
and returns the kit's files: the cleaned specs and the report, `WebAPITypes.xml`, the
import sheet (`IMPORT.md`, and `import.html` with `import.css`) and `kit.json`;
`Kit.write()` writes them as one folder.
"""

from __future__ import annotations

from .kit import Kit, build_kit, kit_document
from .model import XML_AUTH_MODES, KitModel, KitOptions, parse_names, reduce_name
from .sheet import build_sheet

__all__ = [
    "XML_AUTH_MODES",
    "Kit",
    "KitModel",
    "KitOptions",
    "build_kit",
    "build_sheet",
    "kit_document",
    "parse_names",
    "reduce_name",
]
