"""URLs of customer import and export (included under /customers/import/)."""

from django.urls import path

from customers.imports import views as import_views

urlpatterns = [
    path("", import_views.customer_import, name="customer-import"),
    path("export/", import_views.customer_export, name="customer-export"),
    path("runs/<int:pk>/", import_views.customer_import_run, name="customer-import-run"),
    path("<str:token>/", import_views.customer_import_preview, name="customer-import-preview"),
    path(
        "<str:token>/confirm/",
        import_views.customer_import_confirm,
        name="customer-import-confirm",
    ),
]
