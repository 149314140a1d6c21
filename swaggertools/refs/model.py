"""What the `$ref` policy is given and what it gives back (see the package's docstring)."""

from __future__ import annotations

from dataclasses import dataclass

from swaggertools.load import MAX_INPUT_BYTES

MAX_REF_FILES = 1000
"""Most external files (and fetched documents) one spec may bundle."""
REMOTE_TIMEOUT = 10.0
"""Seconds for connecting, for each read, and for a whole fetch."""


@dataclass(frozen=True)
class RefPolicy:
    """What `$ref`s may reach besides the document itself (default: in-folder files only)."""

    allow_remote: tuple[str, ...] = ()
    """`--allow-remote` entries: `host`, `host:port` (https) or `http://host:port` (http)."""
    ref_root: str | None = None
    """Folder that file refs must stay in (default: the spec's own folder)."""
    timeout: float = REMOTE_TIMEOUT
    max_total_bytes: int = MAX_INPUT_BYTES
    """Budget for the spec and every file or document it bundles, together."""
    max_files: int = MAX_REF_FILES


@dataclass(frozen=True)
class MissingTarget:
    """An allowed ref whose target is not there; the ref is left in the document as written."""

    ref: str
    reason: str
    """What is missing: `points to a file that does not exist: x.yaml`, or
    `points to nothing: x.yaml has no #/A`."""
    file: str
    """The file that holds the ref (the spec, or a file it bundles), as displayed."""
    pointer: str
    """Where the ref stands in `file` (for a mapping: the mapping value)."""
    line: int | None
    column: int | None
    """Known for refs in bundled files; refs in the spec are located with its other findings."""
    site: str
    """The ref's site in the bundled document: the index's `RefSite.pointer`."""
    mapping: bool
    """A discriminator mapping value."""
    in_spec: bool
    """The ref is in the spec itself (`file`/`pointer` are then the spec and `site`)."""


@dataclass(frozen=True)
class Bundled:
    """What `apply_policy` did to a document."""

    changed: bool
    """The document was rewritten (it must be indexed again)."""
    missing: dict[str, MissingTarget]
    """Refs left as written because their target is not there, by `MissingTarget.site`."""
