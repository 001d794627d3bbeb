"""The demo's suspensions of party activities (đình chỉ sinh hoạt đảng), through the services: one in the
past, lifted (the member's periods show it, and the member is not rated for the year it covered), and one in
force in the grassroots organization of the open assessment (`suspend_in_cycle`, from
`assessment.write_cycles`: its rating sheet shows the member not rated, suspended)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from dangvu.core.errors import DomainError
from dangvu.members.models import Member
from dangvu.organizations.services import Decision

UBKT = "Ủy ban Kiểm tra Huyện ủy Nậm Pồ"


def write_past_suspension() -> int:
    """An official member suspended during a prosecution from 11/3/2024 to 20/01/2025: the first (by code)
    of a chi bộ still open whose history allows it. Returns how many (0 or 1)."""
    from dangvu.lifecycle import services as L

    start, lifted = dt.date(2024, 3, 11), dt.date(2025, 1, 20)
    candidates = Member.objects.filter(status="official", exempted=False, cell__dissolved_on__isnull=True,
                                       made_official_on__lt=dt.date(2023, 1, 1)).order_by("code")
    for m in candidates[:50]:
        try:
            with transaction.atomic():  # both or neither
                L.suspend(m, on=start, reason="prosecution", planned_end=dt.date(2024, 12, 31),
                          note="Cơ quan điều tra khởi tố vụ án liên quan đến quản lý đất đai",
                          decision=Decision("312-QĐ/UBKTHU", dt.date(2024, 3, 8), UBKT))
                L.lift_suspension(m, on=lifted, note="Đình chỉ điều tra đối với đảng viên",
                                  decision=Decision("27-QĐ/UBKTHU", dt.date(2025, 1, 17), UBKT))
        except DomainError:
            continue
        return 1
    return 0


def suspend_in_cycle(periods: list, opened: dt.date) -> int:
    """One of the members a cycle rates (`periods`, their member periods) suspended during an
    investigation from 40 days before the cycle opened, still in force (planned to end 150 days after
    it opened). Returns how many (0 or 1)."""
    from dangvu.lifecycle import services as L

    if len(periods) < 3:
        return 0
    member = periods[len(periods) // 3].member
    start = opened - dt.timedelta(days=40)
    L.suspend(member, on=start, reason="investigation", planned_end=opened + dt.timedelta(days=150),
              note="Ủy ban Kiểm tra xem xét dấu hiệu vi phạm trong thực hiện nhiệm vụ được giao",
              decision=Decision(f"{start.year % 100}-QĐ/UBKTHU", start - dt.timedelta(days=3), UBKT))
    return 1
