from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from crossings.web import views
from crossings.web.accounts import views as accounts
from crossings.web.api.main import api
from crossings.web.audit.views import audit_page

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", accounts.login_view, name="login"),
    path("login/verify/", accounts.verify_view, name="login-verify"),
    path("login/enrol/", accounts.enrol_view, name="login-enrol"),
    path("logout/", accounts.logout_view, name="logout"),
    path("audit/", audit_page, name="audit"),
    path("dashboards/", include("crossings.web.dashboards.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("crossings.web.forms.urls")),
    path("", include("crossings.web.intelligence.urls")),
    path("api/", api.urls),
    re_path(r"^api/", views.api_not_found),
    path("admin/login/", RedirectView.as_view(url="/login/", query_string=True)),
    path("admin/", admin.site.urls),
]
