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
  extensions is data: the same rules as the index (`index._is_data`) decide, so it is
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

import ipaddress
import os
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from .errors import RefError, UsageError
from .index import _ENTRY, _EXAMPLE, _NAME_MAPS, Index, RefSite, _is_data, mapping_is_ref
from .load import MAX_INPUT_BYTES, MAX_YAML_NODES, Loaded, load_bytes
from .pointer import join, resolve, split, unescape
from .versions import SpecVersion

MAX_REF_FILES = 1000
"""Most external files (and fetched documents) one spec may bundle."""
REMOTE_TIMEOUT = 10.0
"""Seconds for connecting, for each read, and for a whole fetch."""

_DEFAULT_PORTS = {"http": 80, "https": 443}
_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_DRIVE_RE = re.compile(r"^[A-Za-z]:")
_NAME_UNSAFE_RE = re.compile(r"[^A-Za-z0-9._-]+")
# Cloud metadata endpoints; most are link-local or private anyway, 168.63.129.16 is not.
_METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",
        "169.254.170.2",
        "fd00:ec2::254",
        "100.100.100.200",
        "168.63.129.16",
    )
)
_V3_KINDS = {"headers", "examples", "links", "callbacks", "requestBodies"}
_IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


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


@dataclass(frozen=True)
class AllowedHost:
    """One parsed `--allow-remote` entry."""

    scheme: str
    host: str
    port: int


def parse_allow_remote(entries: tuple[str, ...]) -> tuple[AllowedHost, ...]:
    """Parse `--allow-remote` entries (commas separate several); UsageError when malformed."""
    allowed: list[AllowedHost] = []
    for entry in (part.strip() for raw in entries for part in raw.split(",")):
        if not entry:
            continue
        # only an entry that spells out http:// ever allows plain http
        text = entry if "://" in entry else f"https://{entry}"
        problem = f"--allow-remote {entry!r}: expected HOST, HOST:PORT or http://HOST:PORT"
        try:
            parts = urlsplit(text)
            port = parts.port
        except ValueError:
            raise UsageError(problem) from None
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").rstrip(".")
        extra = parts.path not in ("", "/") or parts.query or parts.fragment or parts.username
        if scheme not in _DEFAULT_PORTS or not host or extra:
            raise UsageError(problem)
        allowed.append(AllowedHost(scheme, host, port or _DEFAULT_PORTS[scheme]))
    return tuple(allowed)


