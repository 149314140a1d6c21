"""Baselines: accept the findings a file has today, fail only on new ones.

A baseline is a JSON file listing, per spec file, a fingerprint of each accepted finding.
The fingerprint is the check id, the JSON pointer and the message: not the line, so
edits elsewhere in the file do not resurrect accepted findings. Each entry hides one
matching finding (a duplicated problem added later still shows).
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from swaggertools.destination import Artifact, write_all
from swaggertools.emit import dumps
from swaggertools.errors import UsageError
from swaggertools.findings.model import LOAD_ERROR
from swaggertools.load import load_path
from swaggertools.model import Finding

BASELINE_FORMAT = 1


def fingerprint(finding: Finding) -> str:
    """Stable identity of a finding: sha256 of check id, pointer and message."""
    text = "\0".join((finding.rule, finding.pointer or "", finding.message))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _key(path: str, baseline: Path) -> str:
    """A spec path as the baseline stores it: relative to the baseline's folder, posix."""
    absolute = os.path.abspath(path)
    try:
        return Path(os.path.relpath(absolute, os.path.abspath(baseline.parent))).as_posix()
    except ValueError:  # another drive on Windows
        return Path(absolute).as_posix()


class Baseline:
    """Accepted findings per file, as fingerprint counts."""

    def __init__(self, path: Path, entries: Mapping[str, Counter[str]]) -> None:
        self.path = path
        self.entries = entries

    @classmethod
    def read(cls, path: Path) -> Baseline:
        """Read a baseline written by `--write-baseline` (UsageError when it is not one)."""
        if not path.is_file():
            raise UsageError(
                "baseline file not found (create it with --write-baseline)", file=str(path)
            )
        loaded = load_path(path)
        doc: Any = loaded.doc
        if (
            not isinstance(doc, dict)
            or doc.get("baseline_format") != BASELINE_FORMAT
            or not isinstance(doc.get("files"), dict)
        ):
            raise UsageError(
                f"not a swaggertools baseline (format {BASELINE_FORMAT})", file=str(path), line=1
            )
        entries: dict[str, Counter[str]] = {}
        for name, items in doc["files"].items():
            counter: Counter[str] = Counter()
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict) and isinstance(item.get("fingerprint"), str):
                    counter[item["fingerprint"]] += 1
            entries[name] = counter
        return cls(path, entries)

    def filter(self, spec: str, findings: list[Finding]) -> tuple[list[Finding], int]:
        """The findings the baseline does not accept, and how many it hid."""
        budget = Counter(self.entries.get(_key(spec, self.path), Counter()))
        kept = []
        hidden = 0
        for finding in findings:
            fp = fingerprint(finding)
            if finding.rule != LOAD_ERROR and budget[fp] > 0:
                budget[fp] -= 1
                hidden += 1
            else:
                kept.append(finding)
        return kept, hidden


def write_baseline(path: Path, results: Iterable[tuple[str, list[Finding]]]) -> None:
    """Write (atomically) a baseline accepting every finding given, per spec file."""
    files: dict[str, list[dict[str, Any]]] = {}
    for spec, findings in results:
        entries = [
            {
                "rule": f.rule,
                "pointer": f.pointer,
                "message": f.message,
                "fingerprint": fingerprint(f),
            }
            for f in findings
            if f.rule != LOAD_ERROR
        ]
        entries.sort(key=lambda e: (e["rule"], e["pointer"] or "", e["message"]))
        files[_key(spec, path)] = entries
    doc = {
        "baseline_format": BASELINE_FORMAT,
        "tool": "swaggertools",
        "files": dict(sorted(files.items())),
    }
    write_all([Artifact("baseline", None, path, dumps(doc, "json"))])
