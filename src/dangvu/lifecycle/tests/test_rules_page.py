"""The rules page (the rules in force, the UNCONFIRMED ones, the administrator's settings) and the system
check of the rules file."""


def test_the_rules_page_marks_the_unconfirmed_rules_and_those_the_administrator_sets(client, tree, make_user,
                                                                                      settings, tmp_path):
    settings.DANGVU_RULES_FILE = tmp_path / "rules.toml"
    settings.DANGVU_RULES_FILE.write_text('badge_award_rule = "first_occasion_after"\n')
    admin = make_user("quantri", tree["H01"], role="admin")
    client.force_login(admin)
    page = client.get("/lifecycle/rules/", {"on": "03/02/2026"})
    assert page.status_code == 200
    rows = {r.name: r for r in page.context["rows"]}
    assert rows["badge_award_rule"].unconfirmed and rows["badge_award_rule"].overridden
    assert rows["badge_award_rule"].value == "dịp trao đầu tiên sau ngày đủ tuổi đảng"
    assert not rows["min_age_months"].unconfirmed and rows["cell_min_official_members"].value == "3"
    html = page.content.decode()
    assert 'data-rule="badge_award_rule"' in html and str(settings.DANGVU_RULES_FILE) in html
    # each rule by its name in Vietnamese, its key for the rules file beside it; values in words
    assert "Dịp trao Huy hiệu Đảng áp dụng" in html and "<code class=\"small muted\">badge_award_rule</code>" in html
    assert rows["introducer_must_be_official"].value == "Có"
    assert rows["deadline_hold_ceremony"].value == "30 ngày làm việc kể từ ngày nhận quyết định"
    assert rows["exemption_min_age_months"].value == "nam: 720; nữ: 660"
    assert client.get("/lifecycle/rules/", {"on": "31/02/2026"}).status_code == 400


def test_the_system_check_refuses_a_rules_file_that_overrides_a_statute_number(settings, tmp_path):
    from dangvu.lifecycle.checks import check_rules_file

    settings.DANGVU_RULES_FILE = tmp_path / "none.toml"
    assert check_rules_file() == []
    for name, text in (("statute.toml", "min_age_months = 200\n"), ("broken.toml", "min_age_months = \n")):
        (tmp_path / name).write_text(text)
        settings.DANGVU_RULES_FILE = tmp_path / name
        assert [e.id for e in check_rules_file()] == ["dangvu.E001"]


def test_the_rules_page_lists_the_assessment_rules_of_the_year_and_the_check_refuses_a_bad_setting(
        client, tree, make_user, settings, tmp_path):
    from dangvu.lifecycle.checks import check_rules_file

    settings.DANGVU_RULES_FILE = tmp_path / "rules.toml"
    settings.DANGVU_RULES_FILE.write_text("excellent_cap_base_includes_excellent = true\n")
    client.force_login(make_user("quantri", tree["H01"], role="admin"))
    page = client.get("/lifecycle/rules/", {"on": "03/02/2026"})
    rows = {r.name: r for r in page.context["assessment_rows"]}
    assert "QĐ 366" in page.context["assessment"].code and rows["scale"].value.startswith(
        "Hoàn thành xuất sắc nhiệm vụ (từ 90 điểm); Hoàn thành tốt nhiệm vụ (từ 70 điểm)")
    assert rows["scale"].value.endswith("Không hoàn thành nhiệm vụ (dưới 50 điểm)") and "QĐ 366" in rows["scale"].source
    assert rows["excellent_cap_base_includes_excellent"].value == "Có"
    assert rows["not_rated"].value == "miễn sinh hoạt, bị đình chỉ sinh hoạt, mới được kết nạp"
    assert rows["excellent_cap_base_includes_excellent"].unconfirmed and rows["excellent_cap_base_includes_excellent"].overridden
    assert not rows["excellent_cap_ratio"].unconfirmed and rows["excellent_cap_ratio"].value == "1/5"
    assert 'data-rule="excellent_cap_groups"' in page.content.decode()
    assert check_rules_file() == []
    settings.DANGVU_RULES_FILE = tmp_path / "bad.toml"
    settings.DANGVU_RULES_FILE.write_text("excellent_cap_ratio = 3\n")
    assert [e.id for e in check_rules_file()] == ["dangvu.E001"]


