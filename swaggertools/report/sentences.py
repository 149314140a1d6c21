"""What `clean` did to the input's own security, in words (terminal summary, Markdown report).

Read from the report's `security` section: per output variant, the global requirement it
replaced, the operation-level requirements it kept or replaced, and the schemes it dropped
because only the replaced requirements named them. Nothing is said for a variant whose
input security was left as it was (no global requirement, or already the AIM one).

With two outputs (`--auth both`), one sentence covers both when they differ only in the
requirement that took the old one's place; otherwise each output gets its own.
"""

from __future__ import annotations

import json
import re
from typing import Any

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _name(text: str) -> str:
    """A scheme or scope name from the input, with control characters escaped."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def requirement_words(requirement: Any) -> str:
    """A security requirement list in words.

    `[{"bearerAuth": []}]` -> `bearerAuth`; alternatives are joined with "or", the schemes
    one alternative needs together with "and" (in parentheses when there are several
    alternatives), scopes follow in parentheses: `(apiKey and basic) or oauth (read,
    write)`. `[]` is `none`, `{}` (no credentials needed) is `anonymous`; anything that is
    not a requirement list is shown as compact JSON.
    """
    if not isinstance(requirement, list) or not all(isinstance(a, dict) for a in requirement):
        return _name(json.dumps(requirement, ensure_ascii=False, separators=(",", ":")))
    if not requirement:
        return "none"
    several = len(requirement) > 1
    words = []
    for alternative in requirement:
        schemes = [_scheme_words(str(n), scopes) for n, scopes in alternative.items()]
        if not schemes:
            words.append("anonymous")
        elif len(schemes) > 1 and several:
            words.append("(" + " and ".join(schemes) + ")")
        else:
            words.append(" and ".join(schemes))
    return " or ".join(words)


def _scheme_words(name: str, scopes: Any) -> str:
    if isinstance(scopes, list) and scopes:
        return f"{_name(name)} ({', '.join(_name(str(s)) for s in scopes)})"
    return _name(name)


def _clauses(variant: dict[str, Any], replacement: str | None) -> list[str]:
    """The sentence parts for one variant; `replacement` None leaves the new one out."""
    clauses = []
    previous = variant["global_security_replaced"]
    if previous is not None:
        clause = f"replaced global requirement {requirement_words(previous)}"
        if replacement is not None:
            clause += f" with {replacement}"
        clauses.append(clause)
    overrides = len(variant["operation_overrides"])
    if overrides:
        whose = "1 operation" if overrides == 1 else f"{overrides} operations"
        noun = "requirement" if overrides == 1 else "requirements"
        if variant["overrides_replaced"]:
            clauses.append(f"replaced the operation-level {noun} of {whose}")
        else:
            clauses.append(
                f"kept the operation-level {noun} of {whose} (--replace-security replaces them)"
            )
    # .get: a report written before `dropped_schemes` existed (same report_format) lacks it
    dropped = [_name(str(n)) for n in variant.get("dropped_schemes", [])]
    if dropped:
        clauses.append(f"dropped scheme{'s' if len(dropped) > 1 else ''} {', '.join(dropped)}")
    return clauses


def _new_requirement(variant: dict[str, Any]) -> str:
    """The requirement the output has now: its schemes as alternatives."""
    return requirement_words([{name: []} for name in variant["schemes"]])


def security_sentences(security: dict[str, Any]) -> list[tuple[str | None, str]]:
    """`(variant, sentence)` pairs; variant None when the sentence is about every output."""
    variants: list[dict[str, Any]] = security["variants"]
    said = [(v, _clauses(v, _new_requirement(v))) for v in variants]
    said = [(v, clauses) for v, clauses in said if clauses]
    if not said:
        return []
    if len(variants) == 1:
        return [(None, "; ".join(said[0][1]))]
    if len(said) == len(variants) and _alike(variants):
        # Only the new requirement differs: name it per output inside one sentence.
        each = " and ".join(f"{_new_requirement(v)} in the {v['variant']} file" for v in variants)
        clauses = _clauses(variants[0], each)
        return [(None, "; ".join(clauses))]
    return [(v["variant"], "; ".join(clauses)) for v, clauses in said]


def _alike(variants: list[dict[str, Any]]) -> bool:
    first = _clauses(variants[0], None)
    return all(_clauses(v, None) == first for v in variants[1:])
