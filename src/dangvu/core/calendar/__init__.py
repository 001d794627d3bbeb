"""Vietnam's working-day calendar, for Party deadlines counted in working days.

Many Party rules set deadlines in working days (ngày làm việc), e.g. "the competent committee
decides within N working days" (the rule sets give N). A working day is Monday to Friday, except the public holidays
(ngày nghỉ lễ) fixed by the Labour Code and the compensatory days off (nghỉ bù) granted when a
holiday falls on a Saturday or Sunday. Party bodies follow the public-sector schedule: a 5-day
week (Saturday and Sunday off) and the yearly holiday notices for officials.

Holiday rules by year (the regime in force in that year):

* from 2021, Labour Code 2019 (Bộ luật Lao động 45/2019/QH14), Art. 112: New Year (1/1), Tết
  (5 days), Hùng Kings' Day (10/3 lunar), Reunification Day (30/4), International Labour Day
  (1/5), National Day (2/9 plus the day before or after it);
* 2013-2020, Labour Code 2012, Art. 115: the same, but National Day is 2/9 only. Tết has
  5 days from Tết 2013;
* before 2013, Labour Code 1994 (Art. 73): Tết has 4 days (the last day of the lunar year and
  the first 3 days); Hùng Kings' Day only from 2007 (amendment of 2007). These two points are
  recalled, not re-read. Years before 1995, when that code came into force, are an
  approximation. The 5-day week of the public sector (Quyết định 188/1999/QĐ-TTg, from
  02/10/1999) is applied to every year.

Compensatory days: a holiday that falls on a Saturday or Sunday gives a day off on the next
working day (Labour Code 2019, Art. 111(3); Labour Code 2012, Art. 115(3)). Tết days are chosen
by the Prime Minister each year; when the decision is known it is used as is (``DECIDED_TET``),
otherwise the usual rule applies (the last day of the lunar year through day 4 of month 1, weekend
days compensated after the break).

Not modelled: swaps of working days (hoán đổi ngày làm việc), where officials take a weekday
off and work a Saturday instead (e.g. 02/5/2025 off, 26/4/2025 worked). A Saturday is never a
working day here.

Tết and Hùng Kings' Day follow the Vietnamese lunisolar calendar, computed astronomically
(true new moons and the Sun's longitude, J. Meeus' algorithms) for UTC+7, the basis of the
official calendar since 1968; earlier years are computed the same way. It differs from the
Chinese calendar (UTC+8) in some years: Tết 1985 was on 21/01/1985 in Vietnam and on 20/02/1985
in China. Checked for 1930-2100: Tết and Hùng Kings' Day agree with python-holidays' Vietnamese
tables in every year; every day agrees with Hồ Ngọc Đức's algorithm (package lunar-vn) except
4 months whose new moon falls within 2 minutes of midnight (06/1944, 07/1967, 12/2072,
11/2077), none of which moves a holiday. Supported years: 1930-2100.
"""

from __future__ import annotations

from dangvu.core.calendar.holiday_law import DECIDED_TET, EXTRA_HOLIDAYS, NATIONAL_DAY_ADJACENT, FixedHoliday
from dangvu.core.calendar.lunar import MAX_YEAR, MIN_YEAR
from dangvu.core.calendar.working_days import (
    add_working_days,
    is_working_day,
    public_holidays,
    working_days_between,
)

__all__ = [
    "DECIDED_TET",
    "EXTRA_HOLIDAYS",
    "MAX_YEAR",
    "MIN_YEAR",
    "NATIONAL_DAY_ADJACENT",
    "FixedHoliday",
    "add_working_days",
    "is_working_day",
    "public_holidays",
    "working_days_between",
]
