from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from inquiries.api_schema import schema_view
from organisation.password_reset import OutboxPasswordResetForm
from prioritizer import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("status/", views.system_status, name="system-status"),
    path("people/left/", views.leavers, name="leavers"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/password/forgot/",
        auth_views.PasswordResetView.as_view(
            form_class=OutboxPasswordResetForm,
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
            extra_email_context={"site_url": settings.SITE_URL.rstrip("/")},
        ),
        name="password_reset",
    ),
    path(
        "accounts/password/forgot/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    # New people from the people file choose their password through the e-mailed link.
    path(
        "accounts/password/set/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(post_reset_login=False),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/set/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("org/", include("organisation.urls")),
    path("customers/", include("customers.urls")),
    path("criteria/", include("evaluation.urls")),
    path("inquiries/", include("inquiries.urls")),
    path("reviews/", include("reviews.urls")),
    path("api/", include("inquiries.api_urls")),
    path("api/schema/", schema_view(), name="api-schema"),
    path("admin/", admin.site.urls),
]
