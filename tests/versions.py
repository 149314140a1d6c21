"""Print the Python and the installed versions of swaggertools' direct dependencies.

`make test-oldest` and `make test-latest` call it before the suite, so their logs say
which versions the two ends of the declared ranges resolved to.
"""

import platform
import re
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


if __name__ == "__main__":
    main()
