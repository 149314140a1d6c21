"""The `$ref` policy: what a reference may reach, and bundling of in-folder files.

Every command opens a spec through `pipeline.open_spec`, which calls `apply_policy`, so
`clean`, `validate` and `lint` accept and refuse the same references:

- **No network by default.** A `$ref` with a URL scheme (`http:`, `HtTp:`, `https:`,
  `file:`, `ftp:`, prance's `python:`, ...) is refused before any file or host is touched.
  `RefPolicy.allow_remote` (`--allow-remote`) may name https hosts (`host`, `host:port`);
  plain http only through an entry that spells it out, `http://host:port`. Even for a
  named host, every address it resolves to is checked: loopback, private, link-local,
  shared, multicast and cloud-metadata addresses are refused unless the address itself is
  listed. The request goes to the checked address (no second DNS answer can redirect it),
  redirects are not followed, and a timeout and the size budget apply.
- **No file outside the spec's folder.** A file ref is a relative path, percent-decoded
  once, resolved (realpath, so symbolic links count where they lead) against the folder of
  the file that holds it, and must land inside the spec's folder (or `ref_root`).
  Absolute paths, Windows drive letters, UNC paths, backslashes, `..` escapes and links
  out of the folder are refused, and so is anything that is not a regular file (checked
  with stat before it is opened, and again on the open descriptor: a fifo never blocks).
- **In-folder targets are bundled**, so outputs are self-contained: each distinct target
  (`pet.yaml#/definitions/Pet`, or a whole file `pet.yaml`) is copied once into the
  section where the ref stands (`#/definitions` in 2.0; `#/components/<schemas|parameters|
  responses|...>` in 3.x; schemas when unsure) under a deterministic, collision-free name
  (`Pet`, then `Pet_<file stem>`, then `Pet_2`, ...), and the refs inside the copy are
  rewritten relative to *their* file. A target gets its name before its content is copied,
  so recursive and mutually recursive schemas stay refs and bundling always ends. A path
  item from another file has no component section before OpenAPI 3.1: it is inlined.
  External files are read with the same safe loader and limits as the spec
  (`load.load_bytes`), counted against one size budget, a file count and a copy budget.
- **A target that is not there is a finding, not a stop.** A ref the policy allows whose
  file does not exist (or whose fragment names nothing in the file) is left as written and
  recorded as a `MissingTarget`, with the file, pointer and line of the ref: validation
  reports it as `unresolved-ref` (an error) or, for a discriminator mapping value, as
  `unresolved-mapping` (a warning: no validator follows mappings). Only refs the policy
  refuses, and files that exist but cannot be read or parsed, stop the run.
- `$ref` inside `example`, `examples` values, `default`, `enum`, `const` and `x-`
  extensions is data: the same rules as the index (`index.is_data`) decide, so it is
  never followed here. `NO_FETCH_HANDLERS` keeps openapi-spec-validator from following
  such data refs on its own (it dereferences `$ref` inside `default` values and would
  otherwise read `file:` URLs and fetch `http:` ones).

prance is declared in the dependencies but is not used here, because after reading its
source: it reads files with plain `open()` (no size limit, no regular-file check, so a
fifo blocks; no confinement to a folder) and parses them with its own YAML/JSON readers
instead of our strict loader; its fetcher hands every non-file scheme to `requests` and
`python:` to importlib, and can only be switched off per kind, not confined; its
`ResolvingParser` inlines every ref and raises (or unrolls) on recursive schemas, and its
`TRANSLATE_EXTERNAL` mode puts every target into `components/schemas` (wrong for Swagger
2.0 and for parameters and responses) under names like `pet.yaml_definitions_Pet`; and
its reference iterator follows `$ref` inside examples and defaults.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from swaggertools.errors import UsageError
from swaggertools.index import Index
from swaggertools.load import Loaded
from swaggertools.netpolicy import parse_allow_remote
from swaggertools.versions import SpecVersion

from .bundle import Bundler
from .model import MAX_REF_FILES, REMOTE_TIMEOUT, Bundled, MissingTarget, RefPolicy


class _NoFetch(Mapping[str, Any]):
    """Resolver handlers for openapi-spec-validator that read and fetch nothing.

    jsonschema-path falls back to requests/urllib for a scheme it has no handler for, so
    this mapping claims every scheme; each "retrieval" yields an empty document.
    """

    _SCHEMES = ("", "file", "http", "https")

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: str) -> Any:
        return _nothing

    def __iter__(self) -> Iterator[str]:
        return iter(self._SCHEMES)

    def __len__(self) -> int:
        return len(self._SCHEMES)


def _nothing(uri: str) -> dict[str, Any]:
    return {}


NO_FETCH_HANDLERS: Mapping[str, Any] = _NoFetch()
"""Give to openapi-spec-validator validators as `resolver_handlers`."""


def apply_policy(
    loaded: Loaded, version: SpecVersion, index: Index, spec: str | Path, policy: RefPolicy
) -> Bundled:
    """Check every non-local `$ref` of the spec and bundle the in-folder ones into it.

    Rewrites `loaded.doc` in place and adds a note per bundled file to `loaded.notes`.
    Returns whether the document changed (the caller re-indexes it) and the refs left as
    written because their file or fragment does not exist. Raises RefError for a refused
    ref (nothing is read or fetched for a ref the policy refuses), and LoadError for an
    external file that exists but cannot be loaded.
    """
    allowed = parse_allow_remote(policy.allow_remote)
    root = None
    if policy.ref_root is not None:
        root = os.path.realpath(policy.ref_root)
        if not os.path.isdir(root):
            raise UsageError(f"--ref-root {policy.ref_root!r} is not a folder")
    sites = [s for s in index.ref_sites if not s.ref.startswith("#")]
    if not sites:
        return Bundled(False, {})
    bundler = Bundler(loaded, version, Path(spec), policy, allowed, root)
    bundler.bundle(sites)
    return Bundled(True, bundler.missing)


__all__ = [
    "MAX_REF_FILES",
    "NO_FETCH_HANDLERS",
    "REMOTE_TIMEOUT",
    "Bundled",
    "MissingTarget",
    "RefPolicy",
    "apply_policy",
]
