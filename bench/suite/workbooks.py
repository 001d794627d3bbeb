"""The import workbooks (contract §2 columns) of the import steps, generated once per size."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from .settings import WORK

TOCHUC_HEADER = ["Mã", "Tên", "Loại", "Mã cấp trên", "Ngày thành lập", "Ngày giải thể", "Loại hình"]
DANGVIEN_HEADER = ["Mã", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Tôn giáo", "Ngày vào Đảng",
                   "Ngày chính thức", "Chi bộ", "Ngày bắt đầu sinh hoạt", "Số thẻ đảng viên", "Trình độ học vấn",
                   "Chuyên môn", "Lý luận chính trị", "Nghề nghiệp"]
ETHNIC_NAMES = {"01": "Kinh", "02": "Tày", "03": "Thái", "06": "Mường", "05": "Khơ-me", "08": "Mông", "07": "Nùng",
                "04": "Hoa", "09": "Dao", "29": "Khơ Mú", "10": "Gia-rai", "12": "Ê-đê"}


def workbook_rows(n: int, prefix: str, seed: int = 11):
    """ToChuc rows and a generator of DangVien rows (contract §2 columns) for `n` members."""
    import random

    from dangvu.core.dates import add_months
    from dangvu.demo.names import full_name
    from dangvu.demo.synth import ETHNIC_MIX

    rng = random.Random(seed)
    n_cells = max(1, n // 22)
    n_communes = max(1, n_cells // 90)
    orgs = [[prefix, f"Đảng bộ tỉnh nhập thử {prefix}", "Đảng bộ tỉnh", "", None, None, ""]]
    for c in range(n_communes):
        orgs.append([f"{prefix}-X{c:03d}", f"Đảng bộ xã Nhập Thử {c}", "Đảng bộ cơ sở", prefix, None, None, "xã"])
    cells = []
    for k in range(n_cells):
        code = f"{prefix}-X{k % n_communes:03d}-C{k:04d}"
        cells.append(code)
        orgs.append([code, f"Chi bộ thôn {k}", "Chi bộ trực thuộc", f"{prefix}-X{k % n_communes:03d}", None, None,
                     "thôn/bản/tổ dân phố"])
    pop, weights = list(ETHNIC_MIX), list(ETHNIC_MIX.values())
    end = dt.date(2025, 6, 30)

    def members():
        for i in range(n):
            sex = "F" if rng.random() < 0.35 else "M"
            eth = rng.choices(pop, weights=weights)[0]
            birth = dt.date(1945, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 58))
            admitted = min(birth + dt.timedelta(days=365 * 19 + rng.randrange(0, 365 * 20)), end)
            official = add_months(admitted, 12)  # the end of probation (12 months), as the rules count it
            official = official if official <= end else None
            card = f"{rng.randrange(10**8):08d}" if official and rng.random() < 0.6 else ""
            yield [f"{prefix}-{i:07d}", full_name(rng, eth, sex), birth, "Nữ" if sex == "F" else "Nam",
                   ETHNIC_NAMES[eth], "Không" if rng.random() < 0.95 else "Phật giáo", admitted, official,
                   cells[i % len(cells)], None, card, "12/12", "Đại học" if rng.random() < 0.4 else "",
                   "Sơ cấp" if rng.random() < 0.5 else "", "Cán bộ"]

    return orgs, members


def write_workbook(path: Path, n: int, prefix: str) -> float:
    from dangvu.imports.samples import write_workbook as write_sheets

    orgs, members = workbook_rows(n, prefix)
    t = time.perf_counter()
    write_sheets(path, {"ToChuc": orgs, "DangVien": members()},
                 headers={"ToChuc": TOCHUC_HEADER, "DangVien": DANGVIEN_HEADER}, constant_memory=True)
    return time.perf_counter() - t


def w_workbooks(args):
    out = {}
    for key, n, prefix in (("import", args["import"], "BI20"), ("memory", args["memory"], "BI200")):
        path = WORK / f"import_{key}_{n}.xlsx"
        if not path.exists():
            out[key] = {"seconds": write_workbook(path, n, prefix), "path": str(path)}
        else:
            out[key] = {"seconds": 0, "path": str(path), "cached": True}
    return out
