"""The demo's simulation reads the Party's rules it follows from the rule set, not from numbers of its own."""

from __future__ import annotations

import dataclasses

from dangvu import regulations as R
from dangvu.demo import plan as demo_plan
from dangvu.members.models import MemberEventKind as E


def test_old_members_are_exempted_only_past_the_exemption_age_of_the_rules(monkeypatch):
    """With the rules' exemption ages raised to 70 (men) and 65 (women), no member of the demo is
    exempted from activities younger than that: the simulation takes the ages from the rules."""
    rules_on = R.rules_on
    ages = {"M": 70 * 12, "F": 65 * 12}
    monkeypatch.setattr(R, "rules_on", lambda day, *a, **kw: dataclasses.replace(
        rules_on(day, *a, **kw), exemption_min_age_months=ages))
    exempted = [(m.fields["sex"], R.age_in_months(m.fields["birth_date"], ev.day))
                for m in demo_plan.build_plan().members for ev in m.events if ev.kind == E.EXEMPTED]
    assert exempted  # the demo still exempts its oldest members
    assert all(age >= ages[sex] for sex, age in exempted), min(exempted, key=lambda e: e[1] - ages[e[0]])
