"""The rules of each assessment regulation since 2014, with the text each field comes from and those
UNCONFIRMED (which an administrator may set). The texts are lazy translations: `str()` them when shown."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .groups import MEMBERS, ORGANIZATIONS, SUBORDINATE_CELLS
from .rules import ADMITTED_RECENTLY, EXEMPTED, SUSPENDED, AssessmentRules
from .scales import SCALES_BY_CODE

_F = Fraction
#: Where each rule is read (lazy translations). "xgettext:no-python-format": the "%" of "20% of …" is no
#: placeholder, so that makemessages does not flag the text as a format string (which would mark it fuzzy).
_CITE = {
    # xgettext:no-python-format
    "cap_hd21": _("HD 21-HD/BTCTW (2019): HTXSNV ≤ 20% of the members rated HTTNV within each TCCSĐ (domain-rules §7.7)"),
    "cap_hd21_orgs": _("no matching sentence for organizations in HD 21 (domain-rules §7.7): UNCONFIRMED"),
    "cap_qd124": _("the cap wording of QĐ 124 / HD 25 was not found; HD 21's carried over (domain-rules §7.4, §7.7)"),
    # xgettext:no-python-format
    "cap_qd366": _("QĐ 366-QĐ/TW Art. 11 §1.5: ≤ 20% of those rated HTTNV, collectives and individuals (domain-rules §7.7)"),
    "cap_base": _("whether the HTTNV count includes the HTXSNV is not said; default: it does not (domain-rules §7.7)"),
    "discipline_qd124": _("QĐ 124-QĐ/TW: disciplined in the year → KHTNV, unless found and fixed by itself (domain-rules §7.7)"),
    "discipline_qd366": _("QĐ 366-QĐ/TW Art. 10: discipline → KHTNV; where admitted and fixed the authority considers "
                          "(domain-rules §7.7)"),
    # xgettext:no-python-format
    "units_qd124": _("QĐ 124-QĐ/TW: more than 20% of subordinate units disciplined → KHTNV (domain-rules §7.5, §7.7)"),
    # xgettext:no-python-format
    "targets_qd124": _("QĐ 124-QĐ/TW: under 50% of targets → KHTNV (domain-rules §7.5, §7.7)"),
    # xgettext:no-python-format
    "targets_qd366": _("QĐ 366-QĐ/TW Art. 10: collectives under 70% of tasks → KHTNV (domain-rules §7.7)"),
    "excellent_qd366": _("QĐ 366-QĐ/TW Art. 10: a collective rated HTXSNV has no subordinate unit disciplined "
                         "(domain-rules §7.7)"),
    "not_rated_hd21": _("HD 21-HD/BTCTW: not rated — exempted, suspended; under 6 months: reviewed, not rated "
                        "(domain-rules §7.7); exempted or suspended on the assessment's reference day (when in the "
                        "year is not said: UNCONFIRMED)"),
    "not_rated_qd366": _("QĐ 366-QĐ/TW Art. 5 §2.1 (and QĐ 124): exempted, suspended, admitted less than 6 months "
                         "before (domain-rules §7.7); exempted or suspended on the assessment's reference day "
                         "(when in the year is not said: UNCONFIRMED)"),
    "carried": _("not described for this regulation; carried over from the next one (UNCONFIRMED)"),
    "majority": _("Điều lệ Đảng, Điều 10: a resolution is valid only when more than half of the full members "
                  "approve (domain-rules §8); that it is the majority of the chi bộ's proposed rating of each member, "
                  "over the members due to vote (official, the exempted left out), is "
                  "not written in HD 21, HD 25 or HD 43 as read: UNCONFIRMED"),
    "no_cap": _("no cap known before 2019 (domain-rules §7.4)"),
    "deadline": _("year-end, usually November–December, the levels above in December or January; no cut-off "
                  "date found in HD 21, HD 25 or HD 43 (domain-rules §7.6, §7.7): a configurable default, UNCONFIRMED"),
}
#: The decision time limits: no text gives them under any regulation.
_DEADLINES = frozenset({"deadline_grassroots_days", "deadline_superior_days"})
_DEADLINE_SOURCES = {"deadline_grassroots_days": _CITE["deadline"], "deadline_superior_days": _CITE["deadline"]}
#: What every regulation leaves UNCONFIRMED (the time limits, the majority of the chi bộ's proposal), and where from.
_ALWAYS_UNCONFIRMED = _DEADLINES | {"proposal_majority"}
_ALWAYS_SOURCES = {**_DEADLINE_SOURCES, "proposal_majority": _CITE["majority"]}

HD27_2014 = AssessmentRules(
    code="HD 27-HD/BTCTW (2014)", first_year=None, scale=SCALES_BY_CODE["hd27_2014"],
    excellent_cap_ratio=None, excellent_cap_base_includes_excellent=False, excellent_cap_groups=(),
    disciplined_max=None, disciplined_exception=False, units_disciplined_max_share=None, targets_min_share=None,
    excellent_needs_no_unit_disciplined=False,
    not_rated=(EXEMPTED, SUSPENDED, ADMITTED_RECENTLY), not_rated_min_months=6, proposal_majority=_F(1, 2),
    sources={**_ALWAYS_SOURCES, "not_rated": _CITE["carried"], "not_rated_min_months": _CITE["carried"],
             "excellent_cap_ratio": _CITE["no_cap"]},
    unconfirmed=frozenset({"not_rated", "not_rated_min_months", "disciplined_max"}) | _ALWAYS_UNCONFIRMED,
)
QD132_2018 = dataclasses.replace(
    HD27_2014, code="QĐ 132-QĐ/TW (2018), HD 16-HD/BTCTW (2018)", first_year=2018, scale=SCALES_BY_CODE["qd132_2018"],
    disciplined_max="not_completed",
    sources={**_ALWAYS_SOURCES, "disciplined_max": _CITE["carried"], "not_rated": _CITE["carried"],
             "not_rated_min_months": _CITE["carried"], "excellent_cap_ratio": _CITE["no_cap"]},
    unconfirmed=frozenset({"not_rated", "not_rated_min_months", "disciplined_max"}) | _ALWAYS_UNCONFIRMED,
)
HD21_2019 = dataclasses.replace(
    QD132_2018, code="QĐ 132-QĐ/TW (2018), HD 21-HD/BTCTW (2019)", first_year=2019,
    excellent_cap_ratio=_F(1, 5), excellent_cap_groups=(MEMBERS,),
    sources={**_ALWAYS_SOURCES, "excellent_cap_ratio": _CITE["cap_hd21"], "excellent_cap_base_includes_excellent": _CITE["cap_hd21"],
             "excellent_cap_groups": _CITE["cap_hd21_orgs"], "disciplined_max": _CITE["carried"],
             "not_rated": _CITE["not_rated_hd21"], "not_rated_min_months": _CITE["not_rated_hd21"]},
    unconfirmed=frozenset({"excellent_cap_groups", "disciplined_max"}) | _ALWAYS_UNCONFIRMED,
)
QD124_2023 = dataclasses.replace(
    HD21_2019, code="QĐ 124-QĐ/TW (2023), HD 25-HD/BTCTW (2023)", first_year=2023, scale=SCALES_BY_CODE["qd124_2023"],
    disciplined_exception=True, units_disciplined_max_share=_F(1, 5), targets_min_share=_F(1, 2),
    sources={**_ALWAYS_SOURCES, "excellent_cap_ratio": _CITE["cap_qd124"], "excellent_cap_base_includes_excellent": _CITE["cap_base"],
             "excellent_cap_groups": _CITE["cap_qd124"], "disciplined_max": _CITE["discipline_qd124"],
             "disciplined_exception": _CITE["discipline_qd124"], "units_disciplined_max_share": _CITE["units_qd124"],
             "targets_min_share": _CITE["targets_qd124"], "not_rated": _CITE["not_rated_qd366"],
             "not_rated_min_months": _CITE["not_rated_qd366"]},
    unconfirmed=frozenset({"excellent_cap_ratio", "excellent_cap_base_includes_excellent", "excellent_cap_groups"}) | _ALWAYS_UNCONFIRMED,
)
QD366_2025 = dataclasses.replace(
    QD124_2023, code="QĐ 366-QĐ/TW (2025), HD 43-HD/BTCTW (2025)", first_year=2025, scale=SCALES_BY_CODE["qd366_2025"],
    excellent_cap_groups=(ORGANIZATIONS, SUBORDINATE_CELLS, MEMBERS), targets_min_share=_F(7, 10),
    excellent_needs_no_unit_disciplined=True,
    sources={**_ALWAYS_SOURCES, "excellent_cap_ratio": _CITE["cap_qd366"], "excellent_cap_base_includes_excellent": _CITE["cap_base"],
             "excellent_cap_groups": _CITE["cap_qd366"], "disciplined_max": _CITE["discipline_qd366"],
             "disciplined_exception": _CITE["discipline_qd366"], "units_disciplined_max_share": _CITE["carried"],
             "targets_min_share": _CITE["targets_qd366"], "excellent_needs_no_unit_disciplined": _CITE["excellent_qd366"],
             "not_rated": _CITE["not_rated_qd366"], "not_rated_min_months": _CITE["not_rated_qd366"]},
    unconfirmed=frozenset({"excellent_cap_base_includes_excellent", "units_disciplined_max_share"}) | _ALWAYS_UNCONFIRMED,
)

ASSESSMENT_REGULATIONS: tuple[AssessmentRules, ...] = (HD27_2014, QD132_2018, HD21_2019, QD124_2023, QD366_2025)

#: The fields an administrator may set (those UNCONFIRMED under some regulation), → where.
ASSESSMENT_UNCONFIRMED_FIELDS: dict[str, Promise] = {
    name: format_lazy(_("unconfirmed for {regulations}"),
                      regulations=", ".join(r.code for r in ASSESSMENT_REGULATIONS if name in r.unconfirmed))
    for name in sorted({n for r in ASSESSMENT_REGULATIONS for n in r.unconfirmed})
}
