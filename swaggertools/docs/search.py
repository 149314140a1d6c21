"""The search index: built at generation time, written as small plain scripts.

`file://` pages cannot fetch, import modules or start workers, so the index is a set of
classic scripts that push their part onto a global (`window.STS`); `site.js` adds them to
the page after its load event (or when the search box is used first). Each part holds
the page names it refers to, compact rows
`[kind, page, anchor, method, path, summary, operationId, mes, tag]` (kind 0 = operation,
1 = schema) and its own number: parts arrive in any order and are searched as each
arrives, and the number keeps the final ranking the same every time. `site.js`
lower-cases each row into one haystack once, and a query is a substring scan with
ranking: ~25,000 rows scan in a few milliseconds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

CHUNK_ROWS = 2000


@dataclass
class SearchIndex:
    """Rows collected while pages are laid out."""

    rows: list[list[object]] = field(default_factory=list)

    def operation(
        self,
        page: str,
        anchor: str,
        method: str,
        path: str,
        summary: str,
        operation_id: str | None,
        mes_method: str | None,
        tag: str,
    ) -> None:
        """Add an operation (once, at its first place)."""
        self.rows.append(
            [0, page, anchor, method, path, summary, operation_id or "", mes_method or "", tag]
        )

    def schema(self, page: str, anchor: str, name: str) -> None:
        """Add a schema."""
        self.rows.append([1, page, anchor, "", name])

    def files(self) -> list[tuple[str, str]]:
        """(file name under assets/, script text) of each part."""
        parts = []
        for n, start in enumerate(range(0, max(len(self.rows), 1), CHUNK_ROWS)):
            chunk = self.rows[start : start + CHUNK_ROWS]
            pages: dict[str, int] = {}
            compact = []
            for row in chunk:
                page = str(row[1])
                number = pages.setdefault(page, len(pages))
                trimmed = [row[0], number, *row[2:]]
                while trimmed and trimmed[-1] == "":
                    trimmed.pop()
                compact.append(trimmed)
            data = json.dumps([list(pages), compact, n], ensure_ascii=True, separators=(",", ":"))
            parts.append((f"search-{n}.js", f"(window.STS=window.STS||[]).push({data});\n"))
        return parts
