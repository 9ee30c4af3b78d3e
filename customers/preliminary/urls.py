"""URLs of the preliminary annual lists (included under /customers/lists/, namespace "customers")."""

from django.urls import path

from customers.preliminary import views

LIST = "<slug:segment_code>/<int:year>/"

urlpatterns = [
    path("", views.preliminary_list_index, name="preliminary-list-index"),
    path("start/", views.preliminary_list_start, name="preliminary-list-start"),
    path(LIST, views.preliminary_list_detail, name="preliminary-list-detail"),
    path(
        f"{LIST}proposed-quota/",
        views.preliminary_list_propose_quota,
        name="preliminary-list-propose-quota",
    ),
    path(f"{LIST}quota/", views.preliminary_list_set_quota, name="preliminary-list-set-quota"),
    path(
        f"{LIST}responsible/",
        views.preliminary_list_responsible,
        name="preliminary-list-responsible",
    ),
    path(f"{LIST}assign/", views.preliminary_list_assign, name="preliminary-list-assign"),
    path(f"{LIST}nudge/", views.preliminary_list_nudge, name="preliminary-list-nudge"),
    path(
        f"{LIST}nominations/<int:pk>/remove/",
        views.preliminary_list_remove,
        name="preliminary-list-remove",
    ),
    path(f"{LIST}nominate/", views.preliminary_list_nominate, name="preliminary-list-nominate"),
    path(
        f"{LIST}nominate/new/",
        views.preliminary_list_nominate_new,
        name="preliminary-list-nominate-new",
    ),
]
