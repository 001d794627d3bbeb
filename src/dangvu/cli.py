"""The `dangvu` command line (contracts §1): a thin front over Django management commands.

Exit codes: 0 on success, 1 on a user error (with a Vietnamese message on stderr), 2 on bad usage.
"""

from __future__ import annotations

import os
import sys

COMMANDS = {
    "migrate": ("migrate", "Tạo hoặc nâng cấp cơ sở dữ liệu"),
    "demo": ("demo", "Nạp dữ liệu mẫu (nếu cơ sở dữ liệu trống) và chạy máy chủ web"),
    "serve": ("serve", "Chạy máy chủ web (kèm một tiến trình việc nền; --no-worker: không kèm)"),
    "worker": ("db_worker", "Chạy tiến trình việc nền (nhập tệp lớn...) khi máy chủ web chạy với --no-worker"),
    "import": ("import_workbook", "Nhập sổ Excel hoặc thư mục CSV (--dry-run: chỉ kiểm tra)"),
    "report": ("report", "Xuất báo cáo: snapshot (tính đến ngày), flows (biến động trong kỳ)"),
    "user": ("user", "Quản lý tài khoản: add, list"),
    "synth": ("synth", "Sinh dữ liệu tổng hợp theo quy mô (--members N)"),
    "rebuild-history": ("rebuild_history", "Dựng lại các giai đoạn lịch sử từ biến động"),
    "backup": ("backup", "Sao lưu toàn bộ cơ sở dữ liệu vào một tệp"),
    "restore": ("restore", "Phục hồi cơ sở dữ liệu từ tệp sao lưu (--yes: không hỏi lại)"),
}

USAGE = "Cách dùng: dangvu LỆNH [tham số]\n\nCác lệnh:\n" + "\n".join(
    f"  {name:<16} {desc}" for name, (_, desc) in COMMANDS.items()
) + "\n\nXem tham số của một lệnh: dangvu LỆNH --help\n"


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        sys.stdout.write(USAGE)
        return 0
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        sys.stderr.write(f"Lỗi: không có lệnh “{name}”.\n\n{USAGE}")
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["dangvu", COMMANDS[name][0], *rest])
    except KeyboardInterrupt:
        sys.stderr.write("\nĐã dừng.\n")
        return 130
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