def is_blocked_address(address: _IPAddress) -> bool:
    """True for loopback, private, link-local, shared, reserved, multicast, metadata addresses."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address in _METADATA or address.is_multicast or not address.is_global


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
    bundler = _Bundler(loaded, version, Path(spec), policy, allowed, root)
    bundler.bundle(sites)
    return Bundled(True, bundler.missing)


# ---------------------------------------------------------------- bundling


@dataclass(frozen=True)
class _Target:
    """Where a ref leads: a file (realpath) or a URL, and a JSON pointer in it."""

    location: str
    tokens: tuple[str, ...]
    remote: bool
    missing: str | None = None
    """Why the target is not there (an allowed file that does not exist), else None."""


@dataclass(frozen=True)
class _Where:
    """Where a ref stands, for error messages: a file, its locator, a JSON pointer."""

    file: str
    loaded: Loaded
    pointer: str

    def refuse(self, ref: str, reason: str) -> RefError:
        line, column = self.loaded.locator.line_col(self.pointer)
        return RefError(
            f"$ref {ref!r} at {self.pointer} {reason}", file=self.file, line=line, column=column
        )


@dataclass
class _Source:
    """A document the spec refers to, loaded once."""

    loaded: Loaded
    location: str
    remote: bool
    display: str
    folder: str
    """Folder for relative file refs (unused for fetched documents)."""


@dataclass
class _Job:
    """A target given a local name, whose content is copied in after all names are known."""

    target: _Target
    section: tuple[str, ...]
    name: str
    where: _Where
    ref: str
    value: Any = None


class _Bundler:
    """Bundles the in-folder (and allowed remote) targets of one spec into it."""

    def __init__(
        self,
        loaded: Loaded,
        version: SpecVersion,
        spec: Path,
        policy: RefPolicy,
        allowed: tuple[AllowedHost, ...],
        root: str | None,
    ) -> None:
        self.loaded = loaded
        self.doc: dict[str, Any] = loaded.doc
        self.version = version
        self.v3 = not version.facts.is_v2
        self.policy = policy
        self.allowed = allowed
        self.main_location = os.path.realpath(spec)
        # the folder the spec was named in (a linked spec does not move its folder)
        self.folder = os.path.realpath(os.path.dirname(os.path.abspath(spec)))
        self.root = root or self.folder
        self.display_folder = os.path.dirname(loaded.source.path)
        self.main = _Source(loaded, self.main_location, False, loaded.source.path, self.folder)
        self.sources: dict[str, _Source] = {}
        self.placed: dict[tuple[str, tuple[str, ...]], str] = {}
        """Target → the local ref of its bundled copy."""
        self.jobs: list[_Job] = []
        self.names: dict[tuple[str, ...], set[str]] = {}
        """Section → the names in use there."""
        self.per_file: dict[str, list[str]] = {}
        self.inlining: list[tuple[str, tuple[str, ...]]] = []
        self.bytes_used = loaded.source.size
        self.nodes = 0
        self.missing: dict[str, MissingTarget] = {}

    def bundle(self, sites: list[RefSite]) -> None:
        # Every ref of the spec is checked before any file is read or any host is asked.
        checked = []
        for site in sites:
            # a mapping site's pointer ends in `/$ref`; the value itself is one level up
            pointer = site.pointer.removesuffix("/$ref") if site.mapping else site.pointer
            where = _Where(self.loaded.source.path, self.loaded, pointer)
            checked.append((site, where, self._target(site.ref, self.main, where)))
        for site, where, target in checked:
            tokens = _pointer_tokens(site.pointer)
            holder, key, position, mapping = self._holder(tokens, site.ref)
            if holder is None:
                continue
            self._rewrite(holder, key, target, position, where, site.ref, mapping)
        done = 0
        while done < len(self.jobs):
            self._fill(self.jobs[done])
            done += 1
        for job in self.jobs:
            self._section(job.section, job.where, job.ref)[job.name] = job.value
        for display, pointers in sorted(self.per_file.items()):
            shown = ", ".join(pointers[:5]) + (", …" if len(pointers) > 5 else "")
            count = f"{len(pointers)} ref{'s' if len(pointers) != 1 else ''}"
            self.loaded.notes.append(f"bundled {count} from {display}: {shown}")

    def _holder(
        self, tokens: tuple[str, ...], ref: str
    ) -> tuple[dict[str, Any] | None, str, tuple[str, ...], bool]:
        """The object and key holding a ref site's text, and the position it stands at."""
        found, parent = resolve(self.doc, tokens[:-1])
        if found and isinstance(parent, dict) and parent.get("$ref") == ref:
            return parent, "$ref", tokens[:-1], False
        # a discriminator mapping value, recorded by the index as `.../mapping/<name>/$ref`
        found, mapping = resolve(self.doc, tokens[:-2])
        if found and isinstance(mapping, dict) and mapping.get(tokens[-2]) == ref:
            return mapping, tokens[-2], tokens[:-1], True
        return None, "", (), False

    def _rewrite(
        self,
        holder: dict[str, Any],
        key: str,
        target: _Target,
        position: tuple[str, ...],
        where: _Where,
        ref: str,
        mapping: bool,
    ) -> None:
        """Point holder[key] at the bundled copy of target (or inline a path item there).

        A target that is not there leaves holder[key] as written, recorded in `missing`.
        """
        if not target.remote and target.location == self.main_location:
            holder[key] = join(target.tokens)  # back into the spec itself
            return
        missing = target.missing or self._unresolved_fragment(target, where, ref)
        if missing is not None:
            self._leave(where, ref, missing, position, mapping)
            return
        section = _section_for(position, self.version, mapping)
        if section is not None:
            holder[key] = self._local(target, section, where, ref)
            return
        # a path item before OpenAPI 3.1: no section to bundle it into, so it is inlined
        if (target.location, target.tokens) in self.inlining or len(self.inlining) > 20:
            raise where.refuse(ref, "is a path item that refers to itself")
        self.inlining.append((target.location, target.tokens))
        source, value = self._content(target, where, ref)
        item = self._copy_rewritten(value, source, target.tokens, position, _ENTRY)
        self.inlining.pop()
        if not isinstance(item, dict):
            raise where.refuse(ref, "does not lead to an object (a path item)")
        siblings = {k: v for k, v in holder.items() if k != "$ref"}
        holder.clear()
        holder.update(item)
        holder.update(siblings)
        self.per_file.setdefault(source.display, []).append(join(position))

    def _unresolved_fragment(self, target: _Target, where: _Where, ref: str) -> str | None:
        """Why target's fragment is not in its (existing) document, or None when it is."""
        source = self._source(target, where, ref)
        found, _ = resolve(source.loaded.doc, target.tokens)
        if found:
            return None
        return f"points to nothing: {source.display} has no {join(target.tokens)}"

    def _leave(
        self, where: _Where, ref: str, reason: str, position: tuple[str, ...], mapping: bool
    ) -> None:
        """Record a ref whose target is not there; the ref itself stays as written."""
        in_spec = where.loaded is self.loaded
        # the spec's own findings are located in one pass later; a bundled file is small
        line, column = (None, None) if in_spec else where.loaded.locator.line_col(where.pointer)
        site = join((*position, "$ref"))  # how the index names this ref's site
        self.missing[site] = MissingTarget(
            ref, reason, where.file, where.pointer, line, column, site, mapping, in_spec
        )

    def _local(self, target: _Target, section: tuple[str, ...], where: _Where, ref: str) -> str:
        """The local ref for target, naming it (and queueing its copy) on first use."""
        key = (target.location, target.tokens)
        local = self.placed.get(key)
        if local is None:
            name = self._name(target, section, where, ref)
            local = join((*section, name))
            self.placed[key] = local
            self.jobs.append(_Job(target, section, name, where, ref))
        return local

    def _name(self, target: _Target, section: tuple[str, ...], where: _Where, ref: str) -> str:
        taken = self.names.get(section)
        if taken is None:
            taken = set(self._section(section, where, ref, create=False))
            self.names[section] = taken
        stem = _safe_name(_stem(target.location))
        tokens = target.tokens
        base = tokens[-1] if tokens else stem
        if base.isdigit() and len(tokens) > 1:
            base = f"{tokens[-2]}_{base}"
        base = _safe_name(base)
        candidates = [base, f"{base}_{stem}"] if stem != base else [base]
        name = next((c for c in candidates if c not in taken), None)
        n = 2
        while name is None:
            if f"{base}_{n}" not in taken:
                name = f"{base}_{n}"
            n += 1
        taken.add(name)
        return name

    def _section(
        self, section: tuple[str, ...], where: _Where, ref: str, *, create: bool = True
    ) -> dict[str, Any]:
        node: Any = self.doc
        for i, token in enumerate(section):
            child = node.get(token)
            if child is None:
                if not create:
                    return {}
                child = node[token] = {}
            if not isinstance(child, dict):
                pointer = join(section[: i + 1])
                raise where.refuse(ref, f"cannot be bundled: {pointer} is not an object")
            node = child
        return node  # type: ignore[no-any-return]

    def _fill(self, job: _Job) -> None:
        source, value = self._content(job.target, job.where, job.ref)
        entry = _EXAMPLE if job.section[-1] == "examples" else _ENTRY
        position = (*job.section, job.name)
        job.value = self._copy_rewritten(value, source, job.target.tokens, position, entry)
        self.per_file.setdefault(source.display, []).append(join(position))

    def _content(self, target: _Target, where: _Where, ref: str) -> tuple[_Source, Any]:
        source = self._source(target, where, ref)
        found, value = resolve(source.loaded.doc, target.tokens)
        if not found:
            raise where.refuse(
                ref, f"points to nothing: {source.display} has no {join(target.tokens)}"
            )
        return source, value

    def _copy_rewritten(
        self,
        value: Any,
        source: _Source,
        origin: tuple[str, ...],
        position: tuple[str, ...],
        entry: str,
    ) -> Any:
        """A copy of value with its refs rewritten from source's point of view."""
        copied = self._copy(value, source, origin)
        for rel, holder, key, ref, mapping in list(_ref_holders(copied, entry, self.v3)):
            inner = (*origin, *rel) + (() if mapping else ("$ref",))
            where = _Where(source.display, source.loaded, join(inner))
            target = self._target(ref, source, where)
            self._rewrite(holder, key, target, (*position, *rel), where, ref, mapping)
        return copied

    def _copy(self, value: Any, source: _Source, origin: tuple[str, ...]) -> Any:
        # Copies are counted: many refs into one big subtree must not multiply it unbounded.
        self.nodes += 1
        if self.nodes > MAX_YAML_NODES:
            raise RefError(
                f"bundled references expand to more than {MAX_YAML_NODES} values",
                file=source.display,
                pointer=join(origin),
            )
        if isinstance(value, dict):
            return {k: self._copy(v, source, origin) for k, v in value.items()}
        if isinstance(value, list):
            return [self._copy(v, source, origin) for v in value]
        return value

    # ------------------------------------------------------------ targets

    def _target(self, ref: str, source: _Source, where: _Where) -> _Target:
        """Check a ref against the policy, before anything is read; where it leads."""
        if not ref:
            raise where.refuse(ref, "is empty")
        address, _, fragment = ref.partition("#")
        try:
            tokens = tuple(split(fragment))
        except ValueError:
            raise where.refuse(
                ref, "has a fragment that is not a JSON pointer (expected '#/...')"
            ) from None
        if not address:
            return _Target(source.location, tokens, source.remote)
        if source.remote:
            url = urljoin(source.location, address)
            return _Target(self._check_url(ref, url, where), tokens, True)
        if address.startswith(("\\\\", "//", "\\/", "/\\")):
            raise where.refuse(ref, "is a network (UNC) path; " + _RELATIVE)
        if _DRIVE_RE.match(address):
            raise where.refuse(ref, "is an absolute Windows path; " + _RELATIVE)
        scheme = _SCHEME_RE.match(address)
        if scheme:
            return _Target(self._check_url(ref, address, where), tokens, True)
        path = unquote(address)  # decoded once; what it decodes to is checked as a path
        problem = _path_problem(path)
        if problem:
            raise where.refuse(ref, problem)
        location, missing = self._check_file(ref, path, source, where)
        return _Target(location, tokens, False, missing)

    def _check_url(self, ref: str, url: str, where: _Where) -> str:
        scheme_match = _SCHEME_RE.match(url)
        scheme = scheme_match.group(1).lower() if scheme_match else ""
        if scheme not in _DEFAULT_PORTS:
            raise where.refuse(
                ref,
                f"is not a local reference: the {scheme + ':'!r} scheme is never followed "
                f"({_RELATIVE})",
            )
        if not self.allowed:
            raise where.refuse(
                ref,
                "is not a local reference: swaggertools fetches nothing unless "
                "--allow-remote names the host",
            )
        try:
            parts = urlsplit(url)
            port = parts.port or _DEFAULT_PORTS[scheme]
        except ValueError:
            raise where.refuse(ref, "is not a valid URL") from None
        host = (parts.hostname or "").rstrip(".")
        if parts.username is not None or parts.password is not None:
            raise where.refuse(ref, "carries credentials in its URL; they are never sent")
        if not any(a.scheme == scheme and a.host == host and a.port == port for a in self.allowed):
            plain_http = scheme == "http" and all(a.scheme != "http" for a in self.allowed)
            hint = (
                "plain http is allowed only by an explicit http://HOST:PORT entry"
                if plain_http
                else "--allow-remote does not name this host and port"
            )
            raise where.refuse(ref, f"is not a local reference: {hint}")
        return parts._replace(scheme=scheme, fragment="").geturl()

    def _check_file(
        self, ref: str, path: str, source: _Source, where: _Where
    ) -> tuple[str, str | None]:
        """The file's real path, and why it is missing (None when it is there)."""
        root = self.root
        joined = os.path.normpath(os.path.join(source.folder, path))
        real = os.path.realpath(joined)
        if not _inside(real, root):
            folder = "the --ref-root folder" if self.policy.ref_root else "the spec's folder"
            how = "is a symbolic link that leads" if _inside(joined, root) else "leads"
            raise where.refuse(ref, f"{how} outside {folder}")
        try:
            info = os.stat(real)
        except FileNotFoundError:
            return real, f"points to a file that does not exist: {path}"
        except OSError as exc:
            raise where.refuse(ref, f"cannot be read: {exc.strerror or exc}") from None
        if not stat.S_ISREG(info.st_mode):
            raise where.refuse(ref, f"does not lead to a regular file ({_kind(info.st_mode)})")
        return real, None

    # ------------------------------------------------------------ reading

    def _source(self, target: _Target, where: _Where, ref: str) -> _Source:
        source = self.sources.get(target.location)
        if source is not None:
            return source
        if len(self.sources) >= self.policy.max_files:
            raise where.refuse(ref, f"would bundle more than {self.policy.max_files} files")
        budget = max(self.policy.max_total_bytes - self.bytes_used, 0)
        try:
            if target.remote:
                from .fetch import fetch  # the network stack is imported only to fetch

                data = fetch(target.location, self.allowed, self.policy.timeout, budget)
                display, folder = target.location, ""
            else:
                data = _read_regular(target.location, budget)
                display = os.path.normpath(
                    os.path.join(self.display_folder, os.path.relpath(target.location, self.folder))
                )
                folder = os.path.dirname(target.location)
        except _Refused as refused:
            raise where.refuse(ref, refused.reason) from None
        self.bytes_used += len(data)
        loaded = load_bytes(data, display)
        source = _Source(loaded, target.location, target.remote, display, folder)
        self.sources[target.location] = source
        return source


