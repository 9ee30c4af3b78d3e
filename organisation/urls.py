from django.urls import path

from organisation import views, views_notifications, views_people

app_name = "organisation"
urlpatterns = [
    path("", views.unit_list, name="unit-list"),
    path(
        "notifications/<int:pk>/open/",
        views_notifications.notification_open,
        name="notification-open",
    ),
    path(
        "notifications/<int:pk>/dismiss/",
        views_notifications.notification_dismiss,
        name="notification-dismiss",
    ),
    path(
        "notifications/dismiss/",
        views_notifications.notifications_dismiss_all,
        name="notifications-dismiss-all",
    ),
    path("people/import/", views_people.people_import, name="people-import"),
    path(
        "people/import/<str:token>/",
        views_people.people_import_preview,
        name="people-import-preview",
    ),
    path(
        "people/import/<str:token>/confirm/",
        views_people.people_import_confirm,
        name="people-import-confirm",
    ),
    path("people/export/", views_people.people_dump, name="people-dump"),
    path("<str:level>/<slug:code>/", views.unit_detail, name="unit-detail"),
]
