"""The empty import template (mẫu nhập liệu): the four sheets of contracts §2 with their exact
headers, required columns marked, drop-down lists, and a "HuongDan" sheet of instructions.

The workbook is a Vietnamese document by contract (sheet names, headers and accepted labels are
Vietnamese), so its instructions are written in Vietnamese whatever the UI language. The instructions that
name a rule value (the minimum age, the badge milestones, the cap on "excellent") read it in the rules in force
on the day the template is made (`rule_meanings`, `general_lines`).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation

from dangvu import regulations as R
from dangvu.core.dates import EARLIEST
from dangvu.core.ethnicity import ethnic_groups
from dangvu.regulations.assessment import percent

from .spec import (
    BIENDONG,
    COLUMNS,
    DANGVIEN,
    DISCIPLINE_FORMS,
    ORG_KIND_LABELS,
    SHEET_ORDER,
    TEMPLATE_EVENT_LABELS,
    TOCHUC,
    UNIT_KIND_LABELS,
    XEPLOAI,
)

VALIDATION_ROWS = 100_000  # data validation and formats apply to rows 2 … this

SHEET_TITLES = {
    TOCHUC: "Tổ chức đảng",
    DANGVIEN: "Đảng viên",
    BIENDONG: "Biến động đảng viên (sau lần sinh hoạt đầu tiên), áp dụng theo thứ tự ngày",
    XEPLOAI: "Đánh giá, xếp loại chất lượng hằng năm",
}

#: What each column means; those that name a rule value are in `rule_meanings`.
MEANINGS = {
    (TOCHUC, "code"): "Mã của tổ chức, không trùng.",
    (TOCHUC, "name"): "Tên đầy đủ, ví dụ: Đảng bộ xã Nà Hỳ.",
    (TOCHUC, "kind"): "Một trong: " + ", ".join(v[0] for v in ORG_KIND_LABELS.values())
    + ". “Đảng bộ huyện” gồm mọi cấp ủy trực tiếp trên cơ sở (huyện, thị xã, thành phố, đảng ủy khối, "
      "đảng ủy trực thuộc).",
    (TOCHUC, "parent"): "Mã tổ chức cấp trên (trong sổ này hoặc đã có trong cơ sở dữ liệu); để trống nếu là gốc.",
    (TOCHUC, "established_on"): "Ngày thành lập; để trống nghĩa là “trước mọi ngày báo cáo”.",
    (TOCHUC, "dissolved_on"): "Ngày giải thể (sáp nhập, chia tách, kết thúc); để trống khi còn hoạt động. "
                              "Đến ngày đó tổ chức không còn đảng viên và tổ chức trực thuộc.",
    (TOCHUC, "unit_kind"): "Tùy chọn: " + ", ".join(v[0] for v in UNIT_KIND_LABELS.values()) + ".",
    (DANGVIEN, "code"): "Mã đảng viên trong cơ sở dữ liệu này, không trùng.",
    (DANGVIEN, "full_name"): "Họ và tên đầy đủ.",
    (DANGVIEN, "sex"): "Nam hoặc Nữ.",
    (DANGVIEN, "ethnicity"): "Một trong 54 dân tộc, ví dụ: Kinh, Thái, Mông, Dao, Khơ Mú.",
    (DANGVIEN, "religion"): "Không, hoặc tên tôn giáo.",
    (DANGVIEN, "admitted_on"): "Ngày vào Đảng (ngày kết nạp).",
    (DANGVIEN, "made_official_on"): "Ngày công nhận đảng viên chính thức; để trống khi còn dự bị.",
    (DANGVIEN, "cell"): "Mã chi bộ (Chi bộ cơ sở hoặc Chi bộ trực thuộc) nơi đảng viên bắt đầu sinh hoạt "
                        "trong cơ sở dữ liệu này.",
    (DANGVIEN, "placed_on"): "Ngày bắt đầu sinh hoạt ở chi bộ đó; để trống nghĩa là ngày vào Đảng. "
                             "Muộn hơn ngày vào Đảng nghĩa là chuyển đến từ nơi khác.",
    (DANGVIEN, "card_number"): "Số thẻ đảng viên nếu đã được cấp (chỉ đảng viên chính thức); "
                               "ngày cấp tính là ngày chính thức.",
    (DANGVIEN, "general_education"): "Tùy chọn, ví dụ: 12/12.",
    (DANGVIEN, "professional_qualification"): "Tùy chọn.",
    (DANGVIEN, "political_theory_level"): "Tùy chọn: Sơ cấp, Trung cấp, Cao cấp, Cử nhân.",
    (DANGVIEN, "occupation"): "Tùy chọn.",
    (BIENDONG, "member"): "Mã đảng viên (trong sổ này hoặc đã có trong cơ sở dữ liệu).",
    (BIENDONG, "kind"): "Một trong: " + ", ".join(TEMPLATE_EVENT_LABELS) + ".",
    (BIENDONG, "effective_on"): "Ngày biến động có hiệu lực.",
    (BIENDONG, "target"): "Mã chi bộ đến, với “Chuyển sinh hoạt”, “Chuyển đến”; mã chi bộ đảng viên trở lại "
                          "sinh hoạt, với “Khôi phục đảng tịch”; mã chi bộ tổ chức lễ kết nạp, với “Kết nạp lại”.",
    (BIENDONG, "decision_number"): "Tùy chọn.",
    (BIENDONG, "note"): "Tùy chọn; bắt buộc với “Đình chỉ sinh hoạt” vì “Lý do khác”: ghi rõ lý do.",
    (XEPLOAI, "year"): "Năm được đánh giá, ví dụ 2024.",
    (XEPLOAI, "code"): "Mã đảng viên hoặc mã tổ chức.",
    (XEPLOAI, "label"): "Mức xếp loại đúng như quy định của năm đó, ví dụ: Hoàn thành xuất sắc nhiệm vụ, "
                        "Hoàn thành tốt nhiệm vụ, Hoàn thành nhiệm vụ, Không hoàn thành nhiệm vụ; các năm trước "
                        "2018 dùng mức cũ (Trong sạch vững mạnh, Yếu kém…).",
}

GENERAL = [
    "Sổ gồm các sheet ToChuc, DangVien, BienDong, XepLoai; chỉ các sheet có mặt được nhập. "
    "Có thể dùng một thư mục (hoặc tệp .zip) chứa các tệp CSV UTF-8 cùng tên: ToChuc.csv, DangVien.csv, "
    "BienDong.csv, XepLoai.csv.",
    "Dòng đầu tiên của mỗi sheet là dòng tiêu đề. Tên cột không phân biệt hoa thường, dấu, khoảng trắng và "
    "dấu câu (“Ngày sinh”, “NGAY SINH”, “ngay_sinh” là một); các cột có thể theo thứ tự bất kỳ; "
    "cột không biết sẽ bị bỏ qua (có cảnh báo).",
    "Cột tô màu đỏ là bắt buộc (dấu * trong bảng dưới đây).",
    "Ngày viết dd/mm/yyyy (ví dụ 19/05/2015); cũng nhận yyyy-mm-dd và ô kiểu ngày của Excel.",
    "Mã có thể tham chiếu các dòng trong cùng sổ hoặc các bản ghi đã có trong cơ sở dữ liệu.",
    "Nhập tất cả hoặc không gì cả: nếu có bất kỳ lỗi nào thì không ghi gì, và mọi lỗi được liệt kê "
    "kèm sheet, dòng và cột. Nên chạy thử (kiểm tra) trước khi nhập.",
    "Nhập lại cùng một sổ lần thứ hai không thay đổi gì.",
]

#: The names of the disciplinary forms a "Kỷ luật" row takes (expulsion is its own kind of row).
DISCIPLINE_NAMES = [R.DISCIPLINE_FORM_NAMES_VI[key] for key in DISCIPLINE_FORMS.values()]


def _age(months: int) -> str:
    years, rest = divmod(months, 12)
    return f"{years} tuổi" + (f" {rest} tháng" if rest else "")


def rule_meanings(day: dt.date) -> dict[tuple[str, str], str]:
    """The meanings of MEANINGS that name a value of the rules in force on `day`: the minimum age on the day of
    admission, the badge milestones."""
    rules = R.rules_on(day)
    return {
        (DANGVIEN, "birth_date"): f"Ngày sinh (đủ {_age(rules.min_age_months)} vào ngày vào Đảng).",
        (BIENDONG, "value"): "Số thẻ (Cấp thẻ); số năm huy hiệu, một trong "
                             + ", ".join(map(str, rules.badge_milestones))
                             + " (Trao huy hiệu); hình thức kỷ luật: " + ", ".join(DISCIPLINE_NAMES) + " (Kỷ luật); "
                             "lý do đình chỉ: " + ", ".join(_suspension_reason_names()) + " (Đình chỉ sinh hoạt).",
    }


def _suspension_reason_names() -> list[str]:
    with translation.override("vi"):
        return [str(label) for label in R.SUSPENSION_REASON_LABELS.values()]


def general_lines(day: dt.date) -> list[str]:
    """GENERAL, with the line on the historical ratings naming the cap on "excellent" of the last assessment's
    rules (`regulations.assessment_rules`) as its example."""
    cap = R.assessment_rules(day.year - 1).excellent_cap_ratio
    example = (f" (ví dụ vượt tỷ lệ {percent(cap)} hoàn thành xuất sắc nhiệm vụ)" if cap is not None
               else "")
    return [*GENERAL, "Xếp loại lịch sử được ghi đúng như đã quyết định; nếu vi phạm quy định" + example
            + " thì vẫn ghi và có cảnh báo."]


def scope_line(parent) -> str:
    """The instruction that places new organizations under the user's organization `parent`."""
    return (f"Tổ chức mới phải đặt dưới tổ chức thuộc phạm vi của bạn: ghi “Mã cấp trên” là {parent.code} "
            f"({parent.name}) hoặc mã một tổ chức cấp dưới của tổ chức đó. Tổ chức ngoài phạm vi sẽ bị từ chối.")


