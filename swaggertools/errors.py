"""One error hierarchy for every stage.

Stages raise these; only the CLI turns them into an exit code and a one-line message.
Each error carries where it happened: a file, and a line/column or a JSON pointer.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


class SwaggertoolsError(Exception):
    """Base class: an error the user can act on, reported as one line, exit code 2."""

    exit_code = EXIT_ERROR

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        pointer: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.pointer = pointer

    def one_line(self) -> str:
        """Render as `file:line:col: message` or `file: #/pointer: message`."""
        where = ""
        if self.file is not None:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        if self.pointer is not None and self.line is None:
            where += f"{self.pointer}: "
        text = " ".join(self.message.split())
        return f"{where}{text}"


class UsageError(SwaggertoolsError):
    """Options that do not fit together, or a missing required option."""


class LoadError(SwaggertoolsError):
    """The input cannot be read, decoded or parsed, or is not a Swagger/OpenAPI document."""


class RefError(SwaggertoolsError):
    """A `$ref` that the policy refuses (remote, outside the folder, malformed)."""


class RuleSetError(SwaggertoolsError):
    """A rule file that is unreadable or does not match the rule-set schema."""


class SecurityConflictError(SwaggertoolsError):
    """An existing security scheme collides with one swaggertools would add."""


class OutputError(SwaggertoolsError):
    """An output cannot be written (bad path, permissions, would clobber the input)."""


class ConfigError(SwaggertoolsError):
    """A project configuration file that is unreadable or does not match its schema."""
