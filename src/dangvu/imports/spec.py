"""The import workbook's layout (contracts §2): sheets, columns and the labels users write.

Everything users type is matched by `core.text.fold_key` (case, diacritics, spaces and
punctuation ignored), so `Ngày sinh`, `NGAY SINH` and `ngay_sinh` are one column and
`Xoá tên` / `Xóa tên` / `XOA TEN` one event kind.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from dangvu import regulations as R
from dangvu.core.text import fold_key
from dangvu.members.history import DISCIPLINE_ACTIONS
from dangvu.members.models import MemberEventKind as E
from dangvu.members.models import PoliticalTheory, Sex
from dangvu.organizations.models import OrganizationKind as K
from dangvu.organizations.models import UnitKind as U

TOCHUC, DANGVIEN, BIENDONG, XEPLOAI = "ToChuc", "DangVien", "BienDong", "XepLoai"
SHEET_ORDER = (TOCHUC, DANGVIEN, BIENDONG, XEPLOAI)
#: Sheets of the template that are not data (ignored without a warning).
IGNORED_SHEETS = {"huongdan", "huongdansudung", "danhmuc"}


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the header as written in the contract and the template
    required: bool = False
    aliases: tuple[str, ...] = ()
    kind: str = "text"  # text | date | year
    extra: bool = False  # an optional extension, not in the contract's table (not in the template)

    def folded(self) -> set[str]:
        return {fold_key(t) for t in (self.label, *self.aliases)}


COLUMNS: dict[str, tuple[Column, ...]] = {
    TOCHUC: (
        Column("code", "Mã", True, ("Mã tổ chức", "Mã số")),
        Column("name", "Tên", True, ("Tên tổ chức", "Tên tổ chức đảng")),
        Column("kind", "Loại", True, ("Loại tổ chức", "Cấp")),
        Column("parent", "Mã cấp trên", False, ("Mã tổ chức cấp trên", "Cấp trên")),
        Column("established_on", "Ngày thành lập", False, (), "date"),
        Column("dissolved_on", "Ngày giải thể", False, ("Ngày kết thúc",), "date"),
        Column("unit_kind", "Loại hình", False, ("Loại hình cơ sở", "Loại hình tổ chức cơ sở đảng")),
    ),
    DANGVIEN: (
        Column("code", "Mã", True, ("Mã đảng viên", "Mã ĐV")),
        Column("full_name", "Họ và tên", True, ("Họ tên", "Họ và tên khai sinh")),
        Column("birth_date", "Ngày sinh", True, ("Ngày tháng năm sinh",), "date"),
        Column("sex", "Giới tính", True, ("Giới",)),
        Column("ethnicity", "Dân tộc", True),
        Column("religion", "Tôn giáo", False),
        Column("admitted_on", "Ngày vào Đảng", True, ("Ngày kết nạp", "Ngày vào Đảng dự bị"), "date"),
        Column("made_official_on", "Ngày chính thức", False, ("Ngày công nhận chính thức",), "date"),
        Column("cell", "Chi bộ", True, ("Mã chi bộ", "Chi bộ sinh hoạt")),
        Column("placed_on", "Ngày bắt đầu sinh hoạt", False, ("Ngày sinh hoạt",), "date"),
        Column("card_number", "Số thẻ đảng viên", False, ("Số thẻ", "Số thẻ Đảng")),
        Column("general_education", "Trình độ học vấn", False, ("Học vấn", "Giáo dục phổ thông")),
        Column("professional_qualification", "Chuyên môn", False, ("Trình độ chuyên môn", "Chuyên môn nghiệp vụ")),
        Column("political_theory_level", "Lý luận chính trị", False, ("Trình độ lý luận chính trị",)),
        Column("occupation", "Nghề nghiệp", False, ("Nghề nghiệp hiện nay",)),
        # Optional extensions (contracts §2 allows new optional columns).
        Column("other_names", "Tên gọi khác", False, ("Bí danh",), extra=True),
        Column("place_of_birth", "Nơi sinh", False, extra=True),
        Column("home_town", "Quê quán", False, extra=True),
        Column("residence", "Nơi thường trú", False, ("Thường trú",), extra=True),
        Column("current_address", "Nơi ở hiện nay", False, ("Tạm trú", "Địa chỉ"), extra=True),
        Column("national_id_number", "Số CCCD", False, ("Số căn cước", "Số căn cước công dân", "CCCD"), extra=True),
        Column("phone", "Điện thoại", False, ("Số điện thoại",), extra=True),
        Column("biography_number", "Số lý lịch", False, extra=True),
    ),
    BIENDONG: (
        Column("member", "Mã đảng viên", True, ("Mã", "Mã ĐV")),
        Column("kind", "Loại", True, ("Loại biến động", "Biến động")),
        Column("effective_on", "Ngày", True, ("Ngày hiệu lực", "Ngày biến động"), "date"),
        Column("target", "Đến tổ chức", False, ("Đến chi bộ", "Mã chi bộ đến", "Nơi đến")),
        Column("value", "Giá trị", False),
        Column("decision_number", "Số quyết định", False, ("Số QĐ",)),
        Column("note", "Ghi chú", False),
        Column("decision_date", "Ngày quyết định", False, ("Ngày QĐ",), "date", extra=True),
        Column("issued_by", "Cơ quan ban hành", False, ("Cơ quan quyết định",), extra=True),
        Column("violation_on", "Ngày vi phạm", False, (), "date", extra=True),  # Kỷ luật: the limitation period
    ),
    XEPLOAI: (
        Column("year", "Năm", True, ("Năm đánh giá",), "year"),
        Column("code", "Mã", True, ("Mã đảng viên", "Mã tổ chức")),
        Column("label", "Xếp loại", True, ("Kết quả xếp loại", "Mức xếp loại")),
    ),
}

def _table(pairs: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value, labels in pairs.items():
        for label in labels:
            out[fold_key(label)] = value
        out.setdefault(fold_key(value), value)
    return out


#: Loại (ToChuc): the first label of each is the one shown in the template's list.
ORG_KIND_LABELS: dict[str, tuple[str, ...]] = {
    K.PROVINCIAL: ("Đảng bộ tỉnh", "Đảng bộ thành phố trực thuộc Trung ương", "Tỉnh ủy", "Thành ủy"),
    K.DISTRICT: (
        "Đảng bộ huyện", "Đảng bộ quận", "Đảng bộ thị xã", "Đảng bộ thành phố", "Đảng ủy khối", "Đảng bộ khối",
        "Đảng ủy trực thuộc", "Đảng bộ trực thuộc", "Đảng bộ cấp trên trực tiếp cơ sở", "Huyện ủy", "Quận ủy",
        "Thị ủy",
    ),
    K.GRASSROOTS_COMMITTEE: ("Đảng bộ cơ sở", "Đảng ủy cơ sở"),
    K.GRASSROOTS_CELL: ("Chi bộ cơ sở",),
    K.PARTIAL_COMMITTEE: ("Đảng bộ bộ phận", "Đảng ủy bộ phận"),
    K.SUBORDINATE_CELL: ("Chi bộ trực thuộc", "Chi bộ trực thuộc đảng ủy cơ sở", "Chi bộ trực thuộc đảng bộ cơ sở"),
}
ORG_KINDS = _table(ORG_KIND_LABELS)

UNIT_KIND_LABELS: dict[str, tuple[str, ...]] = {
    U.COMMUNE: ("Xã",),
    U.WARD: ("Phường",),
    U.SPECIAL_ZONE: ("Đặc khu",),
    U.AGENCY: ("Cơ quan", "Cơ quan nhà nước", "Cơ quan hành chính", "Cơ quan đảng", "Cơ quan đoàn thể"),
    U.PUBLIC_SERVICE: ("Đơn vị sự nghiệp", "Đơn vị sự nghiệp công lập"),
    U.ENTERPRISE: ("Doanh nghiệp", "Doanh nghiệp nhà nước", "Công ty"),
    U.SCHOOL: ("Trường học", "Trường"),
    U.ARMY: ("Quân đội", "Quân sự"),
    U.POLICE: ("Công an",),
    U.VILLAGE: ("Thôn/bản/tổ dân phố", "Thôn", "Bản", "Tổ dân phố", "Thôn, bản", "Khu phố", "Ấp", "Khối phố"),
    U.OTHER: ("Khác",),
}
UNIT_KINDS = _table(UNIT_KIND_LABELS)

SEX_LABELS: dict[str, tuple[str, ...]] = {Sex.MALE: ("Nam",), Sex.FEMALE: ("Nữ",)}
SEXES = _table(SEX_LABELS)

THEORY_LABELS: dict[str, tuple[str, ...]] = {
    PoliticalTheory.NONE: ("Không", "Chưa qua đào tạo", "-"),
    PoliticalTheory.ELEMENTARY: ("Sơ cấp", "Sơ cấp lý luận chính trị"),
    PoliticalTheory.INTERMEDIATE: ("Trung cấp", "Trung cấp lý luận chính trị"),
    PoliticalTheory.ADVANCED: ("Cao cấp", "Cao cấp lý luận chính trị"),
    PoliticalTheory.BACHELOR: ("Cử nhân", "Cử nhân chính trị", "Cử nhân lý luận chính trị"),
}
THEORY = _table(THEORY_LABELS)

#: Loại (BienDong). `Chuyển đến`, `Công nhận chính thức`, `Khôi phục đảng tịch` (with `Đến tổ chức`:
#: the chi bộ the member returns to), `Kết nạp lại` (a readmission on the member's own record, with
#: `Đến tổ chức`: the chi bộ of the ceremony), `Đình chỉ sinh hoạt` (with its reason in `Giá trị`) and
#: `Thôi đình chỉ sinh hoạt` extend the contract's list. A first admission is the
#: DangVien row, never a BienDong row.
EVENT_KIND_LABELS: dict[str, tuple[str, ...]] = {
    E.MOVED: ("Chuyển sinh hoạt", "Chuyển sinh hoạt nội bộ", "Chuyển chi bộ"),
    E.TRANSFERRED_OUT: ("Chuyển đi", "Chuyển sinh hoạt đi", "Chuyển sinh hoạt chính thức đi"),
    E.EXEMPTED: ("Miễn sinh hoạt", "Miễn công tác và sinh hoạt đảng", "Miễn sinh hoạt đảng"),
    E.EXEMPTION_ENDED: ("Thôi miễn sinh hoạt", "Thôi miễn công tác và sinh hoạt đảng"),
    E.REMOVED: ("Xóa tên", "Xóa tên khỏi danh sách đảng viên"),
    E.EXPELLED: ("Khai trừ", "Khai trừ khỏi Đảng"),
    E.RESIGNED: ("Xin ra khỏi Đảng", "Xin ra"),
    E.DIED: ("Từ trần", "Chết", "Qua đời"),
    E.CARD_ISSUED: ("Cấp thẻ", "Cấp thẻ đảng viên", "Cấp lại thẻ", "Đổi thẻ"),
    E.BADGE_AWARDED: ("Trao huy hiệu", "Tặng huy hiệu", "Huy hiệu Đảng", "Trao tặng huy hiệu"),
    E.DISCIPLINED: ("Kỷ luật",),
    E.TRANSFERRED_IN: ("Chuyển đến", "Chuyển sinh hoạt đến"),
    E.MADE_OFFICIAL: ("Công nhận chính thức", "Công nhận đảng viên chính thức"),
    E.RESTORED: ("Khôi phục đảng tịch", "Khôi phục quyền đảng viên"),
    E.ADMITTED: ("Kết nạp lại", "Kết nạp lại vào Đảng"),
    E.SUSPENDED: ("Đình chỉ sinh hoạt", "Đình chỉ sinh hoạt đảng"),
    E.SUSPENSION_LIFTED: ("Thôi đình chỉ sinh hoạt", "Chấm dứt đình chỉ", "Chấm dứt đình chỉ sinh hoạt",
                          "Hết đình chỉ sinh hoạt", "Thôi đình chỉ sinh hoạt đảng"),
}
EVENT_KINDS = {k: v for k, v in _table(EVENT_KIND_LABELS).items() if k != fold_key(E.ADMITTED.value)}
#: BienDong kinds that name a chi bộ in `Đến tổ chức` (required).
EVENT_KINDS_WITH_TARGET = (E.MOVED, E.TRANSFERRED_IN, E.RESTORED, E.ADMITTED)
#: The contract's labels, in the contract's order (the template's list).
CONTRACT_EVENT_LABELS = [
    "Chuyển sinh hoạt", "Chuyển đi", "Miễn sinh hoạt", "Thôi miễn sinh hoạt", "Xóa tên", "Khai trừ",
    "Xin ra khỏi Đảng", "Từ trần", "Cấp thẻ", "Trao huy hiệu", "Kỷ luật",
]
#: The labels the template offers: the contract's, then the extensions.
TEMPLATE_EVENT_LABELS = [*CONTRACT_EVENT_LABELS, "Chuyển đến", "Công nhận chính thức", "Khôi phục đảng tịch",
                         "Kết nạp lại", "Đình chỉ sinh hoạt", "Thôi đình chỉ sinh hoạt"]

#: Folded Vietnamese name of a disciplinary form → its key, as events store it (khai trừ is its own event).
DISCIPLINE_FORMS = {fold_key(R.DISCIPLINE_FORM_NAMES_VI[key]): key for key in DISCIPLINE_ACTIONS}


def suspension_reason(value: str) -> str:
    """The key of a suspension's reason (`R.SUSPENSION_REASON_LABELS`) written as its label, in Vietnamese or
    English, or as its key; the text as written when it is none of them (the terms check refuses it)."""
    return _suspension_reasons().get(fold_key(value), value)


@functools.cache
def _suspension_reasons() -> dict[str, str]:
    from django.utils import translation

    out = {}
    for lang in ("en", "vi"):
        with translation.override(lang):
            out.update({fold_key(str(label)): key for key, label in R.SUSPENSION_REASON_LABELS.items()})
    return {**out, **{fold_key(key): key for key in R.SUSPENSION_REASON_LABELS}}


def column_index(sheet: str) -> dict[str, Column]:
    """Folded header text → column of `sheet`."""
    out: dict[str, Column] = {}
    for col in COLUMNS[sheet]:
        for f in col.folded():
            out.setdefault(f, col)
    return out


SHEET_NAMES = {fold_key(s): s for s in SHEET_ORDER}
SHEET_NAMES.update({fold_key(a): s for s, a in (
    (TOCHUC, "Tổ chức"), (TOCHUC, "To chuc dang"), (DANGVIEN, "Đảng viên"), (BIENDONG, "Biến động"),
    (XEPLOAI, "Xếp loại"), (XEPLOAI, "Đánh giá xếp loại"),
)})


def sheet_for(name: str) -> str | None:
    """The canonical sheet a sheet (or CSV file stem) name stands for, or None."""
    return SHEET_NAMES.get(fold_key(name))
