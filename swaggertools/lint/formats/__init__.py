"""Output formats of `swaggertools lint`: one module each, all rendering a `LintRun`.

`text` and `json` are lint's own; `sarif`, `junit`, `github` and `markdown` come from
`swaggertools.findings`, where `diff` renders its changes through them too.

Every renderer is `render(run, *, color=False) -> str`: deterministic text (the same run
gives the same characters, with no clock in it) ending with a newline. Only `text` uses
`color`. The CLI writes the text as UTF-8.
"""

from __future__ import annotations

from collections.abc import Callable

from swaggertools.findings import github, junit, markdown, sarif
from swaggertools.findings.model import LintRun
from swaggertools.lint.model import LintFormat

from . import json_, text

FORMATS: dict[LintFormat, Callable[..., str]] = {
    "text": text.render,
    "json": json_.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "github": github.render,
    "markdown": markdown.render,
}
"""Renderer per `--format` name."""


def render(run: LintRun, fmt: LintFormat, *, color: bool = False) -> str:
    """Render `run` in format `fmt` (`color` only affects `text`)."""
    return FORMATS[fmt](run, color=color)
