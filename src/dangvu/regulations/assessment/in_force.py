"""The rules of a year's assessment: the regulation in force for that year, with the administrator's
settings of its UNCONFIRMED fields (the rules file, `core.rule_settings`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from dangvu.core.rule_settings import rule_overrides

from ..refusals import _violation
from .by_regulation import _DEADLINES, ASSESSMENT_REGULATIONS, ASSESSMENT_UNCONFIRMED_FIELDS
from .groups import GROUPS
from .rules import NOT_RATED_REASONS, AssessmentRules
from .scales import COMMON_KEYS


def _coerce(name: str, current: Any, value: Any) -> Any:
    if name in ("excellent_cap_ratio", "units_disciplined_max_share", "targets_min_share"):
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError
        result = Fraction(str(value))
        if not 0 < result <= 1:
            raise ValueError
        return result
    if name == "proposal_majority":  # more than this share: 0 (one vote) up to, not including, all
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError
        result = Fraction(str(value))
        if not 0 <= result < 1:
            raise ValueError
        return result
    if name in ("excellent_cap_base_includes_excellent", "disciplined_exception", "excellent_needs_no_unit_disciplined"):
        if not isinstance(value, bool):
            raise ValueError
        return value
    if name == "excellent_cap_groups":
        if isinstance(value, str) or any(v not in GROUPS for v in value):
            raise ValueError
        return tuple(value)
    if name == "not_rated":
        if isinstance(value, str) or any(v not in NOT_RATED_REASONS for v in value):
            raise ValueError
        return tuple(value)
    if name in _DEADLINES:  # days after 31/12, before it when negative
        if isinstance(value, bool) or not isinstance(value, int) or not -365 <= value <= 365:
            raise ValueError
        return value
    if name == "not_rated_min_months":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError
        return value
    if name == "disciplined_max":
        if value not in COMMON_KEYS:
            raise ValueError
        return value
    raise ValueError  # pragma: no cover - every unconfirmed field is listed above


def assessment_rules(year: int, overrides: Mapping[str, Any] | None = None) -> AssessmentRules:
    """The rules of the assessment of `year`, with the administrator's settings of the UNCONFIRMED ones
    (the rules file when `overrides` is None). A setting of a field confirmed under that regulation is
    ignored there (the text wins); a setting of the lifecycle rules (`rules_on`) is not this function's.
    An invalid value raises RuleViolation "rules.override_invalid"."""
    rules = ASSESSMENT_REGULATIONS[0]
    for candidate in ASSESSMENT_REGULATIONS:
        if candidate.first_year is None or candidate.first_year <= year:
            rules = candidate
    if overrides is None:
        overrides = rule_overrides()
    changes = {}
    for name, value in overrides.items():
        if name not in ASSESSMENT_UNCONFIRMED_FIELDS or name not in rules.unconfirmed:
            continue
        try:
            changes[name] = _coerce(name, getattr(rules, name), value)
        except (TypeError, ValueError, ZeroDivisionError):
            raise _violation("rules.override_invalid", field=name, setting=name, value=repr(value)) from None
    if not changes:
        return rules
    return dataclasses.replace(rules, **changes, overridden=tuple(sorted(changes)))
