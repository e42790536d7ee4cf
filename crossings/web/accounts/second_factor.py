"""The second factor (TOTP, django-otp): enrolment with a QR code served from here, and checks.

Demo users get a device whose key is derived from their username (see ``demo_totp_key``), so
the demo and browser tests can compute codes; real users enrol on first login.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import segno
from django.db import transaction
from django.http import HttpRequest
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from crossings.web.accounts.roles import membership_of
from crossings.web.audit.log import audit
from crossings.web.audit.models import Action

DEMO_SEED = "crossings-demo-totp"


def demo_totp_key(username: str) -> str:
    """The documented, fixed key (hex, 20 bytes) of a demo user's TOTP device."""
    return hashlib.sha1(f"{DEMO_SEED}:{username}".encode()).hexdigest()  # noqa: S324 - a key


def base32_secret(hex_key: str) -> str:
    """The secret as authenticator apps take it."""
    return base64.b32encode(bytes.fromhex(hex_key)).decode()


def current_code(hex_key: str) -> str:
    """The TOTP code for a key now (demo and tests)."""
    return f"{TOTP(bytes.fromhex(hex_key)).token():06d}"


def enrolment_device(user: Any) -> TOTPDevice:
    """The user's unconfirmed device, made on first call: its QR code is shown until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URI as an inline SVG QR code (no script, no network)."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=5))


def _country(user: Any) -> Any:
    member = membership_of(user)
    return member.country if member else None


@transaction.atomic
def confirm_enrolment(request: HttpRequest, user: Any, token: str) -> bool:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token.strip()):
        audit(Action.SECOND_FACTOR_FAILED, user=user, country=_country(user), request=request,
              details={"during": "enrolment"})
        return False
    device.confirmed = True
    device.save()
    otp_login(request, device)
    audit(Action.SECOND_FACTOR_ENROLLED, user=user, country=_country(user), request=request)
    return True


@transaction.atomic
def verify_second_factor(request: HttpRequest, user: Any, token: str) -> bool:
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(token.strip()):
            otp_login(request, device)
            audit(Action.SECOND_FACTOR, user=user, country=_country(user), request=request)
            return True
    audit(Action.SECOND_FACTOR_FAILED, user=user, country=_country(user), request=request)
    return False


def set_demo_device(user: Any) -> str:
    """Give a demo user a confirmed device with the documented key; returns the base32 secret."""
    key = demo_totp_key(user.get_username())
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(user=user, name="demo", key=key, confirmed=True)
    return base32_secret(key)
