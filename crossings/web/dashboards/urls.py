from django.urls import path
from django.views.generic import RedirectView

from crossings.web.dashboards import views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="dashboard-flows", query_string=True),
         name="dashboards"),
    path("flows/", views.flows_page, name="dashboard-flows"),
    path("trends/", views.trends_page, name="dashboard-trends"),
    path("data/<slug:name>.csv", views.chart_csv, name="dashboard-csv"),
    path("report/", views.report_page, name="dashboard-report"),
    path("report.pdf", views.report_pdf, name="dashboard-report-pdf"),
    path("assets/plotly.min.js", views.plotly_js, name="plotly-js"),
    path("assets/report.css", views.report_css, name="report-css"),
    path("assets/fonts/<str:name>", views.report_font, name="report-font"),
]