def test_every_rule_has_a_label_and_every_key_a_rule_value_holds_is_labelled():
    """A rule added to the rule sets without its label (regulations.labels) fails here, and so does a key in a
    rule's value that would be shown as written: under every regulation (from its first day), every assessment
    regulation, and for every value the administrator's rules file may choose."""
    import dataclasses
    import re

    from dangvu import regulations as R
    from dangvu.lifecycle.selectors import _rule_value, assessment_rules_in_force, rules_in_force
    from dangvu.regulations.in_force import _CHOICES

    assessment = [f.name for f in dataclasses.fields(R.assessment_rules(2026))
                  if f.name not in ("code", "first_year", "sources", "unconfirmed", "overridden")]
    assert set(R.PARAMETER_FIELDS) | set(assessment) <= set(R.RULE_LABELS)
    shown = [_rule_value(v) for values in _CHOICES.values() for v in values]
    for rules in R.REGULATIONS:
        shown += [r.value for r in rules_in_force(rules.effective_from)[1]]
    for rules in R.ASSESSMENT_REGULATIONS:
        shown += [r.value for r in assessment_rules_in_force(rules.first_year or 2014)[1]]
    keys = {k.strip() for value in shown for k in re.split(r"[,;:] ?", value)}
    assert not {k for k in keys if re.fullmatch(r"[a-z]+_[a-z0-9_]+", k)}


def test_the_sources_are_in_vietnamese_and_in_english_for_a_user_who_chose_it(client, tree, make_user, settings,
                                                                              tmp_path):
    """The "Nguồn" column reads in the language of the request (lazy texts, not frozen at import): in
    Vietnamese no English note is left ("carried over", "not cited", "domain-rules"…), for the rule sets
    in force on days under each regulation, the assessment rules of those years, and every regulation."""
    import dataclasses

    from django.utils import translation

    from dangvu import regulations as R

    english = ("carried over", "not cited", "domain-rules", "UNCONFIRMED", "unconfirmed for", "issued", "quiz",
               "members", "working days", "months", "within", "secondary source", "press)", " item ", " pt ")
    settings.DANGVU_RULES_FILE = tmp_path / "none.toml"
    client.force_login(make_user("quantri", tree["H01"], role="admin"))
    for on in ("01/01/2017", "01/01/2022", "01/08/2025", "01/09/2026"):
        page = client.get("/lifecycle/rules/", {"on": on})
        assert page.status_code == 200
        rows = {r.name: r for r in page.context["rows"]}
        shown = [(on, r.name, r.source) for r in page.context["rows"] + page.context["assessment_rows"]]
        assert all(r.source for r in page.context["rows"]), on  # every rule of the lifecycle has its source
        leftovers = [(on, name, source) for on, name, source in shown if any(w in source for w in english)]
        assert not leftovers, leftovers[:3]
        # a Statute rule: the Statute cited, the note in Vietnamese
        assert rows["vote_threshold"].source.startswith("Điều lệ Đảng, Điều 4: ≥ 2/3 số đảng viên chính thức")
        assert "tài liệu quy tắc nghiệp vụ §2.4" in rows["vote_threshold"].source
        assert "tài liệu quy tắc nghiệp vụ" in page.content.decode()
    # carried over to QĐ 208 (01/09/2026): the composed note, in Vietnamese
    assert rows["deadline_transfer"].source.startswith("QĐ 24-QĐ/TW 2021, điểm 6.3; QĐ 294: trong 60 ngày làm việc")
    assert rows["deadline_transfer"].source.endswith(
        "chưa có trích dẫn cho QĐ 208-QĐ/TW, giá trị được kế thừa từ quy định liền kề (CHƯA XÁC NHẬN)")
    # every source of every regulation (the lifecycle's and the assessment's), as they are shown
    with translation.override("vi"):
        for rules in R.REGULATIONS + R.ASSESSMENT_REGULATIONS:
            names = [f.name for f in dataclasses.fields(rules)]
            for name, source in rules.sources.items():
                assert name in names or name in ("code", "effective_from"), (rules.code, name)
                text = str(source)
                assert text and not any(w in text for w in english), (rules.code, name, text)
    # the same rule in English for a user who chose English: translated per request, not at import
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = {r.name: r for r in client.get("/lifecycle/rules/", {"on": "01/09/2026"}).context["rows"]}
    assert rows["deadline_transfer"].source.endswith("not cited for QĐ 208-QĐ/TW, carried over (UNCONFIRMED)")
    assert rows["vote_threshold"].source == "Điều lệ Đảng, Điều 4: ≥ 2/3 of the chi bộ's official members (domain-rules §2.4)"


def test_the_rules_keys_are_for_the_administrator_and_months_read_in_years_too(client, tree, make_user):
    client.force_login(make_user("bithu", tree["C01"], role="secretary"))
    page = client.get("/lifecycle/rules/", {"on": "03/02/2026"}).content.decode()
    row = page.split('data-rule="min_age_months"')[1].split("</tr>")[0]
    assert "<code" not in page.split('id="rules"')[1] and "216 (18 năm)" in row, row
    client.force_login(make_user("quantri", tree["H01"], role="admin"))
    page = client.get("/lifecycle/rules/", {"on": "03/02/2026"}).content.decode()
    assert '<code class="small muted">min_age_months</code>' in page
