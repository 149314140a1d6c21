"""Build the fuzzer's seed corpus in fuzz/corpus/ from the test data and the fixtures.

Seeds: every file of the hostile corpus (tests/hostile/, up to 64 KB), the test case inputs
(tests/cases/), and small variants of the bundled fixtures (fixtures/generate.py) as JSON
and YAML. Each seed gets a leading byte that picks the file name the target uses (0: .json,
1: .yaml, 2: .txt), matching the target's `test_one_input`.

    python fuzz/make_seeds.py            # writes fuzz/corpus/ (git-ignored)
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "corpus"
MAX_SEED = 64 * 1024


def _seeds() -> list[tuple[str, bytes]]:
    found: list[tuple[str, bytes]] = []
    for folder in (ROOT / "tests" / "hostile", ROOT / "tests" / "cases"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink() and path.stat().st_size <= MAX_SEED:
                found.append((path.name, path.read_bytes()))
    sys.path.insert(0, str(ROOT / "fixtures"))
    import generate  # the fixtures' generator: standard library and PyYAML only

    small = generate.minimum_operations()
    for version in ("2.0", "3.0"):
        doc = generate.build_spec(version, small)
        found.append(("fixture.json", generate.dump_json(doc).encode()))
        found.append(("fixture.yaml", generate.dump_yaml(doc).encode()))
    return found


def main() -> int:
    """Write the seeds; returns the process exit code."""
    CORPUS.mkdir(exist_ok=True)
    count = 0
    for name, data in _seeds():
        selector = 0 if name.endswith(".json") else 1 if name.endswith((".yaml", ".yml")) else 2
        seed = bytes([selector]) + data
        (CORPUS / hashlib.sha1(seed).hexdigest()).write_bytes(seed)
        count += 1
    print(f"{count} seeds in {CORPUS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
