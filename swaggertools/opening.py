"""Opening a spec: load, detect the version, index, apply the `$ref` policy.

Every command (`clean`, `validate`, `lint`, `diff`, ...) starts here, so they all accept
and refuse the same files. Also the stage timer the front doors share.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import LoadError
from .gcpause import gc_paused
from .index import Index, build_index
from .load import MAX_INPUT_BYTES, Loaded, Note, load_path
from .refs import MissingTarget, RefPolicy, apply_policy
from .versions import SpecVersion, detect
from .written import keep_written_strings

Progress = Callable[[str], None]
"""Called with a stage's name as it starts (for progress lines on a terminal)."""


class Timer:
    """Wall-clock milliseconds per stage, and a progress call as each stage starts."""

    def __init__(self, progress: Progress | None) -> None:
        self.timings: dict[str, float] = {}
        self.progress = progress

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the block as (part of) stage `name`."""
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
    validation reports them as findings (`validation.refsites.check_ref_sites`)."""


@gc_paused
def open_spec(
    spec: str | Path,
    *,
    method_extension: str = "x-mes-method",
    timer: Timer | None = None,
    ref_policy: RefPolicy | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
) -> Opened:
    """Load, detect the version, index, and apply the `$ref` policy (shared by every command).

    `clean`, `validate` and `lint` all start here, so they accept and refuse the same files.
    Refs the policy refuses raise RefError before anything is read or fetched; in-folder
    (and allowed remote) targets are bundled into the document, which is then re-indexed.
    A target that does not exist is not an error here: `Opened.missing` names it.
    """
    timer = timer or Timer(None)
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
