"""System check of the administrator's rules file (core/rule_settings.py): run at start-up."""

from __future__ import annotations

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from dangvu import regulations as R
from dangvu.core.rule_settings import rule_overrides, rules_file


def check_rules_file(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every setting of the rules file names an UNCONFIRMED rule and holds a valid value under every
    regulation encoded."""
    try:
        overrides = rule_overrides()
        for rules in R.REGULATIONS:
            R.rules_on(rules.effective_from, overrides)
        for rules in R.ASSESSMENT_REGULATIONS:
            R.assessment_rules(rules.first_year or 2014, overrides)
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="dangvu.E001")]
    except R.RuleViolation as exc:
        return [checks.Error(f"{rules_file()}: {exc}", id="dangvu.E001")]
    return []
