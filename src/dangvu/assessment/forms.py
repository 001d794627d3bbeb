"""Forms of the assessment pages: parse input only; the rules live in `services` and `regulations`.

`SheetForm` is the rating sheet of one chi bộ: a level (and, where the year's scale has points, a
score) per member who is rated, and the fields of the step being recorded — the chi bộ's review
(date, collective comment, members due to vote and present, and per member the votes in favour of
its proposal: left empty, all those present) or the committee's decision (date, number, issuer).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangvu.members.forms import DMYDateField, DomainErrorFormMixin, _text
from dangvu.organizations.services import Decision

from .selectors import format_number
from .services import Proposal, RatingDecision

PROPOSE, DECIDE = "propose", "decide"
STEPS = {PROPOSE: _("Proposals of the party cell"), DECIDE: _("Decision of the committee")}

#: Keys typed on the sheet for each level besides its digit (1 = the best): the initial of the word
#: that tells the levels apart in Vietnamese (Xuất sắc, Tốt, Hoàn thành, Không). A choice of the
#: screen, not a rule. "k" alone moves up a row (as ↑), so "Không" is Shift+K.
SHORTCUTS = {"excellent": "x", "good": "t", "completed": "h", "not_completed": "K"}


class OpenCycleForm(DomainErrorFormMixin, forms.Form):
    """Mở kỳ đánh giá: the organization whose committee decides, the year, the day it opens."""

    organization = forms.TypedChoiceField(label=_("Organization"), coerce=int)
    year = forms.IntegerField(label=_("Year assessed"), min_value=1930, max_value=2100)
    opened_on = DMYDateField(label=_("Assessment opened on"))

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [("", "—")] + [(o.pk, f"{o.name} ({o.code})") for o in organizations]


class DecisionFieldsMixin:
    """The fields of a committee's decision (date, number, issuer) and the Decision they make."""

    def add_decision_fields(self, year: int) -> None:
        today = min(timezone.localdate(), dt.date(year + 1, 12, 31))
        self.fields["decided_on"] = DMYDateField(label=_("Decided on"), initial=today)
        self.fields["decision_number"] = _text(_("Decision number"), max_length=64)
        self.fields["issued_by"] = _text(_("Issued by"))

    def decision(self) -> Decision:
        d = self.cleaned_data
        return Decision(number=d.get("decision_number", ""), date=d.get("decided_on"), issued_by=d.get("issued_by", ""))


def level_field_name(member_id: int) -> str:
    return f"level-{member_id}"


def points_field_name(member_id: int) -> str:
    return f"points-{member_id}"


def votes_for_field_name(member_id: int) -> str:
    return f"for-{member_id}"


