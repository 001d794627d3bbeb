"""The rules of one assessment regulation (`AssessmentRules`): the cap on "excellent", the hard limits,
who is not rated, the time limits of the decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from .scales import Scale

if TYPE_CHECKING:
    from django.utils.functional import Promise

#: Who is not rated (không đánh giá, xếp loại): these reasons. An exemption and a suspension count when
#: they hold on the assessment's reference day (`assessment.services.cycle.reference_day`: the day the
#: assessment looks at, at most 31/12 of the year; the reports read 31/12): HD 21 and QĐ 366 Art. 5 §2.1 name
#: "members suspended" (đảng viên bị đình chỉ sinh hoạt) without saying when in the year (domain-rules §7.5,
#: §7.7), so a suspension lifted before that day does not keep a member from being rated, one begun by
#: then does (UNCONFIRMED: a suspension during part of the year is not covered by the texts read).
EXEMPTED = "exempted"  # miễn công tác và sinh hoạt đảng
SUSPENDED = "suspended"  # đình chỉ sinh hoạt đảng
ADMITTED_RECENTLY = "admitted_recently"  # kết nạp chưa đủ `not_rated_min_months`
NOT_RATED_REASONS = (EXEMPTED, SUSPENDED, ADMITTED_RECENTLY)


@dataclass(frozen=True)
class AssessmentRules:
    """The rules of one assessment regulation, for the years from `first_year` (None: since ever)."""

    code: str
    first_year: int | None
    scale: Scale
    # The cap on "excellent" (HTXSNV): at most `ratio` × (those rated good [+ excellent]) within each
    # deciding organization (TCCSĐ for members and subordinate chi bộ, superior committee for TCCSĐ),
    # for each group of `excellent_cap_groups`. None: no cap.
    excellent_cap_ratio: Fraction | None
    excellent_cap_base_includes_excellent: bool
    excellent_cap_groups: tuple[str, ...]
    # Hard limits (not above "not completed").
    disciplined_max: str | None  # the best key for a member or organization disciplined in the year
    disciplined_exception: bool  # unless found and fixed by itself (the reason is recorded)
    units_disciplined_max_share: Fraction | None  # an organization with more of its units disciplined
    targets_min_share: Fraction | None  # an organization that met fewer of its targets
    excellent_needs_no_unit_disciplined: bool  # an organization rated excellent has no unit disciplined
    # Who is not rated.
    not_rated: tuple[str, ...]
    not_rated_min_months: int  # members admitted fewer months before are not rated
    # The chi bộ's vote on the rating it proposes for a member: the proposal stands only with MORE than
    # this share of the members due to vote in favour (None: no majority required).
    proposal_majority: Fraction | None
    # Time limits of the decisions, in days after 31/12 of the year assessed (0: by 31/12): the
    # grassroots committee's on its members and subordinate chi bộ, the superior committee's on its
    # grassroots organizations. No text read gives them (domain-rules §7.6, §7.7): UNCONFIRMED everywhere.
    deadline_grassroots_days: int = 0
    deadline_superior_days: int = 31
    # field → where the text reads it: lazy translations, str() them to show
    sources: Mapping[str, str | Promise] = field(default_factory=dict, hash=False, compare=False)
    unconfirmed: frozenset[str] = frozenset()
    overridden: tuple[str, ...] = ()

    def decision_deadline(self, year: int, *, superior: bool) -> dt.date:
        """The day by which the ratings of `year` are decided: by the grassroots committee (members,
        subordinate chi bộ) or, `superior`, by the committee above (grassroots organizations)."""
        days = self.deadline_superior_days if superior else self.deadline_grassroots_days
        return dt.date(year, 12, 31) + dt.timedelta(days=days)

    def proposal_passes(self, votes_due: int, votes_for: int) -> bool:
        """Whether `votes_for` of `votes_due` members in favour carry the chi bộ's proposal."""
        return self.proposal_majority is None or votes_for > self.proposal_majority * votes_due

    def cap_base(self, good: int, excellent: int) -> int:
        return good + (excellent if self.excellent_cap_base_includes_excellent else 0)

    def cap_allows(self, group: str, good: int, excellent: int) -> bool:
        """Whether `excellent` ratings are within the cap of `group` given `good` ratings."""
        if self.excellent_cap_ratio is None or group not in self.excellent_cap_groups or not excellent:
            return True
        return excellent <= self.excellent_cap_ratio * self.cap_base(good, excellent)
