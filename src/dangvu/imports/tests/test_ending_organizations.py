"""The import places nothing, before its end, in an organization that ends later, nor ends one before what is
placed in it later: the rows are refused at their row with the services' own pure checks
(`organizations.services.check_parent_outlives`, `members.services.check_cell_outlives`)."""

from __future__ import annotations

import datetime as dt

from dangvu.imports.services import import_workbook
from dangvu.imports.spec import DANGVIEN, TOCHUC
from dangvu.members.restructuring import organization_dissolve
from dangvu.organizations.models import Organization
from dangvu.organizations.services import organization_establish

from .test_services import _member, where

D = dt.date
X01_ROW = ["X01", "Đảng bộ xã Nà Hỳ", "Đảng bộ cơ sở", "H01", D(2012, 1, 1), D(2020, 1, 1), "Xã"]


def _close_x01(tree):
    for code in ("C01", "C02", "X01"):
        organization_dissolve(tree[code], effective_on=D(2020, 1, 1))


def test_a_new_organization_under_a_parent_that_ends_later_is_refused_at_its_row(db, book, tree):
    _close_x01(tree)
    path = book({TOCHUC: [X01_ROW, ["C05", "Chi bộ bản Mới", "Chi bộ trực thuộc", "X01", D(2015, 1, 1), None, ""]]})
    result = import_workbook(path, dry_run=False)
    assert where(result.errors) == {(TOCHUC, 3, "Mã cấp trên")}
    assert "01/01/2020" in result.errors[0].message
    assert not Organization.objects.filter(code="C05").exists()


def test_a_new_member_in_a_cell_that_ends_later_is_refused_at_its_row(db, book, tree):
    _close_x01(tree)
    path = book({DANGVIEN: [_member("T1", cell="C02", admitted=D(2015, 1, 1), official=None)]})
    result = import_workbook(path, dry_run=True)
    assert where(result.errors) == {(DANGVIEN, 2, "Chi bộ")}
    assert "01/01/2020" in result.errors[0].message


def test_a_cell_cannot_end_before_a_member_placed_in_it_later(db, book, tree, make_member):
    make_member(tree["C02"], name="Lò Văn Bình", admitted_on=D(2022, 3, 3))
    row = ["C02", "Chi bộ bản Nà Hỳ 2", "Chi bộ trực thuộc", "X01", D(2012, 1, 1), D(2020, 1, 1), ""]
    result = import_workbook(book({TOCHUC: [row]}), dry_run=True)
    assert where(result.errors) == {(TOCHUC, 2, "Ngày giải thể")}
    assert "03/03/2022" in result.errors[0].message


def test_a_committee_cannot_end_before_a_child_established_under_it_later(db, book, tree):
    organization_establish(code="C03", name="Chi bộ bản Mới", kind="subordinate_cell", parent=tree["X01"],
                           established_on=D(2024, 1, 1))
    for code in ("C01", "C02"):
        organization_dissolve(tree[code], effective_on=D(2020, 1, 1))
    result = import_workbook(book({TOCHUC: [X01_ROW]}), dry_run=True)
    assert where(result.errors) == {(TOCHUC, 2, "Ngày giải thể")}
    assert "01/01/2024" in result.errors[0].message
