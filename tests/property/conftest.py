"""Hypothesis profiles for the property tests.

`ci` (the default): modest example counts, derandomized (the same examples on every run, so
a failure reproduces), no example database, no deadline (CI machines are shared and slow).
`thorough`: many more examples, random, for a long run by hand:

    HYPOTHESIS_PROFILE=thorough python -m pytest tests/property
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "thorough",
    max_examples=500,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
