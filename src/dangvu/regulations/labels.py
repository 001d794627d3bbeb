"""Labels of the rule keys (English msgids; the Vietnamese terms are in the catalogue)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUTHORITY_LABELS = {
    "provincial_standing_committee": _("standing committee of the provincial-level party committee"),
    "superior_standing_committee": _("standing committee of the committee directly above the grassroots"),
    "grassroots_standing_committee": _("standing committee of the grassroots party committee"),
}
DISCIPLINE_FORM_LABELS = {
    "reprimand": _("reprimand"),
    "warning": _("warning"),
    "dismissal": _("dismissal from posts"),
    "expulsion": _("expulsion"),
}
#: Vietnamese names of the forms as written in decisions and workbooks (MemberEvent.value holds the key).
DISCIPLINE_FORM_NAMES_VI = {
    "reprimand": "Khiển trách",
    "warning": "Cảnh cáo",
    "dismissal": "Cách chức",
    "expulsion": "Khai trừ",
}
PROTECTED_CONDITION_LABELS = {
    "pregnant": _("pregnant"),
    "caring_for_child_under_12_months": _("caring for a child under 12 months"),
    "seriously_ill": _("seriously ill"),
}
READMISSION_BAR_LABELS = {
    "quit": _("quit the Party"),
    "resigned": _("asked to leave the Party"),
    "caused_serious_disunity": _("caused serious disunity"),
    "corruption_conviction": _("was convicted of corruption"),
    "serious_crime_conviction": _("was convicted of a serious or very serious crime"),
}
TRANSFER_PURPOSE_LABELS = {"work": _("work or stay"), "training": _("a training course")}
#: Grounds of exemption (miễn sinh hoạt): on age (QĐ on Điều lệ Điều 7), and the temporary ones of
#: `RuleSet.temporary_exemption_grounds`.
EXEMPTION_GROUND_LABELS = {
    "age": _("Old age and poor health (on request)"),
    "long_medical_treatment": _("Temporary: long medical treatment"),
    "abroad_without_party_organisation": _("Temporary: abroad without a party organization"),
    "maternity_leave": _("Temporary: maternity leave"),
    "mobile_work": _("Temporary: mobile work under a year"),
}
#: Reasons of a suspension of party activities (đình chỉ sinh hoạt đảng): during an investigation or a
#: prosecution (domain-rules §9.3); "other" with its text.
SUSPENSION_REASON_LABELS = {
    "investigation": _("Under investigation"),
    "prosecution": _("Under prosecution"),
    "other": _("Other reason"),
}
MEMBER_STATUS_LABELS = {
    "probationary": _("probationary member"),
    "official": _("official member"),
    "transferred_out": _("transferred out"),
    "removed": _("removed from the Party"),
    "expelled": _("expelled"),
    "resigned": _("left the Party"),
    "died": _("deceased"),
}

