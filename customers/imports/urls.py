"""URLs of customer import and export (included under /customers/import/)."""

from django.urls import path

from customers.imports import views

urlpatterns = [
    path("", views.customer_import, name="customer-import"),
    path("export/", views.customer_export, name="customer-export"),
    path("runs/<int:pk>/", views.customer_import_run, name="customer-import-run"),
    path("<str:token>/", views.customer_import_preview, name="customer-import-preview"),
    path(
        "<str:token>/confirm/",
        views.customer_import_confirm,
        name="customer-import-confirm",
    ),
]
