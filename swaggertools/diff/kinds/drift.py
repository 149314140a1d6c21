"""Rule drift: how the exclusion rules fit NEW compared with OLD (`--rules`).

Each rule is matched in both files exactly as `clean` matches it; the operations it
matched in OLD are followed to NEW through the operation matching.
"""

from __future__ import annotations

from swaggertools.diff.change import ChangeKind


class RuleEscaped(ChangeKind):
    """An operation a rule removed in OLD survives in NEW because it was renamed.

    `clean` on NEW keeps an operation that Work Tasks must not offer. The change names the
    operation's new identity: extend the rule (or add one) for it.

    Failing::

        # rule
        - operationId: Core_AttrSet_Add
          reason: no-web-endpoint
        # OLD
        /api/Core/AttrSet/Add: {post: {operationId: Core_AttrSet_Add}}
        # NEW (matched by path, operationId renamed)
        /api/Core/AttrSet/Add: {post: {operationId: AttrSet_Insert}}
    """

    id = "rule-escaped"
    level = "error"
    direction = "operation"
    summary = "A renamed operation escapes the rule that removed it in OLD."


class RuleUnmatchedNow(ChangeKind):
    """A rule that matched in OLD matches nothing in NEW.

    MES fixed the method (it has a web endpoint now) or renamed it: check and update the
    rule set.

    Failing::

        # rule
        - method: FactMES.API.Core.Line.GetWORunOnALine
        # OLD has the operation; NEW does not
    """

    id = "rule-unmatched-now"
    level = "warning"
    direction = "operation"
    summary = "A rule that matched in OLD matches nothing in NEW."


class RuleMatchesMore(ChangeKind):
    """A rule (usually a glob) catches operations in NEW that it did not catch in OLD.

    `clean` would remove them: check that they must go. The change lists them by name.

    Failing::

        # rule
        - method: FactMES.API.Core.ShiftPattern.*
        # NEW adds /api/Core/ShiftPattern/Copy
    """

    id = "rule-matches-more"
    level = "warning"
    direction = "operation"
    summary = "A rule matches operations in NEW that it did not match in OLD."


class RuleMatchesFewer(ChangeKind):
    """A rule matches fewer operations in NEW because operations it matched were removed.

    Failing::

        # rule
        - method: FactMES.API.Core.ShiftPattern.*
        # NEW no longer has /api/Core/ShiftPattern/Delete
    """

    id = "rule-matches-fewer"
    level = "info"
    direction = "operation"
    summary = "A rule matches fewer operations in NEW (some were removed)."


KINDS: tuple[type[ChangeKind], ...] = (
    RuleEscaped,
    RuleUnmatchedNow,
    RuleMatchesMore,
    RuleMatchesFewer,
)
