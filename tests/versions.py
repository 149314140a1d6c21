"""Print the Python and the installed versions of swaggertools' direct dependencies.

`make test-oldest` and `make test-latest` call it before the suite, so their logs say
which versions the two ends of the declared ranges resolved to. It also prints the
browser the browser tests drive: Debian's chromium is the one test input that is not
pinned by a lock (apt serves only the current build), so the log records which one ran.
"""

import platform
import re
import subprocess
from importlib.metadata import PackageNotFoundError, requires, version


def main() -> None:
    names = []
    for spec in requires("swaggertools-mes") or []:
        name = re.split(r"[\s;<>=!~\[]", spec, maxsplit=1)[0]
        if name not in names:
            names.append(name)
    print(f"python {platform.python_version()}")
    for name in sorted(names, key=str.lower):
        try:
            print(f"{name} {version(name)}")
        except PackageNotFoundError:
            print(f"{name} (not installed: a marker excludes it here)")
    try:
        browser = subprocess.run(
            ["/usr/bin/chromium", "--version"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        browser = "(not installed: make browser)"
    print(f"chromium {browser.removeprefix('Chromium ')}")


if __name__ == "__main__":
    main()
