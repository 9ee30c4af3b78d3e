from django.urls import path

from organisation import views

app_name = "organisation"
urlpatterns = [
    path("", views.unit_list, name="unit-list"),
    path("<str:level>/<slug:code>/", views.unit_detail, name="unit-detail"),
]
