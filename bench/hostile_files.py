"""Peak memory and time of refusing hostile import files (issue 9): each case runs the dry run of
`imports.services.import_workbook` in its own process and reports that process's peak RSS.

    PYTHONPATH=src python bench/hostile_files.py [--dir DIR]

Cases:
- bomb: a 26 MB workbook that expands to 429 MB (a million rows of varied cells);
- bomb-under-limit: the same kind of sheet just under the uncompressed-size limit (300 MB), past the
  row limit: the pre-scan must read all of it;
- huge-cell: a 415 KB workbook whose shared-strings part holds one cell of 420 MB;
- huge-cell-under-limit: one cell of 250 MB (under the size limit: the cell limit refuses it);
- many-strings-under-limit: 290 MB of short shared strings, a one-cell sheet (not refused: the cost
  of the largest file the limits let through).

Results of a run are in bench/results-hostile-files.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
       'content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" '
       'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
       'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
       'spreadsheetml.worksheet+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
         'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
       'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
       '<sheet name="DangVien" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/>{extra}</Relationships>')
_SS_REL = ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
           'sharedStrings" Target="sharedStrings.xml"/>')
_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
         '2006/main"><sheetData>')
_FOOT = "</sheetData></worksheet>"
HEADER = ["Mã", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Ngày vào Đảng", "Chi bộ", "Nghề nghiệp"]


def _skeleton(zf: zipfile.ZipFile, shared: bool) -> None:
    zf.writestr("[Content_Types].xml", _CT)
    zf.writestr("_rels/.rels", _RELS)
    zf.writestr("xl/workbook.xml", _WB)
    zf.writestr("xl/_rels/workbook.xml.rels", _WB_RELS.format(extra=_SS_REL if shared else ""))


def _inline(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def write_bomb(path: Path, target_bytes: int) -> None:
    """A workbook of varied member rows until the sheet's XML reaches `target_bytes`."""
    rnd = random.Random(7)
    given = ["An", "Bình", "Chi", "Dũng", "Hoa", "Hùng", "Lan", "Minh", "Nam", "Thảo", "Tuấn", "Yến"]
    jobs = ["Nông dân", "Giáo viên", "Công chức", "Bộ đội", "Công nhân", "Hưu trí"]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        _skeleton(zf, shared=False)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            written = f.write(_HEAD.encode())
            head = "".join(_inline(f"{chr(65 + i)}1", h) for i, h in enumerate(HEADER))
            written += f.write(f'<row r="1">{head}</row>'.encode())
            r = 1
            while written < target_bytes:
                rows = []
                for _ in range(1000):
                    r += 1
                    values = [f"NP{r:07d}", f"Lò Văn {rnd.choice(given)} {rnd.randrange(10**6)}",
                              f"{rnd.randrange(1, 29):02d}/{rnd.randrange(1, 13):02d}/{rnd.randrange(1940, 2000)}",
                              rnd.choice(["Nam", "Nữ"]), rnd.choice(["Kinh", "Thái", "Mông", "Dao"]),
                              f"{rnd.randrange(1, 29):02d}/{rnd.randrange(1, 13):02d}/{rnd.randrange(2000, 2020)}",
                              f"C{rnd.randrange(500):03d}", rnd.choice(jobs)]
                    cells = "".join(_inline(f"{chr(65 + i)}{r}", v) for i, v in enumerate(values))
                    rows.append(f'<row r="{r}">{cells}</row>')
                written += f.write("".join(rows).encode())
            f.write(_FOOT.encode())


def write_huge_cell(path: Path, cell_bytes: int) -> None:
    """One shared string of `cell_bytes` characters, the sheet one cell pointing at it."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        _skeleton(zf, shared=True)
        zf.writestr("xl/worksheets/sheet1.xml", _HEAD + '<row r="1"><c r="A1" t="s"><v>0</v></c></row>' + _FOOT)
        with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                    b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>')
            block = b"A" * (1 << 20)
            for _ in range(cell_bytes >> 20):
                f.write(block)
            f.write(b"</t></si></sst>")


def write_many_strings(path: Path, target_bytes: int) -> None:
    """Millions of short shared strings (under the size limit), the sheet one cell."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        _skeleton(zf, shared=True)
        zf.writestr("xl/worksheets/sheet1.xml", _HEAD + '<row r="1"><c r="A1" t="s"><v>0</v></c></row>' + _FOOT)
        with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            written = f.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                              b'spreadsheetml/2006/main">')
            i = 0
            while written < target_bytes:
                written += f.write("".join(f"<si><t>{n:x}</t></si>" for n in range(i, i + 10000)).encode())
                i += 10000
            f.write(b"</sst>")


def child(path: str) -> None:
    """Run in its own process: the dry run of `path`; print the figures as JSON."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from dangvu.imports.services import import_workbook

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = import_workbook(path, dry_run=True)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": round(seconds, 2), "peak_rss_mb": round(peak / 1024), "rss_before_mb": round(base / 1024),
                      "errors": len(result.errors), "first_error": str(result.errors[0]) if result.errors else ""},
                     ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", default=None, help="where to write the files (default: a temporary folder)")
    parser.add_argument("--only", help="run this case only")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    work = Path(args.dir or tempfile.mkdtemp(prefix="dangvu-hostile-"))
    work.mkdir(parents=True, exist_ok=True)
    cases = {
        "bomb": (lambda p: write_bomb(p, 429 * 2**20)),
        "bomb-under-limit": (lambda p: write_bomb(p, 290 * 2**20)),
        "huge-cell": (lambda p: write_huge_cell(p, 420 * 2**20)),
        "huge-cell-under-limit": (lambda p: write_huge_cell(p, 250 * 2**20)),
        "many-strings-under-limit": (lambda p: write_many_strings(p, 290 * 2**20)),
    }
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "DANGVU_DATA_DIR": str(work / "data"),
           "DANGVU_DATABASE_URL": f"sqlite:///{work / 'data' / 'bench.sqlite3'}"}
    for name, make in cases.items():
        if args.only and name != args.only:
            continue
        path = work / f"{name}.xlsx"
        if not path.exists():
            make(path)
        with zipfile.ZipFile(path) as zf:
            expanded = sum(i.file_size for i in zf.infolist())
        out = subprocess.run([sys.executable, __file__, "--child", str(path)], env=env, capture_output=True,
                             text=True, check=True)
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{name}: file {path.stat().st_size / 2**20:.1f} MB, expands to {expanded / 2**20:.0f} MB → "
              f"answered in {figures['seconds']} s, peak RSS {figures['peak_rss_mb']} MB "
              f"(process before the import {figures['rss_before_mb']} MB); {figures['first_error']}")


if __name__ == "__main__":
    main()
