"""Passwords are hashed with Argon2 outside the test settings (which use a fast hasher)."""

from django.contrib.auth.hashers import check_password, make_password
from django.test import override_settings

ARGON2_FIRST = ["django.contrib.auth.hashers.Argon2PasswordHasher",
                "django.contrib.auth.hashers.PBKDF2PasswordHasher"]


@override_settings(PASSWORD_HASHERS=ARGON2_FIRST)
def test_production_hasher_is_argon2id_and_installed():
    encoded = make_password("crossings-demo-2026")
    assert encoded.startswith("argon2$argon2id$")
    assert check_password("crossings-demo-2026", encoded)
