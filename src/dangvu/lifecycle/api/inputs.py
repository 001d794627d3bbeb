"""The inputs of the member actions of the API (recognition, card, badge, discipline, suspension, exemption,
removal, resignation, death, restoration, transfer in), each with the decision behind it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dangvu import regulations as R
from dangvu.core.api import DayField
from dangvu.organizations.api import DecisionInputSerializer, ScopedOrganizationField
from dangvu.organizations.services import Vote

from .. import services
from ..forms import CARD_DIGITS, COMMITTEE_VOTE_HELP, LATE_REASON_HELP


class VoteInput(serializers.Serializer):
    due = serializers.IntegerField(min_value=0, help_text=_("Official members of the cell."))
    excluded = serializers.IntegerField(min_value=0, required=False, help_text=_("Left out of the count."))
    present = serializers.IntegerField(min_value=0)
    votes_for = serializers.IntegerField(min_value=0)


class RecognizeInput(DecisionInputSerializer, VoteInput):
    decided_on = DayField(future=True, help_text=_("Not before the probation of the rules ends."))
    late_reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="",
                                        help_text=LATE_REASON_HELP)
    committee_voted_on = DayField(future=True, required=False, allow_null=True, default=None,
                                  help_text=COMMITTEE_VOTE_HELP)
    committee_due = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None,
                                             help_text=_("Members of the grassroots party committee."))
    committee_votes_for = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)


class CardInput(DecisionInputSerializer):
    number = serializers.CharField(max_length=R.CARD_NUMBER_DIGITS, help_text=CARD_DIGITS)
    issued_on = DayField(future=True)


class BadgeInput(DecisionInputSerializer):
    milestone = serializers.IntegerField(help_text=_("Years of party age: a milestone of the rules in force on the "
                                                     "award date."))
    award_date = DayField(future=True, help_text=_("An award occasion of the rules in force on that day."))
    seriously_ill = serializers.BooleanField(default=False, help_text=_("Early award for a seriously ill member."))


class DisciplineInput(DecisionInputSerializer):
    form = serializers.ChoiceField(choices=list(R.DISCIPLINE_FORM_LABELS.items()))
    decided_on = DayField(future=True)
    violation_on = DayField(required=False, allow_null=True, default=None)
    conditions = serializers.MultipleChoiceField(
        choices=list(R.PROTECTED_CONDITION_LABELS.items()), required=False, default=list,
        help_text=_("Conditions of the member that protect from discipline while they hold, those of the rules in "
                    "force on the day of the decision: the discipline is refused."))


class ExemptInput(DecisionInputSerializer):
    on = DayField(future=True)
    ground = serializers.ChoiceField(choices=list(R.EXEMPTION_GROUND_LABELS.items()), default="age")
    treatment_months = serializers.IntegerField(min_value=0, default=0)
    medical_record = serializers.BooleanField(default=False)


class SuspendInput(DecisionInputSerializer):
    """The reason written out goes in `note` (required for another reason)."""

    on = DayField(future=True, help_text=_("The first day of the suspension."))
    reason = serializers.ChoiceField(choices=list(R.SUSPENSION_REASON_LABELS.items()))
    planned_end = DayField(future=True, required=False, allow_null=True, default=None,
                           help_text=_("Optional: the suspension lasts until it is lifted."))


class DatedInput(DecisionInputSerializer):
    on = DayField(future=True)


class RestoreInput(DatedInput):
    decision_number = serializers.CharField(max_length=64, help_text=_("The decision annulling the removal or "
                                                                       "expulsion."))
    cell = ScopedOrganizationField(help_text=_("Code of the party cell the member returns to."))


class RemoveInput(DatedInput):
    ground = serializers.ChoiceField(choices=list(services.REMOVAL_GROUNDS))
    due = serializers.IntegerField(min_value=0, required=False)
    present = serializers.IntegerField(min_value=0, required=False)
    votes_for = serializers.IntegerField(min_value=0, required=False)


def _vote(d: dict) -> Vote | None:
    if d.get("due") is None or d.get("votes_for") is None:
        return None
    return Vote(d["due"], d.get("present", d["due"]), d["votes_for"], d.get("excluded") or 0)


class TransferInInput(DatedInput):
    to_cell = ScopedOrganizationField(help_text=_("Code of the receiving party cell (in your scope)."))
