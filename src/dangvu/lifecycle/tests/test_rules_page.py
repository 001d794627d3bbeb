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
    assert rows["badge_award_rule"].value == "first_occasion_after"
    assert not rows["min_age_months"].unconfirmed and rows["cell_min_official_members"].value == "3"
    html = page.content.decode()
    assert 'data-rule="badge_award_rule"' in html and str(settings.DANGVU_RULES_FILE) in html
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
    assert "QĐ 366" in page.context["assessment"].code and rows["scale"].value == "qd366_2025"
    assert rows["excellent_cap_base_includes_excellent"].unconfirmed and rows["excellent_cap_base_includes_excellent"].overridden
    assert not rows["excellent_cap_ratio"].unconfirmed and rows["excellent_cap_ratio"].value == "1/5"
    assert 'data-rule="excellent_cap_groups"' in page.content.decode()
    assert check_rules_file() == []
    settings.DANGVU_RULES_FILE = tmp_path / "bad.toml"
    settings.DANGVU_RULES_FILE.write_text("excellent_cap_ratio = 3\n")
    assert [e.id for e in check_rules_file()] == ["dangvu.E001"]
