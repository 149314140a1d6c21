"""Run the pipeline's entry points with Python's cyclic garbage collector paused.

Loading, indexing, pruning and validating a large spec build and drop hundreds of
thousands of containers (the document's dicts and lists, index entries, findings). Every
700 allocations the collector walks the young containers, and every few of those walks the
survivors again: on a 5,000-operation file that is a third of the CPU time of `clean`,
spent proving that a tree of JSON values holds no reference cycles. Reference counting
frees everything these stages drop; the collector resumes (and catches up on any cycle an
exception left behind) as soon as the call returns.

A command-line run does not turn it back on (`pause_for_process`): the first young
collection after a stage returns would walk every container allocated while it was off and
still alive (the cleaned documents: a tenth of a second at 20,000 operations, more per
object the larger the heap), and the process exits right after.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

_P = ParamSpec("_P")
_R = TypeVar("_R")


def gc_paused(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Decorate func so that it runs with the cyclic collector off (nesting is fine)."""

    @functools.wraps(func)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if not gc.isenabled():  # already paused by an outer call, or by the application
            return func(*args, **kwargs)
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            gc.enable()

    return run


def pause_for_process() -> None:
    """Turn the cyclic collector off for the rest of a short-lived process (the CLI).

    `gc_paused` then leaves it off too. A CLI run creates next to no cyclic garbage (a
    whole `clean` leaves a few dozen objects in cycles) and ends with the process.
    """
    gc.disable()
