from django.urls import path

from crossings.web.intelligence import review_views, views

urlpatterns = [
    path("estimates/", views.estimate_page, name="estimates"),
    path("estimates/pdf/", views.estimate_pdf, name="estimate-pdf"),
    path("linkage/review/", review_views.review_queue_page, name="linkage-review"),
    path("linkage/review/decide/", review_views.decide_view, name="linkage-decide"),
    path("linkage/run/", review_views.rerun_view, name="linkage-run"),
    path("linkage/identities/", review_views.identities_page, name="linkage-identities"),
    path("linkage/identities/split/", review_views.split_view, name="linkage-split"),
    path("linkage/identities/merge/", review_views.merge_view, name="linkage-merge"),
]
