"""Bundling: each allowed target copied once into the spec under a collision-free name.

`Bundler` checks every ref of the spec against the policy before anything is read or
fetched, then names each distinct target, copies it in and rewrites the refs inside the
copy relative to their own file (see the package's docstring for the rules).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin

from swaggertools.errors import RefError
from swaggertools.index import ENTRY, EXAMPLE, RefSite
from swaggertools.load import MAX_YAML_NODES, Loaded, load_bytes
from swaggertools.netpolicy import AllowedHost, Refused, allowed_url
from swaggertools.pointer import join, resolve, split
from swaggertools.versions import SpecVersion

from . import files
from .files import DRIVE_RE, RELATIVE, SCHEME_RE, file_kind, inside, path_problem
from .model import MissingTarget, RefPolicy
from .places import file_stem, pointer_tokens, ref_holders, safe_name, section_for


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


class Bundler:
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
        """Check every ref in sites, then bundle the targets and note each file bundled."""
        # Every ref of the spec is checked before any file is read or any host is asked.
        checked = []
        for site in sites:
            # a mapping site's pointer ends in `/$ref`; the value itself is one level up
            pointer = site.pointer.removesuffix("/$ref") if site.mapping else site.pointer
            where = _Where(self.loaded.source.path, self.loaded, pointer)
            checked.append((site, where, self._target(site.ref, self.main, where)))
        for site, where, target in checked:
            tokens = pointer_tokens(site.pointer)
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
        section = section_for(position, self.version, mapping)
        if section is not None:
            holder[key] = self._local(target, section, where, ref)
            return
        # a path item before OpenAPI 3.1: no section to bundle it into, so it is inlined
        if (target.location, target.tokens) in self.inlining or len(self.inlining) > 20:
            raise where.refuse(ref, "is a path item that refers to itself")
        self.inlining.append((target.location, target.tokens))
        source, value = self._content(target, where, ref)
        item = self._copy_rewritten(value, source, target.tokens, position, ENTRY)
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
        stem = safe_name(file_stem(target.location))
        tokens = target.tokens
        base = tokens[-1] if tokens else stem
        if base.isdigit() and len(tokens) > 1:
            base = f"{tokens[-2]}_{base}"
        base = safe_name(base)
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
        entry = EXAMPLE if job.section[-1] == "examples" else ENTRY
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
        for rel, holder, key, ref, mapping in list(ref_holders(copied, entry, self.v3)):
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
            raise where.refuse(ref, "is a network (UNC) path; " + RELATIVE)
        if DRIVE_RE.match(address):
            raise where.refuse(ref, "is an absolute Windows path; " + RELATIVE)
        scheme = SCHEME_RE.match(address)
        if scheme:
            return _Target(self._check_url(ref, address, where), tokens, True)
        path = unquote(address)  # decoded once; what it decodes to is checked as a path
        problem = path_problem(path)
        if problem:
            raise where.refuse(ref, problem)
        location, missing = self._check_file(ref, path, source, where)
        return _Target(location, tokens, False, missing)

    def _check_url(self, ref: str, url: str, where: _Where) -> str:
        scheme = SCHEME_RE.match(url)
        try:
            return allowed_url(url, scheme.group(1) if scheme else "", self.allowed, RELATIVE)
        except Refused as refused:
            raise where.refuse(ref, refused.reason) from None

    def _check_file(
        self, ref: str, path: str, source: _Source, where: _Where
    ) -> tuple[str, str | None]:
        """The file's real path, and why it is missing (None when it is there)."""
        root = self.root
        joined = os.path.normpath(os.path.join(source.folder, path))
        real = os.path.realpath(joined)
        if not inside(real, root):
            folder = "the --ref-root folder" if self.policy.ref_root else "the spec's folder"
            how = "is a symbolic link that leads" if inside(joined, root) else "leads"
            raise where.refuse(ref, f"{how} outside {folder}")
        try:
            info = os.stat(real)
        except FileNotFoundError:
            return real, f"points to a file that does not exist: {path}"
        except OSError as exc:
            raise where.refuse(ref, f"cannot be read: {exc.strerror or exc}") from None
        if not stat.S_ISREG(info.st_mode):
            raise where.refuse(ref, f"does not lead to a regular file ({file_kind(info.st_mode)})")
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
                from swaggertools.fetch import fetch  # the network stack is imported only to fetch

                data = fetch(target.location, self.allowed, self.policy.timeout, budget)
                display, folder = target.location, ""
            else:
                data = files.read_regular(target.location, budget)
                display = os.path.normpath(
                    os.path.join(self.display_folder, os.path.relpath(target.location, self.folder))
                )
                folder = os.path.dirname(target.location)
        except Refused as refused:
            raise where.refuse(ref, refused.reason) from None
        self.bytes_used += len(data)
        loaded = load_bytes(data, display)
        source = _Source(loaded, target.location, target.remote, display, folder)
        self.sources[target.location] = source
        return source
