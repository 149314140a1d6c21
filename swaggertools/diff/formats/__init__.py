"""Output formats of `swaggertools diff`: one module each, all rendering a `DiffResult`.

Every renderer is `render(result, *, color=False) -> str`: deterministic text ending
with a newline. `junit`, `github` and `sarif` are the renderers of `swaggertools.findings`
(lint's too), fed the changes as findings (`as_lint_run`): one implementation of those
formats for both commands.
"""

from __future__ import annotations

from collections.abc import Callable

from swaggertools.diff.result import DiffFormat, DiffResult

from . import html, json_, lintrun, markdown, text

FORMATS: dict[DiffFormat, Callable[..., str]] = {
    "text": text.render,
    "markdown": markdown.render,
    "html": html.render,
    "json": json_.render,
    "junit": lintrun.render_junit,
    "github": lintrun.render_github,
    "sarif": lintrun.render_sarif,
}
"""Renderer per `--format` name."""


def render(result: DiffResult, fmt: DiffFormat, *, color: bool = False) -> str:
    """Render `result` in format `fmt` (`color` only affects `text`)."""
    return FORMATS[fmt](result, color=color)
