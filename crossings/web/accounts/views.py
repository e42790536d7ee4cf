"""Signing in: password (with lockout), then the second factor for the roles that need it."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import user_has_device

from crossings.web.accounts import second_factor
from crossings.web.accounts.roles import needs_second_factor


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return "/"


def _after_password(request: HttpRequest) -> HttpResponse:
    user = request.user  # just signed in with a password: never verified yet
    if needs_second_factor(user):
        step = "login-verify" if user_has_device(user) else "login-enrol"
        return redirect(f"{_url(step)}?next={_next(request)}")
    return redirect(_next(request))


def _url(name: str) -> str:
    from django.urls import reverse  # noqa: PLC0415

    return reverse(name)


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    expired = request.session.pop("crossings_expired", False)
    error = ""
    if request.method == "POST":
        user = authenticate(request, username=request.POST.get("username", ""),
                            password=request.POST.get("password", ""))
        if user is not None:
            login(request, user)
            return _after_password(request)
        error = "The user name or the password is wrong."
    return render(request, "crossings/login.html",
                  {"error": error, "expired": expired, "next": _next(request)},
                  status=401 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def verify_view(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        if second_factor.verify_second_factor(request, request.user,
                                              request.POST.get("token", "")):
            return redirect(_next(request))
        error = "That code is not right (or it has expired); try the current one."
    return render(request, "crossings/verify.html", {"error": error, "next": _next(request)},
                  status=401 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def enrol_view(request: HttpRequest) -> HttpResponse:
    if user_has_device(request.user):
        return redirect(f"{_url('login-verify')}?next={_next(request)}")
    error = ""
    if request.method == "POST":
        if second_factor.confirm_enrolment(request, request.user,
                                           request.POST.get("token", "")):
            return redirect(_next(request))
        error = "That code is not right; scan the code again and type the current one."
    device = second_factor.enrolment_device(request.user)
    return render(request, "crossings/enrol.html", {
        "error": error, "next": _next(request), "qr": second_factor.qr_svg(device),
        "uri": device.config_url, "secret": second_factor.base32_secret(device.key)},
        status=401 if error else 200)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(_url("login"))
