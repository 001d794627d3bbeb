"""The admission ceremony form proposes the new member's code (the next free one of the pattern used
around the cell); the user may give another."""

import datetime as dt

D = dt.date


def test_the_ceremony_form_proposes_the_code_and_takes_another(client, tree, make_member, make_user, settings):
    from dangvu.admission import services as C
    from dangvu.members.models import Member
    from dangvu.organizations.services import Decision

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    people = [make_member(tree["C01"], code=f"NAHY-{n:04d}", made_official_on=D(2016, 5, 19)) for n in (3, 4)]
    c = C.candidate_propose(cell=tree["C01"], full_name="Vàng Thị Mai", birth_date=D(2000, 3, 15), sex="F",
                            ethnicity="Mông", proposed_on=D(2024, 1, 10))
    C.candidate_record_course(c, issued_on=D(2024, 2, 20), certificate_number="12/CN", issued_by="Trung tâm")
    C.candidate_accept_sympathizer(c, on=D(2024, 3, 1))
    C.candidate_record_document(c, key="1-KNĐ", received_on=D(2024, 3, 5))
    C.candidate_record_document(c, key="biography", received_on=D(2024, 3, 10))
    C.candidate_record_background_check(c, on=D(2024, 3, 25), result="clear", checked_by="Chi ủy")
    C.candidate_record_introducers(c, on=D(2024, 3, 30), introducers=[C.IntroducerInput(p, 24) for p in people])
    C.candidate_record_comments(c, on=D(2024, 4, 4), from_organizations="Đoàn xã: tốt", from_residence="Tốt")
    C.candidate_complete_dossier(c, on=D(2024, 4, 15))
    C.candidate_cell_vote(c, on=D(2024, 4, 20), vote=C.Vote(5, 5, 4))
    C.candidate_committee_vote(c, on=D(2024, 5, 10), vote=C.Vote(9, 8, 7))
    C.candidate_decide(c, decision=Decision("125-QĐ/HU", D(2024, 6, 3)), received_on=D(2024, 6, 5))
    client.force_login(make_user("bithu", tree["C01"], "secretary"))
    url = f"/lifecycle/candidates/{c.pk}/ceremony/"
    assert 'name="member_code" value="NAHY-0005"' in client.get(url).content.decode()
    assert client.post(url, {"effective_on": "20/06/2024", "member_code": "NAHY-0100"}).status_code == 302
    assert Member.objects.get(code="NAHY-0100").full_name == "Vàng Thị Mai"
