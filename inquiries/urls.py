from django.urls import path

from inquiries import views

app_name = "inquiries"

urlpatterns = [
    path("", views.inquiry_list, name="inquiry-list"),
    path("new/", views.inquiry_create, name="inquiry-create"),
    path("suggestions/", views.inquiry_suggestions, name="inquiry-suggestions"),
    path("review/", views.review_queue, name="review-queue"),
    path("rollup/", views.rollup_report, name="rollup-report"),
    path("summary/", views.annual_summary, name="annual-summary"),
    path("<int:pk>/", views.inquiry_detail, name="inquiry-detail"),
    path("<int:pk>/edit/", views.inquiry_edit, name="inquiry-edit"),
    path("<int:pk>/decide/", views.inquiry_decide, name="inquiry-decide"),
    path("<int:pk>/follow-ups/", views.follow_up_add, name="follow-up-add"),
]
