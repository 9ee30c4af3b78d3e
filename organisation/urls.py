from django.urls import path

from organisation import views, views_notifications

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
    path("<str:level>/<slug:code>/", views.unit_detail, name="unit-detail"),
]