class SheetForm(DecisionFieldsMixin, DomainErrorFormMixin, forms.Form):
    """The sheet of one chi bộ for one step (`PROPOSE` or `DECIDE`) over `sheet` (selectors.cell_sheet)."""

    def __init__(self, *args, sheet, step: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet, self.step = sheet, step
        self.rated_rows = [row for row in sheet.rows if row.not_rated is None]
        choices = [("", "—")] + [(lv.key, lv.label) for lv in sheet.levels]
        for row in self.rated_rows:
            m = row.member.pk
            self.fields[level_field_name(m)] = forms.ChoiceField(label=row.member.full_name, choices=choices,
                                                                 required=False)
            if sheet.scale.has_points:
                self.fields[points_field_name(m)] = forms.DecimalField(
                    label=_("Points"), required=False, min_value=0, max_value=100, decimal_places=2, max_digits=5,
                    localize=True)
            if step == PROPOSE:
                self.fields[votes_for_field_name(m)] = forms.IntegerField(
                    label=_("In favour"), required=False, min_value=0, max_value=100000)
        today = min(timezone.localdate(), dt.date(sheet.cycle.year + 1, 12, 31))
        if step == PROPOSE:
            self.fields["effective_on"] = DMYDateField(label=_("Meeting of the party cell on"), initial=today)
            self.fields["comment"] = forms.CharField(label=_("Collective comment of the party cell"), max_length=5000,
                                                     required=False, widget=forms.Textarea(attrs={"rows": 2}))
            for name, label in (("votes_due", _("Members due to vote")), ("votes_present", _("Present"))):
                self.fields[name] = forms.IntegerField(label=label, min_value=0, max_value=100000)
        else:
            self.add_decision_fields(sheet.cycle.year)
        for name, value in self._initial_values().items():
            self.initial.setdefault(name, value)

    def _initial_values(self) -> dict:
        values = {}
        for row in self.rated_rows:
            m = row.member.pk
            if self.step == PROPOSE:
                key, points = row.proposed_key, row.proposed_points
            else:
                key, points = row.decided_key or row.proposed_key, row.decided_points or row.proposed_points
            values[level_field_name(m)] = key
            if self.sheet.scale.has_points:
                values[points_field_name(m)] = format_number(points) if points is not None else None
            if self.step == PROPOSE and row.proposed_votes_for != row.proposed_votes_present:
                values[votes_for_field_name(m)] = row.proposed_votes_for  # empty: unanimous
        vote = self.sheet.vote
        if self.step == PROPOSE and vote is not None:
            values.update(effective_on=vote.effective_on, comment=vote.comment, votes_due=vote.votes_due,
                          votes_present=vote.votes_present)
        elif self.step == PROPOSE:  # the chi bộ's members due to vote, all present
            values.update(votes_due=self.sheet.votes_due, votes_present=self.sheet.votes_due)
        return values

    def rows(self):
        """(sheet row, level, points, votes in favour: each a bound field or None) in the sheet's order."""
        for row in self.sheet.rows:
            m = row.member.pk
            yield row, *(self[name] if name in self.fields else None
                         for name in (level_field_name(m), points_field_name(m), votes_for_field_name(m)))

    def _entries(self):
        d = self.cleaned_data
        for row in self.rated_rows:
            m = row.member.pk
            key, points = d.get(level_field_name(m)) or "", d.get(points_field_name(m))
            if key or points is not None:
                yield row, key, points

    def proposals(self) -> list[Proposal]:
        """The rows given a level or score, each with its votes in favour: those typed, else all the
        members present (unanimous)."""
        d, result = self.cleaned_data, []
        for row, key, points in self._entries():
            votes_for = d.get(votes_for_field_name(row.member.pk))
            result.append(Proposal(member=row.member, key=key, points=points,
                                   votes_for=d.get("votes_present") if votes_for is None else votes_for))
        return result

    def decisions(self) -> list[RatingDecision]:
        """The decisions that change something: a row already decided at the same level and score is left out."""
        return [RatingDecision(member=row.member, key=key, points=points) for row, key, points in self._entries()
                if (key, points) != (row.decided_key, row.decided_points)]

    def bulk_values(self, action: str) -> dict:
        """The sheet's values after a bulk action, for a page without JavaScript: every row left empty
        set to "good" (`fill`), every row emptied (`clear`), or every proposal voted by all the members
        present (`unanimous`: the votes in favour emptied). Nothing is saved."""
        data = {name: self.data.get(name, "") for name in self.fields}
        for row in self.rated_rows:
            name = level_field_name(row.member.pk)
            if action == "unanimous":
                data[votes_for_field_name(row.member.pk)] = ""
            elif action == "clear":
                data[name] = ""
                if self.sheet.scale.has_points:
                    data[points_field_name(row.member.pk)] = ""
            elif action == "fill" and not data.get(name):
                data[name] = "good"
        return data


def org_field_name(prefix: str, org_id: int) -> str:
    return f"{prefix}-{org_id}"


class OrgSheetForm(DecisionFieldsMixin, DomainErrorFormMixin, forms.Form):
    """The committee's decision on the organizations of `sheet` (selectors_org.organization_sheet): a
    level per organization (and a score where the year's scale has points), and for the hard limits
    its units directly under it, those disciplined in the year and the share of its targets met."""

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        choices = [("", "—")] + [(lv.key, lv.label) for lv in sheet.levels]
        for row in sheet.rows:
            self.fields[org_field_name("level", row.id)] = forms.ChoiceField(label=row.name, choices=choices,
                                                                             required=False)
            if sheet.scale.has_points:
                self.fields[org_field_name("points", row.id)] = forms.DecimalField(
                    label=_("Points"), required=False, min_value=0, max_value=100, decimal_places=2, max_digits=5,
                    localize=True)
            self.fields[org_field_name("units", row.id)] = forms.IntegerField(
                label=_("Units under it"), required=False, min_value=0, max_value=100000)
            self.fields[org_field_name("disciplined", row.id)] = forms.IntegerField(
                label=_("Units disciplined this year"), required=False, min_value=0, max_value=100000)
            self.fields[org_field_name("targets", row.id)] = forms.DecimalField(
                label=_("Targets met (%)"), required=False, min_value=0, max_value=100, decimal_places=1,
                max_digits=4, localize=True)
            self.initial.setdefault(org_field_name("level", row.id), row.decided_key)
            self.initial.setdefault(org_field_name("units", row.id), row.units)
            if sheet.scale.has_points and row.decided_points is not None:
                self.initial.setdefault(org_field_name("points", row.id), format_number(row.decided_points))
        self.add_decision_fields(sheet.cycle.year)

    def rows(self):
        """(sheet row, {level, points: bound field or None; limits: the bound fields of the hard limits})
        in the sheet's order."""
        for row in self.sheet.rows:
            fields = {p: self[org_field_name(p, row.id)] if org_field_name(p, row.id) in self.fields else None
                      for p in ("level", "points")}
            fields["limits"] = [self[org_field_name(p, row.id)] for p in ("units", "disciplined", "targets")]
            yield row, fields

    def decisions(self) -> list[RatingDecision]:
        """The organizations given a level or score that differs from the one decided."""
        d, result = self.cleaned_data, []
        for row in self.sheet.rows:
            key, points = d.get(org_field_name("level", row.id)) or "", d.get(org_field_name("points", row.id))
            if not (key or points is not None) or (key, points) == (row.decided_key, row.decided_points):
                continue
            targets = d.get(org_field_name("targets", row.id))
            result.append(RatingDecision(
                organization=row.organization, key=key, points=points,
                units_total=d.get(org_field_name("units", row.id)),
                units_disciplined=d.get(org_field_name("disciplined", row.id)),
                targets_met=Fraction(targets) / 100 if targets is not None else None))
        return result
