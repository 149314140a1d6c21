"""The report of a `clean` run: typed records built from the stages' results, and renderings.

- `records`: one TypedDict per section, whose fields are the report's keys;
- `build`: `build_report`, from the stages' results (`CleanStages`) in one call;
- renderings: JSON (`render_json`, schema in `schemas/report.schema.json`), Markdown
  (`markdown.render`), and the security outcome in words (`sentences`), which the CLI's
  terminal summary also uses.
"""

from __future__ import annotations

from swaggertools.emit import dumps

from .build import CleanStages, build_report
from .markdown import render as render_markdown
from .model import REPORT_FORMAT_VERSION, Report
from .records import count_errors, finding_records, op_record, rule_record, ruleset_record
from .sentences import requirement_words, security_sentences


def render_json(report: Report) -> bytes:
    """The JSON report, as written to `<stem>.report.json`."""
    return dumps(report.as_dict(), "json")


__all__ = [
    "REPORT_FORMAT_VERSION",
    "CleanStages",
    "Report",
    "build_report",
    "count_errors",
    "finding_records",
    "op_record",
    "render_json",
    "render_markdown",
    "requirement_words",
    "rule_record",
    "ruleset_record",
    "security_sentences",
]
