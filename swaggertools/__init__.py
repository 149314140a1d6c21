"""swaggertools: clean, secure and validate AVEVA MES Web API Swagger files for Work Tasks.

Library API (the CLI is a thin shell over these)::

    from swaggertools import CleanOptions, LintOptions, clean, lint, load_ruleset, validate_file

    result = clean("mes-swagger.json", CleanOptions(authority="https://sms/identitymanager"))
    result.report.as_dict()["removed_operations"]
    if result.ok:
        result.write()
    lint(["mes-swagger.json"], LintOptions(fail_on="warning")).exit_code
"""

from __future__ import annotations

from .errors import SwaggertoolsError
from .findings.model import LintRun
from .lint.engine import LintOptions, lint
from .model import CleanOptions, Finding, Operation, Severity
from .pipeline import CleanResult, ValidateResult, clean, load_spec, validate_file
from .project import __version__
from .rules import RuleSet, check_file, load_ruleset, shipped_rulesets

__all__ = [
    "CleanOptions",
    "CleanResult",
    "Finding",
    "LintOptions",
    "LintRun",
    "Operation",
    "RuleSet",
    "Severity",
    "SwaggertoolsError",
    "ValidateResult",
    "__version__",
    "check_file",
    "clean",
    "lint",
    "load_ruleset",
    "load_spec",
    "shipped_rulesets",
    "validate_file",
]
