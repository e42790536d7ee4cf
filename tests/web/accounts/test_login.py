"""Signing in as people do: password, second factor, lockout, session expiry, audit."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from crossings.web.accounts.models import Membership, Role
from crossings.web.accounts.second_factor import current_code, demo_totp_key
from crossings.web.audit.models import AuditEntry
from crossings.web.middleware import SEEN, STARTED
from crossings.web.setup import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username: str, password: str = DEMO_PASSWORD):
    return client.post("/login/", {"username": username, "password": password, "next": "/"})


def test_an_officer_signs_in_with_a_password_only(demo_users):
    browser = Client()
    response = sign_in(browser, "khm-officer")
    assert response.status_code == 302 and response.url == "/"
    assert browser.get("/").status_code == 200
    assert browser.get("/api/me").json()["role"] == "OFFICER"


@pytest.mark.parametrize("username", ["khm-focal", "tha-analyst", "regional-analyst", "admin"])
def test_focal_points_analysts_and_administrators_need_the_second_factor(demo_users,
                                                                         username, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code delays the next try; not in this test
    browser = Client()
    response = sign_in(browser, username)
    assert response.status_code == 302 and response.url.startswith("/login/verify/")
    assert browser.get("/").url.startswith("/login/verify/")  # nothing before the code
    assert browser.get("/audit/").status_code == 302
    assert browser.get("/api/me").status_code == 401
    wrong = browser.post("/login/verify/", {"token": "000000", "next": "/"})
    assert wrong.status_code == 401
    right = browser.post("/login/verify/", {"token": current_code(demo_totp_key(username)),
                                            "next": "/"})
    assert right.status_code == 302 and right.url == "/"
    assert browser.get("/").status_code == 200
    assert browser.get("/api/me").json()["username"] == username
    actions = list(AuditEntry.objects.filter(username=username).values_list("action", flat=True))
    assert actions == ["LOGIN", "SECOND_FACTOR_FAILED", "SECOND_FACTOR"]


def test_a_new_focal_point_enrols_with_a_qr_code_served_here(demo_users):
    user = get_user_model().objects.create_user("new-focal", password="a long new password")
    Membership.objects.create(user=user, role=Role.FOCAL_POINT,
                              country=demo_users["khm-focal"].membership.country)
    browser = Client()
    response = sign_in(browser, "new-focal", "a long new password")
    assert response.url.startswith("/login/enrol/")
    page = browser.get(response.url).content.decode()
    assert "<svg" in page and "otpauth://totp/" in page and "http" not in page.split(
        "otpauth")[0].split("<main>")[1]
    secret_hex = TOTPDevice.objects.get(user=user, confirmed=False).key
    code = f"{TOTP(bytes.fromhex(secret_hex)).token():06d}"
    done = browser.post("/login/enrol/", {"token": code, "next": "/audit/"})
    assert done.status_code == 302 and done.url == "/audit/"
    assert TOTPDevice.objects.get(user=user).confirmed
    assert browser.get("/audit/").status_code == 200


def test_five_wrong_passwords_lock_the_account(demo_users):
    browser = Client()
    for _ in range(4):
        assert sign_in(browser, "khm-officer", "wrong password").status_code == 401
    locked = sign_in(browser, "khm-officer", "wrong password")
    assert locked.status_code == 429
    again = sign_in(Client(), "khm-officer")  # even the right password, from anywhere
    assert again.status_code == 429
    assert AuditEntry.objects.filter(action="LOGIN_FAILED", username="khm-officer").count() >= 5
    assert not AuditEntry.objects.filter(action="LOGIN", username="khm-officer").exists()


def test_an_idle_session_ends_and_the_user_signs_in_again(demo_users, settings):
    browser = Client()
    sign_in(browser, "khm-officer")
    assert browser.get("/").status_code == 200
    session = browser.session
    session[SEEN] = time.time() - settings.CROSSINGS_SESSION_IDLE_MINUTES * 60 - 5
    session.save()
    response = browser.get("/")
    assert response.status_code == 302 and response.url.startswith("/login/")
    assert "Your session expired" in browser.get(response.url).content.decode()
    assert browser.get("/api/me").status_code == 401


def test_a_session_ends_after_eight_hours_even_when_active(demo_users, settings):
    browser = Client()
    sign_in(browser, "khm-officer")
    session = browser.session
    session[STARTED] = time.time() - settings.SESSION_COOKIE_AGE - 5
    session.save()
    assert browser.get("/").status_code == 302


def test_pages_carry_a_strict_content_security_policy(demo_users):
    response = Client().get("/login/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    assert "frame-ancestors 'none'" in csp and response.headers["X-Frame-Options"] == "DENY"
    assert not re.search(r"<script(?![^>]*src=)", response.content.decode())


def test_passwords_are_hashed_with_argon2_outside_tests():
    from crossings.web import settings as web_settings

    if web_settings.ENVIRONMENT == "test":
        source = Path(web_settings.__file__).read_text(encoding="utf-8")
        assert '"django.contrib.auth.hashers.Argon2PasswordHasher"' in source
    else:
        assert web_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
