from django.urls import path

from crossings.web.forms import views, views_upload, views_workflow

urlpatterns = [
    path("records/", views.record_list, name="record-list"),
    path("records/new/", views.incident_new, name="incident-new"),
    path("records/<uuid:uid>/", views.record_detail, name="record-detail"),
    path("records/<uuid:uid>/edit/", views.incident_edit, name="incident-edit"),
    path("records/<uuid:uid>/<slug:action>/", views_workflow.record_action,
         name="record-action"),
    path("upload/", views_upload.upload, name="upload"),
    path("upload/errors/<slug:token>.csv", views_upload.upload_errors, name="upload-errors"),
]
