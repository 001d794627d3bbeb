"""The documents of a member's events: the admission decision (quyết định kết nạp), the recognition as
official member (quyết định công nhận đảng viên chính thức), the transfer letter (giấy giới thiệu sinh
hoạt đảng)."""

from __future__ import annotations

from dangvu.lifecycle.document_templates.page import new_document
from dangvu.lifecycle.document_templates.paragraphs import C, body, para
from dangvu.lifecycle.document_templates.party_parts import member_lines, party_header, signature, title


def admission_decision():
    doc = new_document()
    party_header(doc)
    title(doc, "QUYẾT ĐỊNH", "kết nạp{{ ' lại' if readmission }} đảng viên")
    body(doc, "- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;")
    body(doc, "- Căn cứ {{ regulation }};")
    body(doc, "- Xét đề nghị của {{ proposers }} về việc kết nạp{{ ' lại' if readmission }} đảng viên,")
    para(doc, "{{ issuer_body|upper }} QUYẾT ĐỊNH", bold=True, align=C, before=6, after=12, keep=True)
    body(doc, [("Điều 1. ", "b"), ("Kết nạp{{ ' lại' if readmission }} vào Đảng Cộng sản Việt Nam:", "")])
    member_lines(doc, [
        ("Đồng chí: ", "{{ m.name }}"),
        ("Sinh {{ m.birth_date }}; giới tính: ", "{{ m.sex }}"),
        ("Dân tộc: {{ m.ethnicity }}; tôn giáo: ", "{{ m.religion }}"),
        ("Quê quán: ", "{{ m.home_town }}"),
        ("Nơi thường trú: ", "{{ m.residence }}"),
        ("Nghề nghiệp: ", "{{ m.occupation }}"),
        ("Sinh hoạt tại: ", "{{ cell }}, {{ grassroots }}."),
    ])
    body(doc, [("Điều 2. ", "b"), ("Thời gian dự bị của đồng chí {{ m.name }} là {{ probation_months }} tháng, "
                                  "tính từ ngày chi bộ tổ chức lễ kết nạp.", "")], before=6)
    body(doc, [("Điều 3. ", "b"), ("{{ cell }}, các cơ quan có liên quan và đồng chí {{ m.name }} "
                                  "chịu trách nhiệm thi hành quyết định này.", "")])
    signature(doc, recipients=["- Như Điều 3,", "{%p if superior %}", "- {{ superior }} (để báo cáo),",
                               "{%p endif %}", "- Lưu hồ sơ đảng viên."])
    return doc


def recognition_decision():
    doc = new_document()
    party_header(doc)
    title(doc, "QUYẾT ĐỊNH", "công nhận đảng viên chính thức")
    body(doc, "- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;")
    body(doc, "- Căn cứ {{ regulation }};")
    doc.add_paragraph("{%p if admission_ref %}")
    body(doc, "- Căn cứ {{ admission_ref }} về việc kết nạp đảng viên;")
    doc.add_paragraph("{%p endif %}")
    body(doc, "- Xét đề nghị của {{ proposers }} về việc công nhận đảng viên chính thức,")
    para(doc, "{{ issuer_body|upper }} QUYẾT ĐỊNH", bold=True, align=C, before=6, after=12, keep=True)
    body(doc, [("Điều 1. ", "b"), ("Công nhận đồng chí ", ""), ("{{ m.name }}", "b"),
               (", sinh {{ m.birth_date }}, quê quán {{ m.home_town }}, vào Đảng {{ m.admitted_on }}, "
                "sinh hoạt tại {{ cell }}, {{ grassroots }}, là ", ""),
               ("đảng viên chính thức kể từ {{ official_on }}", "b"), (".", "")])
    body(doc, [("Điều 2. ", "b"), ("Tuổi đảng của đồng chí {{ m.name }} được tính từ {{ party_age_from }}.", "")])
    body(doc, [("Điều 3. ", "b"), ("{{ cell }}, các cơ quan có liên quan và đồng chí {{ m.name }} "
                                  "chịu trách nhiệm thi hành quyết định này.", "")])
    signature(doc, recipients=["- Như Điều 3,", "{%p if superior %}", "- {{ superior }} (để báo cáo),",
                               "{%p endif %}", "- Lưu hồ sơ đảng viên."])
    return doc


def transfer_letter():
    doc = new_document()
    party_header(doc)
    title(doc, "GIẤY GIỚI THIỆU", "sinh hoạt đảng ({{ transfer_kind }})")
    body(doc, "{{ issuer }} trân trọng giới thiệu:")
    member_lines(doc, [
        ("Đồng chí: ", "{{ m.name }}"),
        ("Sinh {{ m.birth_date }}; giới tính: ", "{{ m.sex }}"),
        ("Dân tộc: {{ m.ethnicity }}; tôn giáo: ", "{{ m.religion }}"),
        ("Quê quán: ", "{{ m.home_town }}"),
        ("Là ", "{{ status }}; vào Đảng {{ m.admitted_on }}; chính thức {{ m.made_official_on }}."),
        ("Số thẻ đảng viên: ", "{{ m.card_number }}; số lý lịch đảng viên: {{ m.biography_number }}."),
        ("Đang sinh hoạt tại: ", "{{ from_cell }}, {{ from_grassroots }}."),
    ])
    body(doc, [("Được chuyển đến sinh hoạt đảng tại: ", ""), ("{{ destination }}", "b"), (".", "")], before=6)
    body(doc, "Đề nghị tổ chức đảng nơi đến tiếp nhận, quản lý và phân công đồng chí sinh hoạt đảng theo quy định.")
    body(doc, [("Đồng chí {{ m.name }} phải xuất trình giấy giới thiệu này với tổ chức đảng nơi đến ", ""),
               ("chậm nhất {{ deadline }}", "b"),
               (" ({{ deadline_rule }}). Giấy giới thiệu có giá trị đến hết ngày đó.", "")])
    signature(doc, recipients=["- Như trên,", "- Đồng chí {{ m.name }},", "- Lưu hồ sơ, văn phòng cấp ủy."])
    return doc