def template_workbook(buffer, parent=None) -> None:
    """Write the empty template workbook (.xlsx) to `buffer` (a binary file or a path); `parent`, the
    user's organization, is named as the parent of new organizations."""
    import xlsxwriter

    from dangvu.core.xlsx import workbook

    wb = workbook(buffer)
    today = timezone.localdate()
    meanings = {**MEANINGS, **rule_meanings(today)}
    title = wb.add_format({"bold": True, "font_size": 14})
    bold = wb.add_format({"bold": True})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    head = wb.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1, "text_wrap": True, "valign": "top"})
    head_req = wb.add_format({"bold": True, "bg_color": "#F8D7D3", "font_color": "#9B1C1C", "border": 1,
                              "text_wrap": True, "valign": "top"})
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    text_fmt = wb.add_format({"num_format": "@"})

    guide = wb.add_worksheet("HuongDan")
    sheets = {name: wb.add_worksheet(name) for name in SHEET_ORDER}
    lists = wb.add_worksheet("DanhMuc")

    # Lists for the drop-downs (a hidden sheet: Dân tộc is too long for an inline list).
    columns = {
        "org_kind": [v[0] for v in ORG_KIND_LABELS.values()],
        "sex": ["Nam", "Nữ"],
        "ethnicity": [name for _code, name in ethnic_groups()],
        "event_kind": list(TEMPLATE_EVENT_LABELS),
        "unit_kind": [v[0] for v in UNIT_KIND_LABELS.values()],
        "discipline": DISCIPLINE_NAMES,
    }
    heads = {"org_kind": "Loại tổ chức", "sex": "Giới tính", "ethnicity": "Dân tộc", "event_kind": "Loại biến động",
             "unit_kind": "Loại hình", "discipline": "Hình thức kỷ luật"}
    refs = {}
    for j, (key, values) in enumerate(columns.items()):
        lists.write(0, j, heads[key], bold)
        for i, v in enumerate(values, start=1):
            lists.write(i, j, v)
        col = xlsxwriter.utility.xl_col_to_name(j)
        refs[key] = f"=DanhMuc!${col}$2:${col}${len(values) + 1}"
    lists.hide()

    validations = {
        (TOCHUC, "kind"): ("org_kind", "Loại tổ chức không hợp lệ."),
        (TOCHUC, "unit_kind"): ("unit_kind", None),
        (DANGVIEN, "sex"): ("sex", "Giới tính là Nam hoặc Nữ."),
        (DANGVIEN, "ethnicity"): ("ethnicity", "Chọn một trong 54 dân tộc."),
        (BIENDONG, "kind"): ("event_kind", "Loại biến động không hợp lệ."),
    }
    text_columns = {"code", "parent", "cell", "card_number", "member", "target", "value", "decision_number"}
    for name, ws in sheets.items():
        cols = [c for c in COLUMNS[name] if not c.extra]
        for j, c in enumerate(cols):
            ws.write(0, j, c.label, head_req if c.required else head)
            meaning = meanings.get((name, c.key), "")
            if (name, c.key) == (TOCHUC, "parent") and parent is not None:
                meaning += " " + scope_line(parent)
            ws.write_comment(0, j, ("Bắt buộc. " if c.required else "") + meaning, {"x_scale": 2.5, "y_scale": 1.5})
            fmt = date_fmt if c.kind == "date" else text_fmt if c.key in text_columns else None
            ws.set_column(j, j, 22 if c.kind != "date" else 14, fmt)
            v = validations.get((name, c.key))
            if v:
                key, message = v
                opts = {"validate": "list", "source": refs[key]}
                if message:
                    opts.update({"error_title": "Giá trị không hợp lệ", "error_message": message})
                else:
                    opts["error_type"] = "information"
                ws.data_validation(1, j, VALIDATION_ROWS, j, opts)
            if c.kind == "date":
                ws.data_validation(1, j, VALIDATION_ROWS, j, {
                    "validate": "date", "criteria": "between", "minimum": EARLIEST,
                    "maximum": today, "error_type": "warning",
                    "error_title": "Ngày không hợp lệ", "error_message": "Nhập ngày dạng dd/mm/yyyy.",
                })
        ws.freeze_panes(1, 0)
        ws.set_row(0, 30)

    # Instructions.
    guide.set_column(0, 0, 26)
    guide.set_column(1, 1, 12)
    guide.set_column(2, 2, 100)
    row = 0
    guide.write(row, 0, "Hướng dẫn nhập dữ liệu Đảng vụ", title)
    row += 2
    for line in [*general_lines(today), *([scope_line(parent)] if parent is not None else [])]:
        guide.merge_range(row, 0, row, 2, "• " + line, wrap)
        guide.set_row(row, 32)
        row += 1
    for name in SHEET_ORDER:
        row += 1
        guide.write(row, 0, f"Sheet {name}", title)
        guide.write(row, 2, SHEET_TITLES[name], bold)
        row += 1
        guide.write_row(row, 0, ["Cột", "Bắt buộc", "Ý nghĩa"], head)
        row += 1
        for c in COLUMNS[name]:
            if c.extra:
                continue
            guide.write(row, 0, c.label, bold)
            guide.write(row, 1, "*" if c.required else "")
            guide.write(row, 2, meanings.get((name, c.key), ""), wrap)
            row += 1
    row += 1
    guide.merge_range(row, 0, row, 2, "Cột tùy chọn bổ sung của sheet DangVien: " + ", ".join(
        c.label for c in COLUMNS[DANGVIEN] if c.extra) + "; của sheet BienDong: " + ", ".join(
        c.label for c in COLUMNS[BIENDONG] if c.extra) + ".", wrap)
    guide.activate()
    wb.close()
