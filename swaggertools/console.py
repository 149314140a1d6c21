"""Plain line output for the CLI: text is written exactly as given.

Messages carry the user's own text (paths, names, descriptions): nothing in them may be
read as markup or emoji codes (`:smile:`), and nothing is wrapped. Importing a terminal
library for that would also cost every run ~10 ms of start-up.
"""

from __future__ import annotations

import sys
from typing import TextIO


class Console:
    """One output stream (stdout or stderr), looked up on each call so redirection works."""

    def __init__(self, *, stderr: bool = False) -> None:
        self._stderr = stderr

    @property
    def file(self) -> TextIO:
        """The stream written to now."""
        return sys.stderr if self._stderr else sys.stdout

    @property
    def is_terminal(self) -> bool:
        """True when the stream is an interactive terminal."""
        try:
            return self.file.isatty()
        except (AttributeError, ValueError):  # replaced or closed streams
            return False

    def print(self, text: str = "") -> None:
        """Write one line (or several, when `text` has newlines)."""
        stream = self.file
        try:
            stream.write(text + "\n")
        except UnicodeEncodeError:  # a legacy console code page: keep the line, escaped
            encoding = stream.encoding or "ascii"
            stream.write(text.encode(encoding, "backslashreplace").decode(encoding) + "\n")
