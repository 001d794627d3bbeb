import datetime as dt
import json

D = dt.date

def test_try(tree, make_member):
    from dangvu.reports import queries
    from dangvu.reports.summary import summary, summary_docx
    make_member(tree["C01"], made_official_on=D(2016, 5, 19), sex="F", ethnicity="Thái", general_education="12/12", political_theory_level="so_cap")
    make_member(tree["X02"], birth_date=D(1960,1,1), admitted_on=D(1990,1,1), placed_on=D(2012,1,1), made_official_on=D(1991,1,1), card_number="12345678")
    make_member(tree["C02"], admitted_on=D(2023,1,1))
    print(json.dumps(queries.profile(tree["H01"], D(2024,12,31)), ensure_ascii=False, indent=1))
    print(json.dumps(queries.checks(tree["H01"], D(2024,12,31)), ensure_ascii=False, indent=1))
    s = summary(tree["H01"], D(2024,12,31), 2024)
    print(s["text"])
    open("/tmp/rp.docx","wb").write(summary_docx(tree["H01"], s))
