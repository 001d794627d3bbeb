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


def test_user_add_without_a_password_on_standard_input_is_a_user_error(tree, monkeypatch):
    """No terminal and nothing piped in (e.g. run from a script without --password-stdin): getpass
    meets the end of the input. A Vietnamese message and exit status 1, no traceback, no account."""
    import getpass

    import pytest

    def no_input(prompt=""):
        raise EOFError

    monkeypatch.setattr(getpass, "getpass", no_input)
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("user", "add", "bithu_c02", "--org", "C01", "--role", "secretary", stderr=err)
    assert exit_.value.code == 1
    assert "--password-stdin" in err.getvalue()
    assert not get_user_model().objects.filter(username="bithu_c02").exists()
