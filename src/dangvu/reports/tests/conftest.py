import datetime as dt

import pytest

from dangvu.core.audit import audit_context

D = dt.date


@pytest.fixture
def big_tree(tree):
    """The shared `tree` plus X03 (grassroots committee, 2012) with C03 (cell), and under X01 a
    partial committee P01 (2012) with its cell C04."""
    from dangvu.organizations.models import OrganizationKind as K
    from dangvu.organizations.services import organization_establish as est

    d = D(2012, 1, 1)
    with audit_context(source="system"):
        x3 = est(code="X03", name="Đảng bộ xã Mường Tùng", kind=K.GRASSROOTS_COMMITTEE, parent=tree["H01"], established_on=d)
        c3 = est(code="C03", name="Chi bộ bản Mường Tùng", kind=K.SUBORDINATE_CELL, parent=x3, established_on=d)
        p1 = est(code="P01", name="Đảng bộ bộ phận bản Nà Hỳ", kind=K.PARTIAL_COMMITTEE, parent=tree["X01"], established_on=d)
        c4 = est(code="C04", name="Chi bộ tổ 4", kind=K.SUBORDINATE_CELL, parent=p1, established_on=d)
    return {**tree, "X03": x3, "C03": c3, "P01": p1, "C04": c4}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 costs about a second per user on a busy 2-core box; these tests do not test hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
