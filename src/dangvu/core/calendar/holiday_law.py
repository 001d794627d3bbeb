"""The public holidays the law names in a year (ngày nghỉ lễ: Labour Codes 1994, 2012, 2019), with the
tables of the days decided each year (the Tết break, the day next to National Day) and of holidays
added by later laws. Change the tables only with a source; call working_days._clear_caches() after
changing them at run time."""

from __future__ import annotations

import datetime
from typing import NamedTuple

from dangvu.core.calendar.lunar import _lunar_new_year, _lunar_to_solar

_date = datetime.date


def _days(start: datetime.date, end: datetime.date) -> tuple[datetime.date, ...]:
    """Every date from start to end, both included."""
    return tuple(start + datetime.timedelta(days=i) for i in range((end - start).days + 1))


# The Tết break as decided for officials (cán bộ, công chức, viên chức), weekends included.
# Every entry has exactly 5 weekdays off (no swapped working days in these years).
DECIDED_TET: dict[int, tuple[datetime.date, ...]] = {
    # 23/01 (29 Chạp) - 29/01/2020 (mùng 5), 7 days. socongthuong.daklak.gov.vn, 07/01/2020.
    2020: _days(_date(2020, 1, 23), _date(2020, 1, 29)),
    # 10/02 (29 Chạp) - 16/02/2021, 7 days. sggpnews.org.vn "Vietnam's public holidays in 2021"
    # (09/12/2020), also sggpnews.org.vn "Seven days off for Tet holiday 2021 proposed".
    2021: _days(_date(2021, 2, 10), _date(2021, 2, 16)),
    # 29/01 - 06/02/2022: 5 days of Tết plus the weekends before and after. Công văn
    # 245/VPCP-KGVX, 11/01/2022 (reported by kinhtemoitruong.vn, 12/01/2022).
    2022: _days(_date(2022, 1, 29), _date(2022, 2, 6)),
    # 20/01 (29 Chạp) - 26/01/2023, 7 days. Recalled (no official text at hand); the holiday
    # data file of the SWPSU23/SWP-BE repository lists the same days.
    2023: _days(_date(2023, 1, 20), _date(2023, 1, 26)),
    # 08/02 (29 Chạp) - 14/02/2024, 7 days. VGP, reported by vietnamnet.vn/en "Laborers to enjoy
    # 17 days of holidays in 2024".
    2024: _days(_date(2024, 2, 8), _date(2024, 2, 14)),
    # 25/01 - 02/02/2025, 9 days (weekdays off 27-31/01). Thông báo 6150/TB-BLĐTBXH, 2024.
    2025: _days(_date(2025, 1, 25), _date(2025, 2, 2)),
    # 14/02 (27 Chạp Ất Tỵ) - 22/02/2026 (mùng 6 Bính Ngọ), 9 days (weekdays off 16-20/02).
    # congan.com.vn "Chính thức chốt phương án Tết Nguyên đán Bính Ngọ 2026 nghỉ 9 ngày".
    2026: _days(_date(2026, 2, 14), _date(2026, 2, 22)),
    # Not entered: 2019 (02-10/02, recalled; the usual rule gives the same weekdays off).
    # Before 2019 some years swapped working days, which this module does not model.
}

# From 2021 National Day is 2/9 plus one adjacent day (1/9 or 3/9), decided yearly.
# Years not listed use 3/9.
NATIONAL_DAY_ADJACENT: dict[int, datetime.date] = {
    # 02-05/09/2021. sggpnews.org.vn "Vietnam's public holidays in 2021".
    2021: _date(2021, 9, 3),
    # 01-02/09/2022 (then the weekend). Company notice scon.com.vn "Các ngày nghỉ lễ 2022";
    # python-holidays gives the same day.
    2022: _date(2022, 9, 1),
    # 01-04/09/2023: 1/9 (Friday), 2/9 (Saturday), 4/9 compensatory. Recalled; python-holidays
    # gives the same day.
    2023: _date(2023, 9, 1),
    # 31/08-03/09/2024. btv.org.vn "Lễ Quốc khánh 2/9, người lao động được nghỉ 4 ngày liên tiếp";
    # news.baokhanhhoa.vn "2 days off for the National Day" (2/9 and 3/9).
    2024: _date(2024, 9, 3),
    # 30/08-02/09/2025. Recalled; python-holidays gives the same day.
    2025: _date(2025, 9, 1),
    # 2/9/2026 is a Wednesday; 5 days 29/08-02/09 with 31/08 swapped (swap not modelled).
    # thanhnien.vn 13/01/2026 ("5 ngày dịp Quốc khánh 2.9"); python-holidays 0.109.
    2026: _date(2026, 9, 1),
}


class FixedHoliday(NamedTuple):
    """A public holiday on a fixed solar date, in force from ``since``."""

    key: str
    month: int
    day: int
    since: datetime.date


# Resolution 80-NQ/TW (07/01/2026) adopted 24/11 as Vietnamese Culture Day "với chủ trương là
# ngày nghỉ, người lao động được hưởng nguyên lương" (a policy, not a law). Government
# Resolution 30/NQ-CP (02/2026) tasks an amendment of Labour Code Art. 112(1) to add it
# (vneconomy.vn, 26/02/2026; vnexpress.net, 17/01/2026); thanhnien.vn (13/01/2026) notes it
# applies once the National Assembly enacts it. No enacted law was found, so it is not a
# holiday here (python-holidays 0.109 already lists it from 2026). When the law is passed, add:
#     FixedHoliday("culture", 11, 24, since=<date the law takes effect>),
EXTRA_HOLIDAYS: tuple[FixedHoliday, ...] = ()


def _legal_days(year: int) -> tuple[list[tuple[datetime.date, str]], frozenset[datetime.date]]:
    """The holidays named by law in `year`, and the days whose compensation is already decided."""
    days: list[tuple[datetime.date, str]] = [(_date(year, 1, 1), "new_year")]
    decided: frozenset[datetime.date] = frozenset()

    if year in DECIDED_TET:
        decided = frozenset(DECIDED_TET[year])
        days += [(day, "tet") for day in DECIDED_TET[year]]
    else:
        new_year = _lunar_new_year(year)
        first_days = 4 if year >= 2013 else 3  # Labour Code 2012: 5 days; 1994: 4 days
        tet_start = new_year - datetime.timedelta(days=1)  # last day of the lunar year
        days += [(day, "tet") for day in _days(tet_start, new_year + datetime.timedelta(first_days - 1))]

    if year >= 2007:  # Labour Code 1994 as amended in 2007
        days.append((_lunar_to_solar(year, 3, 10), "hung_kings"))
    days.append((_date(year, 4, 30), "reunification"))
    days.append((_date(year, 5, 1), "labour"))
    days.append((_date(year, 9, 2), "national"))
    if year >= 2021:  # Labour Code 2019: 2 days
        days.append((NATIONAL_DAY_ADJACENT.get(year, _date(year, 9, 3)), "national"))
    for extra in EXTRA_HOLIDAYS:
        day = _date(year, extra.month, extra.day)
        if day >= extra.since:
            days.append((day, extra.key))
    return days, decided
