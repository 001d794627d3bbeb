"""The regulations encoded and what domain-rules.md says about each parameter (citations, doubts).

The texts are lazy translations (English msgid, Vietnamese in the catalogue): `str()` them when shown, so
that they read in the language of the request."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

QD_29 = "QĐ 29-QĐ/TW"
QD_24 = "QĐ 24-QĐ/TW"
QD_232 = "QĐ 232-QĐ/TW"
QD_294 = "QĐ 294-QĐ/TW"
QD_20 = "QĐ 20-QĐ/TW"
QD_208 = "QĐ 208-QĐ/TW"
_ALL = frozenset({QD_29, QD_24, QD_232, QD_294, QD_20, QD_208})
_FROM_24 = frozenset({QD_24, QD_232})  # QĐ 232 amends QĐ 24: what QĐ 24 says holds under both
_24_TO_294 = frozenset({QD_24, QD_232, QD_294})
_29_TO_294 = frozenset({QD_29, QD_24, QD_232, QD_294})

#: field → (where the doc reads it, the regulations that citation covers). `_ALL` = the Statute
#: (Điều lệ Đảng, 2011, not amended by Congresses XII–XIV), which binds every rule set.
_CITATIONS: dict[str, tuple[Promise, frozenset[str]]] = {
    "min_age_months": (_("Điều lệ Đảng, Điều 1; QĐ 24-QĐ/TW 2021, pt 1.1 (domain-rules §2.1)"), _ALL),
    "max_age_months": (_("QĐ 24-QĐ/TW 2021, pt 1.1; kept in QĐ 232, QĐ 294 (domain-rules §2.1)"), _24_TO_294),
    "over_max_age_approver": (
        _("QĐ 24-QĐ/TW 2021, pt 1.1: over 60 only in special cases, decided by the provincial-level "
          "committee; HD 01-HD/TW 2021: written consent of its BTV (domain-rules §2.1)"),
        _24_TO_294,
    ),
    "over_max_age_conditions": (_("HD 01-HD/TW, 28/9/2021 (domain-rules §2.1)"), _FROM_24),
    "min_education": (
        _("QĐ 24-QĐ/TW 2021, pt 1.2: lower secondary (THCS); QĐ 24 dropped the word 'tương đương', so "
          "QĐ 29 read 'THCS or equivalent' (domain-rules §2.1)"),
        frozenset({QD_29, QD_24, QD_232}),
    ),
    "min_education_exceptions": (_("QĐ 24-QĐ/TW 2021, pt 1.2 (domain-rules §2.1)"), frozenset()),
    "introducers_required": (_("Điều lệ Đảng, Điều 4; QĐ 24-QĐ/TW, pt 3.2.1 (domain-rules §2.3 item 4)"), _ALL),
    "introducer_must_be_official": (_("Điều lệ Đảng, Điều 4 (domain-rules §2.3 item 4)"), _ALL),
    "introducer_min_months_with_applicant": (
        _("Điều lệ Đảng, Điều 4; QĐ 24-QĐ/TW, pt 3.2.1 (domain-rules §2.3 item 4)"),
        _ALL,
    ),
    "introducer_min_official_months": (_("quiz bank (domain-rules §2.3 item 4)"), frozenset()),
    "union_introducers": (
        _("one official member plus the BCH of the grassroots Youth Union (Youth Union members) or of the "
          "grassroots trade union (where there is no Youth Union), form 3A-KNĐ (domain-rules §2.3 item 4)"),
        _ALL,
    ),
    "awareness_certificate_valid_months": (
        _("HD 06-HD/TW 2025, pt 5.4 according to a quiz bank; older texts say 5 years (domain-rules §2.3 item 1)"),
        frozenset(),
    ),
    "required_documents": (
        _("HD 12-HD/BTCTW, 18/01/2022, Part II.1.1 and appendices; the code 7-KNĐ of the review report is "
          "inferred from the numbering, the doc gives none (domain-rules §2.3)"),
        frozenset(),
    ),
    "member_documents": (_("HD 12-HD/BTCTW, 18/01/2022 (domain-rules §2.3 item 11, §12)"), _24_TO_294),
    "admission_decided_by": (
        _("QĐ 29/QĐ 24: BTV of the committee directly above the TCCSĐ; after 2025 that level is the đảng ủy "
          "xã/phường/đặc khu or a committee under the tỉnh ủy (domain-rules §2.4 item 3)"),
        _29_TO_294,
    ),
    "admission_delegation_allowed": (
        _("QĐ 29/QĐ 24: a đảng ủy cơ sở delegated to admit decides with ≥ 2/3 (domain-rules §2.4 item 3)"),
        _29_TO_294,
    ),
    "vote_threshold": (_("Điều lệ Đảng, Điều 4: ≥ 2/3 of the chi bộ's official members (domain-rules §2.4)"), _ALL),
    "committee_vote_threshold": (_("Điều lệ Đảng, Điều 4: ≥ 2/3 of committee members (domain-rules §2.4)"), _ALL),
    "vote_denominator_excludes": (
        _("QĐ 24/294, pt 9.3.2: members exempted from activities, temporarily absent with permission, or "
          "suspended; the exact list is UNCONFIRMED (domain-rules §2.4, §6, §8)"),
        frozenset(),
    ),
    "failed_votes_before_referral": (
        _("three votes without the majority → report to the superior committee; earlier notes, clause "
          "UNCONFIRMED (domain-rules §3)"),
        frozenset(),
    ),
    "deadline_decide_admission": (
        _("QĐ 29 → QĐ 24 → QĐ 232/294: 60 working days from the chi bộ resolution (domain-rules §2.4 item 4)"),
        _29_TO_294,
    ),
    "deadline_hold_ceremony": (
        _("QĐ 24-QĐ/TW: within 30 working days of receiving the decision; QĐ 208 keeps it (UNCONFIRMED) "
          "(domain-rules §2.4 item 5)"),
        _FROM_24,
    ),
    "deadline_member_biography": (
        _("HD 12-HD/BTCTW 2022: party member's biography within 30 working days of the ceremony "
          "(domain-rules §2.4 item 6)"),
        _24_TO_294,
    ),
    "deadline_recognition_cell": (
        _("QĐ 24/294: the chi bộ considers recognition within 30 working days of the end of probation "
          "(domain-rules §3; §2.4 item 4 cites QĐ 29 → QĐ 24 → QĐ 232/294)"),
        _29_TO_294,
    ),
    "deadline_recognition_decision": (
        _("QĐ 24/294: the committee decides within 30 working days of the chi bộ resolution (domain-rules §3, "
          "§2.4 item 4)"),
        _29_TO_294,
    ),
    "deadline_transfer": (
        _("QĐ 24-QĐ/TW 2021, pt 6.3; QĐ 294: within 60 working days of the transfer decision or change of "
          "residence (domain-rules §5)"),
        _24_TO_294,
    ),
    "deadline_transfer_report": (
        _("QĐ 24-QĐ/TW 2021, pt 6.3; QĐ 294: present the letter within 30 working days of its issue "
          "(domain-rules §5)"),
        _24_TO_294,
    ),
    "deadline_discipline_appeal": (
        _("QĐ 296-QĐ/TW 2025, Điều 25: within 1 month (30 days) of receiving the decision; exact wording "
          "UNCONFIRMED (domain-rules §9.3)"),
        frozenset(),
    ),
    "probation_months": (_("Điều lệ Đảng, Điều 5: 12 months from the admission ceremony (domain-rules §3)"), _ALL),
    "readmission_wait_months": (
        _("QĐ 232-QĐ/TW 2025 and QĐ 294: no earlier than 36 months after leaving; QĐ 208 also (UNCONFIRMED) "
          "(domain-rules §2.2)"),
        frozenset({QD_232, QD_294}),
    ),
    "readmission_wait_after_expunged_months": (
        _("QĐ 232-QĐ/TW 2025 and QĐ 294: 60 months after the record of a less serious crime is expunged "
          "(domain-rules §2.2)"),
        frozenset({QD_232, QD_294}),
    ),
    "readmission_max_times": (_("QĐ 232-QĐ/TW 2025 and QĐ 294: only once (domain-rules §2.2)"), frozenset({QD_232, QD_294})),
    "readmission_barred": (
        _("QĐ 232-QĐ/TW 2025 and QĐ 294: never readmitted (domain-rules §2.2)"),
        frozenset({QD_232, QD_294}),
    ),
    "readmission_hardship_exception": (
        _("QĐ 232-QĐ/TW 2025 and QĐ 294: except in extreme family hardship (domain-rules §2.2)"),
        frozenset({QD_232, QD_294}),
    ),
    "party_age_from": (
        _("QĐ 24/294, pt on Điều 5: from the date in the admission decision; QĐ 208 keeps it (UNCONFIRMED) "
          "(domain-rules §3)"),
        _24_TO_294,
    ),
    "party_age_gap_reasons": (
        _("QĐ 24/294, pt on Điều 5: minus expulsion, removal, quitting, loss of contact, late transfer "
          "(domain-rules §3)"),
        _24_TO_294,
    ),
    "badge_milestones": (_("QĐ 29; QĐ 24; HD 01-HD/TW 2021, item 18 (domain-rules §4.2)"), _29_TO_294 - {QD_294}),
    "badge_award_days": (_("HD 01-HD/TW 2021, item 18: 3/2, 19/5, 2/9, 7/11 (domain-rules §4.2)"), _FROM_24),
    "badge_award_rule": (
        _("the doc gives the occasions but not which one a member gets; first occasion on or after the "
          "milestone is an assumption (domain-rules §4.2)"),
        frozenset(),
    ),
    "badge_early_months": (
        _("HD 01-HD/TW 2021, item 18: serious illness, 12 months early for 30–65 years, 24 months for 70–90 "
          "(domain-rules §4.2)"),
        _FROM_24,
    ),
    "badge_posthumous_early_months": (
        _("HD 01-HD/TW 2021, item 18: posthumously up to 12 months early (domain-rules §4.2)"),
        _FROM_24,
    ),
    "badge_delay_months": (
        _("QĐ 29 (2016): cảnh cáo 6, cách chức 12 months; QĐ 24 (2021) per luatminhkhue.vn (secondary): "
          "khiển trách 6, cảnh cáo 9, cách chức 12; QĐ 294/208 UNCONFIRMED (domain-rules §4.2, §14 item 8)"),
        frozenset({QD_29}),
    ),
    "badge_for_exempted": (_("HD 12-HD/BTCTW 2022 IV.1; QĐ 208 (UNCONFIRMED) (domain-rules §4.2, §6)"), _24_TO_294),
    "discipline_forms": (_("Điều lệ Đảng, Điều 35; QĐ 69, Điều 7; QĐ 296 (domain-rules §9.2)"), _ALL),
    "discipline_cell_forms": (
        _("QĐ 296-QĐ/TW 2025, Điều 9–15 (press): the chi bộ decides khiển trách and cảnh cáo (domain-rules §9.3)"),
        frozenset({QD_294}),
    ),
    "discipline_protected": (
        _("QĐ 296 / QĐ 69: not while pregnant, caring for a child under 12 months or seriously ill "
          "(domain-rules §9.3)"),
        frozenset({QD_232, QD_294}),
    ),
    "discipline_lapse_months": (
        _("QĐ 69-QĐ/TW 2022, Điều 2 (clause per secondary source): lapses after 12 months without a new "
          "violation (domain-rules §9.3)"),
        frozenset(),
    ),
    "discipline_lapse_excluded": (
        _("QĐ 69-QĐ/TW 2022, Điều 2 (clause per secondary source): not for khai trừ (domain-rules §9.3)"),
        frozenset(),
    ),
    "discipline_limitation_months": (
        _("QĐ 69-QĐ/TW 2022, Điều 4 (press): 5 years khiển trách, 10 years cảnh cáo/cách chức, no limit for "
          "khai trừ (domain-rules §9.3)"),
        frozenset({QD_232, QD_294}),
    ),
    "discipline_limitation_exempt": (
        _("QĐ 69-QĐ/TW 2022, Điều 4: listed categories without limit; the list is UNCONFIRMED "
          "(domain-rules §9.3)"),
        frozenset(),
    ),
    "exemption_min_age_months": (
        _("men over 60, women over 55 (HD 27-HD/BTCTW 2009, HD 12-HD/BTCTW, earlier notes); unchanged after "
          "the retirement-age reform is UNCONFIRMED; 'over' read as having reached the age (domain-rules §6)"),
        frozenset(),
    ),
    "exemption_min_treatment_months": (
        _("QĐ 24/294, pt on Điều 7; HD 12-HD/BTCTW 2022 IV.1: treatment ≥ 3 months or a medical record "
          "(domain-rules §6)"),
        _24_TO_294,
    ),
    "temporary_exemption_grounds": (_("HD 12-HD/BTCTW 2022 (domain-rules §6)"), _24_TO_294),
    "temporary_transfer_work_months": (_("QĐ 24/294: 3 months to under 1 year (domain-rules §5)"), _24_TO_294),
    "temporary_transfer_training_months": (_("QĐ 24/294: 3 months to 2 years (domain-rules §5)"), _24_TO_294),
    "transfer_blocked_during_discipline": (_("QĐ 24-QĐ/TW 2021, pt 6.3 (domain-rules §5)"), _FROM_24),
    "removal_unpaid_dues_months": (
        _("Điều lệ Đảng, Điều 8; QĐ 24/294, pt 8.1: 3 months in a year without good reason; QĐ 208 keeps it "
          "(UNCONFIRMED) (domain-rules §10)"),
        _24_TO_294,
    ),
    "removal_no_progress_months": (_("QĐ 24/294, pt 8.1: no progress after 12 months (domain-rules §10)"), _24_TO_294),
    "removal_consecutive_failed_years": (
        _("QĐ 24/294, pt 8.1: two consecutive years breaching the standards (domain-rules §10)"),
        _24_TO_294,
    ),
    "cell_min_official_members": (
        _("Điều lệ Đảng, Điều 21 and 24.1: a grassroots organization and a chi bộ need at least 3 official "
          "members (domain-rules §1.1)"),
        _ALL,
    ),
    "grassroots_committee_min_members": (
        _("Điều lệ Đảng, Điều 21: 30 members or more form a đảng bộ cơ sở, fewer a chi bộ cơ sở; exceptions with "
          "the superior committee's agreement (domain-rules §1.1)"),
        _ALL,
    ),
}

#: Why a field is doubtful even where the doc cites it (the doc's UNCONFIRMED / secondary notes).
_DOUBTS: dict[str, Promise] = {
    "min_education_exceptions": _("lower requirements for mountain, island and ethnic-minority areas: wording UNCONFIRMED"),
    "introducer_min_official_months": _("no minimum time as official member: quiz bank only (UNCONFIRMED)"),
    "awareness_certificate_valid_months": _("60 months from a quiz bank on HD 06-HD/TW 2025, pt 5.4 (UNCONFIRMED)"),
    "required_documents": _("form code 7-KNĐ inferred; codes before HD 12-HD/BTCTW 2022 and after 'HD 38' (2025) unknown"),
    "vote_denominator_excludes": _("who is left out of the 2/3 denominator: exact list UNCONFIRMED"),
    "failed_votes_before_referral": _("three failed votes → referral: clause UNCONFIRMED"),
    "deadline_discipline_appeal": _("1 month (30 days): exact wording UNCONFIRMED"),
    "badge_award_rule": _("which award occasion a member gets is not in the doc"),
    "badge_delay_months": _("QĐ 24 figures from a secondary source; later regulations UNCONFIRMED (§14 item 8)"),
    "discipline_lapse_months": _("automatic lapse: clause per secondary source"),
    "discipline_lapse_excluded": _("automatic lapse: clause per secondary source"),
    "discipline_limitation_exempt": _("categories without limitation: list UNCONFIRMED"),
    "exemption_min_age_months": _("men 60 / women 55 from earlier notes; retirement-age reform UNCONFIRMED (§14 item 10)"),
}

