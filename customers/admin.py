from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from customers.completeness import FACT_FIELDS
from customers.imports.runs import ImportRun
from customers.models import (
    MASTER_DATA_FIELDS,
    Attribute,
    AttributeOption,
    Contact,
    Customer,
    CustomerYear,
    PreliminaryList,
)


class AttributeOptionInline(admin.TabularInline):
    model = AttributeOption
    fields = ["key", "name_zh", "name_en", "order"]
    extra = 1


@admin.register(Attribute)
class AttributeAdmin(admin.ModelAdmin):
    """Rated attributes (e.g. outsourcing attitude) and their keyed options, which criteria read."""

    list_display = ["key", "name_zh", "name_en", "business_unit", "order"]
    list_filter = ["business_unit"]
    search_fields = ["key", "name_zh", "name_en"]
    fields = ["key", "name_zh", "name_en", "description", "business_unit", "order"]
    inlines = [AttributeOptionInline]


class ContactInline(admin.TabularInline):
    model = Contact
    fields = [
        "name",
        "title",
        "buying_role",
        "influence",
        "attitude",
        "is_key_decision_maker",
        "phone",
        "email",
    ]
    extra = 0


@admin.register(Customer)
class CustomerAdmin(SimpleHistoryAdmin):
    list_display = [
        "name_zh",
        "credit_code",
        "business_unit",
        "region",
        "industry",
        "status",
        "archived_at",
    ]
    list_filter = ["business_unit", "status", "region", "industry"]
    search_fields = ["name_zh", "name_en", "credit_code"]
    list_select_related = ["business_unit"]
    fields = [*MASTER_DATA_FIELDS, "relationship_notes", "archived_at"]
    autocomplete_fields = ["data_steward", "account_manager"]
    filter_horizontal = ["segments"]
    inlines = [ContactInline]

    def has_delete_permission(self, request, obj=None):
        return False  # archive, never delete: the history must stay


@admin.register(CustomerYear)
class CustomerYearAdmin(SimpleHistoryAdmin):
    list_display = ["customer", "year", "revenue", "employees", "completeness"]
    list_filter = ["year"]
    search_fields = ["customer__name_zh", "customer__credit_code"]
    raw_id_fields = ["customer"]
    fields = ["customer", "year", *FACT_FIELDS]


@admin.register(PreliminaryList)
class PreliminaryListAdmin(admin.ModelAdmin):
    list_display = ["segment", "year", "proposed_quota", "quota", "responsible"]
    list_filter = ["year", "segment__business_unit"]
    fields = ["segment", "year", "proposed_quota", "quota", "responsible"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Browser imports and their outcome; written by the import, read here."""

    list_display = ["filename", "user", "state", "created_at", "finished_at", "rows"]
    list_filter = ["state"]
    search_fields = ["filename", "user__username"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
