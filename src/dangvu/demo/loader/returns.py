"""The demo's returns to the Party: one member readmitted (kết nạp lại), one whose membership is restored
(khôi phục đảng tịch), through the services."""

from __future__ import annotations

import datetime as dt

from dangvu.members.models import Member
from dangvu.organizations import services as org_services

from .. import plan as demo_plan


def write_returns() -> int:
    """A member removed in 2015–2021 readmitted 4 months after the wait of the rules (`readmission_wait_months`;
    official when the probation of the rules ends), and one
    expelled or removed since 2021 whose membership is restored five months later, each in the cell
    they left when it still exists: the first of the plan (by code) that fits. Returns how many."""
    from dangvu import regulations as R
    from dangvu.core.errors import DomainError
    from dangvu.lifecycle import services as L
    from dangvu.members.services import member_readmit

    end = demo_plan.END
    left = Member.objects.filter(cell__dissolved_on__isnull=True, made_official_on__isnull=False).order_by("code")
    done = 0
    for m in left.filter(status="removed", ended_on__range=(dt.date(2015, 1, 1), dt.date(2021, 6, 30))):
        day = R.add_months(m.ended_on, R.rules_on(m.ended_on).readmission_wait_months + 4).replace(day=15)
        try:
            wait = R.rules_on(day).readmission_wait_months
            member_readmit(m, on=day, cell=m.cell, note=f"Kết nạp lại (quy định: sau ít nhất {wait} tháng)",
                           decision=org_services.Decision(f"{day.year % 100}{day.month:02d}-QĐ/TU",
                                                          day - dt.timedelta(days=12), demo_plan.TU))
        except DomainError:
            continue
        official = R.probation_end(day, R.rules_on(day))
        if official + dt.timedelta(days=10) <= end:
            L.recognize_official(m, decided_on=official + dt.timedelta(days=10))
        done += 1
        break
    for m in left.filter(status__in=["expelled", "removed"], ended_on__range=(dt.date(2021, 1, 1), dt.date(2025, 12, 31)),
                         readmitted_on__isnull=True).order_by("status", "code"):  # an expulsion first
        day = m.ended_on + dt.timedelta(days=150)
        try:
            L.restore_membership(m, on=day, cell=m.cell, note="Quyết định xóa tên/khai trừ bị hủy bỏ",
                                 decision=org_services.Decision(f"{day.year % 100}{day.month:02d}-QĐ/UBKTTU",
                                                                day - dt.timedelta(days=7), "Ủy ban Kiểm tra Tỉnh ủy"))
        except DomainError:
            continue
        done += 1
        break
    return done
