"""What every family's comparison sees: the schema comparer and the change collector."""

from __future__ import annotations

from dataclasses import dataclass, field

from .change import Changes
from .model import SpecModel
from .schema import SchemaDiff


@dataclass
class Context:
    """One comparison of OLD with NEW."""

    old: SpecModel
    new: SpecModel
    schemas: SchemaDiff
    changes: Changes = field(default_factory=Changes)
