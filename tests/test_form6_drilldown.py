"""Form 6 (assessment results) drills down into the assessment's own lists: each linked count opens the
list of as many names, and the page of a commune's user links nothing of another commune."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest

from dangvu.assessment.services import record_rating
from dangvu.core.audit import audit_context
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import member_record_event

D = dt.date


@pytest.mark.django_db
def test_each_count_of_form_6_opens_a_list_of_as_many_names(client, tree, make_member, make_user):
    with audit_context(source="system"):
        members = [make_member(tree["C01"], made_official_on=D(2016, 5, 19)) for _i in range(5)]
        for m, label in zip(members, ("HTXSNV", "HTTNV", "HTTNV", "HTNV", "HTTNV"), strict=True):
            record_rating(year=2024, label=label, member=m)
        record_rating(year=2024, label="HTTNV", organization=tree["X01"])
        # form 6's sub-columns: an exempted member (not rated), a member disciplined in the year and rated KHTNV
        member_record_event(make_member(tree["C01"], made_official_on=D(2016, 5, 19)), kind=E.EXEMPTED,
                            effective_on=D(2024, 3, 1), value="age")
        disciplined = make_member(tree["C02"], made_official_on=D(2016, 5, 19))
        member_record_event(disciplined, kind=E.DISCIPLINED, effective_on=D(2024, 4, 1), value="reprimand")
        record_rating(year=2024, label="KHTNV", member=disciplined)
    client.force_login(make_user("bantochuc_h", tree["H01"], "organizer"))
    page = client.get("/reports/forms/6/", {"org": "H01", "year": "2024"}).content.decode()
    links = re.findall(r'<a href="(/reports/assessment/list/\?[^"]+)"[^>]*>([\d.]+)</a>', page)
    assert len(links) >= 6  # members: rated, excellent, good, completed, not rated…; organizations: rated, good
    figures = {unescape(href).rsplit("figure=", 1)[1] for href, _n in links}
    assert {"not_rated_exempted", "not_completed_disciplined"} <= figures
    for href, number in links:
        listed = client.get(unescape(href))
        assert listed.status_code == 200
        count = re.search(r'<span class="muted">\(([\d.]+)\)</span></h2>', listed.content.decode())
        assert count and int(count.group(1).replace(".", "")) == int(number.replace(".", "")), href
