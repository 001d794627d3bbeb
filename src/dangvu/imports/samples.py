"""Sample workbooks: a small valid one and one with errors (tests, docs, the browser walkthrough).

Their organizations hang under `MAU` (a fictional commune, Đảng bộ xã Mẫu Sơn, formed on 01/07/2025 when
the district level ended and communes came directly under the province: domain-rules §1.2): a root of its
own by default (the command line imports it into any database, the demo's included), or placed
under a given organization (`parent`: the user's, for the sample offered on the import page, which
a user may import only within their scope).

    python -m dangvu.imports.samples docs/samples   # writes mau-hop-le.xlsx and mau-co-loi.xlsx
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

if __name__ == "__main__":  # pragma: no cover - run as a script: set Django up before the models load
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    django.setup()

from .spec import BIENDONG, COLUMNS, DANGVIEN, TOCHUC, XEPLOAI  # noqa: E402

D = dt.date


def write_workbook(target, sheets: dict[str, list[list]], *, headers: dict[str, list[str]] | None = None,
                   constant_memory: bool = False) -> None:
    """Write `sheets` (name → rows) to `target` (a path or a binary buffer) with XlsxWriter.

    The first row of each sheet is the header: by default the contract's columns of that sheet
    (`headers` overrides it). Dates are written as real Excel dates (dd/mm/yyyy)."""
    from dangvu.core.xlsx import workbook

    wb = workbook(target, constant_memory=constant_memory)
    wb.set_properties({"created": dt.datetime(2026, 1, 1)})  # the same bytes every time
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    bold = wb.add_format({"bold": True})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        header = (headers or {}).get(name) or [c.label for c in COLUMNS[name] if not c.extra]
        ws.write_row(0, 0, header, bold)
        for i, row in enumerate(rows, start=1):
            for j, v in enumerate(row):
                if v is None or v == "":
                    continue
                if isinstance(v, dt.date):
                    ws.write_datetime(i, j, dt.datetime(v.year, v.month, v.day), date_fmt)
                else:
                    ws.write(i, j, v)
    wb.close()


def _orgs(parent: str = "") -> list[list]:
    new = D(2025, 7, 1)  # the commune formed by the 2025 restructuring (no district level from that day)
    return [
        # Mã, Tên, Loại, Mã cấp trên, Ngày thành lập, Ngày giải thể, Loại hình
        ["MAU", "Đảng bộ xã Mẫu Sơn", "Đảng bộ cơ sở", parent, new, None, "Xã"],
        ["MAU-C1", "Chi bộ thôn Đồng Mẫu", "Chi bộ trực thuộc", "MAU", new, None, "Thôn/bản/tổ dân phố"],
        ["MAU-C2", "Chi bộ thôn Khe Mẫu", "Chi bộ trực thuộc", "MAU", new, None, "Thôn/bản/tổ dân phố"],
        ["MAU-C3", "Chi bộ bản Nà Mẫu", "Chi bộ trực thuộc", "MAU", new, "01/03/2026", "Thôn/bản/tổ dân phố"],
    ]


def _members() -> list[list]:
    # Mã, Họ và tên, Ngày sinh, Giới tính, Dân tộc, Tôn giáo, Ngày vào Đảng, Ngày chính thức, Chi bộ,
    # Ngày bắt đầu sinh hoạt, Số thẻ đảng viên, Trình độ học vấn, Chuyên môn, Lý luận chính trị, Nghề nghiệp
    # Placed in the new commune on the day it was formed (01/07/2025), but MAU-0005, admitted there.
    new = D(2025, 7, 1)
    return [
        ["MAU-0001", "Hoàng Văn Thụ", D(1968, 3, 12), "Nam", "Tày", "Không", D(1996, 2, 3), D(1997, 2, 3),
         "MAU-C1", new, "01234567", "12/12", "Kỹ sư nông nghiệp", "Trung cấp", "Cán bộ xã"],
        ["MAU-0002", "Nguyễn Thị Hồng Nhung", D(1985, 11, 2), "Nữ", "Kinh", "Không", D(2010, 9, 2), D(2011, 9, 2),
         "MAU-C1", new, "01234568", "12/12", "Cử nhân kế toán", "Sơ cấp", "Kế toán"],
        ["MAU-0003", "Triệu Văn Phú", D(1979, 6, 30), "Nam", "Dao", "Không", D(2005, 3, 3), D(2006, 3, 3),
         "MAU-C2", new, "01234566", "9/12", "", "Sơ cấp", "Nông dân"],
        ["MAU-0004", "Giàng A Páo", D(1990, 1, 15), "Nam", "Mông", "Tin Lành", D(2015, 2, 3), D(2016, 2, 3),
         "MAU-C3", new, "01234569", "12/12", "", "", "Trưởng bản"],
        ["MAU-0005", "Lò Thị Mai", D(1995, 8, 8), "Nữ", "Thái", "Không", D(2025, 9, 2), D(2026, 9, 2),
         "MAU-C1", None, "", "12/12", "Cao đẳng sư phạm", "", "Giáo viên mầm non"],
        ["MAU-0006", "Phạm Quốc Đạt", D(1982, 4, 20), "Nam", "Kinh", "Phật giáo", D(2008, 12, 22), D(2009, 12, 22),
         "MAU-C3", new, "01234570", "12/12", "Thạc sĩ Toán", "Trung cấp", "Giáo viên"],
        ["MAU-0007", "Vũ Thị Lan", D(1988, 2, 29), "Nữ", "Kinh", "Công giáo", D(2013, 3, 26), D(2014, 3, 26),
         "MAU-C2", new, "01234565", "12/12", "Cử nhân Văn", "Sơ cấp", "Giáo viên"],
        ["MAU-0008", "Bàn Văn Sinh", D(1950, 10, 10), "Nam", "Dao", "Không", D(1975, 4, 30), D(1976, 4, 30),
         "MAU-C3", new, "00987654", "7/10", "", "", "Hưu trí"],
        ["MAU-0009", "Đặng Thị Thu", D(1972, 7, 7), "Nữ", "Kinh", "Không", D(1998, 9, 1), D(1999, 9, 1),
         "MAU-C1", new, "01234571", "12/12", "Y sĩ", "Sơ cấp", "Y tế thôn bản"],
        ["MAU-0010", "Hà Văn Khánh", D(1998, 12, 1), "Nam", "Tày", "Không", D(2023, 3, 26), D(2024, 3, 26),
         "MAU-C2", new, "01234572", "12/12", "Cử nhân Luật", "", "Công an xã"],
    ]


def _events() -> list[list]:
    # Mã đảng viên, Loại, Ngày, Đến tổ chức, Giá trị, Số quyết định, Ghi chú
    return [
        ["MAU-0008", "Miễn sinh hoạt", D(2025, 8, 5), "", "", "03-QĐ/ĐU", "Tuổi cao, sức yếu"],
        ["MAU-0008", "Trao huy hiệu", D(2025, 9, 2), "", "50", "", ""],  # 50 years on 30/04/2025
        ["MAU-0001", "Trao huy hiệu", D(2026, 2, 3), "", "30", "", ""],
        ["MAU-0004", "Chuyển sinh hoạt", D(2026, 3, 1), "MAU-C2", "", "12-QĐ/ĐU", "Sáp nhập bản"],
        ["MAU-0006", "Chuyển sinh hoạt", D(2026, 3, 1), "MAU-C2", "", "12-QĐ/ĐU", "Sáp nhập bản"],
        ["MAU-0008", "Chuyển sinh hoạt", D(2026, 3, 1), "MAU-C1", "", "12-QĐ/ĐU", "Sáp nhập bản"],
        ["MAU-0003", "Kỷ luật", D(2026, 8, 10), "", "Khiển trách", "07-QĐ/ĐU", ""],
        ["MAU-0007", "Chuyển đi", D(2026, 9, 1), "", "", "45-GGT/ĐU", "Chuyển về Hà Nội"],
        ["MAU-0005", "Cấp thẻ", D(2026, 9, 2), "", "01234573", "", ""],
    ]


def _ratings() -> list[list]:
    # Năm, Mã, Xếp loại — 2025, the commune's first year: its members, where they were placed at the year's
    # end; not the organizations, formed less than 6 months before, nor MAU-0005 (admitted in September) or
    # MAU-0008 (exempted). One excellent for six good: within the cap (domain-rules §7.4).
    return [
        [2025, "MAU-0001", "Hoàn thành tốt nhiệm vụ"],
        [2025, "MAU-0002", "Hoàn thành xuất sắc nhiệm vụ"],
        [2025, "MAU-0003", "Hoàn thành nhiệm vụ"],
        [2025, "MAU-0004", "Hoàn thành tốt nhiệm vụ"],
        [2025, "MAU-0006", "Hoàn thành tốt nhiệm vụ"],
        [2025, "MAU-0007", "Hoàn thành tốt nhiệm vụ"],
        [2025, "MAU-0009", "Hoàn thành tốt nhiệm vụ"],
        [2025, "MAU-0010", "Hoàn thành tốt nhiệm vụ"],
    ]


def valid_sheets(parent: str = "") -> dict[str, list[list]]:
    """The valid sample; its root `MAU` (a commune's grassroots committee) under `parent` (a provincial or
    district-level committee's code), or a root of its own. Clean: no error nor warning when checked, and
    nothing it adds breaks a rule of `report checks` (every chi bộ with its minimum of official members on
    every day, official members with a card, ratings within the cap, no probation left to become overdue)."""
    return {TOCHUC: _orgs(parent), DANGVIEN: _members(), BIENDONG: _events(), XEPLOAI: _ratings()}


def error_sheets(parent: str = "") -> dict[str, list[list]]:
    """The valid sample with one mistake of each kind named in contracts §2 (row numbers as in Excel)."""
    s = valid_sheets(parent)
    orgs, members, events, ratings = s[TOCHUC], s[DANGVIEN], s[BIENDONG], s[XEPLOAI]
    orgs.append(["MAU-C4", "Chi bộ thôn Nà Lừa", "Chi bộ thôn", "MAU", "01/07/2025", None, ""])  # row 6: Loại
    orgs.append(["MAU-X3-C1", "Chi bộ thôn Pác Mẫu", "Chi bộ trực thuộc", "MAU-X9", "01/07/2025", None, ""])  # row 7
    orgs.append(["MAU-C2", "Chi bộ thôn Khe Mẫu 2", "Chi bộ trực thuộc", "MAU", "01/09/2025", None, ""])  # row 8
    members[2][2] = "31/02/1979"  # row 4: Ngày sinh is not a date
    members.append(["MAU-0011", "Sầm Văn Hùng", D(1991, 5, 5), "Nam", "Nùng", "Không", D(2019, 1, 1), D(2020, 1, 1),
                    "MAU", None, "", "12/12", "", "", "Kiểm lâm"])  # row 12: placed in a đảng bộ
    members.append(["MAU-0012", "Lục Thị Dung", D(1993, 9, 9), "Nữ", "Nùng", "Không", D(2020, 1, 1), D(2021, 1, 1),
                    "MAU-C9", None, "", "12/12", "", "", "Giáo viên"])  # row 13: unknown chi bộ
    members.append(["MAU-0001", "Hoàng Văn Thụ", D(1968, 3, 12), "Nam", "Tày", "Không", D(1992, 5, 19),
                    D(1993, 5, 19), "MAU-C1", None, "", "", "", "", ""])  # row 14: duplicate code
    members.append(["MAU-0013", "Vàng Thị Dợ", D(2000, 4, 4), "Nữ", "Mông", "Không", D(2025, 11, 7), None,
                    "MAU-C2", None, "01239999", "12/12", "", "", "Nông dân"])  # row 15: probationary with Số thẻ
    events.append(["MAU-0099", "Từ trần", D(2024, 1, 1), "", "", "", ""])  # row 11: unknown member
    events.append(["MAU-0005", "Khai trừ", D(2025, 12, 1), "", "", "", ""])  # row 12: probationary expelled
    events.append(["MAU-0002", "Nghỉ hưu", D(2025, 12, 1), "", "", "", ""])  # row 13: unknown Loại
    ratings.append([2022, "MAU-0009", "Tốt"])  # row 10: unknown rating label
    return s


def sample_parent(user):
    """The organization of `user`'s scope that the sample's root (a commune's grassroots committee) is
    placed under: the first root of the scope that may hold one; None when none may."""
    from dangvu.accounts.selectors import scope_roots
    from dangvu.organizations.models import ALLOWED_PARENT_KINDS, OrganizationKind

    allowed = ALLOWED_PARENT_KINDS[OrganizationKind.GRASSROOTS_COMMITTEE]
    return next((org for org in scope_roots(user) if org.kind in allowed and org.dissolved_on is None), None)


def sample_workbook(target, user) -> None:
    """The valid sample for `user` (an .xlsx written to `target`): placed under `sample_parent(user)`,
    so that the user may import it and then sees it; DomainError when the scope holds no organization
    that may take it."""
    from django.utils.translation import gettext as _

    from dangvu.core.errors import DomainError

    parent = sample_parent(user)
    if parent is None:
        raise DomainError(_("The sample workbook creates a commune's party committee: it can be imported only "
                            "by a user of a provincial or district-level committee."))
    write_workbook(target, valid_sheets(parent.code))


def write_samples(folder, parent: str = "") -> tuple[Path, Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    good, bad = folder / "mau-hop-le.xlsx", folder / "mau-co-loi.xlsx"
    write_workbook(good, valid_sheets(parent))
    write_workbook(bad, error_sheets(parent))
    return good, bad


if __name__ == "__main__":  # pragma: no cover
    for p in write_samples(sys.argv[1] if len(sys.argv) > 1 else "docs/samples"):
        print(p)


# --- large generated workbooks (benchmarks, memory measurements) ------------------------------

_FAMILY = ["Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
           "Lò", "Hà", "Triệu", "Giàng", "Lục", "Nông", "Vàng"]
_MIDDLE_M = ["Văn", "Văn", "Đức", "Minh", "Quốc", "Hữu", "Công", "Thanh"]
_MIDDLE_F = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Minh", "Hồng", "Thanh"]
_GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Đạt", "Hùng", "Khánh", "Long", "Nam", "Phong", "Quang", "Sơn", "Thắng",
            "Tuấn", "Việt"]
_GIVEN_F = ["Anh", "Chi", "Dung", "Hà", "Hương", "Lan", "Linh", "Mai", "Ngọc", "Nhung", "Phương", "Thảo", "Trang",
            "Vân", "Yến"]
_ETHNIC = ["Kinh"] * 14 + ["Tày", "Thái", "Mường", "Nùng", "Mông", "Dao"]


def large_sheets(members: int = 50_000, *, cells: int = 400, seed: int = 2026):
    """A deterministic workbook of `members` DangVien rows (and their ToChuc rows) under root MAU-L."""
    import random

    from dangvu import regulations as R

    rnd = random.Random(seed)
    adult = max(r.min_age_months for r in R.REGULATIONS) // 12 + 1  # admitted a year past the minimum age, or later
    orgs = [["MAU-L", "Đảng bộ tỉnh Mẫu Lớn", "Đảng bộ tỉnh", "", None, None, ""]]
    grassroots = max(1, cells // 20)
    for g in range(grassroots):
        orgs.append([f"MAU-L-X{g:03d}", f"Đảng bộ xã Mẫu {g}", "Đảng bộ cơ sở", "MAU-L", None, None, "Xã"])
    cell_codes = []
    for c in range(cells):
        code = f"MAU-L-X{c % grassroots:03d}-C{c:04d}"
        cell_codes.append(code)
        orgs.append([code, f"Chi bộ thôn {c}", "Chi bộ trực thuộc", f"MAU-L-X{c % grassroots:03d}", None, None,
                     "Thôn/bản/tổ dân phố"])

    def member_rows():
        for i in range(members):
            female = rnd.random() < 0.3
            name = " ".join([rnd.choice(_FAMILY), rnd.choice(_MIDDLE_F if female else _MIDDLE_M),
                             rnd.choice(_GIVEN_F if female else _GIVEN_M)])
            birth = D(1945, 1, 1) + dt.timedelta(days=rnd.randrange(0, 365 * 58))
            admitted = birth + dt.timedelta(days=365 * adult + rnd.randrange(0, 365 * 20))
            if admitted > D(2025, 6, 1):
                admitted = D(2025, 6, 1) - dt.timedelta(days=rnd.randrange(0, 300))
            official = R.probation_end(admitted, R.rules_on(admitted)) if admitted < D(2024, 6, 1) else None
            placed = None
            if rnd.random() < 0.2:
                placed = admitted + dt.timedelta(days=rnd.randrange(400, 3000))
                if placed > D(2025, 6, 1):
                    placed = None
            card = f"{i:08d}" if official and rnd.random() < 0.8 else ""
            yield [f"MAU-L-{i:07d}", name, birth, "Nữ" if female else "Nam", rnd.choice(_ETHNIC),
                   "Không" if rnd.random() < 0.93 else "Phật giáo", admitted, official, rnd.choice(cell_codes), placed,
                   card, "12/12", "Cử nhân" if rnd.random() < 0.5 else "", "Sơ cấp" if rnd.random() < 0.5 else "",
                   "Cán bộ"]

    return orgs, member_rows()


def write_large(path, members: int = 50_000, *, sheets=(TOCHUC, DANGVIEN), **kw) -> Path:
    """Write a large generated workbook with XlsxWriter's constant_memory mode (rows streamed)."""
    orgs, rows = large_sheets(members, **kw)
    path = Path(path)
    data = {TOCHUC: orgs, DANGVIEN: rows}
    write_workbook(path, {name: data[name] for name in (TOCHUC, DANGVIEN) if name in sheets}, constant_memory=True)
    return path
