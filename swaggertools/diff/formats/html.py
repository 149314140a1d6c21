"""One offline HTML page: no script, no external resource, every file text escaped.

A small stand-alone page until the docs renderer exists to reuse; everything from the
compared files passes through `html.escape`.
"""

from __future__ import annotations

from html import escape

from swaggertools.diff.result import DiffResult

from ._groups import groups, headline, more, operations_line

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em;max-width:70em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.25em .5em;
text-align:left;vertical-align:top}th{background:#f3f3f3}.error{color:#b00020}
.warning{color:#8a5a00}.info{color:#0b5394}.used{font-weight:bold}code{font-size:.95em}
"""


def render(result: DiffResult, *, color: bool = False) -> str:
    """The HTML page; `color` is ignored."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        f"<title>swaggertools diff: {escape(result.old.path)} → {escape(result.new.path)}</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>swaggertools diff</h1>",
        f"<p>OLD <code>{escape(result.old.path)}</code> ({escape(result.old.spec_version)}) → "
        f"NEW <code>{escape(result.new.path)}</code> ({escape(result.new.spec_version)})</p>",
        f"<p>{escape(operations_line(result))}</p>",
        f"<p><strong>{escape(headline(result))}</strong></p>",
    ]
    for group in groups(result):
        used = ' class="used"' if group.used else ""
        out.append(f"<h2{used}>{escape(group.label)}{' (used)' if group.used else ''}</h2>")
        out.append("<table><tr><th>Level</th><th>Change</th><th>Message</th></tr>")
        for change in group.changes:
            out.append(
                f'<tr><td class="{change.level}">{change.level}</td>'
                f"<td><code>{escape(change.id)}</code></td>"
                f"<td>{escape(change.message + more(change))}</td></tr>"
            )
        out.append("</table>")
    drift = [r for r in result.rules if r.status not in ("unchanged", "unmatched")]
    if drift:
        out.append("<h2>Rule drift</h2><table><tr><th>Rule</th><th>Status</th>")
        out.append("<th>OLD</th><th>NEW</th><th>Operations</th></tr>")
        for entry in drift:
            names = ", ".join(op.label() for op in entry.operations)
            out.append(
                f"<tr><td>{escape(entry.rule)} ({escape(entry.target)})</td>"
                f"<td>{escape(entry.status_label())}</td><td>{len(entry.old_matches)}</td>"
                f"<td>{len(entry.new_matches)}</td><td>{escape(names)}</td></tr>"
            )
        out.append("</table>")
    if result.consumers is not None:
        out.append("<h2>Consumers</h2><table><tr><th>Operation</th><th>Status</th>")
        out.append("<th>Changes</th></tr>")
        for impact in result.consumers:
            out.append(
                f"<tr><td>{escape(impact.consumer.operation)}</td>"
                f"<td>{escape(impact.status)}</td><td>{len(impact.changes)}</td></tr>"
            )
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
