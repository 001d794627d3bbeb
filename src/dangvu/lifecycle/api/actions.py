"""The member actions of the API: each action's input, the service it calls and its summary, and the
POST endpoint made from them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from dangvu.members.api import MemberEventSerializer
from dangvu.members.models import MemberEvent
from dangvu.organizations.api import decision_from

from .. import services, transfers
from ..forms import committee_vote
from .inputs import (
    BadgeInput,
    CardInput,
    DatedInput,
    DisciplineInput,
    ExemptInput,
    RecognizeInput,
    RemoveInput,
    RestoreInput,
    SuspendInput,
    TransferInInput,
    _vote,
)

#: action name → (input serializer, call(member, data, actor) → event, summary)
ACTIONS = {
    "recognize": (RecognizeInput, lambda m, d, a: services.recognize_official(
        m, decided_on=d["decided_on"], vote=_vote(d), decision=decision_from(d), late_reason=d["late_reason"],
        committee_voted_on=d["committee_voted_on"], committee_vote=committee_vote(d["committee_due"],
                                                                                 d["committee_votes_for"]),
        actor=a),
        _("Recognise a probationary member as official (công nhận chính thức)")),
    "card": (CardInput, lambda m, d, a: services.issue_card(
        m, number=d["number"], issued_on=d["issued_on"], decision=decision_from(d), actor=a),
        _("Issue a party card (cấp thẻ đảng viên)")),
    "badge": (BadgeInput, lambda m, d, a: services.award_badge(
        m, milestone=d["milestone"], award_date=d["award_date"], seriously_ill=d["seriously_ill"],
        decision=decision_from(d), actor=a),
        _("Award the Party badge due on an award date (trao Huy hiệu Đảng)")),
    "transfer-in": (TransferInInput, lambda m, d, a: transfers.transfer_in(
        m, on=d["on"], to_cell=d["to_cell"], decision=decision_from(d), note=d["note"], actor=a),
        _("Transfer a member who had left this database back into one of its chi bộ (chuyển sinh hoạt đến)")),
    "discipline": (DisciplineInput, lambda m, d, a: services.discipline(
        m, form=d["form"], decided_on=d["decided_on"], violation_on=d["violation_on"], conditions=d["conditions"],
        decision=decision_from(d), note=d["note"], actor=a), _("Discipline (kỷ luật); expulsion ends the membership")),
    "suspend": (SuspendInput, lambda m, d, a: services.suspend(
        m, on=d["on"], reason=d["reason"], note=d["note"], planned_end=d["planned_end"],
        decision=decision_from(d), actor=a),
        _("Suspend from party activities during an investigation or a prosecution (đình chỉ sinh hoạt đảng)")),
    "lift-suspension": (DatedInput, lambda m, d, a: services.lift_suspension(
        m, on=d["on"], decision=decision_from(d), note=d["note"], actor=a),
        _("Lift the suspension of party activities")),
    "exempt": (ExemptInput, lambda m, d, a: services.exempt(
        m, on=d["on"], ground=d["ground"], treatment_months=d["treatment_months"],
        medical_record=d["medical_record"], decision=decision_from(d), note=d["note"], actor=a),
        _("Exempt from work and party activities (miễn công tác và sinh hoạt đảng)")),
    "end-exemption": (DatedInput, lambda m, d, a: services.end_exemption(
        m, on=d["on"], decision=decision_from(d), note=d["note"], actor=a), _("End the exemption")),
    "remove": (RemoveInput, lambda m, d, a: services.remove(
        m, on=d["on"], ground=d["ground"], vote=_vote(d), decision=decision_from(d), note=d["note"], actor=a),
        _("Remove from the Party (xóa tên)")),
    "resign": (DatedInput, lambda m, d, a: services.resign(
        m, on=d["on"], decision=decision_from(d), note=d["note"], actor=a), _("Leave the Party (xin ra khỏi Đảng)")),
    "death": (DatedInput, lambda m, d, a: services.record_death(m, on=d["on"], note=d["note"], actor=a),
              _("Record a death (từ trần)")),
    "restore": (RestoreInput, lambda m, d, a: services.restore_membership(
        m, on=d["on"], cell=d["cell"], decision=decision_from(d), note=d["note"], actor=a),
        _("Restore the membership of a member wrongly removed or expelled (khôi phục đảng tịch)")),
}


def _endpoint(name: str):
    serializer_class, call, summary = ACTIONS[name]

    def endpoint(self, request, code=None):
        member = self.get_object()
        serializer = serializer_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        event = call(member, serializer.validated_data, request.user)
        event = MemberEvent.objects.select_related("cell", "recorded_by").get(pk=event.pk)
        return Response(MemberEventSerializer(event).data, status=status.HTTP_201_CREATED)

    endpoint.__name__ = name.replace("-", "_")
    endpoint = action(detail=True, methods=["post"], url_path=name)(endpoint)
    return extend_schema(summary=summary, request=serializer_class, responses={201: MemberEventSerializer},
                         description=_("Checked against the rules in force on the action's date; refused with "
                                       "the field at fault and the reason, and nothing written."))(endpoint)
