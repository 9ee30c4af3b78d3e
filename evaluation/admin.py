from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from evaluation.models import (
    CriteriaSet,
    CriteriaSetVersion,
    Criterion,
    CriterionTemplate,
    Goal,
    Tier,
    TierPolicy,
)


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "year", "target_customer_count", "confirmed_at"]
    list_filter = ["year"]


@admin.register(CriterionTemplate)
class CriterionTemplateAdmin(admin.ModelAdmin):
    list_display = ["key", "name_zh", "name_en", "family", "source"]
    list_filter = ["family"]
    search_fields = ["key", "name_zh", "name_en"]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["order", "key", "name_zh", "family", "source", "weight", "gate", "rule"]


@admin.register(CriteriaSet)
class CriteriaSetAdmin(SimpleHistoryAdmin):
    """Read here; change sets in the criteria pages, which check versions and rules."""

    list_display = ["name", "year", "business_unit", "segment", "status", "version"]
    list_filter = ["year", "status", "business_unit"]
    inlines = [CriterionInline]
    readonly_fields = ["version", "copied_from", "created_by", "published_at", "published_by"]


@admin.register(CriteriaSetVersion)
class CriteriaSetVersionAdmin(admin.ModelAdmin):
    list_display = ["criteria_set", "number", "created_by", "created_at", "note"]
    list_select_related = ["criteria_set", "created_by"]


class TierInline(admin.TabularInline):
    model = Tier
    extra = 0


@admin.register(TierPolicy)
class TierPolicyAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "year", "version"]
    list_filter = ["year"]
    inlines = [TierInline]
