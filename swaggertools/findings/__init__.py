"""Findings and their renderers, shared by the `lint` and `diff` front doors.

`model` holds the run both commands produce (`LintRun`: files, findings, checks, verdict);
`sarif`, `junit`, `github` and `markdown` render it, one implementation of each format, so
both commands' output passes the same validators. `common` has the helpers they share.
Every renderer is `render(run, *, color=False) -> str`.
"""
