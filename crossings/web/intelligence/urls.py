from django.urls import path

from crossings.web.intelligence import views

urlpatterns = [
    path("estimates/", views.estimate_page, name="estimates"),
    path("estimates/pdf/", views.estimate_pdf, name="estimate-pdf"),
]
