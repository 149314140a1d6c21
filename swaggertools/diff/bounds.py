"""Numeric bounds of a schema: maximum/minimum, their exclusive forms, and multipleOf.

2.0 and 3.0 spell an exclusive bound as `maximum` plus `exclusiveMaximum: true`; 3.1 as
a number in `exclusiveMaximum` (a schema may carry both). Each side's tightest bound is
compared, so a 3.0 -> 3.1 move of the same bound is no change.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import Any

Bound = tuple[Any, bool]
"""A numeric bound: the value and whether it is exclusive."""


def numeric_tightened(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[str]:
    """What NEW's numeric limits refuse that OLD's accepted, worded for the message."""
    old_max, new_max = _bound(old, "maximum", upper=True), _bound(new, "maximum", upper=True)
    if new_max is not None and (old_max is None or _upper_key(new_max) < _upper_key(old_max)):
        yield f"maximum {_show(old_max, '<')} → {_show(new_max, '<')}"
    old_min, new_min = _bound(old, "minimum", upper=False), _bound(new, "minimum", upper=False)
    if new_min is not None and (old_min is None or _lower_key(new_min) > _lower_key(old_min)):
        yield f"minimum {_show(old_min, '>')} → {_show(new_min, '>')}"
    old_step: Any = old.get("multipleOf")
    new_step: Any = new.get("multipleOf")
    if is_number(new_step) and new_step > 0 and not _divides(new_step, old_step):
        yield f"multipleOf {'none' if old_step is None else old_step} → {new_step}"


def _bound(limits: Mapping[str, Any], name: str, *, upper: bool) -> Bound | None:
    """The tightest bound set under `name` and its exclusive form."""
    value: Any = limits.get(name)
    flag: Any = limits.get("exclusive" + name[0].upper() + name[1:])
    found: list[Bound] = []
    if is_number(value):
        found.append((value, flag is True))
    if is_number(flag):
        found.append((flag, True))
    if not found:
        return None
    return min(found, key=_upper_key) if upper else max(found, key=_lower_key)


def _upper_key(bound: Bound) -> tuple[Any, int]:
    return (bound[0], 0 if bound[1] else 1)  # at the same value, exclusive is tighter


def _lower_key(bound: Bound) -> tuple[Any, int]:
    return (bound[0], 1 if bound[1] else 0)


def _show(bound: Bound | None, sign: str) -> str:
    if bound is None:
        return "none"
    return f"{sign}{bound[0]}" if bound[1] else str(bound[0])


def _divides(new: Any, old: Any) -> bool:
    """Every multiple of `old` is a multiple of `new` (so NEW refuses nothing OLD took)."""
    if not is_number(old) or old <= 0:
        return False
    ratio = Fraction(str(old)) / Fraction(str(new))
    return ratio.denominator == 1


def is_number(value: Any) -> bool:
    """A JSON number (a bool is not one)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)
