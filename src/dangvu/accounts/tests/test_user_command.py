"""`dangvu user add`: the account is created and announced in the user's words."""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command


def test_user_add_names_the_role_in_vietnamese(tree, monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-dai-2026\n"))
    out = io.StringIO()
    call_command("user", "add", "bithu_c01", "--org", "C01", "--role", "secretary", "--password-stdin", stdout=out)
    assert out.getvalue().strip() == "Đã tạo người dùng bithu_c01 (Bí thư, Chi bộ bản Nà Hỳ 1)."
    assert get_user_model().objects.filter(username="bithu_c01").exists()
