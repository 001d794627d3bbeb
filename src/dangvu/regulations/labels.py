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

#: The parameters of the rule sets (RuleSet and AssessmentRules: their fields) as the rules page shows them.
RULE_LABELS = {
    "min_age_months": _("Minimum age at admission (months)"),
    "max_age_months": _("Maximum age at admission without a higher approval (months)"),
    "over_max_age_approver": _("Who approves an admission above the maximum age"),
    "over_max_age_conditions": _("Conditions of an admission above the maximum age"),
    "min_education": _("Minimum general education"),
    "min_education_exceptions": _("Exceptions to the minimum education"),
    "introducers_required": _("Introducers required"),
    "introducer_must_be_official": _("An introducer must be an official member"),
    "introducer_min_months_with_applicant": _("Months an introducer has worked with the applicant"),
    "introducer_min_official_months": _("Months an introducer has been an official member"),
    "union_introducers": _("Organizations that may introduce instead of a member"),
    "awareness_certificate_valid_months": _("Validity of the Party awareness course certificate (months)"),
    "required_documents": _("Papers of the admission file"),
    "member_documents": _("Papers of the party member's file"),
    "admission_decided_by": _("Who decides an admission"),
    "admission_delegation_allowed": _("The decision on admission may be delegated"),
    "vote_threshold": _("Share of the chi bộ's official members needed to admit"),
    "committee_vote_threshold": _("Share of the committee's members needed to admit"),
    "vote_denominator_excludes": _("Official members not counted in a vote"),
    "failed_votes_before_referral": _("Failed votes before the file goes to the committee above"),
    "deadline_decide_admission": _("Time limit to decide an admission"),
    "deadline_hold_ceremony": _("Time limit to hold the admission ceremony"),
    "deadline_member_biography": _("Time limit to fill in the party member's biography"),
    "deadline_recognition_cell": _("Time limit for the chi bộ to consider official recognition"),
    "deadline_recognition_decision": _("Time limit to decide official recognition"),
    "deadline_transfer": _("Time limit to transfer one's party activities"),
    "deadline_transfer_report": _("Time limit to present the transfer letter"),
    "deadline_discipline_appeal": _("Time limit to appeal a disciplinary decision"),
    "probation_months": _("Probation (months)"),
    "readmission_wait_months": _("Wait before a readmission (months)"),
    "readmission_wait_after_expunged_months": _("Wait before a readmission after a conviction is expunged (months)"),
    "readmission_max_times": _("Readmissions allowed"),
    "readmission_barred": _("Never readmitted: who"),
    "readmission_hardship_exception": _("Readmitted only in special cases: who"),
    "party_age_from": _("Party age counted from"),
    "party_age_gap_reasons": _("Periods not counted in the party age"),
    "badge_milestones": _("Party badge milestones (years of party age)"),
    "badge_award_days": _("Award occasions of the Party badge (day, month)"),
    "badge_award_rule": _("Which award occasion a badge falls on"),
    "badge_early_months": _("Early award for serious illness (from, to years; months)"),
    "badge_posthumous_early_months": _("Early award after death (months)"),
    "badge_delay_months": _("Badge delayed after a discipline (months)"),
    "badge_for_exempted": _("Members exempted from activities receive badges"),
    "discipline_forms": _("Disciplinary forms by status"),
    "discipline_cell_forms": _("Forms a chi bộ may decide"),
    "discipline_protected": _("Not disciplined while"),
    "discipline_lapse_months": _("A discipline lapses after (months)"),
    "discipline_lapse_excluded": _("Disciplines that never lapse"),
    "discipline_limitation_months": _("Limitation period of a violation by form (months)"),
    "discipline_limitation_exempt": _("Violations with no limitation period"),
    "exemption_min_age_months": _("Age for exemption on grounds of age (months; men, women)"),
    "exemption_min_treatment_months": _("Medical treatment that grants a temporary exemption (months)"),
    "temporary_exemption_grounds": _("Grounds of a temporary exemption"),
    "temporary_transfer_work_months": _("Temporary transfer for work (months, from and below)"),
    "temporary_transfer_training_months": _("Temporary transfer for training (months, from and to)"),
    "transfer_blocked_during_discipline": _("No transfer while a disciplinary case is open"),
    "removal_unpaid_dues_months": _("Removal: months in a year absent from meetings or without paying dues"),
    "removal_no_progress_months": _("Removal: months of education without progress"),
    "removal_consecutive_failed_years": _("Removal: consecutive years of breaching the standards of a party member"),
    "cell_min_official_members": _("Official members a chi bộ needs"),
    "grassroots_committee_min_members": _("Members from which a grassroots organization is a grassroots committee"),
    "scale": _("Rating scale"),
    "excellent_cap_ratio": _("Cap on “excellent” ratings"),
    "excellent_cap_base_includes_excellent": _("The cap's base includes those rated excellent"),
    "excellent_cap_groups": _("Groups the cap applies to"),
    "disciplined_max": _("Highest rating of a disciplined member"),
    "disciplined_exception": _("Exception: a violation found and fixed by the member or organization itself"),
    "units_disciplined_max_share": _("Share of disciplined subordinate units above which an organization is capped"),
    "targets_min_share": _("Share of its targets an organization must meet"),
    "excellent_needs_no_unit_disciplined": _("“Excellent” needs no disciplined unit"),
    "not_rated": _("Not rated"),
    "not_rated_min_months": _("Not rated when admitted or founded less than (months) ago"),
    "proposal_majority": _("Share of votes above which the chi bộ's proposal stands"),
    "deadline_grassroots_days": _("Grassroots committee's decision deadline (days after 31/12)"),
    "deadline_superior_days": _("Superior committee's decision deadline (days after 31/12)"),
}
#: The units of a time limit (`Deadline.unit`) and the events it is counted from (`Deadline.counted_from`).
UNIT_LABELS = {"working_days": _("working days"), "days": _("days"), "months": _("months")}
COUNTED_FROM_LABELS = {
    "cell_resolution": _("the chi bộ's resolution"),
    "decision_received": _("the decision received"),
    "ceremony": _("the admission ceremony"),
    "probation_end": _("the end of probation"),
    "transfer_decision_or_residence_change": _("the transfer decision or the change of residence"),
    "transfer_letter_issued": _("the transfer letter issued"),
}
#: The keys that rule values hold and that have no label above (conditions, areas, groups, reasons).
RULE_VALUE_LABELS = {
    "admission_decision": _("the date of the admission decision"),
    "admitted_recently": _("admitted recently"),
    "awareness_certificate": _("certificate of the Party awareness course"),
    "corruption": _("corruption"),
    "defence_security_foreign_relations": _("defence, security and foreign relations"),
    "internal_political_protection": _("internal political protection"),
    "exempted": _("exempted from activities"),
    "suspended": _("suspended from activities"),
    "first_occasion_on_or_after": _("the first occasion on or after the milestone"),
    "first_occasion_after": _("the first occasion after the milestone"),
    "good_health_and_prestige": _("good health and prestige"),
    "no_party_organisation_or_special_need": _("where there is no party organization, or a special need"),
    "written_consent_of_provincial_standing_committee": _("written consent of the provincial standing committee"),
    "late_transfer": _("a late transfer of activities"),
    "lost_contact": _("contact with the party organization lost"),
    "lower_secondary": _("lower secondary school completed"),
    "lower_secondary_or_equivalent": _("lower secondary school or equivalent completed"),
    "mountain_island_ethnic_minority_areas": _("mountain, island and ethnic-minority areas"),
    "special_cases": _("special cases"),
    "members": _("party members"),
    "organizations": _("grassroots party organizations"),
    "subordinate_cells": _("subordinate chi bộ"),
    "not_completed": _("not completing tasks"),
    "trade_union_committee": _("the grassroots trade union's committee"),
    "youth_union_committee": _("the grassroots Youth Union's committee"),
    "M": _("men"),
    "F": _("women"),
}
