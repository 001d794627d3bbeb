"""Statistics forms 2, 4 and 6 of HD 11-HD/BTCTW (reports.statforms) on a small tree: readmission, the
blank Youth Union row, the configuration of the categories, the rows of HD 11, the sub-columns of form 6, and a
fixed number of statements whatever the members (the demo comparisons: test_statforms_246.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.core.audit import audit_context
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import member_readmit
from dangvu.organizations.models import OrganizationKind
from dangvu.reports.queries import flows
from dangvu.reports.queries.assessment_lists import assessment_figure
from dangvu.reports.queries.profile import DEFAULT_AGE_BANDS
from dangvu.reports.statforms import FORMS, build_form, config
from dangvu.reports.statforms.layout import cell_drill

from .flows_helpers import D, F, T, record


def _rows(data, column=None):
    return {r["key"]: (r["values"] if column is None else r["values"][column]) for r in data["rows"]}



def test_form_6_has_the_rows_of_hd_11_and_counts_the_partial_committees(big_tree, make_member):
    from dangvu.assessment.services import record_rating

    t = big_tree
    with audit_context(source="system"):
        record_rating(year=2024, label="Hoàn thành tốt nhiệm vụ", organization=t["P01"])
        record_rating(year=2024, label="Hoàn thành xuất sắc nhiệm vụ", organization=t["X01"])
        record_rating(year=2024, label="Hoàn thành nhiệm vụ", organization=t["X02"])
    data = build_form(6, t["H01"], year=2024)
    assert [(r["key"], r["number"], r["level"]) for r in data["rows"]] == [
        ("organizations", "1", 1), ("grassroots_committees", "", 2), ("grassroots_cells", "", 2),
        ("partial_committees", "2", 1), ("subordinate_cells", "3", 1), ("members", "4", 1)]
    assert [r["label"] for r in data["rows"]][:4] == ["Tổ chức cơ sở đảng", "Đảng bộ cơ sở", "Chi bộ cơ sở",
                                                      "Đảng bộ bộ phận"]
    v = _rows(data)
    assert (v["grassroots_committees"]["total"], v["grassroots_committees"]["excellent"],
            v["grassroots_committees"]["not_rated"]) == (2, 1, 1)  # X01 rated, X03 not
    assert (v["grassroots_cells"]["total"], v["grassroots_cells"]["completed"]) == (1, 1)
    assert (v["partial_committees"]["total"], v["partial_committees"]["good"], v["partial_committees"]["rated"],
            v["partial_committees"]["good_percent"]) == (1, 1, 1, 100.0)
    for row in data["rows"]:  # each count opens the assessment's list of as many names
        for column, value in row["values"].items():
            target = cell_drill(FORMS[6], data, row, column)
            if target is not None:
                assert assessment_figure(t["H01"], 2024, target["group"], target["figure"]).count() == value
    target = cell_drill(FORMS[6], data, next(r for r in data["rows"] if r["key"] == "partial_committees"), "good")
    assert [r["code"] for r in assessment_figure(t["H01"], 2024, target["group"], "good")] == ["P01"]
    assert [r["code"] for r in assessment_figure(t["H01"], 2024, "grassroots_committees", "not_rated")] == ["X03"]


def test_form_2_counts_readmissions_women_minorities_and_leaves_youth_union_blank(tree, make_member):
    a = make_member(tree["C01"], admitted_on=D(2024, 3, 1), birth_date=D(2000, 2, 29), sex="F", ethnicity="Mông",
                    religion="Tin Lành", general_education="9/12", professional_qualification="Trung cấp y",
                    occupation="Nông dân")
    make_member(tree["C02"], admitted_on=D(2024, 4, 1), birth_date=D(1990, 4, 1), general_education="12/12",
                professional_qualification="Đại học sư phạm", occupation="Giáo viên")
    make_member(tree["X02"], admitted_on=D(2024, 4, 1), occupation="Giáo viên")  # outside X01
    old = make_member(tree["C01"], admitted_on=D(2013, 5, 1), made_official_on=D(2014, 5, 1))
    record(old, E.REMOVED, D(2016, 1, 1))
    member_readmit(old, on=D(2024, 6, 1), cell=tree["C02"])  # readmitted (kết nạp lại)
    make_member(tree["C02"], admitted_on=D(2023, 3, 1))  # last year
    data = build_form(2, tree["X01"], date_from=F, date_to=T)
    assert data["org"] == {"code": "X01", "name": "Đảng bộ xã Nà Hỳ"}
    assert data["superior"] == "Đảng bộ huyện Mường Lay"
    v = _rows(data, "current")
    assert (v["admitted"], v["female"], v["ethnic_minority"], v["religious"], v["readmitted"]) == (3, 1, 1, 1, 1)
    assert v["age_18-30"] == 1 and v["age_31-35"] == 1 and v["age_36-40"] == 1  # 24, 34 and 39 on their day
    assert (v["education_lower_secondary"], v["education_upper_secondary"], v["education_unknown"]) == (1, 1, 1)
    assert (v["qualification_intermediate"], v["qualification_university"], v["qualification_none"]) == (1, 1, 1)
    labels = {r["label"]: r["values"]["current"] for r in data["rows"] if r["key"] == f"occupation:{r['label']}"}
    assert labels == {"Giáo viên": 1, "Nông dân": 1}
    assert v["occupation_none"] == 1
    row = next(r for r in data["rows"] if r["key"] == "youth_union")
    assert row["values"] == {"current": None, "last_year": None, "ratio": None}
    assert "không ghi" in row["label"].lower() or "not recorded" in row["label"].lower()
    assert _rows(data)["admitted"] == {"current": 3, "last_year": 1, "ratio": 300.0}
    assert v["admitted"] == flows(tree["X01"], F, T)["admitted"]
    assert a.birth_date == D(2000, 2, 29)


def test_form_2_categories_and_bands_are_configuration(tree, make_member, settings):
    make_member(tree["C01"], admitted_on=D(2024, 3, 1), birth_date=D(1990, 1, 1), general_education="6/10",
                professional_qualification="Kỹ thuật viên", occupation="Nông dân")
    make_member(tree["C01"], admitted_on=D(2024, 3, 1), occupation="Giáo viên")
    settings.DANGVU_FORMS_ADMISSION_AGE_BANDS = "18,40"
    settings.DANGVU_FORMS_EDUCATION_SYSTEMS = "10:4,5"
    settings.DANGVU_FORMS_QUALIFICATIONS = "intermediate=ky thuat vien"
    settings.DANGVU_FORMS_OCCUPATION_ROWS = "1"
    data = build_form(2, tree["X01"], date_from=F, date_to=T)
    v = _rows(data, "current")
    assert [k for k in v if k.startswith("age_")] == ["age_below", "age_18-39", "age_40+"]
    assert v["age_18-39"] == 2
    assert v["education_upper_secondary"] == 1  # grade 6 of a 10-year system whose lower secondary ends at 5
    assert v["qualification_intermediate"] == 1
    assert [r["label"] for r in data["rows"] if r["key"].startswith("occupation:")] == ["Giáo viên"]  # a tie: by name
    assert v["occupation_other"] == 1


def test_education_and_qualification_categories():
    systems = config.education_systems()
    assert [config.education_category(t, systems) for t in ("5/12", "9/12", "12/12", "4/10", "7/10", "10/10")] == [
        "primary", "lower_secondary", "upper_secondary", "primary", "lower_secondary", "upper_secondary"]
    assert [config.education_category(t, systems) for t in ("Tiểu học", "THCS", "Trung học phổ thông", "", "13/12",
                                                               "abc")] == [
        "primary", "lower_secondary", "upper_secondary", None, None, None]
    table = config.qualifications()
    assert [config.qualification_category(t, table) for t in ("Tiến sĩ", "Thạc sĩ", "Đại học An ninh",
                                                                "Cao đẳng điều dưỡng", "Trung cấp quân sự",
                                                                "Sơ cấp", "Bác sĩ đa khoa", "Nghệ nhân", "")] == [
        "doctor", "master", "university", "college", "intermediate", "elementary", "university", "other", None]


def test_form_4_lists_every_group_and_the_configured_religions(tree, make_member, settings):
    make_member(tree["C01"], ethnicity="Mông", sex="F", religion="Thiên Chúa giáo")
    make_member(tree["C01"], ethnicity="Thái", religion="Đạo Phật")
    make_member(tree["C02"], religion="Đạo Mẫu")
    make_member(tree["C02"])
    data = build_form(4, tree["X01"], as_of=T)
    assert data["org"] == {"code": "X01", "name": "Đảng bộ xã Nà Hỳ"}
    assert data["superior"] == "Đảng bộ huyện Mường Lay"
    v = _rows(data)
    assert v["total"] == {"members": 4, "female": 1, "share": 100.0}
    assert v["ethnicity_01"]["members"] == 2 and v["ethnicity_03"]["members"] == 1
    assert v["ethnic_minority"] == {"members": 2, "female": 1, "share": 50.0}
    assert v["religion_conggiao"] == {"members": 1, "female": 1, "share": 25.0}
    assert v["religion_phatgiao"]["members"] == 1 and v["religion_other"]["members"] == 1
    assert (v["religious"]["members"], v["no_religion"]["members"]) == (3, 1)
    labels = [r["label"] for r in data["rows"]]
    assert "Kinh" in labels and "Rơ-măm" in labels and "Ơ Đu" in labels
    settings.DANGVU_FORMS_RELIGIONS = "Đạo Mẫu, Công giáo=Thiên Chúa giáo"
    v = _rows(build_form(4, tree["X01"], as_of=T))
    assert v["religion_daomau"]["members"] == 1 and v["religion_other"]["members"] == 1  # Đạo Phật now "other"
    assert "religion_phatgiao" not in v


def test_form_6_rates_the_levels_of_the_year(tree, make_member):
    from dangvu.assessment.services import record_rating

    members = [make_member(tree["C01"], made_official_on=D(2016, 5, 19)) for _ in range(3)]
    make_member(tree["C02"], made_official_on=D(2016, 5, 19))  # not rated
    for m, label in zip(members, ("Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ",
                                  "Hoàn thành tốt nhiệm vụ"), strict=True):
        record_rating(year=2024, member=m, label=label)
    record_rating(year=2024, organization=tree["C01"], label="Hoàn thành tốt nhiệm vụ")
    data = build_form(6, tree["X01"], year=2024)
    assert data["org"] == {"code": "X01", "name": "Đảng bộ xã Nà Hỳ"}
    assert data["superior"] == "Đảng bộ huyện Mường Lay"
    v = _rows(data)
    assert data["year"] == 2024 and data["scale"]["code"] == "qd124_2023"
    assert (v["members"]["total"], v["members"]["rated"], v["members"]["not_rated"]) == (4, 3, 1)
    assert (v["members"]["excellent"], v["members"]["excellent_percent"]) == (1, 33.3)
    assert (v["members"]["good"], v["members"]["good_percent"]) == (2, 66.7)
    assert (v["subordinate_cells"]["rated"], v["subordinate_cells"]["not_rated"]) == (1, 1)
    assert (v["organizations"]["rated"], v["organizations"]["not_rated"]) == (0, 1)


def test_form_6_counts_the_recent_organizations_the_exempted_and_the_disciplined(tree, make_member):
    from dangvu.assessment.services import record_rating
    from dangvu.organizations.services import organization_establish as est

    cell = OrganizationKind.SUBORDINATE_CELL
    with audit_context(source="system"):
        est(code="C03", name="Chi bộ bản Mới", kind=cell, parent=tree["X01"], established_on=D(2024, 7, 1))  # 5 months
        est(code="C04", name="Chi bộ bản Cũ", kind=cell, parent=tree["X01"], established_on=D(2024, 6, 30))  # 6 months
        rated_new = est(code="C05", name="Chi bộ bản Rated", kind=cell, parent=tree["X01"], established_on=D(2024, 9, 1))
        record_rating(year=2024, organization=rated_new, label="Hoàn thành nhiệm vụ")
        members = {k: make_member(tree["C01"], made_official_on=D(2016, 5, 19), code=k) for k in (
            "EXEMPT", "EXEMPT_RATED", "DISC", "DISC_2023", "DISC_GOOD", "PLAIN_KHTNV")}
        for code in ("EXEMPT", "EXEMPT_RATED"):
            record(members[code], E.EXEMPTED, D(2024, 3, 1), value="age")
        for code, day in (("DISC", D(2024, 4, 1)), ("DISC_2023", D(2023, 4, 1)), ("DISC_GOOD", D(2024, 4, 1))):
            record(members[code], E.DISCIPLINED, day, value="reprimand")
        for code, label in (("EXEMPT_RATED", "Hoàn thành nhiệm vụ"), ("DISC", "Không hoàn thành nhiệm vụ"),
                            ("DISC_2023", "Không hoàn thành nhiệm vụ"), ("DISC_GOOD", "Hoàn thành nhiệm vụ"),
                            ("PLAIN_KHTNV", "Không hoàn thành nhiệm vụ")):
            record_rating(year=2024, member=members[code], label=label)
    data = build_form(6, tree["H01"], year=2024)
    v = _rows(data)
    assert (v["subordinate_cells"]["not_rated"], v["subordinate_cells"]["not_rated_new"]) == (4, 1)  # C01, C02, C03, C04
    assert v["organizations"]["not_rated_new"] == v["grassroots_committees"]["not_rated_new"] == 0
    assert (v["members"]["not_rated"], v["members"]["not_rated_exempted"]) == (1, 1)
    assert (v["members"]["not_completed"], v["members"]["not_completed_disciplined"]) == (3, 1)
    assert v["members"]["not_rated_new"] is None and v["subordinate_cells"]["not_rated_exempted"] is None
    assert all(v[key][cause] is None for key in v for cause in (
        "not_completed_degradation", "not_completed_targets", "not_completed_civil_servant", "not_completed_other"))
    lists = {}
    for row in data["rows"]:
        for column in ("not_rated_new", "not_rated_exempted", "not_completed_disciplined"):
            target = cell_drill(FORMS[6], data, row, column)
            if row["values"][column] is None:
                assert target is None
                continue
            rows = assessment_figure(tree["H01"], 2024, target["group"], target["figure"])
            assert rows.count() == row["values"][column], (row["key"], column)
            lists[(row["key"], column)] = [r["code"] for r in rows]
    assert lists[("subordinate_cells", "not_rated_new")] == ["C03"]
    assert lists[("members", "not_rated_exempted")] == ["EXEMPT"]
    assert lists[("members", "not_completed_disciplined")] == ["DISC"]


def test_form_6_needs_a_year_in_range(tree):
    from dangvu.core.errors import DomainError

    with pytest.raises(DomainError):
        build_form(6, tree["X01"])
    with pytest.raises(DomainError):
        build_form(6, tree["X01"], year="2O24")
    with pytest.raises(DomainError):
        build_form(6, tree["X01"], year=1900)


@pytest.mark.parametrize("number,dates", [(2, {"date_from": F, "date_to": T}), (4, {"as_of": T}), (6, {"year": 2024})])
def test_forms_2_4_6_are_a_fixed_number_of_statements_whatever_the_members(tree, make_member, number, dates):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            build_form(number, tree["H01"], **dates)
        return len(ctx.captured_queries)

    before = count()
    for i in range(6):
        make_member(tree["C01" if i % 2 else "X02"], admitted_on=D(2024, 2, 1 + i), ethnicity=("Mông", "Kinh")[i % 2],
                    religion=("", "Phật giáo", "Đạo lạ")[i % 3], occupation=f"Nghề {i}", general_education="9/12")
    assert count() == before
    assert DEFAULT_AGE_BANDS == (18, 31, 36, 41, 46, 51, 56, 61)
