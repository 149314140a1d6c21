"""The output formats of `swaggertools lint`.

What a run produced (`LintRun`, `FileResult`, `CheckInfo`, `load-error`) lives in
`swaggertools.findings.model`, below both `lint` and `diff`: the SARIF, JUnit, GitHub and
Markdown renderers serve both commands and so import neither front door.
"""

from __future__ import annotations

from typing import Literal

LintFormat = Literal["text", "json", "sarif", "junit", "github", "markdown"]
LINT_FORMATS: tuple[LintFormat, ...] = ("text", "json", "sarif", "junit", "github", "markdown")
