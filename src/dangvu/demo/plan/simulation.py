"""The demo members: a month-by-month simulation of admissions, transfers, badges, exits."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from dangvu import regulations as R
from dangvu.members.models import MemberEventKind as E
from dangvu.organizations.models import OrganizationKind as K
from dangvu.organizations.models import UnitKind as U

from ..names import KINH, KINH_HOME_PROVINCES, full_name
from .records import (
    _DIED,
    _DISCIPLINED,
    _EXEMPTED,
    _EXEMPTION_ENDED,
    _EXPELLED,
    _MOVED,
    _OUT,
    _REMOVED,
    _RESIGNED,
    D_2025,
    D_CARD_EXCHANGE,
    END,
    START,
    D,
    Decision,
    EventSpec,
    MemberSpec,
    OrgSpec,
    Restructuring,
)
from .tree import HU, PROFILES, QUALIFICATION, RELIGION, TU, VILLAGE_MIX


def _months(start: dt.date, end: dt.date):
    y, m = start.year, start.month
    while D(y, m, 1) <= end:
        yield D(y, m, 1)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def _add_years(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year + years)  # member days are 2..28: no 29 February


#: The demo awards badges up to this milestone (no member of the demo is older in the Party).
DEMO_LAST_BADGE = 70
#: The demo exempts old members from activities from this many years past the rules' minimum age.
EXEMPTION_YEARS_PAST_MINIMUM = 2


def _next_occasion(day: dt.date) -> dt.date:
    """The first badge/card occasion (`badge_award_days` of the rules) on or after `day`."""
    for year in (day.year, day.year + 1):
        for month, dd in R.rules_on(D(year, 1, 1)).badge_award_days:
            d = D(year, month, dd)
            if d >= day:
                return d
    raise AssertionError


@dataclass
class _Member:
    spec: MemberSpec
    sex: str
    birth: dt.date
    admitted: dt.date
    official: dt.date | None
    cell: str | None
    idx: int = 0
    has_card: bool = False
    exempted: bool = False
    ended: bool = False
    pending: list = field(default_factory=list)  # (day, order, kind, value, note)
    next_due: dt.date | None = None

    def schedule(self, item: tuple) -> None:
        self.pending.append(item)
        if self.next_due is None or item[0] < self.next_due:
            self.next_due = item[0]

    def take_due(self, last: dt.date) -> list:
        due = sorted([p for p in self.pending if p[0] <= last], key=lambda p: (p[0], p[1]))
        self.pending = [p for p in self.pending if p[0] > last]
        self.next_due = min((p[0] for p in self.pending), default=None)
        return due

    def clear(self) -> None:
        self.pending, self.next_due = [], None


class _Sim:
    def __init__(self, rng: random.Random, orgs: list[OrgSpec], restructurings: list[Restructuring]):
        self.rng = rng
        self.orgs = {o.code: o for o in orgs}
        self.cells = [o for o in orgs if o.profile]
        self.restructurings = restructurings
        self.members: list[_Member] = []
        self.in_cell: dict[str, set[int]] = defaultdict(set)
        self.card_seq = 0
        self.new_card_seq = 0
        self.national_ids: set[str] = set()  # one person, one number
        self.decision_seq: dict[tuple, int] = defaultdict(int)
        self.group_override: dict[str, str] = {}  # cell → commune after a merge
        self.rates = {name: (p["out"] / 12, p["move"] / 12) for name, p in PROFILES.items()}
        self.exemption_ages: dict[str, float] = {}  # by sex, in years: set each month from the rules

    # --- helpers -------------------------------------------------------------------------
    def national_id(self, prefix: str, serial: int) -> str:
        """The number `prefix` + `serial`, or the next free serial when it is taken (no two members share one)."""
        while (number := f"{prefix}{serial:06d}") in self.national_ids:
            serial = (serial + 1) % 1_000_000
        self.national_ids.add(number)
        return number

    def alive(self, o: OrgSpec, day: dt.date) -> bool:
        return (o.established_on or START) <= day and (o.ends_on is None or day < o.ends_on)

    def group(self, o: OrgSpec) -> str:
        return self.group_override.get(o.code, o.commune)

    def trajectory(self, o: OrgSpec, day: dt.date) -> float:
        start = o.established_on or START
        stop = o.ends_on or END
        base = o.initial if start == START or o.initial else min(3, o.target)
        span = max((stop - start).days, 1)
        return base + (o.target - base) * min(max((day - start).days / span, 0), 1)

    def rand_day(self, month_start: dt.date) -> dt.date:
        return month_start.replace(day=self.rng.randint(2, 28))

    def decision(self, kind: str, day: dt.date, cell: OrgSpec) -> Decision:
        """The decision behind an event of `day`: an admission's a few days before the ceremony; an official
        recognition's after the probation ends (the chi bộ considers it, then the committee decides, each within
        its time limit). Issued by the committee of the decision's own date."""
        offset = dt.timedelta(days=self.rng.randint(3, 20))
        on = day - offset if kind == E.ADMITTED else day + offset + dt.timedelta(days=10)
        after_2025 = on >= D_2025
        if after_2025:
            top = self.orgs[self.group_override.get(cell.code, cell.parent)] if cell.kind == K.SUBORDINATE_CELL else cell
            issuer = f"Ban Thường vụ Đảng ủy {top.name.removeprefix('Đảng bộ ')}" if top.kind == K.GRASSROOTS_COMMITTEE else TU
            suffix = "QĐ/ĐU" if top.kind == K.GRASSROOTS_COMMITTEE else "QĐ/TU"
        else:
            issuer, suffix = HU, "QĐ/HU"
        self.decision_seq[(suffix, issuer, on.year)] += 1
        n = self.decision_seq[(suffix, issuer, on.year)]
        return Decision(f"{n + (0 if after_2025 else 100)}-{suffix}", on, issuer)

    def card_number(self) -> str:
        self.card_seq += 1
        return f"{11000000 + self.card_seq * 7 + 1234:08d}"

    def new_card_number(self) -> str:
        self.new_card_seq += 1
        return f"{61000000 + self.new_card_seq * 3 + 517:08d}"

    # --- members -------------------------------------------------------------------------
    def new_member(self, cell: OrgSpec, day: dt.date, *, admitted: dt.date | None = None,
                   age: int | None = None) -> _Member:
        rng = self.rng
        p = PROFILES[cell.profile]
        mix = dict(cell.ethnic_mix) if cell.ethnic_mix else (p.get("mix") or VILLAGE_MIX)
        eth = rng.choices(list(mix), weights=list(mix.values()))[0]
        sex = "F" if rng.random() < p["female"] else "M"
        adm = admitted or day
        age = age if age is not None else rng.randint(*p["age"])
        birth = D(adm.year - age, rng.randint(1, 12), rng.randint(1, 28))
        if R.age_in_months(birth, adm) < R.rules_on(adm).min_age_months:
            birth = D(adm.year - 19, birth.month, birth.day)
        code = f"NP{len(self.members) + 1:05d}"
        occupation = rng.choice(p["occupation"])
        commune = self.orgs[cell.commune] if cell.commune in self.orgs else None
        place = cell.village and f"bản {cell.village}, " or ""
        where = (f"{place}xã {commune.name.removeprefix('Đảng bộ xã ')}, huyện Nậm Pồ, tỉnh Điện Biên"
                 if commune and commune.kind == K.GRASSROOTS_COMMITTEE and commune.unit_kind == U.COMMUNE
                 else "Trung tâm huyện Nậm Pồ, tỉnh Điện Biên")
        home = (f"{rng.choice(KINH_HOME_PROVINCES)}" if eth == KINH else where.split(", huyện")[0] + ", Điện Biên")
        chance, religion = RELIGION.get(eth, (0.0, ""))
        cccd_sex = {("M", 19): 0, ("F", 19): 1, ("M", 20): 2, ("F", 20): 3}[(sex, birth.year // 100)]
        fields = dict(
            full_name=full_name(rng, eth, sex), birth_date=birth, sex=sex, ethnicity=eth,
            religion=religion if rng.random() < chance else "",
            place_of_birth=home if eth == KINH else where, home_town=home,
            residence=where, current_address=where,
            national_id_number=self.national_id(f"011{cccd_sex}{birth.year % 100:02d}", rng.randint(0, 999999)),
            phone=f"0{rng.choice((912, 915, 977, 983, 387, 868, 357))}{rng.randint(0, 999999):06d}",
            occupation=occupation, general_education=rng.choice(p["education"]),
            professional_qualification=QUALIFICATION.get(occupation, ""),
            political_theory_level=rng.choice(p["theory"]),
            biography_number=f"{len(self.members) + 1:06d}ĐB",
        )
        m = _Member(MemberSpec(code, fields), sex, birth, adm, None, None, idx=len(self.members))
        self.members.append(m)
        return m

    def place(self, m: _Member, cell: OrgSpec):
        if m.cell:
            self.in_cell[m.cell].discard(m.idx)
        m.cell = cell.code
        self.in_cell[cell.code].add(m.idx)

    def leave(self, m: _Member):
        if m.cell:
            self.in_cell[m.cell].discard(m.idx)
        m.ended = True

    def ev(self, m: _Member, kind, day, cell=None, value="", note="", decision=Decision()):  # noqa: B008 (a frozen dataclass)
        m.spec.events.append(EventSpec(kind, day, cell, value, note, decision))

    def admit_here(self, cell: OrgSpec, day: dt.date) -> _Member:
        """A new member admitted into `cell` on `day` (probation, then official or removed)."""
        m = self.new_member(cell, day)
        self.ev(m, E.ADMITTED, day, cell.code, decision=self.decision(E.ADMITTED, day, cell))
        self.place(m, cell)
        self.schedule_probation_end(m, cell)
        return m

    def schedule_probation_end(self, m: _Member, cell: OrgSpec):
        end = _add_years(m.admitted, 1)
        if self.rng.random() < 0.008:
            m.schedule((end, 9, E.REMOVED, "", "Xóa tên trong danh sách đảng viên dự bị"))
        else:
            m.schedule((end, 2, E.MADE_OFFICIAL, "", ""))

    def arrive(self, cell: OrgSpec, day: dt.date, *, note: str, admitted: dt.date | None = None,
               age: int | None = None) -> _Member:
        """A member admitted elsewhere who transfers into `cell` on `day`."""
        rng = self.rng
        if admitted is None:
            years = rng.choices([rng.uniform(0.3, 1), rng.uniform(1, 8), rng.uniform(8, 20)], weights=[2, 6, 2])[0]
            admitted = day - dt.timedelta(days=int(years * 365))
            admitted = admitted.replace(day=min(max(admitted.day, 2), 28))
        if age is None:
            age = rng.randint(*PROFILES[cell.profile]["age"])
        m = self.new_member(cell, day, admitted=admitted, age=age)
        self.ev(m, E.ADMITTED, admitted, None, note="Kết nạp tại tổ chức đảng khác")
        official = _add_years(admitted, 1)
        if official < day:
            self.ev(m, E.MADE_OFFICIAL, official)
            m.official = official
        else:
            m.schedule((official, 2, E.MADE_OFFICIAL, "", ""))
        self.ev(m, E.TRANSFERRED_IN, day, cell.code, note=note)
        self.place(m, cell)
        if m.official and rng.random() < 0.95:
            self.ev(m, E.CARD_ISSUED, day, value=self.card_number(), note="Ghi nhận số thẻ khi chuyển đến")
            m.has_card = True
        self.schedule_badges(m, after=day)
        return m

    def schedule_badges(self, m: _Member, after: dt.date):
        for years in R.REGULATIONS[-1].badge_milestones:
            if years > DEMO_LAST_BADGE:
                break
            due = _next_occasion(_add_years(m.admitted, years))
            if due > after and due <= END:
                m.schedule((due, 5, E.BADGE_AWARDED, str(years), ""))

    # --- the simulation ------------------------------------------------------------------
    def run(self):
        rng = self.rng
        # Members of the old district placed here when the district was established.
        for cell in self.cells:
            if (cell.established_on or START) != START:
                continue
            for _ in range(cell.initial):
                party_years = rng.choices([rng.uniform(0.1, 1), rng.uniform(1, 12), rng.uniform(12, 25),
                                           rng.uniform(25, 45)], weights=[6, 52, 27, 15])[0]
                admitted = START - dt.timedelta(days=int(party_years * 365.25))
                admitted = admitted.replace(day=min(max(admitted.day, 2), 28))
                age = rng.randint(*PROFILES[cell.profile]["age"])
                if cell.profile in ("village", "commune_office") and party_years > 20:
                    age = rng.randint(20, 32)
                self.arrive(cell, START, admitted=admitted, age=age,
                            note="Chuyển từ Đảng bộ huyện Mường Nhé khi thành lập huyện Nậm Pồ")
        by_day = defaultdict(list)
        for r in self.restructurings:
            by_day[r.day].append(r)
        for month in _months(START, END):
            for r in by_day.get(month, []):
                self.restructure(r)
            if month == D(2025, 9, 1):
                for m in self.members:
                    if not m.ended and m.has_card and m.official:
                        m.schedule((D_CARD_EXCHANGE, 5, E.CARD_ISSUED, "", "Đổi thẻ đảng viên theo Chỉ thị 51-CT/TW"))
            if month > START:
                last = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
                self.exemption_ages = {sex: months / 12 + EXEMPTION_YEARS_PAST_MINIMUM
                                       for sex, months in R.rules_on(month).exemption_min_age_months.items()}
                for idx in sorted(i for s in self.in_cell.values() for i in s):
                    self.month_of(self.members[idx], month, last)
                self.fill(month)
        for m in self.members:
            m.spec.events.sort(key=lambda e: e.day)

    def month_of(self, m: _Member, month: dt.date, last: dt.date):
        age = (month - m.birth).days / 365.25
        is_official = m.official is not None  # (made official in an earlier month)
        out, move = self.rates[self.orgs[m.cell].profile]
        # one random change this month, at most (yearly rates / 12)
        died = (0.0008 if age < 45 else 0.005 if age < 60 else 0.02 if age < 70 else 0.05 if age < 80 else 0.12) / 12
        out = out if age < 58 else 0.00025
        move = move if age < 60 else 0
        expelled = 0.00002 if is_official else 0
        exempted = 0.0117 if not m.exempted and is_official and age >= self.exemption_ages[m.sex] else 0
        ended = 0.0017 if m.exempted else 0
        x = self.rng.random()
        chosen = None
        if x < died + out + move + expelled + exempted + ended + 0.000422:
            for kind, pr in ((_DIED, died), (_OUT, out), (_MOVED, move), (_REMOVED, 0.000075), (_EXPELLED, expelled),
                             (_RESIGNED, 0.000017), (_DISCIPLINED, 0.00033), (_EXEMPTED, exempted),
                             (_EXEMPTION_ENDED, ended)):
                if x < pr:
                    chosen = kind
                    break
                x -= pr
        if chosen is None and (m.next_due is None or m.next_due > last):
            return
        rng = self.rng
        due = m.take_due(last)
        cell = self.orgs[m.cell]
        day = self.rand_day(month)
        ending_day = None
        events = []
        if chosen == E.MOVED:
            dest = self.move_destination(cell, day)
            if dest is not None:
                events.append((day, 3, E.MOVED, dest, ""))
        elif chosen == E.DISCIPLINED:
            forms = ("reprimand", "warning", "dismissal") if is_official else ("reprimand", "warning")
            events.append((day, 5, E.DISCIPLINED, rng.choices(forms, weights=[70, 25, 5][: len(forms)])[0], ""))
        elif chosen in (E.EXEMPTED, E.EXEMPTION_ENDED):
            events.append((day, 4, chosen, "", "Tuổi cao, sức khỏe yếu" if chosen == E.EXEMPTED else ""))
        elif chosen is not None:
            notes = {E.DIED: "", E.TRANSFERRED_OUT: "Chuyển sinh hoạt đảng chính thức ra ngoài đảng bộ",
                     E.REMOVED: "Bỏ sinh hoạt đảng nhiều tháng không có lý do", E.EXPELLED: "Vi phạm tư cách đảng viên",
                     E.RESIGNED: "Xin ra khỏi Đảng vì hoàn cảnh gia đình"}
            ending_day = day
            events.append((day, 9, chosen, None, notes[chosen]))
        for p in due:
            if ending_day is None or p[0] <= ending_day:
                events.append(p)
        events.sort(key=lambda p: (p[0], p[1]))
        for ev_day, _order, kind, value, note in events:
            if kind == E.MOVED:
                dest = value
                self.ev(m, E.MOVED, ev_day, dest.code, note="Chuyển sinh hoạt trong đảng bộ")
                self.place(m, dest)
            elif kind == E.MADE_OFFICIAL:
                m.official = ev_day
                self.ev(m, E.MADE_OFFICIAL, ev_day, decision=self.decision(kind, ev_day, self.orgs[m.cell]))
                if ending_day is None:
                    m.schedule((_next_occasion(ev_day + dt.timedelta(days=45)), 5, E.CARD_ISSUED, "", ""))
            elif kind == E.CARD_ISSUED:
                exchange = bool(note)
                self.ev(m, E.CARD_ISSUED, ev_day, value=self.new_card_number() if exchange or ev_day >= D_CARD_EXCHANGE
                        else self.card_number(), note=note)
                m.has_card = True
            elif kind == E.BADGE_AWARDED:
                self.ev(m, E.BADGE_AWARDED, ev_day, value=value, note=f"Huy hiệu {value} năm tuổi Đảng",
                        decision=Decision(f"{ev_day.year % 100}{ev_day.month:02d}-QĐ/TU", ev_day - dt.timedelta(days=7), TU))
            elif kind == E.EXEMPTED:
                m.exempted = True
                self.ev(m, kind, ev_day, note=note)
            elif kind == E.EXEMPTION_ENDED:
                m.exempted = False
                self.ev(m, kind, ev_day)
            elif kind == E.DISCIPLINED:
                self.ev(m, kind, ev_day, value=value, note="Vi phạm quy định về những điều đảng viên không được làm")
            else:  # endings, including removal at the end of probation
                self.ev(m, kind, ev_day, note=note)
                self.leave(m)
                m.clear()
                return

    def move_destination(self, cell: OrgSpec, day: dt.date) -> OrgSpec | None:
        rng = self.rng
        p = cell.profile
        same_group = [o for o in self.cells if self.group(o) == self.group(cell)]
        if p == "village":
            options = [o for o in same_group if o.profile in ("commune_office", "village")]
        elif p == "commune_office":
            options = [o for o in same_group if o.profile == "village"] + [o for o in self.cells if o.profile == "agency"]
        elif p == "school":
            options = [o for o in self.cells if o.profile == "school"]
        elif p in ("agency",):
            options = [o for o in self.cells if o.profile == "agency"] + [
                o for o in self.cells if o.profile == "commune_office"]
        elif p in ("police", "commune_police"):
            options = [o for o in self.cells if o.profile in ("police", "commune_police")]
        elif p in ("army", "commune_army"):
            options = [o for o in self.cells if o.profile in ("army", "commune_army")]
        else:
            options = same_group
        options = [o for o in options if o.code != cell.code and self.alive(o, day)]
        return rng.choice(options) if options else None

    def fill(self, month: dt.date):
        rng = self.rng
        for cell in self.cells:
            if not self.alive(cell, month):
                continue
            deficit = self.trajectory(cell, month) - len(self.in_cell[cell.code])
            p = PROFILES[cell.profile]
            while deficit >= 1:
                deficit -= 1
                if rng.random() > 0.3:
                    continue
                day = self.rand_day(month)
                if rng.random() < p["transfer_in"]:
                    self.arrive(cell, day, note="Chuyển sinh hoạt đảng chính thức đến")
                else:
                    self.admit_here(cell, day)

    def restructure(self, r: Restructuring):
        rng = self.rng
        if r.op == "rehome":  # TTYT upgrade: its members go to the new cells
            members = sorted(self.in_cell[r.source])
            subs = [o for o in self.cells if o.parent == r.source]
            for i, idx in enumerate(members):
                m = self.members[idx]
                dest = subs[i % len(subs)] if i < len(subs) else rng.choice(subs)
                r.member_cells[m.spec.code] = dest.code
                self.place(m, dest)
            for o in subs:
                o.initial = len(self.in_cell[o.code])
        elif r.op == "split":
            members = sorted(self.in_cell[r.source])
            rng.shuffle(members)
            half = len(members) // 2
            for i, idx in enumerate(members):
                dest = self.orgs[r.codes[0] if i < half else r.codes[1]]
                r.member_cells[self.members[idx].spec.code] = dest.code
                self.place(self.members[idx], dest)
            for c in r.codes:
                self.orgs[c].initial = len(self.in_cell[c])
        elif r.op == "merge":
            src = self.orgs[r.source]
            if src.kind == K.GRASSROOTS_COMMITTEE:
                for o in self.cells:
                    if o.commune == r.source:
                        self.group_override[o.code] = r.target
            else:
                for idx in sorted(self.in_cell[r.source]):
                    self.place(self.members[idx], self.orgs[r.target])


