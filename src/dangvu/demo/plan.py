"""The demo party organization, generated as a plan in memory (pure: no database access).

A mountain district party committee of Điện Biên province, "Đảng bộ huyện Nậm Pồ", as it could
have been recorded from its establishment on 01/10/2012 up to 30/06/2026: 15 commune committees,
the district police and military committees, district agencies, schools and a health centre
(about 40 grassroots organizations and 150 subordinate cells), about 2,300 members (≈80% ethnic
minorities: Mông, Thái, Khơ Mú, Dao, Hoa; ≈25% women). The names of villages and people are
invented but plausible; administrative unit codes are the real ones of vietnam-provinces (the
communes after 2025). Decision numbers are invented.

History, simulated month by month with a seeded random generator so that the plan is the same
on every run:
- members of the old Mường Nhé district placed here on 01/10/2012 (admitted elsewhere earlier);
- admissions (12 months' probation, then official or, rarely, removed from the list), transfers in
  and out, moves between cells, deaths, removals, an expulsion or two, discipline, exemptions of
  elderly members, party cards (and the 2025 card exchange), badges for 30/40/45/50… years;
- restructurings: the health centre's chi bộ cơ sở upgraded to a đảng bộ cơ sở (01/03/2017), a
  village chi bộ split in two (01/08/2018), commune Nậm Khăn merged into Chà Tở (01/01/2020), and
  the end of the district level (01/07/2025): every grassroots organization moves under the
  provincial committee and the district committee is dissolved.

Member events never fall on the first day of a month; organizations change only on first days.
So a restructuring on day D never coincides with a member's own event, and the members a
restructuring re-homes are exactly those the simulation had in the cell on D.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from dangvu import regulations as R
from dangvu.members.models import MemberEventKind as E
from dangvu.organizations.models import OrganizationKind as K
from dangvu.organizations.models import UnitKind as U

from .names import DAO, HOA, KHMU, KINH, KINH_HOME_PROVINCES, MONG, THAI, full_name

D = dt.date
SEED = 2012
START = D(2012, 10, 1)  # Đảng bộ huyện Nậm Pồ established
END = D(2026, 6, 30)  # the last day the history is generated for
D_UPGRADE = D(2017, 3, 1)
D_SPLIT = D(2018, 8, 1)
D_MERGE = D(2020, 1, 1)
D_2025 = D(2025, 7, 1)
D_CARD_EXCHANGE = D(2025, 9, 2)

PROVINCE = "DB"
DISTRICT = "DB-NP"
DEMO_PASSWORD = "dangvu-demo-2026"
DEMO_USERS = (
    # username, role, scope code, valid_from, later scope (from 01/07/2025) or None
    ("bantochuc", "organizer", DISTRICT, START, PROVINCE),
    ("admin", "admin", PROVINCE, START, None),
    ("bithu_nahy", "secretary", "NP-NAHY", D(2020, 10, 1), None),
)

#: The demo awards badges up to this milestone (no member of the demo is older in the Party).
DEMO_LAST_BADGE = 70
BADGE_OCCASIONS = R.REGULATIONS[-1].badge_award_days  # (month, day): 3/2, 19/5, 2/9, 7/11
_DIED, _OUT, _MOVED, _REMOVED, _EXPELLED, _RESIGNED, _DISCIPLINED, _EXEMPTED, _EXEMPTION_ENDED = (
    E.DIED.value, E.TRANSFERRED_OUT.value, E.MOVED.value, E.REMOVED.value, E.EXPELLED.value, E.RESIGNED.value,
    E.DISCIPLINED.value, E.EXEMPTED.value, E.EXEMPTION_ENDED.value,
)


# --------------------------------------------------------------------------------------------
# Plan records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    number: str = ""
    date: dt.date | None = None
    issued_by: str = ""


@dataclass
class OrgSpec:
    code: str
    name: str
    kind: str
    parent: str | None
    established_on: dt.date | None
    unit_kind: str = ""
    admin_unit_code: str = ""
    decision: Decision = Decision()
    # simulation only
    profile: str = ""
    target: int = 0  # members at the end of its life
    initial: int = 0  # members placed when it starts
    ends_on: dt.date | None = None
    ethnic_mix: tuple = ()
    village: str = ""
    commune: str = ""


@dataclass
class OrgOp:
    """A change to organizations only (written before members): establish, change kind, rename."""

    op: str
    code: str
    day: dt.date
    kind: str = ""
    name: str = ""
    decision: Decision = Decision()
    note: str = ""


@dataclass
class EventSpec:
    kind: str
    day: dt.date
    cell: str | None = None
    value: str = ""
    note: str = ""
    decision: Decision = Decision()


@dataclass
class MemberSpec:
    code: str
    fields: dict
    events: list[EventSpec] = field(default_factory=list)


@dataclass
class Restructuring:
    """A restructuring that moves members or organizations (written after the members)."""

    op: str  # rehome | split | merge | move_orgs | close
    day: dt.date
    source: str = ""
    target: str = ""
    codes: list[str] = field(default_factory=list)
    member_cells: dict[str, str] = field(default_factory=dict)  # member code → cell code
    decision: Decision = Decision()
    note: str = ""


@dataclass
class Plan:
    orgs: list[OrgSpec]
    org_ops: list[OrgOp]
    members: list[MemberSpec]
    restructurings: list[Restructuring]
    users: tuple = DEMO_USERS


# --------------------------------------------------------------------------------------------
# The organization tree
# --------------------------------------------------------------------------------------------

#: Communes of the district before 2020: (name, short code, 2025 commune code, villages, schools).
COMMUNES = [
    ("Nà Hỳ", "NAHY", "3169", ["Nà Hỳ 1", "Nà Hỳ 2", "Huổi Dạo", "Nà Cang", "Sín Chải"], 3),
    ("Nà Khoa", "NAKHOA", "3169", ["Nà Khoa", "Huổi Lếch", "Nậm Ngà"], 2),
    ("Nậm Nhừ", "NAMNHU", "3169", ["Nậm Nhừ 1", "Nậm Nhừ 2", "Nậm Hính", "Huổi Dụ"], 2),
    ("Nậm Chua", "NAMCHUA", "3169", ["Nậm Chua 1", "Nậm Chua 2", "Ngối Cáy", "Nà Sự"], 2),
    ("Nà Bủng", "NABUNG", "3176", ["Nà Bủng 1", "Nà Bủng 2", "Huổi Thủng", "Nậm Ngà 2", "Phình Sảng"], 3),
    ("Vàng Đán", "VANGDAN", "3176", ["Vàng Đán", "Nậm Tắt", "Huổi Khương"], 2),
    ("Nậm Tin", "NAMTIN", "3176", ["Nậm Tin 1", "Nậm Tin 2", "Huổi Cơ Dạo", "Pa Cắng"], 2),
    ("Na Cô Sa", "NACOSA", "3176", ["Na Cô Sa 1", "Na Cô Sa 2", "Pa Thắng"], 2),
    ("Chà Tở", "CHATO", "3175", ["Chà Tở", "Nậm Chà", "Huổi Lụ", "Nà Pẩu", "Nà Mười"], 3),
    ("Nậm Khăn", "NAMKHAN", "3175", ["Nậm Khăn", "Huổi Hoi", "Pa Tết"], 2),
    ("Pa Tần", "PATAN", "3175", ["Pa Tần", "Huổi Pết", "Nậm Chim"], 2),
    ("Si Pa Phìn", "SIPAPHIN", "3199", ["Si Pa Phìn", "Phì Cao", "Đề Bâu", "Tàng Do", "Nậm Pồ"], 3),
    ("Phìn Hồ", "PHINHO", "3199", ["Phìn Hồ", "Huổi Sang", "Cây Sặt", "Tân Phong"], 3),
    ("Chà Nưa", "CHANUA", "3199", ["Chà Nưa", "Nà Pan", "Huổi Mí", "Nà Cảnh"], 2),
    ("Chà Cang", "CHACANG", "3199", ["Chà Cang", "Nà Khuyết", "Huổi Văng", "Pa Kết"], 2),
]
MERGED_COMMUNE, MERGE_TARGET = "NAMKHAN", "CHATO"
SPLIT_VILLAGE = ("NAHY", "Huổi Dạo")

#: District agencies with a chi bộ cơ sở: (short code, name, unit kind, established, profile).
AGENCIES = [
    ("VPHU", "Chi bộ Văn phòng Huyện ủy", U.AGENCY, None, "agency"),
    ("BANDANG", "Chi bộ các Ban xây dựng Đảng huyện", U.AGENCY, None, "agency"),
    ("VPUB", "Chi bộ Văn phòng HĐND và UBND huyện", U.AGENCY, None, "agency"),
    ("MTTQ", "Chi bộ Ủy ban MTTQ và các đoàn thể huyện", U.AGENCY, None, "agency"),
    ("TCKH", "Chi bộ Phòng Tài chính - Kế hoạch", U.AGENCY, None, "agency"),
    ("NNPTNT", "Chi bộ Phòng Nông nghiệp và Phát triển nông thôn", U.AGENCY, None, "agency"),
    ("GDDT", "Chi bộ Phòng Giáo dục và Đào tạo", U.AGENCY, None, "agency"),
    ("NOIVU", "Chi bộ Phòng Nội vụ", U.AGENCY, D(2013, 3, 1), "agency"),
    ("TNMT", "Chi bộ Phòng Tài nguyên và Môi trường", U.AGENCY, D(2013, 3, 1), "agency"),
    ("TOAAN", "Chi bộ Tòa án nhân dân huyện", U.AGENCY, D(2013, 6, 1), "agency"),
    ("VKS", "Chi bộ Viện Kiểm sát nhân dân huyện", U.AGENCY, D(2013, 6, 1), "agency"),
    ("THADS", "Chi bộ Chi cục Thi hành án dân sự huyện", U.AGENCY, D(2014, 1, 1), "agency"),
    ("THUE", "Chi bộ Chi cục Thuế huyện", U.AGENCY, D(2013, 6, 1), "agency"),
    ("KBNN", "Chi bộ Kho bạc Nhà nước huyện", U.AGENCY, D(2013, 6, 1), "agency"),
    ("NHCS", "Chi bộ Ngân hàng Chính sách xã hội huyện", U.ENTERPRISE, D(2014, 1, 1), "agency"),
    ("AGRI", "Chi bộ Ngân hàng Nông nghiệp và PTNT chi nhánh Nậm Pồ", U.ENTERPRISE, D(2014, 6, 1), "agency"),
    ("BHXH", "Chi bộ Bảo hiểm xã hội huyện", U.AGENCY, D(2014, 1, 1), "agency"),
    ("VHTT", "Chi bộ Trung tâm Văn hóa, Thể thao và Truyền thông huyện", U.PUBLIC_SERVICE, D(2014, 1, 1), "agency"),
    ("KIEMLAM", "Chi bộ Hạt Kiểm lâm huyện", U.AGENCY, D(2013, 3, 1), "agency"),
    ("BQLDA", "Chi bộ Ban Quản lý dự án các công trình huyện", U.PUBLIC_SERVICE, D(2015, 1, 1), "agency"),
    ("DIENLUC", "Chi bộ Điện lực Nậm Pồ", U.ENTERPRISE, D(2016, 1, 1), "agency"),
    ("THPT", "Chi bộ Trường THPT Nậm Pồ", U.SCHOOL, D(2013, 9, 1), "school"),
    ("PTDTNT", "Chi bộ Trường PTDTNT THCS và THPT huyện Nậm Pồ", U.SCHOOL, D(2014, 9, 1), "school"),
    ("GDNN", "Chi bộ Trung tâm GDNN - GDTX huyện", U.SCHOOL, D(2018, 6, 1), "school"),
    ("TTYT", "Chi bộ Trung tâm Y tế huyện", U.PUBLIC_SERVICE, None, "health"),
]
TTYT_CELLS = [("HCTH", "Chi bộ Hành chính - Tổng hợp", 14), ("DIEUTRI", "Chi bộ Khối Điều trị", 17),
              ("DUPHONG", "Chi bộ Khối Dự phòng - Dân số", 12)]
POLICE_CELLS = ["Chi bộ Văn phòng Cơ quan Cảnh sát điều tra", "Chi bộ Đội Cảnh sát hình sự - kinh tế - ma túy",
                "Chi bộ Đội An ninh", "Chi bộ Đội Cảnh sát quản lý hành chính về trật tự xã hội",
                "Chi bộ Đội Tổng hợp - Hậu cần"]
ARMY_CELLS = ["Chi bộ Cơ quan Ban Chỉ huy Quân sự huyện", "Chi bộ Trung đội Dân quân cơ động",
              "Chi bộ Kho - Hậu cần, Kỹ thuật"]

#: Member profiles of the kinds of cell: ethnic mix (weights), share of women, ages at admission,
#: yearly chances of transfer out / move / arrival by transfer, target size range, occupation.
PROFILES = {
    "village": dict(female=0.15, age=(21, 45), out=0.004, move=0.007, transfer_in=0.05, size=(11, 19),
                    occupation=("Nông dân",), education=("9/12", "12/12", "7/12"), theory=("so_cap", "")),
    "school": dict(mix={KINH: 40, THAI: 30, MONG: 20, KHMU: 5, DAO: 5}, female=0.55, age=(23, 38), out=0.04,
                   move=0.03, transfer_in=0.45, size=(8, 16), occupation=("Giáo viên", "Cán bộ quản lý giáo dục"),
                   education=("12/12",), theory=("so_cap", "trung_cap")),
    "commune_office": dict(mix={MONG: 45, THAI: 25, KINH: 12, KHMU: 10, DAO: 8}, female=0.24, age=(23, 40),
                           out=0.015, move=0.02, transfer_in=0.15, size=(22, 32),
                           occupation=("Cán bộ xã", "Công chức xã"), education=("12/12",),
                           theory=("trung_cap", "so_cap")),
    "commune_army": dict(mix={MONG: 55, THAI: 25, KHMU: 10, KINH: 5, DAO: 5}, female=0.03, age=(21, 35),
                         out=0.02, move=0.02, transfer_in=0.1, size=(4, 7), occupation=("Chỉ huy quân sự xã",),
                         education=("12/12", "9/12"), theory=("so_cap",)),
    "commune_police": dict(mix={KINH: 35, THAI: 30, MONG: 30, KHMU: 5}, female=0.08, age=(22, 30), out=0.06,
                           move=0.04, transfer_in=0.9, size=(5, 9), occupation=("Công an xã",),
                           education=("12/12",), theory=("so_cap", "trung_cap")),
    "agency": dict(mix={KINH: 40, THAI: 30, MONG: 18, KHMU: 6, DAO: 4, HOA: 2}, female=0.32, age=(24, 40),
                   out=0.045, move=0.03, transfer_in=0.5, size=(8, 20), occupation=("Công chức", "Viên chức"),
                   education=("12/12",), theory=("trung_cap", "cao_cap", "so_cap")),
    "police": dict(mix={KINH: 45, THAI: 30, MONG: 20, KHMU: 5}, female=0.12, age=(22, 32), out=0.07,
                   move=0.05, transfer_in=0.8, size=(16, 28), occupation=("Sĩ quan công an",),
                   education=("12/12",), theory=("trung_cap", "so_cap")),
    "army": dict(mix={KINH: 40, THAI: 30, MONG: 25, KHMU: 5}, female=0.05, age=(22, 32), out=0.06,
                 move=0.04, transfer_in=0.7, size=(10, 18), occupation=("Quân nhân",), education=("12/12",),
                 theory=("trung_cap", "so_cap")),
    "health": dict(mix={KINH: 40, THAI: 35, MONG: 15, KHMU: 5, DAO: 5}, female=0.55, age=(24, 38), out=0.04,
                   move=0.03, transfer_in=0.4, size=(10, 18), occupation=("Bác sĩ", "Y sĩ", "Điều dưỡng"),
                   education=("12/12",), theory=("so_cap", "trung_cap")),
}
VILLAGE_MIX = {MONG: 55, THAI: 22, KHMU: 12, DAO: 9, HOA: 2}
RELIGION = {MONG: (0.06, "Tin Lành"), KINH: (0.03, "Phật giáo"), DAO: (0.02, "Tin Lành"), THAI: (0.005, "Phật giáo")}
QUALIFICATION = {
    "Giáo viên": "Cao đẳng sư phạm", "Cán bộ quản lý giáo dục": "Đại học sư phạm", "Cán bộ xã": "Trung cấp",
    "Công chức xã": "Đại học", "Công an xã": "Trung cấp công an", "Công chức": "Đại học", "Viên chức": "Đại học",
    "Sĩ quan công an": "Đại học An ninh", "Quân nhân": "Trung cấp quân sự", "Bác sĩ": "Bác sĩ đa khoa",
    "Y sĩ": "Trung cấp y", "Điều dưỡng": "Cao đẳng điều dưỡng", "Chỉ huy quân sự xã": "Trung cấp quân sự",
}

HU = "Ban Thường vụ Huyện ủy Nậm Pồ"
TU = "Ban Thường vụ Tỉnh ủy Điện Biên"


def build_orgs(rng: random.Random) -> tuple[list[OrgSpec], list[OrgOp], list[Restructuring]]:
    orgs: list[OrgSpec] = []
    ops: list[OrgOp] = []
    restructurings: list[Restructuring] = []

    def add(spec: OrgSpec) -> OrgSpec:
        orgs.append(spec)
        ops.append(OrgOp("establish", spec.code, spec.established_on or dt.date.min, decision=spec.decision))
        return spec

    add(OrgSpec(PROVINCE, "Đảng bộ tỉnh Điện Biên", K.PROVINCIAL, None, None, admin_unit_code="11"))
    add(OrgSpec(DISTRICT, "Đảng bộ huyện Nậm Pồ", K.DISTRICT, PROVINCE, START,
                decision=Decision("1075-QĐ/TU", D(2012, 9, 20), TU)))
    for name, short, admin, villages, schools in COMMUNES:
        code = f"NP-{short}"
        add(OrgSpec(code, f"Đảng bộ xã {name}", K.GRASSROOTS_COMMITTEE, DISTRICT, START, U.COMMUNE, admin,
                    decision=Decision("08-QĐ/HU", D(2012, 9, 25), HU)))
        n = 0

        def cell(cell_name, profile, established=START, code=code, **kw):
            nonlocal n
            n += 1
            p = PROFILES[profile]
            size = kw.pop("target", None) or rng.randint(*p["size"])
            spec = OrgSpec(f"{code}-{n:02d}", cell_name, K.SUBORDINATE_CELL, code, established,
                           kw.pop("unit_kind", ""), profile=profile, target=size, commune=code, **kw)
            if established == START:
                spec.initial = round(size * rng.uniform(0.62, 0.8))
            return add(spec)

        cell(f"Chi bộ Cơ quan xã {name}", "commune_office", unit_kind=U.AGENCY)
        cell(f"Chi bộ Quân sự xã {name}", "commune_army", unit_kind=U.ARMY)
        for v in villages:
            dominant = rng.choices(list(VILLAGE_MIX), weights=list(VILLAGE_MIX.values()))[0]
            mix = {dominant: 88, **{k: 3 for k in (MONG, THAI, KHMU, KINH) if k != dominant}}
            cell(f"Chi bộ bản {v}", "village", unit_kind=U.VILLAGE, ethnic_mix=tuple(mix.items()), village=v)
        cell(f"Chi bộ Trường Mầm non {name}", "school", unit_kind=U.SCHOOL)
        if schools == 3:
            cell(f"Chi bộ Trường PTDTBT Tiểu học {name}", "school", unit_kind=U.SCHOOL)
            cell(f"Chi bộ Trường PTDTBT THCS {name}", "school", D(2014, 9, 1), unit_kind=U.SCHOOL)
        else:
            cell(f"Chi bộ Trường PTDTBT TH và THCS {name}", "school", unit_kind=U.SCHOOL)
        if short != MERGED_COMMUNE:
            # Regular police in every commune (Công an xã chính quy), 2020–2021.
            day = D(2020, rng.choice((7, 9, 11)), 1) if short < "N" else D(2021, rng.choice((3, 5)), 1)
            cell(f"Chi bộ Công an xã {name}", "commune_police", day, unit_kind=U.POLICE)

    # District police and military committees with their cells.
    for code, name, unit, cells, profile in (
        ("NP-CA", "Đảng bộ Công an huyện", U.POLICE, POLICE_CELLS, "police"),
        ("NP-QS", "Đảng bộ Quân sự huyện", U.ARMY, ARMY_CELLS, "army"),
    ):
        add(OrgSpec(code, name, K.GRASSROOTS_COMMITTEE, DISTRICT, START, unit,
                    decision=Decision("09-QĐ/HU", D(2012, 9, 25), HU)))
        for i, cname in enumerate(cells, 1):
            size = rng.randint(*PROFILES[profile]["size"])
            add(OrgSpec(f"{code}-{i:02d}", cname, K.SUBORDINATE_CELL, code, START, unit, profile=profile,
                        target=size, initial=round(size * rng.uniform(0.6, 0.8)), commune=code))

    for short, name, unit, established, profile in AGENCIES:
        size = rng.randint(*PROFILES[profile]["size"])
        if short == "TTYT":
            size = 31  # grows past 30 before the upgrade
        day = established or START
        spec = add(OrgSpec(f"NP-{short}", name, K.GRASSROOTS_CELL, DISTRICT, day, unit, profile=profile,
                           target=size, commune="NP-AGENCIES",
                           decision=Decision(f"{rng.randint(10, 400)}-QĐ/HU", day - dt.timedelta(days=10), HU)))
        spec.initial = round(size * rng.uniform(0.62, 0.8)) if day == START else 0

    # 01/03/2017: the health centre's chi bộ cơ sở becomes a đảng bộ cơ sở with three cells.
    ttyt = next(o for o in orgs if o.code == "NP-TTYT")
    ttyt.ends_on = D_UPGRADE  # as a cell
    up = Decision("312-QĐ/HU", D(2017, 2, 20), HU)
    ops.append(OrgOp("change_kind", ttyt.code, D_UPGRADE, kind=K.GRASSROOTS_COMMITTEE, decision=up,
                     note="Nâng cấp chi bộ cơ sở thành đảng bộ cơ sở"))
    ops.append(OrgOp("rename", ttyt.code, D_UPGRADE, name="Đảng bộ Trung tâm Y tế huyện", decision=up))
    for i, (_short, name, size) in enumerate(TTYT_CELLS, 1):
        add(OrgSpec(f"NP-TTYT-{i:02d}", name, K.SUBORDINATE_CELL, ttyt.code, D_UPGRADE, U.PUBLIC_SERVICE,
                    decision=up, profile="health", target=size, commune=ttyt.code))
    restructurings.append(Restructuring("rehome", D_UPGRADE, source=ttyt.code, decision=up,
                                        note="Nâng cấp thành Đảng bộ Trung tâm Y tế huyện"))

    # 01/08/2018: a village divided in two; so is its chi bộ.
    commune, village = SPLIT_VILLAGE
    src = next(o for o in orgs if o.commune == f"NP-{commune}" and o.village == village)
    src.ends_on = D_SPLIT
    src.target = 16
    sp = Decision("415-QĐ/HU", D(2018, 7, 24), HU)
    parts = []
    for suffix, size in (("1", 11), ("2", 10)):
        parts.append(add(OrgSpec(f"{src.code}{chr(64 + int(suffix))}", f"{src.name} {suffix}", K.SUBORDINATE_CELL,
                                 src.parent, D_SPLIT, U.VILLAGE, decision=sp, profile="village", target=size,
                                 ethnic_mix=src.ethnic_mix, village=f"{village} {suffix}", commune=src.commune)))
    restructurings.append(Restructuring("split", D_SPLIT, source=src.code, codes=[p.code for p in parts],
                                        decision=sp, note="Chia tách do chia tách bản"))

    # 01/01/2020: commune Nậm Khăn merged into Chà Tở (Nghị quyết of the National Assembly
    # Standing Committee on commune mergers); its office and military cells merge into Chà Tở's.
    mg = Decision("1022-QĐ/TU", D(2019, 12, 20), TU)
    restructurings.append(Restructuring("merge", D_MERGE, source=f"NP-{MERGED_COMMUNE}",
                                        target=f"NP-{MERGE_TARGET}", decision=mg,
                                        note="Sáp nhập xã Nậm Khăn vào xã Chà Tở"))
    for kind in ("commune_office", "commune_army"):
        a = next(o for o in orgs if o.commune == f"NP-{MERGED_COMMUNE}" and o.profile == kind)
        b = next(o for o in orgs if o.commune == f"NP-{MERGE_TARGET}" and o.profile == kind)
        a.ends_on = D_MERGE
        b.target += a.target // 2
        restructurings.append(Restructuring("merge", D_MERGE, source=a.code, target=b.code, decision=mg,
                                            note="Hợp nhất chi bộ sau sáp nhập xã"))

    # 01/07/2025: the district level ends (QĐ 294-QĐ/TW, HD 31-HD/BTCTW): every grassroots
    # organization moves directly under the provincial committee; the district committee ends.
    end = Decision("2150-QĐ/TU", D(2025, 6, 28), TU)
    grassroots = [o.code for o in orgs if o.parent == DISTRICT and o.code != f"NP-{MERGED_COMMUNE}"]
    restructurings.append(Restructuring("move_orgs", D_2025, target=PROVINCE, codes=grassroots, decision=end,
                                        note="Chuyển về trực thuộc Tỉnh ủy khi kết thúc hoạt động cấp huyện"))
    restructurings.append(Restructuring("close", D_2025, source=DISTRICT, decision=end,
                                        note="Kết thúc hoạt động cấp huyện"))
    ops.sort(key=lambda o: o.day)  # stable: parents before children on the same day
    for op in ops:
        if op.day == dt.date.min:
            op.day = None
    return orgs, ops, restructurings


# --------------------------------------------------------------------------------------------
# Members: a month-by-month simulation
# --------------------------------------------------------------------------------------------


def _months(start: dt.date, end: dt.date):
    y, m = start.year, start.month
    while D(y, m, 1) <= end:
        yield D(y, m, 1)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def _add_years(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year + years)  # member days are 2..28: no 29 February


def _next_occasion(day: dt.date) -> dt.date:
    """The first badge/card occasion (3/2, 19/5, 2/9, 7/11) on or after `day`."""
    for year in (day.year, day.year + 1):
        for month, dd in BADGE_OCCASIONS:
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
        self.decision_seq: dict[tuple, int] = defaultdict(int)
        self.group_override: dict[str, str] = {}  # cell → commune after a merge
        self.rates = {name: (p["out"] / 12, p["move"] / 12) for name, p in PROFILES.items()}

    # --- helpers -------------------------------------------------------------------------
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
        after_2025 = day >= D_2025
        if after_2025:
            top = self.orgs[self.group_override.get(cell.code, cell.parent)] if cell.kind == K.SUBORDINATE_CELL else cell
            issuer = f"Ban Thường vụ Đảng ủy {top.name.removeprefix('Đảng bộ ')}" if top.kind == K.GRASSROOTS_COMMITTEE else TU
            suffix = "QĐ/ĐU" if top.kind == K.GRASSROOTS_COMMITTEE else "QĐ/TU"
        else:
            issuer, suffix = HU, "QĐ/HU"
        self.decision_seq[(suffix, issuer, day.year)] += 1
        n = self.decision_seq[(suffix, issuer, day.year)]
        return Decision(f"{n + (0 if after_2025 else 100)}-{suffix}", day - dt.timedelta(days=self.rng.randint(3, 20)), issuer)

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
            national_id_number=f"011{cccd_sex}{birth.year % 100:02d}{rng.randint(0, 999999):06d}",
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

    def ev(self, m: _Member, kind, day, cell=None, value="", note="", decision=Decision()):
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
        exempted = 0.0117 if not m.exempted and is_official and age >= (62 if m.sex == "M" else 57) else 0
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


def build_plan(seed: int = SEED) -> Plan:
    """The whole demo (organizations, members with their events, restructurings), from `seed`."""
    rng = random.Random(seed)
    orgs, ops, restructurings = build_orgs(rng)
    sim = _Sim(rng, orgs, restructurings)
    sim.run()
    return Plan(orgs, ops, [m.spec for m in sim.members], restructurings)