_RELATIVE = "refer to files by a relative path inside the spec's folder"


class _Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _path_problem(path: str) -> str | None:
    """Why a (decoded) file ref path is refused, or None."""
    if "\x00" in path:
        return "contains a NUL character"
    if "\\" in path:
        return "contains a backslash; use '/' in file refs"
    if path.startswith("//"):
        return "is a network (UNC) path; " + _RELATIVE
    if _DRIVE_RE.match(path):
        return "is an absolute Windows path; " + _RELATIVE
    if _SCHEME_RE.match(path):
        return "is a percent-encoded URL; " + _RELATIVE
    if path.startswith("/"):
        return "is an absolute path; " + _RELATIVE
    return None


def _inside(path: str, root: str) -> bool:
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # different drives
        return False


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a fifo"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _read_regular(path: str, limit: int) -> bytes:
    """Read a regular file without ever blocking on a fifo or device; at most limit bytes."""
    before = os.stat(path)
    if not stat.S_ISREG(before.st_mode):
        raise _Refused(f"does not lead to a regular file ({_kind(before.st_mode)})")
    if before.st_size > limit:
        raise _Refused(f"leads to a file over the remaining size budget of {limit} bytes")
    flags = os.O_RDONLY
    for name in ("O_NONBLOCK", "O_NOFOLLOW", "O_CLOEXEC", "O_BINARY"):
        flags |= getattr(os, name, 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _Refused(f"cannot be read: {exc.strerror or exc}") from None
    try:
        after = os.fstat(fd)
        # the file may have been swapped between the checks and the open
        if not stat.S_ISREG(after.st_mode) or (after.st_dev, after.st_ino) != (
            before.st_dev,
            before.st_ino,
        ):
            raise _Refused("changed while it was being read")
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, 1 << 20):
            size += len(chunk)
            if size > limit:
                raise _Refused(f"leads to a file over the remaining size budget of {limit} bytes")
            chunks.append(chunk)
    except OSError as exc:
        raise _Refused(f"cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    return b"".join(chunks)


# ---------------------------------------------------------------- positions and names


def _section_for(
    position: tuple[str, ...], version: SpecVersion, mapping: bool
) -> tuple[str, ...] | None:
    """Where a bundled target goes, from where its ref stands (None: inline a path item)."""
    v2 = version.facts.is_v2
    schemas = ("definitions",) if v2 else ("components", "schemas")
    if mapping:
        return schemas
    path_item = len(position) == 2 and position[0] in ("paths", "webhooks")
    if path_item or (len(position) >= 3 and position[-3] == "callbacks"):
        return ("components", "pathItems") if version.family == "3.1" else None
    sections = {s[-1]: s for s in version.facts.component_sections}
    if len(position) == 2 and v2 and position[0] in sections:
        return sections[position[0]]
    if len(position) == 3 and not v2 and position[0] == "components":
        return sections.get(position[1], schemas)
    parent = position[-2] if len(position) >= 2 else ""
    above = position[-3] if len(position) >= 3 else ""
    if above == "properties":  # a schema property may be called `parameters` or `headers`
        return schemas
    if parent in ("parameters", "responses"):
        return sections[parent]
    if not v2 and parent in _V3_KINDS and parent in sections:
        return sections[parent]
    if not v2 and position[-1:] == ("requestBody",):
        return sections["requestBodies"]
    return schemas


def _pointer_tokens(pointer: str) -> tuple[str, ...]:
    """Tokens of an index pointer (`#/a/b~1c`): unlike a ref's fragment, never %-encoded."""
    return tuple(unescape(t) for t in pointer[2:].split("/")) if pointer.startswith("#/") else ()


def _stem(location: str) -> str:
    name = urlsplit(location).path.rsplit("/", 1)[-1] if "://" in location else location
    name = os.path.basename(name)
    return name.split(".", 1)[0] or "ref"


def _safe_name(name: str) -> str:
    """A component name OpenAPI 3 accepts (`^[a-zA-Z0-9._-]+$`)."""
    return _NAME_UNSAFE_RE.sub("_", name) or "ref"


def _ref_holders(
    node: Any, key_above: str, v3: bool
) -> Iterator[tuple[tuple[str, ...], dict[str, Any], str, str, bool]]:
    """Each ref in node: (position, holder, key, ref, is a discriminator mapping).

    The same walk as the index: data (`example`, `default`, `x-`...) is skipped, and
    the keys of name maps (`properties`, `responses`...) are names, never keywords.
    """
    stack: list[tuple[Any, tuple[str, ...], str]] = [(node, (), key_above)]
    while stack:
        value, where, above = stack.pop()
        if isinstance(value, list):
            for i in reversed(range(len(value))):
                if isinstance(value[i], (dict, list)):
                    stack.append((value[i], (*where, str(i)), above + "[]"))
            continue
        if not isinstance(value, dict):
            continue
        children: list[tuple[Any, tuple[str, ...], str]] = []
        if above in _NAME_MAPS or (v3 and above == "examples"):
            child_key = _EXAMPLE if above == "examples" else _ENTRY
            for key, child in value.items():
                if above == "responses" and key.startswith("x-"):
                    continue
                if isinstance(child, (dict, list)):
                    children.append((child, (*where, key), child_key))
        else:
            ref = value.get("$ref")
            if isinstance(ref, str):
                yield where, value, "$ref", ref, False
            mapping = value.get("mapping")
            if above == "discriminator" and isinstance(mapping, dict):
                for name, target in mapping.items():
                    if isinstance(target, str) and mapping_is_ref(target):
                        yield (*where, "mapping", name), mapping, name, target, True
            for key, child in value.items():
                if isinstance(child, (dict, list)) and not _is_data(key, child, above, v3):
                    children.append((child, (*where, key), key))
        stack.extend(reversed(children))
