"""The demo organization tree: communes, agencies, cells and the restructurings."""

from __future__ import annotations

import datetime as dt
import random

from dangvu.organizations.models import OrganizationKind as K
from dangvu.organizations.models import UnitKind as U

from ..names import DAO, HOA, KHMU, KINH, MONG, THAI
from .records import (
    D_2025,
    D_MERGE,
    D_SPLIT,
    D_UPGRADE,
    DISTRICT,
    PROVINCE,
    START,
    D,
    Decision,
    OrgOp,
    OrgSpec,
    Restructuring,
)

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


