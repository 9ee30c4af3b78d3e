from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from organisation.models import BusinessGroup, BusinessUnit, Profile, RoleMembership, Segment


class BusinessUnitInline(admin.TabularInline):
    model = BusinessUnit
    fields = ["code", "name_zh", "name_en"]
    extra = 0


class SegmentInline(admin.TabularInline):
    model = Segment
    fields = ["code", "name_zh", "name_en"]
    extra = 0


@admin.register(BusinessGroup)
class BusinessGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en"]
    search_fields = ["code", "name_zh", "name_en"]
    fields = ["code", "name_zh", "name_en"]
    inlines = [BusinessUnitInline]


@admin.register(BusinessUnit)
class BusinessUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "business_group"]
    list_filter = ["business_group"]
    search_fields = ["code", "name_zh", "name_en"]
    fields = ["code", "name_zh", "name_en", "business_group"]
    inlines = [SegmentInline]


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "business_unit"]
    list_filter = ["business_unit__business_group", "business_unit"]
    search_fields = ["code", "name_zh", "name_en"]
    fields = ["code", "name_zh", "name_en", "business_unit"]


@admin.register(RoleMembership)
class RoleMembershipAdmin(SimpleHistoryAdmin):  # its history: who changed which role
    list_display = ["user", "role", "business_group", "business_unit", "segment"]
    list_filter = ["role", "business_group", "business_unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    fields = ["user", "role", "business_group", "business_unit", "segment"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "business_group", "business_unit", "segment"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "phone"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "phone"]
    fields = ["user", "phone"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]
