from django.urls import include, path

from customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="customer-list"),
    path("new/", views.customer_create, name="customer-create"),
    path("<int:pk>/", views.customer_detail, name="customer-detail"),
    path("<int:pk>/edit/", views.customer_edit, name="customer-edit"),
    path("<int:pk>/relationship/", views.customer_relationship, name="customer-relationship"),
    path("<int:pk>/<int:year>/preliminary-form/", views.preliminary_form, name="preliminary-form"),
    path("<int:pk>/<int:year>/target-form/", views.target_form, name="target-form"),
    path("<int:pk>/archive/", views.customer_archive, name="customer-archive"),
    path("import/", include("customers.imports.urls")),
    path("lists/", include("customers.preliminary.urls")),
]
